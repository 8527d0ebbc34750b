"""Deliver outbox rows to their help desk (CONTRACT §4–§5), each attempt under a hard limit.

What a row's desk does is the desk's (`wizard.support.desks`): the request that makes a ticket,
what its answers mean, a search by reference. Everything every desk shares is here, once:
redirects are refusals; 408, 425, 429, 5xx, timeouts and network errors leave the message
queued with backoff (Retry-After honoured); the answer is read up to ANSWER_MAX_BYTES; each
request has a hard time limit; the profile's CA bundle, kept with the row, is trusted besides
the default CAs. A request the desk builds from the stored row is the same on every retry,
so a retry after a lost answer never makes a second ticket.

The credential (the variable named by `token_env`) goes only to the endpoint's own origin:
redirects are not followed, a plain-http endpoint off this machine is refused before anything
is sent (the profile refuses it too; a row saved earlier could still hold one), and the
credential, in every form a desk sends it, is cut out of every error and reason before it is
stored, shown or returned.

The outbox is written from a worker thread (`asyncio.to_thread`): a durable commit waits for
the disk, and the event loop it would block may be drawing a screen.
"""

from __future__ import annotations

import asyncio
import os
import random
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from wizard import TOOL_NAME, __version__
from wizard.i18n import t
from wizard.net.capped import read_capped
from wizard.net.trust import trust_context
from wizard.profile import is_loopback_host
from wizard.support.desks import DESKS, HelpDesk
from wizard.support.desks.base import (
    REASON_MAX,
    Delivered,
    DeskAnswer,
    DeskRequest,
    Queued,
    Rejected,
    Verdict,
)
from wizard.support.mask import redact_private
from wizard.support.outbox import Outbox, OutboxEntry, State
from wizard.text import one_line

ATTEMPT_LIMIT_S = 15.0
BACKOFF_BASE_S = 5.0
BACKOFF_CAP_S = 3600.0
JITTER = 0.2
CONCURRENCY = 8
ANSWER_MAX_BYTES = 64 * 1024
RETRYABLE_STATUSES = frozenset({408, 425, 429})
TOKEN_MASK = "***"
# A loopback endpoint is reached directly: a proxy would see a plain-http request (and its
# credential), and its own 127.0.0.1 is not ours.
_NO_PROXY_MOUNTS = ("all://127.0.0.1", "all://localhost", "all://[::1]")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Failures that prove the request never left: nothing can have reached the desk.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)

ClientFactory = Callable[[], httpx.AsyncClient]
# Seconds to wait before the next try after so many failed attempts.
Backoff = Callable[[int], float]


@dataclass(frozen=True)
class DeliveryResult:
    """The outcome of one attempt.

    `error_kind` is "", no_endpoint, no_desk (this version has no such desk; kept queued),
    timeout, network, ca_bundle (the row's CA bundle cannot be read; kept queued), http,
    bad_token (the credential is not a valid header value; kept queued) or insecure (plain
    http off this machine; not sent, kept as refused).
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


def make_client(timeout_s: float = ATTEMPT_LIMIT_S, *, ca_bundle: str = "") -> httpx.AsyncClient:
    """The client for one send or drain: its own timeouts sit inside the attempt's hard limit.

    With `ca_bundle` (a row's destination keeps the profile's), its CAs are trusted besides
    the default ones; a bundle that cannot be read raises OSError or ssl.SSLError.
    """
    timeout = httpx.Timeout(
        connect=min(5.0, timeout_s / 3),
        read=timeout_s * 0.8,
        write=timeout_s * 0.8,
        pool=timeout_s * 0.8,
    )
    return httpx.AsyncClient(
        timeout=timeout,
        verify=trust_context(ca_bundle),
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


def _origin(url: str) -> tuple[str, str, int | None]:
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
        return parts.scheme, (parts.hostname or "").lower(), port
    except ValueError:
        return "", "", None


def _off_origin(request: DeskRequest, endpoint: str) -> str:
    """Why a desk's request must not be sent ("" when it is on the endpoint's own origin)."""
    refusal = insecure_endpoint(request.url)
    if refusal:
        return refusal
    if _origin(request.url) != _origin(endpoint):
        return "the help desk's request leaves the endpoint's own address"
    return ""


def token_of(entry: OutboxEntry) -> str:
    """The credential for this row, from the environment variable it names ("" when unset)."""
    return os.environ.get(entry.token_env, "").strip() if entry.token_env else ""


def _valid_header_value(token: str) -> bool:
    """Visible ASCII only: anything else is refused by httpx with the value in its message."""
    return all("!" <= ch <= "~" or ch == " " for ch in token)


def scrub(text: str, *secrets: str) -> str:
    """`text` without any of `secrets` (a server may echo one; an exception may quote it)."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, TOKEN_MASK)
    return text


def _secrets(credential: str, *requests: DeskRequest | None) -> tuple[str, ...]:
    """The credential and every form of it the desk's requests carry (a Basic pair, say)."""
    found = [credential]
    for request in requests:
        if request is None:
            continue
        for name, value in request.headers.items():
            if name.lower() == "authorization":
                found += [value, value.partition(" ")[2]]
    return tuple(s for s in found if s)


def shared_verdict(answer: DeskAnswer, now: float) -> Verdict | None:
    """What an answer means for every desk alike; None leaves it to the desk.

    A redirect is a refusal (it is not followed: the credential stays with the endpoint's
    origin); 408, 425, 429 and 5xx keep the message queued, Retry-After honoured.
    """
    status = answer.status
    if 300 <= status < 400:
        where = answer.headers.get("location", "?")
        return Rejected(one_line(f"redirected to {where}", max_len=REASON_MAX))
    if status in RETRYABLE_STATUSES or status >= 500:
        wait = parse_retry_after(answer.headers.get("retry-after"), now)
        return Queued(f"HTTP {status}", retry_after_s=wait)
    return None


async def exchange(client: httpx.AsyncClient, request: DeskRequest, timeout_s: float) -> DeskAnswer:
    """One request under a hard time limit; the answer is read up to ANSWER_MAX_BYTES."""
    async with asyncio.timeout(timeout_s):
        async with client.stream(
            request.method,
            request.url,
            content=request.body or None,
            headers=dict(request.headers),
        ) as response:
            body = await read_capped(response, ANSWER_MAX_BYTES, decoded=True)
            headers = {name.lower(): value for name, value in response.headers.items()}
            return DeskAnswer(response.status_code, headers, body)


class _Attempt:
    """One attempt at one row: records its outcome in the outbox and says what it was."""

    def __init__(
        self,
        entry: OutboxEntry,
        outbox: Outbox,
        now: float | None,
        backoff: Backoff,
    ) -> None:
        self.entry = entry
        self.outbox = outbox
        self._now = now
        self.backoff = backoff
        self.secrets: tuple[str, ...] = ()

    def now(self) -> float:
        """The attempt's clock (fixed by tests, else the time now)."""
        return time.time() if self._now is None else self._now

    async def queue(
        self,
        *,
        kind: str,
        error: str,
        status: int | None = None,
        retry_after: float | None = None,
        unknown: bool | None = None,
    ) -> DeliveryResult:
        """Keep the row queued until backoff (or the desk's Retry-After) says try again."""
        entry = self.entry
        delay = retry_after if retry_after is not None else self.backoff(entry.attempts + 1)
        retry_at = self.now() + delay
        # Exception texts may carry a proxy URL with its credentials, or a home path.
        error = one_line(redact_private(scrub(error, *self.secrets)), max_len=REASON_MAX)
        await asyncio.to_thread(
            self.outbox.mark_queued,
            entry.id,
            retry_at=retry_at,
            error=error,
            outcome_unknown=unknown,
        )
        return DeliveryResult(
            entry.id,
            entry.reference,
            State.QUEUED,
            http_status=status,
            error_kind=kind,
            error=error,
            retry_at=retry_at,
        )

    async def reject(self, reason: str, status: int) -> DeliveryResult:
        """The desk refused the row: kept, with its reason, never resent."""
        entry = self.entry
        reason = scrub(reason, *self.secrets)
        await asyncio.to_thread(
            self.outbox.mark_rejected, entry.id, reason=f"HTTP {status}: {reason}"
        )
        return DeliveryResult(
            entry.id,
            entry.reference,
            State.REJECTED,
            http_status=status,
            error_kind="http",
            error=f"HTTP {status}",
            reason=reason,
        )

    async def record(self, verdict: Verdict, status: int, *, unknown: bool) -> DeliveryResult:
        """Store what the desk's answer meant."""
        entry = self.entry
        if isinstance(verdict, Delivered):
            await asyncio.to_thread(
                self.outbox.mark_delivered, entry.id, ticket_id=verdict.ticket_id, now=self.now()
            )
            return DeliveryResult(
                entry.id,
                entry.reference,
                State.DELIVERED,
                ticket_id=verdict.ticket_id,
                http_status=status,
                duplicate=verdict.duplicate,
            )
        if isinstance(verdict, Queued):
            return await self.queue(
                kind="http",
                error=verdict.error,
                status=status,
                retry_after=verdict.retry_after_s,
                unknown=unknown,
            )
        return await self.reject(verdict.reason, status)


async def deliver(
    entry: OutboxEntry,
    outbox: Outbox,
    *,
    client: httpx.AsyncClient | None = None,
    client_factory: ClientFactory | None = None,
    now: float | None = None,
    timeout_s: float = ATTEMPT_LIMIT_S,
    rng: random.Random | None = None,
    desks: Mapping[str, HelpDesk] = DESKS,
    backoff: Backoff | None = None,
) -> DeliveryResult:
    """Try to deliver one outbox row now, to its own desk, and record the outcome.

    A row whose earlier outcome is unknown is first looked up by reference when its desk
    needs that (a desk without idempotency); found means delivered, and nothing is resent.
    `backoff` replaces `backoff_delay` (with `rng` for its jitter) when the desk gives no
    Retry-After.
    """
    if entry.state is not State.QUEUED:
        return DeliveryResult(
            entry.id,
            entry.reference,
            entry.state,
            ticket_id=entry.ticket_id,
            reason=entry.last_error if entry.state is State.REJECTED else "",
        )
    attempt = _Attempt(entry, outbox, now, backoff or (lambda n: backoff_delay(n, rng)))
    desk = desks.get(entry.desk)
    if desk is None:
        shown = one_line(entry.desk, max_len=40)
        error = f'this version of wallet-wizard cannot deliver to a "{shown}" help desk'
        return await attempt.queue(kind="no_desk", error=error)
    if not entry.endpoint:
        return await attempt.queue(kind="no_endpoint", error="no help-desk endpoint configured")
    refusal = insecure_endpoint(entry.endpoint)
    if refusal:
        return await _refuse(entry, outbox, refusal)
    token = token_of(entry)
    if not _valid_header_value(token):
        error = f"the credential in {entry.token_env} is not a valid header value"
        return await attempt.queue(kind="bad_token", error=error)
    search = desk.lookup(entry, token, attempt.now()) if entry.outcome_unknown else None
    send = desk.request(entry, token)
    attempt.secrets = _secrets(token, search, send)
    for request in (search, send):
        refusal = _off_origin(request, entry.endpoint) if request is not None else ""
        if refusal:
            return await _refuse(entry, outbox, refusal)
    ca_bundle = entry.destination.ca_bundle
    own = client is None
    http = client
    if http is None:
        try:
            http = (
                client_factory() if client_factory else make_client(timeout_s, ca_bundle=ca_bundle)
            )
        except (OSError, ssl.SSLError) as exc:
            error = f"the CA bundle {ca_bundle} cannot be used: {exc}"
            return await attempt.queue(kind="ca_bundle", error=error)
    # Whether the desk may already hold the message from an earlier attempt; a search that
    # finds nothing settles it.
    unknown = entry.outcome_unknown
    try:
        if search is not None:
            answer = await exchange(http, search, timeout_s)
            verdict = shared_verdict(answer, attempt.now()) or desk.found(answer)
            if verdict is not None:
                return await attempt.record(verdict, answer.status, unknown=unknown)
            unknown = False
        answer = await exchange(http, send, timeout_s)
    except (TimeoutError, httpx.TimeoutException) as exc:
        return await attempt.queue(
            kind="timeout",
            error=f"no answer within {timeout_s:g} s",
            unknown=unknown or not isinstance(exc, _NOT_SENT),
        )
    except Exception as exc:  # any failure to talk to the desk keeps the message queued
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return await attempt.queue(
            kind="network", error=error, unknown=unknown or not isinstance(exc, _NOT_SENT)
        )
    finally:
        if own:
            await http.aclose()
    verdict = shared_verdict(answer, attempt.now()) or desk.judge(answer)
    return await attempt.record(verdict, answer.status, unknown=unknown)


async def _refuse(entry: OutboxEntry, outbox: Outbox, refusal: str) -> DeliveryResult:
    reason = f"not sent: {refusal}"
    await asyncio.to_thread(outbox.mark_rejected, entry.id, reason=reason)
    return DeliveryResult(
        entry.id, entry.reference, State.REJECTED, error_kind="insecure", reason=reason
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
    desks: Mapping[str, HelpDesk] = DESKS,
) -> list[DeliveryResult]:
    """Send every queued message (`force`) or only those due; rejected ones are never resent.

    One client serves every row that trusts the same CA bundle; each attempt still has its
    own hard limit, so one wedged connection cannot hold up the rest past that limit.
    """
    if force:
        entries = await asyncio.to_thread(outbox.queued)
    else:
        entries = await asyncio.to_thread(outbox.pending, now)
    if not entries:
        return []
    gate = asyncio.Semaphore(max(1, concurrency))
    clients: dict[str, httpx.AsyncClient | None] = {}
    for bundle in sorted({e.destination.ca_bundle for e in entries}):
        try:
            clients[bundle] = (
                client_factory() if client_factory else make_client(timeout_s, ca_bundle=bundle)
            )
        except (OSError, ssl.SSLError):
            # Its rows are tried one by one and kept queued, each saying why.
            clients[bundle] = None

    async def one(entry: OutboxEntry) -> DeliveryResult:
        async with gate:
            return await deliver(
                entry,
                outbox,
                client=clients[entry.destination.ca_bundle],
                now=now,
                timeout_s=timeout_s,
                rng=rng,
                desks=desks,
            )

    try:
        return list(await asyncio.gather(*(one(e) for e in entries)))
    finally:
        for opened in clients.values():
            if opened is not None:
                await asyncio.shield(opened.aclose())


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
    if result.error_kind == "no_desk":
        return t(lang, "message.delivery.error_no_desk")
    if result.error_kind == "ca_bundle":
        return t(lang, "message.delivery.error_ca_bundle")
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
