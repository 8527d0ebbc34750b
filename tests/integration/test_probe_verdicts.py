"""What an empty 200 from a connectivity probe means, against real servers on 127.0.0.1.

CONTRACT §3: "a probe passes only on 204 with an empty body; a redirect or a 200 with a body
is a portal". An empty 200 is neither. It is not a pass (the probe did not get its 204: a
transparent proxy or a middlebox rewrote the answer, so the path to the internet is not the
one the probe expects), and it is not a portal (there is no page to sign in to, so "open a
browser and sign in" would be wrong advice). The check keeps it apart as an odd answer:
`probe_unreachable`, reason `http_status`, with the status in the details — the same
verdict as any other status a probe should not get. Android's NetworkMonitor draws the same
line ("200 response with Content-length <= 4 interpreted as failed response").
"""

from __future__ import annotations

import asyncio

import pytest

from tests.loopback.faults import FaultServer, raw_reply
from tests.loopback.http import LoopbackHTTPServer, Reply
from wizard.checks import network
from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Inputs, Status
from wizard.checks.runner import run_step
from wizard.diagnosis import describe
from wizard.profile import Profile, profile_from_dict

GUARD_S = 10.0

# The same empty 200 as servers write it: a zero Content-Length, no length at all (the body
# ends when the connection closes), and chunked with no chunk.
EMPTY_200 = {
    "content-length-0": b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    "until-close": b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n",
    "chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
}


def probes(*urls: str) -> Profile:
    return profile_from_dict({"network": {"connectivity_urls": list(urls), "timeout_s": 2.0}})


async def portal_check(prof: Profile) -> CheckResult:
    ctx = CheckContext(prof, Inputs())
    try:
        return await asyncio.wait_for(network.check_captive_portal(ctx), GUARD_S)
    finally:
        await ctx.aclose()


@pytest.mark.parametrize("answer", EMPTY_200.values(), ids=EMPTY_200.keys())
async def test_an_empty_200_is_neither_a_pass_nor_a_portal(answer: bytes) -> None:
    with FaultServer(raw_reply(answer)) as server:
        result = await portal_check(probes(server.url("/generate_204")))
    assert server.connections == 1
    assert (result.status, result.code) == (Status.FAIL, "probe_unreachable")
    assert result.details == {
        "probes": 1,
        "probe": "127.0.0.1",
        "reason": "http_status",
        "http_status": 200,
    }


async def test_an_empty_200_next_to_a_good_probe_does_not_hide_it() -> None:
    """One 204 is enough to pass; an empty 200 elsewhere is not a portal that would win."""
    with (
        LoopbackHTTPServer(lambda r: Reply(204)) as good,
        LoopbackHTTPServer(lambda r: Reply(200, b"")) as odd,
    ):
        result = await portal_check(probes(odd.url("/gen"), good.url("/generate_204")))
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert result.details == {"probes": 2, "passed": 1}


async def test_a_200_with_a_single_byte_is_a_portal() -> None:
    """The line is the body, not its size: any content where nothing was expected."""
    with LoopbackHTTPServer(lambda r: Reply(200, b"\n")) as server:
        result = await portal_check(probes(server.url("/generate_204")))
    assert (result.status, result.code) == (Status.FAIL, "captive_portal")
    assert result.details["http_status"] == 200


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_the_network_step_never_sends_an_empty_200_to_a_sign_in_page(lang: str) -> None:
    """Through the runner, in words: the fix is not "sign in to the Wi-Fi page"."""
    with LoopbackHTTPServer(lambda r: Reply(200, b"")) as server:
        step = await asyncio.wait_for(
            run_step(
                "network",
                probes(server.url("/generate_204")),
                Inputs(),
                only={"captive_portal"},
            ),
            GUARD_S,
        )
    (probe,) = step.explained(lang).checks
    assert (probe.status, probe.code) == (Status.FAIL, "probe_unreachable")
    assert probe.details["http_status"] == 200
    assert probe.summary and probe.fix
    portal_summary, portal_fix = describe("captive_portal", "captive_portal", lang, {})
    assert (probe.summary, probe.fix) != (portal_summary, portal_fix)
