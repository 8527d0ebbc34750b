"""The `api` check: GET the wallet's API. Did its server answer, how fast, and if not, why?

The whole request (connect, TLS, head and a capped body) is bounded by `timeout_s`, because
httpx's read timeout is per read and a server dripping one byte at a time would otherwise
never time out.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import httpx

from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Status
from wizard.checks.network.targets import BODY_CAP, MAX_REDIRECTS, hostname, result, shown_host
from wizard.net.capped import read_capped
from wizard.net.classify import classify_error
from wizard.net.proxy import CLIENT_ERRORS, proxy_shown_for, proxy_to_blame, proxy_variables
from wizard.net.trace import Trace


async def check_api(ctx: CheckContext) -> CheckResult:
    """GET the wallet's API: did its server answer, how fast, and if not, why exactly."""
    url = ctx.profile.network.api_url
    if not url:
        return result("api", Status.SKIP, "not_configured")
    host = shown_host(hostname(url) or "")
    try:
        verify = ctx.ssl_context()
    except (ssl.SSLError, OSError):
        return result("api", Status.FAIL, "tls_error", host=host, reason="ca_bundle")
    try:
        client = ctx.http(verify=verify, follow_redirects=True, max_redirects=MAX_REDIRECTS)
    except CLIENT_ERRORS:
        # httpx refuses the environment's proxy settings (bad URL, SOCKS without socksio).
        return result(
            "api",
            Status.FAIL,
            "proxy_error",
            host=host,
            reason="invalid_proxy",
            proxy=proxy_variables(),
        )
    trace = Trace()
    head: httpx.Response | None = None
    ctx.waiting("api", host)
    try:
        async with asyncio.timeout(ctx.timeout_s):
            request = client.build_request("GET", url, extensions={"trace": trace})
            response = await client.send(request, stream=True)
            head = response
            try:
                # Read (and drop) the body: the time to it is part of the answer's speed.
                await read_capped(response, BODY_CAP)
            finally:
                await response.aclose()
        return _judge_api(ctx, url, host, response, trace)
    except TimeoutError:
        code = "read_timeout" if trace.connected else "connect_timeout"
        extra: dict[str, Any] = {"timeout_s": ctx.timeout_s}
    except httpx.HTTPError as exc:
        code, extra = classify_error(exc, answered=head is not None)
    shown = proxy_to_blame(url, code, connected=trace.connected)
    if shown is not None:
        # The connection that failed was the one to the proxy, not to the wallet.
        extra.update(reason=code, proxy=shown)
        code = "proxy_error"
    return result("api", Status.FAIL, code, host=host, **extra, **trace.timings())


def _judge_api(
    ctx: CheckContext, url: str, host: str, response: httpx.Response, trace: Trace
) -> CheckResult:
    """The verdict on an answer: any status below 500 means the wallet's server answered."""
    status = response.status_code
    total_ms = trace.elapsed_ms()
    details: dict[str, Any] = {"host": host, "http_status": status, "elapsed_ms": total_ms}
    details.update(trace.timings())
    if response.history:
        details["redirects"] = len(response.history)
    if status == 407 and proxy_shown_for(url) is not None:
        return result("api", Status.FAIL, "proxy_auth_required", **details)
    if status >= 500:
        return result("api", Status.FAIL, "http_error", **details)
    if total_ms > ctx.profile.network.slow_ms:
        details["slow_ms"] = ctx.profile.network.slow_ms
        return result("api", Status.WARN, "slow", **details)
    return result("api", Status.PASS, "ok", **details)
