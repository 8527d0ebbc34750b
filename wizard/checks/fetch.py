"""GET a small document (a manifest, a status page or feed) with a hard time limit and size cap.

Servers can be slow, huge or hostile; this never waits past the probe timeout or the step
deadline, never holds more than `max_bytes` of body (wizard.net.capped), and never raises:
the caller gets the data or a reason (`unavailable`, `too_large`, `invalid_json`) with
sanitized details. For `unavailable`, `details.reason` is the HTTP layer's code for what
went wrong (tls_untrusted, connect_timeout, dns_failure, http_error with http_status, …),
the same classifier the network step's `api` check uses; `details.error` names the error.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from dataclasses import dataclass, field
from typing import Any

import httpx

from wizard.checks.context import CheckContext
from wizard.net.capped import IDENTITY, BodyTooLarge, read_capped
from wizard.net.classify import CODES, classify_error
from wizard.net.proxy import CLIENT_ERRORS, proxy_to_blame, proxy_variables
from wizard.net.trace import Trace
from wizard.text import one_line

MAX_BODY_BYTES = 1 << 20
_MAX_REDIRECTS = 5
# Every `details.reason` of `unavailable`: the classifier's codes, and why no request was made
# (the proxy settings or the CA bundle are unusable, or the step's deadline has passed).
UNAVAILABLE_REASONS = (*CODES, "invalid_proxy", "ca_bundle", "deadline")
# The classifier's details that are worth keeping beside `reason` (its `error` names the
# socket-level cause; `error` here keeps naming the exception the request raised).
_KEPT = ("verify_code", "tls_reason")


@dataclass(frozen=True)
class Fetched:
    """The parsed JSON (`problem` empty), or why there is none and what is known about it."""

    data: Any = None
    problem: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def _unavailable(error: str, **extra: Any) -> Fetched:
    return Fetched(problem="unavailable", details={"error": one_line(error, max_len=120), **extra})


class _NotOK(Exception):
    """The server answered with a status other than 2xx."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


@dataclass
class _Progress:
    """How far a request got: the trace of its connection, and whether a head arrived."""

    trace: Trace = field(default_factory=Trace)
    answered: bool = False


def _failed(url: str, error: str, code: str, progress: _Progress, **extra: Any) -> Fetched:
    """`unavailable` with `reason`: the code, or `proxy_error` when the proxy is to blame."""
    shown = proxy_to_blame(url, code, connected=progress.trace.connected)
    if shown is not None:
        # The connection that failed was the one to the proxy, not to the server.
        return _unavailable(error, reason="proxy_error", proxy=shown, **extra)
    return _unavailable(error, reason=code, **extra)


JSON = "application/json"


async def fetch_json(ctx: CheckContext, url: str, *, max_bytes: int = MAX_BODY_BYTES) -> Fetched:
    """GET `url` as JSON within min(probe timeout, step deadline); never raises."""
    fetched = await fetch_body(ctx, url, max_bytes=max_bytes, accept=JSON)
    if fetched.problem:
        return fetched
    try:
        data = json.loads(fetched.data)
    except (ValueError, RecursionError):
        # RecursionError: deeply nested arrays are a way to crash naive parsers.
        return Fetched(problem="invalid_json", details={"reason": "invalid_json"})
    return Fetched(data=data)


async def fetch_body(
    ctx: CheckContext, url: str, *, max_bytes: int = MAX_BODY_BYTES, accept: str = JSON
) -> Fetched:
    """GET `url`'s body (bytes, at most `max_bytes`) within min(probe timeout, step deadline),
    asking for `accept`; never raises."""
    budget = min(ctx.timeout_s, ctx.remaining() - 0.05)
    if budget <= 0:
        return _unavailable("timeout", reason="deadline")
    progress = _Progress()
    try:
        client = _client(ctx)
        if isinstance(client, Fetched):
            return client
        async with asyncio.timeout(budget):
            body = await _get(client, url, max_bytes, progress, accept)
    except TimeoutError:
        code = "read_timeout" if progress.trace.connected else "connect_timeout"
        return _failed(url, "timeout", code, progress)
    except _NotOK as exc:
        return _unavailable(str(exc), reason="http_error", http_status=exc.status)
    except BodyTooLarge:
        return Fetched(problem="too_large", details={"reason": "too_large", "limit": max_bytes})
    except httpx.HTTPError as exc:
        code, found = classify_error(exc, answered=progress.answered)
        kept = {k: found[k] for k in _KEPT if k in found}
        return _failed(url, type(exc).__name__, code, progress, **kept)
    except Exception as exc:  # a bad URL, or anything unforeseen: still "no answer"
        return _unavailable(type(exc).__name__)
    return Fetched(data=body)


def _client(ctx: CheckContext) -> httpx.AsyncClient | Fetched:
    """The run's client for a JSON GET, or `unavailable` when none can be made."""
    try:
        verify = ctx.ssl_context()
    except (ssl.SSLError, OSError) as exc:
        # The profile's ca_bundle cannot be read or holds no certificate.
        return _unavailable(type(exc).__name__, reason="ca_bundle")
    try:
        return ctx.http(verify=verify, follow_redirects=True, max_redirects=_MAX_REDIRECTS)
    except CLIENT_ERRORS as exc:
        # httpx refuses the environment's proxy settings (bad URL, SOCKS without socksio).
        return _unavailable(type(exc).__name__, reason="invalid_proxy", proxy=proxy_variables())


async def _get(
    client: httpx.AsyncClient, url: str, max_bytes: int, progress: _Progress, accept: str
) -> bytes:
    # Identity encoding: the cap then bounds what the server sends, not a gzip bomb's output.
    headers = {"Accept": accept, **IDENTITY}
    extensions = {"trace": progress.trace}
    async with client.stream("GET", url, headers=headers, extensions=extensions) as response:
        progress.answered = True
        if not 200 <= response.status_code < 300:
            raise _NotOK(response.status_code)
        return await read_capped(response, max_bytes, decoded=True, refuse_larger=True)


def text_field(value: Any, *, max_len: int = 200) -> str:
    """A JSON value shown as one sanitized line; non-strings become empty."""
    return one_line(value, max_len=max_len) if isinstance(value, str) else ""


def http_url(value: Any) -> str:
    """`value` when it is a plain http(s) URL without spaces or controls, else ""."""
    if not isinstance(value, str) or len(value) > 2000:
        return ""
    url = one_line(value, max_len=2000)
    if url != value.strip() or any(c.isspace() for c in url):
        return ""
    try:
        parsed = httpx.URL(url)
    except Exception:  # any malformed URL is simply not shown
        return ""
    return url if parsed.scheme in ("http", "https") and parsed.host else ""
