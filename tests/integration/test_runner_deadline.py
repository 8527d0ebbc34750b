"""The network step's deadline, cancellation and crash isolation, against real loopback servers.

Elapsed times are checked against a correctness bound with generous slack (a hang would be
unbounded), never against a performance budget: those live in benchmarks/.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.loopback.faults import FaultServer, LoopbackDNS, drip_body, never_speak
from tests.loopback.http import LoopbackHTTPServer, Reply
from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Inputs, Status
from wizard.checks.registry import REGISTRY, CheckSpec
from wizard.checks.runner import CheckFinished, Event, _run_one, run_step
from wizard.profile import Profile, profile_from_dict

ORDER = ["link", "dns", "captive_portal", "proxy", "api", "service_status"]
TIMEOUT_S = 1.0
# timeout_s + 1 is the contract; +2 more is slack for a loaded CI machine, not a budget.
BOUND_S = TIMEOUT_S + 3.0


def hanging_profile(api: str, probe: str, status: str, dns_server: str) -> Profile:
    """Every target hangs; the manifest's name is resolved only by the DNS check (silently)."""
    return profile_from_dict(
        {
            "network": {
                "api_url": api,
                "connectivity_urls": [probe],
                "dns_servers": [dns_server],
                "timeout_s": TIMEOUT_S,
            },
            "service": {"status_url": status},
            "app": {"manifest_url": "http://app.wallet.com/manifest.json"},
        }
    )


@contextlib.contextmanager
def hanging_targets(behaviour: Any = never_speak) -> Iterator[Profile]:
    with (
        FaultServer(behaviour) as api,
        FaultServer(behaviour) as probe,
        FaultServer(behaviour) as status,
        LoopbackDNS(silent=True) as dns,
    ):
        yield hanging_profile(
            api.url("/health"), probe.url("/generate_204"), status.url("/s.json"), dns.server
        )


@pytest.mark.parametrize("behaviour", [never_speak, drip_body()], ids=["silent", "drip"])
async def test_network_step_ends_by_the_deadline_when_everything_hangs(behaviour: Any) -> None:
    events: list[Event] = []
    with hanging_targets(behaviour) as prof:
        started = time.monotonic()
        step = await asyncio.wait_for(
            run_step("network", prof, Inputs(), on_event=events.append), 30
        )
        elapsed = time.monotonic() - started
    assert elapsed < BOUND_S, f"network step took {elapsed:.1f}s with timeout_s={TIMEOUT_S}"
    assert [c.id for c in step.checks] == ORDER
    codes = {c.id: c.code for c in step.checks}
    assert codes["dns"] == "dns_timeout"
    assert codes["api"] == "read_timeout"
    assert codes["captive_portal"] in ("probe_unreachable", "captive_portal")
    assert step.status is Status.FAIL
    finished = [e.result.id for e in events if isinstance(e, CheckFinished)]
    assert sorted(finished) == sorted(ORDER)


async def test_cancelled_run_then_a_new_run_works() -> None:
    with hanging_targets() as prof:
        task = asyncio.create_task(run_step("network", prof, Inputs()))
        await asyncio.sleep(0.3)  # let every check get stuck on its target
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)
    with LoopbackHTTPServer(lambda r: Reply(204 if r.path == "/g" else 200, "")) as good:
        fresh = profile_from_dict(
            {
                "network": {
                    "api_url": good.url("/health"),
                    "connectivity_urls": [good.url("/g")],
                    "timeout_s": TIMEOUT_S,
                }
            }
        )
        step = await asyncio.wait_for(run_step("network", fresh, Inputs()), 10)
    codes = {c.id: c.code for c in step.checks}
    assert codes["api"] == "ok" and codes["captive_portal"] == "ok"


async def test_a_check_that_raises_becomes_unknown_and_the_run_goes_on() -> None:
    async def broken(ctx: CheckContext) -> CheckResult:
        raise RuntimeError("boom \x1b[31mred\x1b[0m")

    prof = profile_from_dict({"network": {"timeout_s": TIMEOUT_S}})
    ctx = CheckContext(prof, Inputs())
    spec = CheckSpec("api", broken, {"ok": ""}, Status.FAIL, "read_timeout")
    result = await _run_one(spec, ctx, "network", lambda _e: None, REGISTRY)
    await ctx.aclose()
    assert (result.id, result.status, result.code) == ("api", Status.UNKNOWN, "internal_error")
    assert "\x1b" not in result.details["error"]


async def test_a_check_past_the_deadline_gets_its_timeout_code() -> None:
    async def stuck(ctx: CheckContext) -> CheckResult:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    prof = profile_from_dict({"network": {"timeout_s": 0.2}})
    ctx = CheckContext(prof, Inputs())
    spec = CheckSpec("dns", stuck, {"ok": ""}, Status.FAIL, "dns_timeout")
    result = await asyncio.wait_for(_run_one(spec, ctx, "network", lambda _e: None, REGISTRY), 10)
    await ctx.aclose()
    assert (result.status, result.code) == (Status.FAIL, "dns_timeout")
