"""The step deadline of CONTRACT §3 (`timeout_s + 1`), enforced by the runner on a stuck check.

Every real check bounds its own requests by `timeout_s`, so with real checks the runner's
deadline is never the one that fires and a looser deadline would go unnoticed. Here a check
that ignores every timeout (it waits on a loopback server that accepts and never answers,
or drips bytes forever) shows what the runner itself guarantees. The elapsed time is a
correctness bound with slack for a loaded machine, not a performance figure.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import pytest

from tests.loopback.faults import LOOPBACK, Behaviour, FaultServer, drip_body, never_speak
from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Inputs, Status
from wizard.checks.registry import REGISTRY, CheckSpec
from wizard.checks.runner import _run_one
from wizard.profile import profile_from_dict

TIMEOUT_S = 0.5
DEADLINE_S = TIMEOUT_S + 1.0
# Slack for a loaded 2-core CI machine; a deadline of timeout_s + 2 or more falls outside.
SLACK_S = 0.9
# Only a wedged runner gets here: the test fails instead of stalling the suite.
GUARD_S = 30.0

CheckFunc = Callable[[CheckContext], Awaitable[CheckResult]]


def stuck_on(server: FaultServer) -> CheckFunc:
    """A check that asks `server` and waits for its whole answer, with no timeout at all."""

    async def check(ctx: CheckContext) -> CheckResult:
        reader, writer = await asyncio.open_connection(LOOPBACK, server.port)
        try:
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            await writer.drain()
            while await reader.read(4096):
                pass
        finally:
            writer.close()
        raise AssertionError("the stuck server ended its answer")

    return check


def context() -> CheckContext:
    prof = profile_from_dict({"network": {"timeout_s": TIMEOUT_S}})
    return CheckContext(prof, Inputs())


async def test_the_step_deadline_is_timeout_plus_one_second() -> None:
    ctx = context()
    try:
        assert ctx.timeout_s == TIMEOUT_S
        assert 0 < ctx.remaining() <= DEADLINE_S
        assert ctx.remaining() > DEADLINE_S - 0.5
    finally:
        await ctx.aclose()


@pytest.mark.parametrize("behaviour", [never_speak, drip_body()], ids=["silent", "drip"])
async def test_a_stuck_check_is_cut_off_at_timeout_plus_one(behaviour: Behaviour) -> None:
    with FaultServer(behaviour) as server:
        spec = CheckSpec("api", stuck_on(server), {"ok": ""}, Status.FAIL, "read_timeout")
        started = time.monotonic()  # before the context: its deadline counts from its birth
        ctx = context()
        try:
            result = await asyncio.wait_for(
                _run_one(spec, ctx, "network", lambda _e: None, REGISTRY), GUARD_S
            )
        finally:
            elapsed = time.monotonic() - started
            await ctx.aclose()
    assert server.connections == 1  # it really was waiting on the server
    assert (result.id, result.status, result.code) == ("api", Status.FAIL, "read_timeout")
    assert result.details["deadline_s"] == DEADLINE_S
    # Cut off at the deadline: not before (the check had its whole time), not long after.
    assert elapsed >= DEADLINE_S - 0.01, f"cut off after {elapsed:.2f}s"
    assert elapsed < DEADLINE_S + SLACK_S, f"a stuck check ran {elapsed:.2f}s"


async def test_several_stuck_checks_end_together_by_the_deadline() -> None:
    """Checks run concurrently: three stuck ones still end by one deadline, not three."""
    with FaultServer(never_speak) as silent, FaultServer(drip_body()) as drip:
        started = time.monotonic()
        ctx = context()
        specs = [
            CheckSpec("api", stuck_on(silent), {"ok": ""}, Status.FAIL, "read_timeout"),
            CheckSpec("proxy", stuck_on(drip), {"ok": ""}, Status.FAIL, "proxy_error"),
            CheckSpec(
                "service_status", stuck_on(silent), {"ok": ""}, Status.UNKNOWN, "status_unavailable"
            ),
        ]
        try:
            results = await asyncio.wait_for(
                asyncio.gather(
                    *(_run_one(s, ctx, "network", lambda _e: None, REGISTRY) for s in specs)
                ),
                GUARD_S,
            )
        finally:
            elapsed = time.monotonic() - started
            await ctx.aclose()
    assert [(r.id, r.status, r.code) for r in results] == [
        ("api", Status.FAIL, "read_timeout"),
        ("proxy", Status.FAIL, "proxy_error"),
        ("service_status", Status.UNKNOWN, "status_unavailable"),
    ]
    assert elapsed < DEADLINE_S + SLACK_S, f"three stuck checks ran {elapsed:.2f}s"
