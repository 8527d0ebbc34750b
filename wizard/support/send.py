"""Deliver outbox messages to the help desk (CONTRACT §4), each attempt under a hard limit.

2xx and 409 mean the desk has the message; 408, 425, 429, 5xx, timeouts and network errors
leave it queued with backoff (Retry-After honoured); any other answer is a rejection, kept
with the server's reason. Every attempt carries the row's idempotency key and the very same
body, so a retry after a lost answer never makes a second ticket.

The credential (the variable named by `token_env`) goes only to the endpoint's own origin:
redirects are not followed, a plain-http endpoint off this machine is refused before anything
is sent (the profile refuses it too; a row saved earlier could still hold one), and the token
is cut out of every error and reason before it is stored, shown or returned.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from wizard import TOOL_NAME, __version__
from wizard.i18n import t
from wizard.profile import is_loopback_host
from wizard.support.mask import redact_private
from wizard.support.outbox import Outbox, OutboxEntry, State
from wizard.text import one_line

ATTEMPT_LIMIT_S = 15.0
BACKOFF_BASE_S = 5.0
BACKOFF_CAP_S = 3600.0
JITTER = 0.2
CONCURRENCY = 8
ANSWER_MAX_BYTES = 64 * 1024
REASON_MAX = 300
RETRYABLE_STATUSES = frozenset({408, 425, 429})
_REASON_KEYS = ("error", "message", "detail", "reason", "title")
TOKEN_MASK = "***"
# A loopback endpoint is reached directly: a proxy would see a plain-http request (and its
# credential), and its own 127.0.0.1 is not ours.
_NO_PROXY_MOUNTS = ("all://127.0.0.1", "all://localhost", "all://[::1]")

ClientFactory = Callable[[], httpx.AsyncClient]


@dataclass(frozen=True)
class DeliveryResult:
    """The outcome of one attempt.

    `error_kind` is "", no_endpoint, timeout, network, http, bad_token (the credential is not a
    valid header value; kept queued) or insecure (plain http off this machine; not sent, kept
    as refused).
    """

    entry_id: int
    reference: str
    state: State
    ticket_id: str = ""
    http_status: int | None = None
    error_kind: str = ""
    error: str = ""
    reason: str = ""
    retry_at: float | None = None
    duplicate: bool = False


def backoff_delay(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds before the next try after `attempts` failures: 5 s doubling to 1 h, ±20%."""
    steps = max(0, attempts - 1)
    base = BACKOFF_CAP_S if steps >= 20 else min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**steps)
    factor = (rng or random).uniform(1 - JITTER, 1 + JITTER)
    return min(BACKOFF_CAP_S, base * factor)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or HTTP-date), capped at 1 h.

    None when the header says nothing usable (the backoff applies); 0 for a date passed.
    """
    if not value:
        return None
    text = value.strip()
    # ASCII only: str.isdigit() also takes "²" (which int() refuses) and other scripts' digits.
    if text.isascii() and text.isdigit():
        return min(BACKOFF_CAP_S, float(int(text[:12])))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # An HTTP-date is always GMT (RFC 9110 §5.6.7), asctime's form names no zone, and
        # "-0000" or an unknown zone name is UTC too (RFC 5322 §3.3): never local time.
        when = when.replace(tzinfo=UTC)
    return min(BACKOFF_CAP_S, max(0.0, when.timestamp() - now))


def make_client(timeout_s: float = ATTEMPT_LIMIT_S) -> httpx.AsyncClient:
    """The client for one send or drain: its own timeouts sit inside the attempt's hard limit."""
    timeout = httpx.Timeout(
        connect=min(5.0, timeout_s / 3),
        read=timeout_s * 0.8,
        write=timeout_s * 0.8,
        pool=timeout_s * 0.8,
    )
    return httpx.AsyncClient(
        timeout=timeout,
        # A redirect would carry the credential to another origin.
        follow_redirects=False,
        headers={"User-Agent": f"{TOOL_NAME}/{__version__}"},
        mounts=dict.fromkeys(_NO_PROXY_MOUNTS),
    )


def insecure_endpoint(url: str) -> str:
    """Why `url` must not receive a message ("" when it may): CONTRACT §2's rule, again."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "not a valid URL"
    if parts.scheme not in ("http", "https") or not host:
        return "not an http:// or https:// URL"
    if parts.username is not None or parts.password is not None:
        return "the URL holds a user name or password"
    if parts.scheme == "http" and not is_loopback_host(host):
        shown = one_line(host, max_len=100)
        return f"plain http to {shown} would expose the message and credential"
    return ""


def token_of(entry: OutboxEntry) -> str:
    """The credential for this row, from the environment variable it names ("" when unset)."""
    return os.environ.get(entry.token_env, "").strip() if entry.token_env else ""


def _valid_header_value(token: str) -> bool:
    """Visible ASCII only: anything else is refused by httpx with the value in its message."""
    return all("!" <= ch <= "~" or ch == " " for ch in token)


def scrub(text: str, token: str) -> str:
    """`text` without the credential (a server may echo it; an exception may quote it)."""
    if len(token) < 4:
        return text
    return text.replace(token, TOKEN_MASK)


def _ticket_id(answer: object) -> str:
    if isinstance(answer, dict):
        value = answer.get("ticket_id")
        if isinstance(value, str | int) and not isinstance(value, bool):
            return one_line(value, max_len=100)
    return ""


def _reason_of(value: object, depth: int = 0) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and depth < 3:
        for key in _REASON_KEYS:
            if key in value:
                found = _reason_of(value[key], depth + 1)
                if found:
                    return found
    if isinstance(value, list) and value and depth < 3:
        return "; ".join(r for r in (_reason_of(v, depth + 1) for v in value[:5]) if r)
    return ""


def _server_reason(body: bytes, status: int) -> str:
    """The server's own words for a refusal: JSON error/message/detail, else its text."""
    text = body.decode("utf-8", "replace")
    try:
        reason = _reason_of(json.loads(text))
    except ValueError:
        reason = text
    return one_line(reason, max_len=REASON_MAX) or f"HTTP {status}"


def _parse_json(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return None


def _headers(entry: OutboxEntry, token: str) -> dict[str, str]:
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Idempotency-Key": entry.idempotency_key,
    }
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


async def _post(
    client: httpx.AsyncClient, entry: OutboxEntry, timeout_s: float, token: str
) -> tuple[int, dict[str, str], bytes]:
    """One POST under a hard time limit; the answer is read up to ANSWER_MAX_BYTES."""
    async with asyncio.timeout(timeout_s):
        async with client.stream(
            "POST",
            entry.endpoint,
            content=entry.payload_json.encode("utf-8"),
            headers=_headers(entry, token),
        ) as response:
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) >= ANSWER_MAX_BYTES:
                    break
            return response.status_code, dict(response.headers), bytes(body)


def _queue(
    outbox: Outbox,
    entry: OutboxEntry,
    *,
    kind: str,
    error: str,
    now: float,
    rng: random.Random | None,
    status: int | None = None,
    retry_after: float | None = None,
    token: str = "",
) -> DeliveryResult:
    delay = retry_after if retry_after is not None else backoff_delay(entry.attempts + 1, rng)
    retry_at = now + delay
    # Exception texts may carry a proxy URL with its credentials, or a home path.
    error = one_line(redact_private(scrub(error, token)), max_len=REASON_MAX)
    outbox.mark_queued(entry.id, retry_at=retry_at, error=error)
    return DeliveryResult(
        entry.id,
        entry.reference,
        State.QUEUED,
        http_status=status,
        error_kind=kind,
        error=error,
        retry_at=retry_at,
    )


async def deliver(
    entry: OutboxEntry,
    outbox: Outbox,
    *,
    client: httpx.AsyncClient | None = None,
    client_factory: ClientFactory | None = None,
    now: float | None = None,
    timeout_s: float = ATTEMPT_LIMIT_S,
    rng: random.Random | None = None,
) -> DeliveryResult:
    """Try to deliver one outbox row now and record the outcome in the outbox."""
    if entry.state is not State.QUEUED:
        return DeliveryResult(
            entry.id,
            entry.reference,
            entry.state,
            ticket_id=entry.ticket_id,
            reason=entry.last_error if entry.state is State.REJECTED else "",
        )
    if not entry.endpoint:
        moment = time.time() if now is None else now
        return _queue(
            outbox,
            entry,
            kind="no_endpoint",
            error="no help-desk endpoint configured",
            now=moment,
            rng=rng,
        )
    refusal = insecure_endpoint(entry.endpoint)
    if refusal:
        reason = f"not sent: {refusal}"
        outbox.mark_rejected(entry.id, reason=reason)
        return DeliveryResult(
            entry.id, entry.reference, State.REJECTED, error_kind="insecure", reason=reason
        )
    token = token_of(entry)
    if not _valid_header_value(token):
        moment = time.time() if now is None else now
        error = f"the credential in {entry.token_env} is not a valid header value"
        return _queue(outbox, entry, kind="bad_token", error=error, now=moment, rng=rng)
    own = client is None
    http = client if client is not None else (client_factory or (lambda: make_client(timeout_s)))()
    try:
        status, headers, body = await _post(http, entry, timeout_s, token)
    except (TimeoutError, httpx.TimeoutException):
        moment = time.time() if now is None else now
        return _queue(
            outbox,
            entry,
            kind="timeout",
            error=f"no answer within {timeout_s:g} s",
            now=moment,
            rng=rng,
        )
    except Exception as exc:  # any failure to talk to the desk keeps the message queued
        moment = time.time() if now is None else now
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return _queue(outbox, entry, kind="network", error=error, now=moment, rng=rng, token=token)
    finally:
        if own:
            await http.aclose()
    moment = time.time() if now is None else now
    if 200 <= status < 300 or status == 409:
        ticket = _ticket_id(_parse_json(body))
        outbox.mark_delivered(entry.id, ticket_id=ticket, now=moment)
        return DeliveryResult(
            entry.id,
            entry.reference,
            State.DELIVERED,
            ticket_id=ticket,
            http_status=status,
            duplicate=status == 409,
        )
    if status in RETRYABLE_STATUSES or status >= 500:
        wait = parse_retry_after(headers.get("retry-after"), moment)
        return _queue(
            outbox,
            entry,
            kind="http",
            error=f"HTTP {status}",
            now=moment,
            rng=rng,
            status=status,
            retry_after=wait,
        )
    reason = _server_reason(body, status)
    if 300 <= status < 400:
        # Not followed: the credential stays with the endpoint's own origin.
        reason = one_line(f"redirected to {headers.get('location', '?')}", max_len=REASON_MAX)
    reason = scrub(reason, token)
    outbox.mark_rejected(entry.id, reason=f"HTTP {status}: {reason}")
    return DeliveryResult(
        entry.id,
        entry.reference,
        State.REJECTED,
        http_status=status,
        error_kind="http",
        error=f"HTTP {status}",
        reason=reason,
    )


async def drain(
    outbox: Outbox,
    *,
    now: float | None = None,
    force: bool = True,
    timeout_s: float = ATTEMPT_LIMIT_S,
    concurrency: int = CONCURRENCY,
    client_factory: ClientFactory | None = None,
    rng: random.Random | None = None,
) -> list[DeliveryResult]:
    """Send every queued message (`force`) or only those due; rejected ones are never resent.

    One client serves the whole drain; each attempt still has its own hard limit, so one
    wedged connection cannot hold up the rest past that limit.
    """
    entries = outbox.queued() if force else outbox.pending(now)
    if not entries:
        return []
    gate = asyncio.Semaphore(max(1, concurrency))
    client = (client_factory or (lambda: make_client(timeout_s)))()

    async def one(entry: OutboxEntry) -> DeliveryResult:
        async with gate:
            return await deliver(
                entry, outbox, client=client, now=now, timeout_s=timeout_s, rng=rng
            )

    try:
        return list(await asyncio.gather(*(one(e) for e in entries)))
    finally:
        await asyncio.shield(client.aclose())


def _clock(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%H:%M:%S")


def error_text(result: DeliveryResult, lang: str) -> str:
    """Why a message is still queued, in words."""
    if result.error_kind == "timeout":
        return t(lang, "message.delivery.error_timeout")
    if result.error_kind == "http":
        return t(lang, "message.delivery.error_http", status=result.http_status or "?")
    if result.error_kind == "no_endpoint":
        return t(lang, "message.delivery.error_no_endpoint")
    if result.error_kind == "bad_token":
        return t(lang, "message.delivery.error_bad_token")
    return t(lang, "message.delivery.error_network")


def describe_result(result: DeliveryResult, lang: str) -> str:
    """One line for the person: delivered (ticket), queued (why, next try) or refused (why)."""
    ref = result.reference
    if result.state is State.DELIVERED:
        if result.ticket_id:
            return t(lang, "message.delivery.delivered", reference=ref, ticket_id=result.ticket_id)
        if result.duplicate:
            return t(lang, "message.delivery.duplicate", reference=ref)
        return t(lang, "message.delivery.delivered_no_ticket", reference=ref)
    if result.state is State.REJECTED and result.error_kind == "insecure":
        return t(lang, "message.delivery.refused_insecure", reference=ref)
    if result.state is State.REJECTED:
        return t(lang, "message.delivery.rejected", reference=ref, reason=result.reason or "?")
    if result.error_kind == "no_endpoint":
        return t(lang, "message.delivery.no_endpoint", reference=ref)
    error = error_text(result, lang)
    if result.retry_at is not None:
        return t(
            lang,
            "message.delivery.queued_retry",
            reference=ref,
            error=error,
            time=_clock(result.retry_at),
        )
    return t(lang, "message.delivery.queued", reference=ref, error=error)
