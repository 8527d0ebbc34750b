"""What a finished step asks of the person: the wizard's gating rules, in one Textual-free place.

CONTRACT §3 "Side": a result on the wallet's side never gates the person (nothing there is
theirs to fix; it is said plainly and they may go on to contact support), and in staff mode a
result measured on the support desk's own computer (`details.source == "desk"`) never gates
the caller. The full-screen wizard (wizard.ui) and the line-by-line one (wizard.plain) both
decide with these functions, so the two can never disagree about what blocks a step.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from wizard.checks.caller import DESK
from wizard.checks.model import CheckResult, Status, StepResult, worst

# "running", "asking" (staff: questions left), "pass", "warn", "wallet" (only the wallet's own
# servers have a problem: nothing for the person to fix), "desk" (staff: only the support
# desk's own computer has a problem) or "fail" (something to fix first).
Gate = Literal["running", "asking", "pass", "warn", "wallet", "desk", "fail"]
GATES: tuple[Gate, ...] = ("running", "asking", "pass", "warn", "wallet", "desk", "fail")
# The gates of a finished step that let the person go on without "I can't fix this".
THROUGH: tuple[Gate, ...] = ("pass", "warn", "wallet", "desk")


def measured_at_desk(check: CheckResult) -> bool:
    """Staff mode: measured on the support desk's own computer, not the caller's phone."""
    return check.details.get("source") == DESK


def to_fix(check: CheckResult) -> bool:
    """A failure the person (the caller, in staff mode) can do something about."""
    return check.status is Status.FAIL and check.side != "wallet" and not measured_at_desk(check)


def gate_of(result: StepResult) -> Gate:
    """What a finished step asks of the person (CONTRACT §3 Side: a problem on the wallet's
    side never gates them; it is said plainly, and they may go on to contact support)."""
    if any(to_fix(c) for c in result.checks):
        return "fail"
    if any(
        c.status is Status.FAIL and measured_at_desk(c) and c.side != "wallet"
        for c in result.checks
    ):
        return "desk"
    if any(c.side == "wallet" for c in result.checks):
        return "wallet"
    if result.status in (Status.WARN, Status.UNKNOWN):
        return "warn"
    return "pass"


def shown_status(result: StepResult) -> Status:
    """A step's status as the person is shown it: the wallet's failures count as warnings."""
    return worst(
        [
            Status.WARN if c.status is Status.FAIL and c.side == "wallet" else c.status
            for c in result.checks
        ]
    )


# -- what the lead line names, for each gate ---------------------------------------------


def first_to_fix(checks: Iterable[CheckResult]) -> CheckResult | None:
    """The first failing result the person can do something about (the "fail" lead)."""
    return next((c for c in checks if to_fix(c)), None)


def first_at_desk(checks: Iterable[CheckResult]) -> CheckResult | None:
    """Staff mode: the first failure measured on the support desk's own computer."""
    return next((c for c in checks if c.status is Status.FAIL and measured_at_desk(c)), None)


def first_on_wallet_side(checks: Iterable[CheckResult]) -> CheckResult | None:
    """The result that is the wallet's own problem, worst first (the "wallet" lead)."""
    wallet = [c for c in checks if c.side == "wallet"]
    return max(wallet, key=lambda c: c.status.rank, default=None)


def first_warning(checks: Iterable[CheckResult]) -> CheckResult | None:
    """The first result that warns (or could not tell): what the "warn" lead names."""
    return next((c for c in checks if c.status in (Status.WARN, Status.UNKNOWN)), None)
