"""The words of the public interface, listed once: every part reads them from here.

Languages, what failed to update, phone systems, demo scenarios and the wizard's modes are
named in CONTRACT.md; the CLI, the profile, the message and the wizard all offer the same
choices in the same order. A leaf: it imports nothing of the project.
"""

from __future__ import annotations

from typing import Literal

LANGUAGES = ("zh-CN", "en")
# When neither --lang, the profile nor the locale says (CONTRACT §1 language rule).
DEFAULT_LANGUAGE = "zh-CN"
# What failed to update (`--what`, Welcome's choice, the message's `what`).
WHATS = ("phone", "email", "address", "other")
# Phone systems (`--platform`, step 2's Select), most common first.
PLATFORMS = ("android", "ios", "harmonyos", "desktop")
# `--demo` / `demo --scenario`.
SCENARIOS = ("ok", "captive_portal", "outage", "old_app", "tls_intercept", "slow")
# The built-in wallet catalog (CONTRACT §6, `--wallet ID`), in the order Welcome offers it:
# the Chinese wallets first, as the people this wizard serves first use them.
WALLETS = ("alipay", "wechat", "unionpay", "paypal", "venmo", "cashapp")
# `--theme` and `[kiosk] theme`: the usual look, or every text/background pair at 4.5:1 or more.
THEMES = ("default", "high-contrast")
Mode = Literal["normal", "kiosk", "staff"]
MODES: tuple[Mode, ...] = ("normal", "kiosk", "staff")
