"""Deliver outbox rows to their help desk (CONTRACT §4–§5), each attempt under a hard limit.

What a row's desk does is the desk's (`wizard.support.desks`): a step before the ticket (an
upload, its token kept in the row's desk state), the request that makes a ticket, what its
answers mean, a search by reference. An email desk's request is an SMTP exchange
(`wizard.support.mail`); every other one is HTTP. Everything every desk shares is here, once:
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

A drain paces its requests per desk (`wizard.support.pacing`): a backlog of a thousand never
trips a plan's per-minute limit twice, and a desk's Retry-After holds every row bound for it.

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
from dataclasses import dataclass, replace
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
    MailRequest,
    Outgoing,
    Queued,
    Rejected,
    Unsendable,
    Verdict,
)
from wizard.support.mail import MailFailure, mail_exchange
from wizard.support.mask import redact_private
from wizard.support.outbox import Outbox, OutboxEntry, State, state_json
from wizard.support.pacing import Pacer
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
_DEFAULT_PORTS = {"http": 80, "https": 443, "smtp": 587, "smtps": 465}
# Steps a desk may take before its ticket (an upload, a fresh upload): more is a faulty desk.
MAX_PREPARE_STEPS = 3
# A drain waits this long at most for a desk's Retry-After before it leaves a row queued.
DRAIN_PATIENCE_S = 120.0
DRAIN_RETRIES = 3
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
    """Why `url` must not receive a message ("" when it may): CONTRACT §2's rule, again.

    smtp:// may name any host: the exchange itself insists on STARTTLS off this machine.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "not a valid URL"
    if parts.scheme not in ("http", "https", "smtp", "smtps") or not host:
        return "not an http://, https://, smtp:// or smtps:// URL"
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


def off_origin(request: Outgoing, endpoint: str) -> str:
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


def valid_header_value(token: str) -> bool:
    """Visible ASCII only: anything else is refused by httpx with the value in its message."""
    return all("!" <= ch <= "~" or ch == " " for ch in token)


def scrub(text: str, *secrets: str) -> str:
    """`text` without any of `secrets` (a server may echo one; an exception may quote it)."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, TOKEN_MASK)
    return text


def secrets_of(credential: str, *requests: Outgoing | None) -> tuple[str, ...]:
    """The credential and every form of it the desk's requests carry (a Basic pair, say)."""
    found = [credential]
    for request in requests:
        if request is None:
            continue
        if isinstance(request, MailRequest):
            found.append(request.password)
            continue
        for name, value in request.headers.items():
            if name.lower() == "authorization":
                found += [value, value.partition(" ")[2]]
    return tuple(s for s in found if s)


def shared_verdict(answer: DeskAnswer, now: float) -> Verdict | None:
    """What an answer means for every desk alike; None leaves it to the desk.

    HTTP: a redirect is a refusal (it is not followed: the credential stays with the
    endpoint's origin); 408, 425, 429 and 5xx keep the message queued, Retry-After honoured.
    SMTP: a 4xx reply is temporary (queued); 2xx and 5xx are the desk's to read.
    """
    status = answer.status
    if answer.protocol == "smtp":
        if 400 <= status < 500:
            text = one_line(answer.body.decode("utf-8", "replace"), max_len=200)
            return Queued(f"SMTP {status} {text}".strip())
        return None
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


def pace_key(entry: OutboxEntry) -> str:
    """Which desk a row's requests count against: its kind and its endpoint's origin."""
    scheme, host, port = _origin(entry.endpoint)
    return f"{entry.desk}|{scheme}://{host}:{port}"


class _Exchanger:
    """Makes one attempt's requests: HTTP through the client, email through SMTP, each in
    turn with the desk's pace, each answer heard by the pacer."""

    def __init__(
        self,
        entry: OutboxEntry,
        desk: HelpDesk,
        http: httpx.AsyncClient | None,
        ca_bundle: str,
        timeout_s: float,
        pacer: Pacer | None,
    ) -> None:
        self.entry = entry
        self.desk = desk
        self.http = http
        self.ca_bundle = ca_bundle
        self.timeout_s = timeout_s
        self.pacer = pacer
        self.key = pace_key(entry)

    async def __call__(self, request: Outgoing, now: Callable[[], float]) -> DeskAnswer:
        if self.pacer is not None:
            await self.pacer.turn(self.key, self.desk.per_minute)
        if isinstance(request, MailRequest):
            answer = await mail_exchange(request, self.timeout_s, trust_context(self.ca_bundle))
        else:
            if self.http is None:  # pragma: no cover - every HTTP attempt is given a client
                raise RuntimeError("no HTTP client for this attempt")
            answer = await exchange(self.http, request, self.timeout_s)
        if self.pacer is not None:
            wait = parse_retry_after(answer.headers.get("retry-after"), now())
            self.pacer.observe(self.key, answer, wait, self.desk.limit_share)
        return answer


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
    pacer: Pacer | None = None,
) -> DeliveryResult:
    """Try to deliver one outbox row now, to its own desk, and record the outcome.

    A row whose earlier outcome is unknown is first looked up by reference when its desk
    needs that (a desk without idempotency); found means delivered, and nothing is resent.
    Then the desk's steps before the ticket (an upload) run, each result committed to the
    row's desk state before the ticket's request goes out. `backoff` replaces
    `backoff_delay` (with `rng` for its jitter) when the desk gives no Retry-After; `pacer`
    spaces the requests to each desk (a drain's or a courier's, shared by their rows).
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
    if not valid_header_value(token):
        error = f"the credential in {entry.token_env} is not a valid header value"
        return await attempt.queue(kind="bad_token", error=error)
    attempt.secrets = secrets_of(token)
    search = desk.lookup(entry, token, attempt.now()) if entry.outcome_unknown else None
    try:
        # Built now (and again after each step) to refuse a faulty desk before anything goes.
        first = desk.request(entry, token)
    except Unsendable as exc:
        return await _unsendable(attempt, exc)
    attempt.secrets = secrets_of(token, search, first)
    for request in (search, first):
        refusal = off_origin(request, entry.endpoint) if request is not None else ""
        if refusal:
            return await _refuse(entry, outbox, refusal)
    ca_bundle = entry.destination.ca_bundle
    own = client is None and not isinstance(first, MailRequest)
    http = client
    try:
        if own:
            http = (
                client_factory() if client_factory else make_client(timeout_s, ca_bundle=ca_bundle)
            )
        elif isinstance(first, MailRequest) and ca_bundle:
            trust_context(ca_bundle)  # unreadable: kept queued, as for an HTTP desk
    except (OSError, ssl.SSLError) as exc:
        error = f"the CA bundle {ca_bundle} cannot be used: {exc}"
        return await attempt.queue(kind="ca_bundle", error=error)
    talk = _Exchanger(entry, desk, http, ca_bundle, timeout_s, pacer)
    try:
        return await _attempt_row(attempt, desk, talk, search, token)
    finally:
        if own and http is not None:
            await http.aclose()


async def _commit_state(
    attempt: _Attempt, state: Mapping[str, object] | None, *, unknown: bool | None = None
) -> OutboxEntry:
    """Commit a desk's state for the row (before the request it shapes), and the mark that
    the desk may have it; use both from now."""
    entry = attempt.entry
    await asyncio.to_thread(attempt.outbox.set_desk_state, entry.id, state, outcome_unknown=unknown)
    if state is not None:
        entry = replace(entry, desk_state_json=state_json(state))
    if unknown is not None:
        entry = replace(entry, outcome_unknown=unknown)
    attempt.entry = entry
    return entry


async def _attempt_row(
    attempt: _Attempt,
    desk: HelpDesk,
    talk: _Exchanger,
    search: DeskRequest | None,
    token: str,
) -> DeliveryResult:
    """Search (after an unknown outcome), prepare, then send the ticket; record the outcome."""
    entry = attempt.entry
    timeout_s = talk.timeout_s
    # Whether the desk may already hold the message from an earlier attempt; a search that
    # finds nothing settles it.
    unknown = entry.outcome_unknown
    phase = "search"
    try:
        if search is not None:
            answer = await talk(search, attempt.now)
            verdict = shared_verdict(answer, attempt.now()) or desk.found(answer)
            if verdict is not None:
                return await attempt.record(verdict, answer.status, unknown=unknown)
            unknown = False
            fresh = desk.not_found(entry)
            if fresh is not None:
                entry = await _commit_state(attempt, fresh)
        phase = "prepare"
        for _ in range(MAX_PREPARE_STEPS):
            step = desk.prepare(entry, token, attempt.now())
            if step is None:
                break
            refusal = off_origin(step, entry.endpoint)
            if refusal:
                return await _refuse(entry, attempt.outbox, refusal)
            attempt.secrets = tuple({*attempt.secrets, *secrets_of(token, step)})
            answer = await talk(step, attempt.now)
            verdict = shared_verdict(answer, attempt.now())
            if verdict is not None:
                return await attempt.record(verdict, answer.status, unknown=unknown)
            prepared = desk.prepared(entry, answer, attempt.now())
            if prepared.verdict is not None:
                return await attempt.record(prepared.verdict, answer.status, unknown=unknown)
            if prepared.state is not None:
                entry = await _commit_state(attempt, prepared.state)
        try:
            send = desk.request(entry, token)
        except Unsendable as exc:
            return await _unsendable(attempt, exc)
        refusal = off_origin(send, entry.endpoint)
        if refusal:
            return await _refuse(entry, attempt.outbox, refusal)
        attempt.secrets = tuple({*attempt.secrets, *secrets_of(token, send)})
        before = desk.sending(entry, attempt.now())
        ahead = desk.write_ahead(entry) and not entry.outcome_unknown
        if before is not None or ahead:
            entry = await _commit_state(attempt, before, unknown=True if ahead else None)
        phase = "send"
        answer = await talk(send, attempt.now)
    except MailFailure as exc:
        sent = phase == "send" and exc.maybe_sent
        if phase == "send" and not sent:
            await _settle(attempt, desk, reached=False)
        return await attempt.queue(
            kind="timeout" if exc.timeout else "network",
            error=f"no answer within {timeout_s:g} s" if exc.timeout else str(exc),
            unknown=unknown or sent,
        )
    except (TimeoutError, httpx.TimeoutException) as exc:
        sent = phase != "prepare" and not isinstance(exc, _NOT_SENT)
        if phase == "send" and not sent:
            await _settle(attempt, desk, reached=False)
        return await attempt.queue(
            kind="timeout", error=f"no answer within {timeout_s:g} s", unknown=unknown or sent
        )
    except Exception as exc:  # any failure to talk to the desk keeps the message queued
        sent = phase != "prepare" and not isinstance(exc, _NOT_SENT)
        if phase == "send" and not sent:
            await _settle(attempt, desk, reached=False)
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return await attempt.queue(kind="network", error=error, unknown=unknown or sent)
    verdict = shared_verdict(answer, attempt.now()) or desk.judge(answer)
    if not isinstance(verdict, Delivered):
        # A desk that answered "not now" (408/425/429/5xx, SMTP 4xx) did not act on it.
        await _settle(attempt, desk, reached=not isinstance(verdict, Queued))
    return await attempt.record(verdict, answer.status, unknown=unknown)


async def _settle(attempt: _Attempt, desk: HelpDesk, *, reached: bool) -> None:
    state = desk.settled(attempt.entry, reached=reached)
    if state is not None:
        await _commit_state(attempt, state)


async def _unsendable(attempt: _Attempt, exc: Unsendable) -> DeliveryResult:
    """The row cannot become a request: queued (a credential to fix) or refused (the
    message lacks what the desk needs); nothing was sent."""
    if exc.kind:
        return await attempt.queue(kind=exc.kind, error=exc.reason)
    entry = attempt.entry
    reason = f"not sent: {exc.reason}"
    await asyncio.to_thread(attempt.outbox.mark_rejected, entry.id, reason=reason)
    return DeliveryResult(
        entry.id, entry.reference, State.REJECTED, error_kind="unsendable", reason=reason
    )


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
    pacer: Pacer | None = None,
    patience_s: float = DRAIN_PATIENCE_S,
) -> list[DeliveryResult]:
    """Send every queued message (`force`) or only those due; rejected ones are never resent.

    One client serves every row that trusts the same CA bundle; each attempt still has its
    own hard limit, so one wedged connection cannot hold up the rest past that limit. The
    requests to each desk are paced (`pacer`, a fresh one by default); a row a desk pushed
    back with a Retry-After within `patience_s` is tried again once the desk's hold ends, so
    a backlog drains in one run without knocking twice.
    """
    if force:
        entries = await asyncio.to_thread(outbox.queued)
    else:
        entries = await asyncio.to_thread(outbox.pending, now)
    if not entries:
        return []
    pace = pacer if pacer is not None else Pacer()
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

    async def attempt(entry: OutboxEntry) -> DeliveryResult:
        async with gate:
            return await deliver(
                entry,
                outbox,
                client=clients[entry.destination.ca_bundle],
                now=now,
                timeout_s=timeout_s,
                rng=rng,
                desks=desks,
                pacer=pace,
            )

    async def one(entry: OutboxEntry) -> DeliveryResult:
        result = await attempt(entry)
        for _ in range(DRAIN_RETRIES):
            if not _pushed_back(result, now, patience_s):
                break
            if now is None and result.retry_at is not None:
                # The pacer holds the desk for its Retry-After; without one, the backoff.
                await asyncio.sleep(max(0.0, result.retry_at - time.time()))
            again = await asyncio.to_thread(outbox.get, entry.id)
            if again is None or again.state is not State.QUEUED:
                break
            # The pacer holds this desk until its Retry-After has passed.
            result = await attempt(again)
        return result

    try:
        return list(await asyncio.gather(*(one(e) for e in entries)))
    finally:
        for opened in clients.values():
            if opened is not None:
                await asyncio.shield(opened.aclose())


def _pushed_back(result: DeliveryResult, now: float | None, patience_s: float) -> bool:
    """A desk said "too many, try again soon" (429) in time to wait for it. A desk that is
    down (5xx) is not asked again in the same drain: that would only add to its load."""
    if result.state is not State.QUEUED or result.http_status != 429:
        return False
    if result.retry_at is None:
        return False
    moment = time.time() if now is None else now
    return result.retry_at - moment <= patience_s


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
