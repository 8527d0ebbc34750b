"""The `proxy` check: which proxy the environment applies to the wallet, and does it let us
through? HTTP(S) proxies are asked directly (CONNECT for https targets, a GET otherwise), so
the answer is the proxy's own; SOCKS proxies through httpx.
"""

from __future__ import annotations

import asyncio
import base64
from typing import Any
from urllib.parse import unquote

import httpx

from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Status
from wizard.checks.network.targets import BODY_CAP, NO_CACHE, hostname, result, shown_host
from wizard.net.classify import proxy_failure
from wizard.net.proxy import proxy_for, proxy_variables, show_proxy


class _BadAnswer(Exception):
    """The proxy's answer is not HTTP."""


async def _talk_to_proxy(ctx: CheckContext, proxy: httpx.URL, target: httpx.URL) -> int:
    """Ask the proxy for `target` (CONNECT for https, a GET otherwise); its status code."""
    port = proxy.port or (443 if proxy.scheme == "https" else 80)
    tls = ctx.ssl_context() if proxy.scheme == "https" else None
    reader, writer = await asyncio.open_connection(
        proxy.host, port, ssl=tls, server_hostname=proxy.host if tls else None, limit=BODY_CAP
    )
    try:
        authority = target.netloc
        if target.port is None:
            authority += b":443" if target.scheme == "https" else b":80"
        if target.scheme == "https":
            lines = [b"CONNECT " + authority + b" HTTP/1.1", b"Host: " + authority]
        else:
            absolute = target.scheme.encode("ascii") + b"://" + target.netloc + target.raw_path
            lines = [b"GET " + absolute + b" HTTP/1.1"]
            lines += [b"Host: " + target.netloc, b"Connection: close"]
        if proxy.username or proxy.password:
            pair = f"{unquote(proxy.username)}:{unquote(proxy.password)}".encode()
            lines.append(b"Proxy-Authorization: Basic " + base64.b64encode(pair))
        writer.write(b"\r\n".join(lines) + b"\r\n\r\n")
        await writer.drain()
        status_line = await reader.readline()
    finally:
        writer.close()
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise _BadAnswer
    return int(parts[1])


async def _via_httpx(ctx: CheckContext, proxy_text: str, target: str) -> int:
    """A request through a proxy kind we do not speak ourselves (SOCKS); its status code."""
    client = ctx.http(proxy=proxy_text, trust_env=False, verify=ctx.ssl_context())
    async with client.stream("GET", target, headers=NO_CACHE) as response:
        return response.status_code


def _invalid(reason: str) -> CheckResult:
    return result("proxy", Status.FAIL, "proxy_error", reason=reason, proxy=proxy_variables())


async def check_proxy(ctx: CheckContext) -> CheckResult:
    """Which proxy the environment applies to the wallet, and whether it lets us through."""
    urls = [ctx.profile.network.api_url, *ctx.profile.network.connectivity_urls]
    try:
        chosen = next(((u, p) for u in urls if u and (p := proxy_for(u)) is not None), None)
    except (httpx.InvalidURL, ValueError):
        return _invalid("invalid_url")
    if chosen is None:
        # No `target`: the catalog's general wording says what was checked (the settings).
        return result("proxy", Status.PASS, "ok", proxy="none")
    target_text, proxy_text = chosen
    try:
        proxy = httpx.URL(proxy_text)
        if not proxy.host:
            raise httpx.InvalidURL("no host")
    except (httpx.InvalidURL, ValueError):
        return _invalid("invalid_url")
    if proxy.scheme not in ("http", "https", "socks5", "socks5h"):
        return _invalid("unsupported")
    details: dict[str, Any] = {"proxy": show_proxy(proxy)}
    details["target"] = shown_host(hostname(target_text) or "")
    ctx.waiting("proxy", details["proxy"])
    try:
        async with asyncio.timeout(ctx.timeout_s):
            if proxy.scheme in ("http", "https"):
                status = await _talk_to_proxy(ctx, proxy, httpx.URL(target_text))
            else:
                status = await _via_httpx(ctx, proxy_text, target_text)
    except _BadAnswer:
        return result("proxy", Status.FAIL, "proxy_error", reason="bad_answer", **details)
    except ImportError:
        return result("proxy", Status.FAIL, "proxy_error", reason="unsupported", **details)
    except (OSError, TimeoutError, httpx.HTTPError, ValueError, UnicodeError) as exc:
        return result("proxy", Status.FAIL, "proxy_error", reason=proxy_failure(exc), **details)
    details["http_status"] = status
    if status == 407:
        return result("proxy", Status.FAIL, "proxy_auth_required", **details)
    if httpx.URL(target_text).scheme == "https" and not 200 <= status < 300:
        # The proxy refused to open a tunnel to the wallet.
        return result("proxy", Status.FAIL, "proxy_error", reason="refused_tunnel", **details)
    return result("proxy", Status.PASS, "ok", **details)
