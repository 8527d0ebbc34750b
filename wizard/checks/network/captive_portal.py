"""The `captive_portal` check: plain-HTTP probes that must answer 204 with an empty body.

A Wi-Fi sign-in page answers them instead (a redirect, or a 200 with its own page).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx

from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Status
from wizard.checks.network.targets import BODY_CAP, NO_CACHE, hostname, result, shown_host
from wizard.net.capped import read_capped
from wizard.net.classify import classify_error
from wizard.net.proxy import CLIENT_ERRORS, proxy_variables


@dataclass
class _Probe:
    host: str
    kind: str  # "ok" | "portal" | "unreachable" | "odd"
    status: int | None = None
    portal_host: str | None = None
    code: str = ""


async def _probe(ctx: CheckContext, client: httpx.AsyncClient, url: str) -> _Probe:
    host = shown_host(hostname(url) or "")
    ctx.waiting("captive_portal", host)
    head: httpx.Response | None = None
    body = bytearray()
    try:
        async with asyncio.timeout(ctx.timeout_s):
            async with client.stream("GET", url, headers=NO_CACHE) as response:
                head = response
                await read_capped(response, BODY_CAP, into=body)
    except TimeoutError:
        if head is None:
            return _Probe(host, "unreachable", code="read_timeout")
    except httpx.HTTPError as exc:
        if head is None:
            return _Probe(host, "unreachable", code=classify_error(exc)[0])
    if head is None:  # pragma: no cover - the stream either yields a response or raises
        return _Probe(host, "unreachable", code="connection_reset")
    # Judged on what arrived, even when a dripping portal page was cut off by the timeout.
    return _judge(host, head, bytes(body))


def _judge(host: str, response: httpx.Response, body: bytes) -> _Probe:
    """A probe's verdict from its status, Location and (possibly partial) body."""
    status = response.status_code
    if 300 <= status < 400 or status == 511:
        location = response.headers.get("location", "")
        portal = hostname(location) if location else None
        return _Probe(host, "portal", status, shown_host(portal) if portal else None)
    if status == 204 and not body:
        return _Probe(host, "ok", status)
    if 200 <= status < 300 and body:
        return _Probe(host, "portal", status)
    return _Probe(host, "odd", status, code="http_status")


async def check_captive_portal(ctx: CheckContext) -> CheckResult:
    """Plain-HTTP probes that must answer 204 with an empty body; anything else is a portal."""
    urls = list(dict.fromkeys(ctx.profile.network.connectivity_urls))
    if not urls:
        return result("captive_portal", Status.SKIP, "not_configured")
    try:
        client = ctx.http(follow_redirects=False)
    except CLIENT_ERRORS:
        # httpx refuses the environment's proxy settings (bad URL, SOCKS without socksio).
        return result(
            "captive_portal",
            Status.FAIL,
            "probe_unreachable",
            reason="proxy_error",
            proxy=proxy_variables(),
        )
    probes = await asyncio.gather(*(_probe(ctx, client, u) for u in urls))
    portal = next((p for p in probes if p.kind == "portal"), None)
    if portal is not None:
        details: dict[str, Any] = {"probe": portal.host, "http_status": portal.status}
        if portal.portal_host:
            details["portal_host"] = portal.portal_host
        return result("captive_portal", Status.FAIL, "captive_portal", **details)
    passed = sum(1 for p in probes if p.kind == "ok")
    if passed:
        return result("captive_portal", Status.PASS, "ok", probes=len(probes), passed=passed)
    first = probes[0]
    details = {"probes": len(probes), "probe": first.host, "reason": first.code}
    if first.status is not None:
        details["http_status"] = first.status
    return result("captive_portal", Status.FAIL, "probe_unreachable", **details)
