"""The gating rules both wizards share (wizard.gating): what a finished step asks of the person.

CONTRACT §3 "Side": a result on the wallet's side never gates the person, and in staff mode a
result measured on the support desk's own computer never gates the caller.
"""

from __future__ import annotations

import pytest

from wizard.checks.caller import CALLER, DESK
from wizard.checks.model import CheckResult, Side, Status, StepResult
from wizard.gating import (
    first_on_wallet_side,
    first_to_fix,
    gate_of,
    shown_status,
    to_fix,
)


def _check(
    check_id: str, status: Status, side: Side = "", source: str | None = None
) -> CheckResult:
    details = {"source": source} if source else {}
    code = "ok" if status is Status.PASS else "x"
    return CheckResult(check_id, status, code, details=details, side=side)


@pytest.mark.parametrize(
    ("checks", "gate"),
    [
        ([_check("a", Status.PASS)], "pass"),
        ([_check("a", Status.PASS), _check("b", Status.SKIP)], "pass"),
        ([_check("a", Status.WARN, "user")], "warn"),
        ([_check("a", Status.UNKNOWN, "unknown")], "warn"),
        ([_check("a", Status.FAIL, "user")], "fail"),
        ([_check("a", Status.FAIL, "unknown")], "fail"),
        # The wallet's own servers: said plainly, never "fix this first".
        ([_check("api", Status.FAIL, "wallet")], "wallet"),
        ([_check("s", Status.WARN, "wallet"), _check("a", Status.WARN, "user")], "wallet"),
        # Something of the person's own beside it still comes first.
        ([_check("api", Status.FAIL, "wallet"), _check("proxy", Status.FAIL, "user")], "fail"),
        # Staff: the desk's own connection is not the caller's to fix.
        ([_check("api", Status.FAIL, "unknown", DESK)], "desk"),
        ([_check("api", Status.FAIL, "unknown", DESK), _check("link", Status.PASS)], "desk"),
        (
            [_check("api", Status.FAIL, "unknown", DESK), _check("x", Status.FAIL, "user", CALLER)],
            "fail",
        ),
        ([_check("api", Status.FAIL, "wallet", DESK)], "wallet"),
    ],
)
def test_the_gate_of_a_step(checks: list[CheckResult], gate: str) -> None:
    assert gate_of(StepResult("network", tuple(checks))) == gate


def test_only_the_persons_own_failures_are_to_fix() -> None:
    wallet = _check("api", Status.FAIL, "wallet")
    desk = _check("api", Status.FAIL, "unknown", DESK)
    mine = _check("proxy", Status.FAIL, "user")
    assert [to_fix(c) for c in (wallet, desk, mine)] == [False, False, True]
    assert first_to_fix([wallet, desk, mine]) is mine
    assert first_on_wallet_side([mine, wallet]) is wallet


def test_the_wallets_failure_shows_as_a_warning() -> None:
    step = StepResult("network", (_check("api", Status.FAIL, "wallet"), _check("l", Status.PASS)))
    assert step.status is Status.FAIL
    assert shown_status(step) is Status.WARN
