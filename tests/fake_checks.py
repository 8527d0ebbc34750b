"""A check that exists only in tests: proof that a new check needs one registry line.

It asks nothing of the network, so tests can run it anywhere: the device clock is "skewed"
when the profile's wallet is called "Skewed Wallet" (a test chooses by naming its profile).
"""

from __future__ import annotations

from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Status
from wizard.checks.registry import CheckSpec

CLOCK = CheckSpec(
    "clock",
    "tests.fake_checks:check_clock",
    {"ok": "", "clock_skew": "user"},
    Status.UNKNOWN,
    "internal_error",
    staff="live",
)


async def check_clock(ctx: CheckContext) -> CheckResult:
    """The device clock against a (pretend) time source."""
    if ctx.profile.wallet.name == "Skewed Wallet":
        return CheckResult("clock", Status.FAIL, "clock_skew", details={"skew_s": 400})
    return CheckResult("clock", Status.PASS, "ok", details={"skew_s": 0})
