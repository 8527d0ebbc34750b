"""GET a small JSON document (a manifest, a status page) with a hard time limit and size cap.

Servers can be slow, huge or hostile; this never waits past the probe timeout or the step
deadline, never holds more than `max_bytes` of body, and never raises: the caller gets the
data or a reason (`unavailable`, `too_large`, `invalid_json`) with sanitized details.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from wizard.checks.context import CheckContext
from wizard.text import one_line

MAX_BODY_BYTES = 1 << 20
_MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Fetched:
    """The parsed JSON (`problem` empty), or why there is none and what is known about it."""

    data: Any = None
    problem: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def _unavailable(error: str, **extra: Any) -> Fetched:
    return Fetched(problem="unavailable", details={"error": one_line(error, max_len=120), **extra})


async def fetch_json(ctx: CheckContext, url: str, *, max_bytes: int = MAX_BODY_BYTES) -> Fetched:
    """GET `url` as JSON within min(probe timeout, step deadline); never raises."""
    budget = min(ctx.timeout_s, ctx.remaining() - 0.05)
    if budget <= 0:
        return _unavailable("timeout")
    try:
        async with asyncio.timeout(budget):
            body = await _get(ctx, url, max_bytes)
    except TimeoutError:
        return _unavailable("timeout")
    except httpx.HTTPStatusError as exc:
        return _unavailable(
            f"HTTP {exc.response.status_code}", http_status=exc.response.status_code
        )
    except _TooLarge:
        return Fetched(problem="too_large", details={"reason": "too_large", "limit": max_bytes})
    except Exception as exc:  # network, TLS, bad URL, a broken CA bundle: all "no answer"
        return _unavailable(type(exc).__name__)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        # RecursionError: deeply nested arrays are a way to crash naive parsers.
        return Fetched(problem="invalid_json", details={"reason": "invalid_json"})
    return Fetched(data=data)


class _TooLarge(Exception):
    """The body grew past the cap."""


async def _get(ctx: CheckContext, url: str, max_bytes: int) -> bytes:
    client = ctx.http(verify=ctx.ssl_context(), follow_redirects=True, max_redirects=_MAX_REDIRECTS)
    # Identity encoding: the cap then bounds what the server sends, not a gzip bomb's output.
    headers = {"Accept": "application/json", "Accept-Encoding": "identity"}
    async with client.stream("GET", url, headers=headers) as response:
        if not 200 <= response.status_code < 300:
            raise httpx.HTTPStatusError("not 2xx", request=response.request, response=response)
        declared = response.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
            raise _TooLarge
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise _TooLarge
            chunks.append(chunk)
    return b"".join(chunks)


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
