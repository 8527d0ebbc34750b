"""The `service_status` check against real status pages served on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.loopback.http import LoopbackHTTPServer, Reply, Request
from wizard.checks.context import CheckContext
from wizard.checks.fetch import MAX_BODY_BYTES
from wizard.checks.model import CheckResult, Inputs, Status
from wizard.checks.service_status import check_service_status
from wizard.diagnosis import describe
from wizard.profile import NetworkSection, Profile, ServiceSection


def _summary(
    indicator: Any = "none",
    description: Any = "All Systems Operational",
    incidents: Any = (),
    maintenances: Any = (),
) -> dict[str, Any]:
    return {
        "page": {"id": "x", "name": "Demo Wallet"},
        "status": {"indicator": indicator, "description": description},
        "components": [],
        "incidents": list(incidents),
        "scheduled_maintenances": list(maintenances),
    }


def _event(name: Any, status: Any = "investigating", impact: Any = "minor") -> dict[str, Any]:
    return {"name": name, "status": status, "impact": impact, "updated_at": "2026-01-01T00:00Z"}


def _json(body: Any) -> Reply:
    return Reply(200, json.dumps(body), {"Content-Type": "application/json"})


async def _check(url: str, timeout_s: float = 1.0) -> CheckResult:
    profile = Profile(
        network=NetworkSection(timeout_s=timeout_s), service=ServiceSection(status_url=url)
    )
    ctx = CheckContext(profile, Inputs())
    try:
        return await asyncio.wait_for(check_service_status(ctx), timeout=10)
    finally:
        await ctx.aclose()


@pytest.fixture(scope="module")
def shared_server() -> Iterator[LoopbackHTTPServer]:
    """One server for the module (each shutdown costs half a second); tests set its handler."""
    with LoopbackHTTPServer(lambda _req: Reply(500)) as server:
        yield server


@pytest.fixture
def server(shared_server: LoopbackHTTPServer) -> LoopbackHTTPServer:
    """The shared server with a clean request log."""
    shared_server.requests.clear()
    return shared_server


async def _serve(server: LoopbackHTTPServer, reply: Reply) -> CheckResult:
    server.handler = lambda _req: reply
    return await _check(server.url("/api/v2/summary.json"))


@pytest.mark.parametrize(
    ("indicator", "status", "code"),
    [
        ("none", Status.PASS, "ok"),
        ("minor", Status.WARN, "service_degraded"),
        ("major", Status.FAIL, "service_outage"),
        ("critical", Status.FAIL, "service_outage"),
        ("maintenance", Status.WARN, "service_maintenance"),
        (" Major ", Status.FAIL, "service_outage"),
    ],
)
async def test_indicator_maps_to_its_code(
    indicator: str, status: Status, code: str, server: LoopbackHTTPServer
) -> None:
    result = await _serve(server, _json(_summary(indicator)))
    assert (result.status, result.code) == (status, code)
    assert result.details["indicator"] == indicator.strip().lower()


async def test_good_page_details_and_request(server: LoopbackHTTPServer) -> None:
    body = _summary("major", "Partial outage", [_event("Payments failing", "identified", "major")])
    result = await _serve(server, _json(body))
    assert result.code == "service_outage"
    assert result.details["description"] == "Partial outage"
    assert result.details["incident"] == "Payments failing"
    assert result.details["incidents"] == [
        {"name": "Payments failing", "status": "identified", "impact": "major"}
    ]
    assert result.details["maintenances"] == []
    assert server.requests[0].path == "/api/v2/summary.json"
    # `status_format = "auto"`: JSON first, feeds too (the content decides).
    assert server.requests[0].headers["Accept"].startswith("application/json, ")


async def test_an_incident_name_is_quoted_once_punctuated(server: LoopbackHTTPServer) -> None:
    body = _summary("major", "Partial outage", [_event("Payments failing.", "identified")])
    result = await _serve(server, _json(body))
    assert result.details["incident"] == "Payments failing"
    assert result.details["incidents"][0]["name"] == "Payments failing."  # the evidence, as sent
    summary, _ = describe(result.id, result.code, "en", result.details)
    assert summary.endswith("reports: “Payments failing”.")


async def test_maintenance_in_progress_warns_even_when_indicator_is_none(
    server: LoopbackHTTPServer,
) -> None:
    body = _summary(
        "none",
        maintenances=[
            _event("Later work", "scheduled", "none"),
            _event("Database upgrade", "in_progress", "maintenance"),
        ],
    )
    result = await _serve(server, _json(body))
    assert (result.status, result.code) == (Status.WARN, "service_maintenance")
    assert result.details["maintenance"] == "Database upgrade"
    assert len(result.details["maintenances"]) == 2


async def test_only_scheduled_maintenance_is_ok(server: LoopbackHTTPServer) -> None:
    body = _summary("none", maintenances=[_event("Next week", "scheduled", "none")])
    result = await _serve(server, _json(body))
    assert (result.status, result.code) == (Status.PASS, "ok")


async def test_outage_outranks_maintenance_in_progress(server: LoopbackHTTPServer) -> None:
    body = _summary("critical", maintenances=[_event("Upgrade", "in_progress")])
    result = await _serve(server, _json(body))
    assert result.code == "service_outage"


async def test_unknown_indicator_is_bad_response(server: LoopbackHTTPServer) -> None:
    result = await _serve(server, _json(_summary("purple")))
    assert (result.status, result.code) == (Status.UNKNOWN, "bad_response")
    assert result.details["reason"] == "unknown_indicator"


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "",
        "\udcff\udcfe garbage",
        json.dumps([1, 2, 3]),
        json.dumps({"status": "ok"}),
        json.dumps({"status": {"indicator": 3}}),
        json.dumps({"status": {"description": "no indicator"}}),
        json.dumps({"incidents": []}),
        json.dumps({"status": {"indicator": "none"}, "incidents": {"a": 1}}),
        json.dumps({"status": {"indicator": "none"}, "scheduled_maintenances": "soon"}),
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=[
        "broken",
        "empty",
        "binary",
        "array",
        "status-string",
        "indicator-number",
        "missing-indicator",
        "missing-status",
        "incidents-dict",
        "maintenances-string",
        "deep",
    ],
)
async def test_broken_pages_are_bad_response(body: str, server: LoopbackHTTPServer) -> None:
    result = await _serve(server, Reply(200, body.encode("utf-8", "surrogateescape")))
    assert (result.status, result.code) == (Status.UNKNOWN, "bad_response")


async def test_wrong_types_inside_events_are_tolerated(server: LoopbackHTTPServer) -> None:
    body = _summary(
        "minor",
        description=["not", "a", "string"],
        incidents=[_event(12345, None, {"x": 1}), "just text", 7, None, _event("Real one")],
    )
    result = await _serve(server, _json(body))
    assert result.code == "service_degraded"
    assert result.details["description"] == ""
    assert result.details["incidents"] == [
        {"name": "", "status": "", "impact": ""},
        {"name": "Real one", "status": "investigating", "impact": "minor"},
    ]


async def test_hostile_names_are_sanitized_and_capped(server: LoopbackHTTPServer) -> None:
    evil = [
        "\x1b]8;;http://evil.example/\x07Click me\x1b]8;;\x07",
        "\x1b[2J\x1b[HCleared screen",
        "\u202eevil reversed",
        "\x9b31mC1 CSI",
        "A" * 10_000,
        "line\nbreak\rreturn",
        "\x1b]52;c;ZXZpbA==\x07clipboard",
    ]
    body = _summary(
        "major",
        description="\x1b[31mRed\x1b[0m outage",
        incidents=[_event(n, "\x1b[5minvestigating", "major\x07") for n in evil],
        maintenances=[_event("\x1b]0;title\x07Upgrade", "in_progress")],
    )
    result = await _serve(server, _json(body))
    assert result.code == "service_outage"
    dumped = json.dumps(result.details, ensure_ascii=False)
    for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\r", "\n", "evil.example"):
        assert bad not in dumped
    names = [i["name"] for i in result.details["incidents"]]
    assert len(names) == 5
    assert names[0] == "Click me"
    assert names[1] == "Cleared screen"
    assert len(names[4]) <= 200
    assert result.details["description"] == "Red outage"
    assert result.details["incidents"][0]["status"] == "investigating"
    assert result.details["maintenances"][0]["name"] == "Upgrade"


async def test_page_larger_than_the_cap_is_bad_response(server: LoopbackHTTPServer) -> None:
    body = json.dumps(_summary(description="x" * (MAX_BODY_BYTES + 10)))
    result = await _serve(server, Reply(200, body))
    assert (result.status, result.code) == (Status.UNKNOWN, "bad_response")
    assert result.details["reason"] == "too_large"


@pytest.fixture
def endless_chunked() -> Iterator[str]:
    """A server that streams a JSON array forever, chunked, with no Content-Length."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                try:
                    conn.settimeout(2)
                    while b"\r\n\r\n" not in conn.recv(65536):
                        pass
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        b"Transfer-Encoding: chunked\r\n\r\n"
                    )
                    chunk = b"[1," * 20_000
                    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
                    while not stop.is_set():
                        conn.sendall(frame)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/summary.json"
    stop.set()
    listener.close()
    thread.join(timeout=3)


async def test_endless_stream_is_cut_at_the_cap(endless_chunked: str) -> None:
    result = await _check(endless_chunked, timeout_s=3.0)
    assert (result.status, result.code) == (Status.UNKNOWN, "bad_response")
    assert result.details["reason"] == "too_large"


@pytest.mark.parametrize("status", [500, 503, 404, 301])
async def test_error_statuses_are_unavailable(status: int, server: LoopbackHTTPServer) -> None:
    result = await _serve(server, Reply(status, "oops"))
    assert (result.status, result.code) == (Status.UNKNOWN, "status_unavailable")
    if status != 301:  # a redirect without Location is no answer either
        assert result.details["http_status"] == status


async def test_redirect_is_followed(server: LoopbackHTTPServer) -> None:
    def handler(req: Request) -> Reply:
        if req.path == "/old":
            return Reply(302, "", {"Location": "/api/v2/summary.json"})
        return _json(_summary("minor"))

    server.handler = handler
    result = await _check(server.url("/old"))
    assert result.code == "service_degraded"


async def test_redirect_loop_is_unavailable(server: LoopbackHTTPServer) -> None:
    server.handler = lambda req: Reply(302, "", {"Location": req.path})
    result = await _check(server.url("/loop"))
    assert (result.status, result.code) == (Status.UNKNOWN, "status_unavailable")


async def test_refused_port_is_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = await _check(f"http://127.0.0.1:{port}/summary.json")
    assert (result.status, result.code) == (Status.UNKNOWN, "status_unavailable")
    assert result.details["error"] == "ConnectError"


async def test_slow_page_times_out_as_unavailable(server: LoopbackHTTPServer) -> None:
    server.handler = lambda _r: Reply(200, "{}", delay_s=2.0)
    result = await _check(server.url("/summary.json"), timeout_s=0.3)
    assert (result.status, result.code) == (Status.UNKNOWN, "status_unavailable")
    assert result.details["error"] in ("timeout", "ReadTimeout")


async def test_no_status_url_is_not_configured() -> None:
    ctx = CheckContext(Profile(), Inputs())
    result = await check_service_status(ctx)
    await ctx.aclose()
    assert (result.status, result.code) == (Status.SKIP, "not_configured")
