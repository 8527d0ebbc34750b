"""Core modules never import Textual: the engine must run headless and start fast."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "wizard.cli",
    "wizard.profile",
    "wizard.catalog",
    "wizard.commands.wallets",
    "wizard.text",
    "wizard.diagnosis",
    "wizard.report_text",
    "wizard.checks.runner",
    "wizard.checks.network",
    "wizard.checks.fetch",
    "wizard.net.capped",
    "wizard.net.classify",
    "wizard.net.proxy",
    "wizard.net.resolver",
    "wizard.net.trace",
    "wizard.checks.contact",
    "wizard.checks.app_version",
    "wizard.checks.service_status",
    "wizard.commands.check",
    "wizard.support.message",
    "wizard.support.outbox",
    "wizard.support.send",
    "wizard.support.destination",
    "wizard.support.desks",
    "wizard.support.desks.webhook",
    "wizard.support.courier",
    "wizard.demo",
    "wizard.gating",
    "wizard.plain",
    "wizard.plain.conversation",
    "wizard.commands.plain",
    # The plain wizard shares these with the full screen: they must stay Textual-free.
    "wizard.ui.session",
    "wizard.ui.flow",
]


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"core modules pulled in: {out}"


def test_phonenumbers_geocoder_is_never_loaded() -> None:
    code = (
        "import sys, wizard.checks.contact as c\n"
        "c.validate_phone('+8613800138000', 'CN')\n"
        "print(','.join(m for m in sys.modules if m.startswith(('phonenumbers.geocoder',"
        " 'phonenumbers.carrier', 'phonenumbers.timezone'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_the_http_layer_stands_below_checks_support_and_ui() -> None:
    # wizard.net serves checks and delivery alike, so it may import neither (nor the UI).
    code = (
        "import sys, wizard.net.capped, wizard.net.classify, wizard.net.proxy,"
        " wizard.net.resolver, wizard.net.trace\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('wizard.checks', 'wizard.support',"
        " 'wizard.ui', 'textual')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"wizard.net pulled in: {out}"
