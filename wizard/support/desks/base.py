"""The help-desk seam (CONTRACT §5): what a desk says so the outbox can deliver to it.

A desk knows its own API and nothing else: what has to be done before the ticket (an upload
whose token the ticket then names), how a stored row becomes the request that makes a ticket,
what the desk's answers mean, and how to find a ticket by its reference when an earlier
attempt's outcome is unknown. What every desk shares lives once, elsewhere: the attempt itself
(time limits, the capped read of an answer, 3xx/408/425/429/5xx, Retry-After, backoff, the
credential cut out of every error, refusing insecure endpoints) in `wizard.support.send`, the
SMTP exchange in `wizard.support.mail`, and the retry loop in `wizard.support.courier`.

A request is built from the stored row alone — its payload, destination and `desk_state`, the
JSON object a desk keeps per row (an upload token, say) — so every retry sends the very same
bytes. What `prepared` adds to the state is committed before the ticket's request goes out.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Protocol

from wizard.text import one_line

if TYPE_CHECKING:
    from wizard.support.destination import Destination
    from wizard.support.outbox import OutboxEntry

REASON_MAX = 300
_REASON_KEYS = ("error", "message", "detail", "reason", "title")


@dataclass(frozen=True)
class DeskRequest:
    """One request to a desk: method, URL (on the endpoint's own origin), headers, body."""

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class MailRequest:
    """One email for an SMTP server (the `email` desk): the endpoint it goes to, the envelope
    (sender and recipients), the message's bytes, and the SMTP AUTH login when there is one."""

    url: str
    sender: str
    recipients: tuple[str, ...]
    message: bytes
    username: str = ""
    password: str = ""


# What a desk asks to be sent: an HTTP request, or an email for the `email` desk.
Outgoing = DeskRequest | MailRequest


@dataclass(frozen=True)
class DeskAnswer:
    """A desk's answer as read: status, headers (names in lower case), body (capped).

    `protocol` is "http", or "smtp" for a mail server's final reply (its code as `status`,
    its text as `body`).
    """

    status: int
    headers: Mapping[str, str]
    body: bytes
    protocol: str = "http"

    def json(self) -> object:
        """The body parsed as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body.decode("utf-8", "replace"))
        except ValueError:
            return None


@dataclass(frozen=True)
class Delivered:
    """The desk has the message: its ticket id ("" if none); `duplicate`: it had it already."""

    ticket_id: str = ""
    duplicate: bool = False


@dataclass(frozen=True)
class Queued:
    """Not this time: keep the message and try again, after `retry_after_s` if the desk said."""

    error: str
    retry_after_s: float | None = None


@dataclass(frozen=True)
class Rejected:
    """The desk refused the message for good; `reason` is the desk's own words."""

    reason: str


Verdict = Delivered | Queued | Rejected


@dataclass(frozen=True)
class Prepared:
    """What an answer to a preparation step means: the row's new `desk_state` (committed
    before anything else is sent), or a verdict when the step failed for good."""

    state: Mapping[str, object] | None = None
    verdict: Verdict | None = None


class HelpDesk(Protocol):
    """A kind of help desk (`support.desk`); one instance serves every row of its kind."""

    kind: ClassVar[str]
    # Requests a minute this desk takes before it says its own limit (None: no pace until
    # it pushes back), and the share of an advertised per-minute limit a station may use.
    per_minute: ClassVar[float | None]
    limit_share: ClassVar[float]

    def prepare(self, entry: OutboxEntry, credential: str, now: float) -> DeskRequest | None:
        """A step to take before the ticket (an attachment upload), or None when the row's
        `desk_state` already holds all the ticket needs (or the desk needs no step)."""
        ...

    def prepared(self, entry: OutboxEntry, answer: DeskAnswer, now: float) -> Prepared:
        """What the answer to `prepare`'s request means for the row (only answers the shared
        rules leave open reach here)."""
        ...

    def request(self, entry: OutboxEntry, credential: str) -> Outgoing:
        """The request that makes the ticket for `entry`, the same bytes on every call.

        Built from the row alone (payload, destination, `desk_state`). `credential` is the
        value of the variable the row's `token_env` names ("" when unset); the desk decides
        how it travels (Bearer, Basic, SMTP AUTH, none).
        """
        ...

    def sending(self, entry: OutboxEntry, now: float) -> Mapping[str, object] | None:
        """The `desk_state` to commit just before the ticket's request goes out (None: no
        change) — what a later attempt must know about this one even if the process dies."""
        ...

    def write_ahead(self, entry: OutboxEntry) -> bool:
        """Whether the row is marked "outcome unknown" before its ticket's request goes out.

        True for a desk that may have to search before re-sending (no idempotency, or keys it
        forgets): a process killed mid-request then leaves the mark, and the next attempt
        searches instead of making a second ticket.
        """
        ...

    def settled(self, entry: OutboxEntry, *, reached: bool) -> Mapping[str, object] | None:
        """The `desk_state` after an attempt that made no ticket (None: no change).

        `reached` is False when the desk certainly did not act on the request (the connection
        was refused, or it answered 408/425/429/5xx).
        """
        ...

    def judge(self, answer: DeskAnswer) -> Verdict:
        """What the desk's answer to `request` means.

        Only answers the shared rules leave open reach here (2xx and the 4xx other than 408,
        425 and 429): redirects are refusals and 408/425/429/5xx keep the message queued.
        """
        ...

    def lookup(self, entry: OutboxEntry, credential: str, now: float) -> DeskRequest | None:
        """A search by reference, made before re-sending a row whose earlier outcome is unknown.

        None when sending again is safe as it is (an idempotency key the desk still honours).
        """
        ...

    def found(self, answer: DeskAnswer) -> Verdict | None:
        """What the search's answer means: Delivered when the ticket exists, None when it does
        not (the message is sent now), Queued or Rejected when the search itself failed."""
        ...

    def not_found(self, entry: OutboxEntry) -> Mapping[str, object] | None:
        """The `desk_state` once a search proved the desk has no ticket (None: no change)."""
        ...

    def probe(self, destination: Destination, credential: str) -> DeskRequest | MailRequest:
        """`desk test`: a request that creates nothing and proves the address, the
        certificate and the credential (who am I, a one-ticket list, an SMTP login)."""
        ...

    def probed(self, destination: Destination, credential: str, answer: DeskAnswer) -> str:
        """What the probe's answer says is wrong ("" when nothing is): "credential",
        "permission", "address" or another code `desk test` can explain."""
        ...


class Unsendable(Exception):
    """The row cannot become a request as things stand; nothing is sent.

    `kind` "bad_token" keeps the message queued (the station's credential can be fixed); any
    other refusal rejects it with the reason (the message itself lacks what the desk needs).
    """

    def __init__(self, reason: str, *, kind: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


class PlainDesk:
    """The protocol's steps a desk without uploads, per-row state or a search leaves as they
    are; a desk inherits them and writes the rest."""

    per_minute: ClassVar[float | None] = None
    limit_share: ClassVar[float] = 0.8

    def prepare(self, entry: OutboxEntry, credential: str, now: float) -> DeskRequest | None:
        """No step before the ticket."""
        return None

    def prepared(self, entry: OutboxEntry, answer: DeskAnswer, now: float) -> Prepared:
        """Never asked (there is no step)."""
        return Prepared()

    def sending(self, entry: OutboxEntry, now: float) -> Mapping[str, object] | None:
        """Nothing to remember before the ticket's request."""
        return None

    def settled(self, entry: OutboxEntry, *, reached: bool) -> Mapping[str, object] | None:
        """Nothing to forget after an attempt."""
        return None

    def write_ahead(self, entry: OutboxEntry) -> bool:
        """A desk without a search has nothing to mark: re-sending is its only way."""
        return False

    def lookup(self, entry: OutboxEntry, credential: str, now: float) -> DeskRequest | None:
        """No search: re-sending is safe (an idempotency key, a Message-ID)."""
        return None

    def found(self, answer: DeskAnswer) -> Verdict | None:
        """Never asked (there is no search); nothing found means send."""
        return None

    def not_found(self, entry: OutboxEntry) -> Mapping[str, object] | None:
        """Nothing to forget when a search finds nothing."""
        return None


def probe_problem(answer: DeskAnswer) -> str:
    """What an HTTP desk's answer to a probe says is wrong, by status ("" when 2xx)."""
    status = answer.status
    if 200 <= status < 300:
        return ""
    if status == 401:
        return "credential"
    if status == 403:
        return "permission"
    if status == 429:
        return "throttled"
    if 300 <= status < 400 or status == 404:
        return "address"
    return "answer"


def reason_of(answer: DeskAnswer) -> str:
    """A refusal in the desk's own words: JSON error/message/detail/reason/title, else its text.

    One line, at most REASON_MAX characters, control sequences removed; "HTTP <status>" when
    the desk said nothing.
    """
    text = answer.body.decode("utf-8", "replace")
    try:
        reason = _reason_in(json.loads(text))
    except ValueError:
        reason = text
    return one_line(reason, max_len=REASON_MAX) or f"HTTP {answer.status}"


def _reason_in(value: object, depth: int = 0) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and depth < 3:
        for key in _REASON_KEYS:
            if key in value:
                found = _reason_in(value[key], depth + 1)
                if found:
                    return found
    if isinstance(value, list) and value and depth < 3:
        return "; ".join(r for r in (_reason_in(v, depth + 1) for v in value[:5]) if r)
    return ""


def ticket_id_in(value: object) -> str:
    """A ticket id given as a JSON string or integer, as one safe line ("" otherwise)."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return one_line(value, max_len=100)
    return ""


# One address, nothing around it: what may go in a requester field or a mail header.
_ADDRESS_RE = re.compile(r"^[^\s@<>\"(),;:\\]+@[^\s@<>\"(),;:\\]+\.[^\s@<>\"(),;:\\]+$")


def is_address(text: str) -> bool:
    """Whether `text` is one plain email address (no name, no second address, no newline)."""
    return len(text) <= 254 and bool(_ADDRESS_RE.match(text))


def basic_auth(user_and_secret: str) -> str:
    """An HTTP Basic Authorization value for "user:secret"."""
    return "Basic " + base64.b64encode(user_and_secret.encode("utf-8")).decode("ascii")


def api_url(endpoint: str, path: str) -> str:
    """`path` on the account's base URL (`endpoint` may end with a slash)."""
    return endpoint.rstrip("/") + path


def contact_of(entry: OutboxEntry) -> tuple[str, str]:
    """The person's email (only a plain address) and phone from the stored payload."""
    contact = entry.payload.get("contact")
    if not isinstance(contact, dict):
        return "", ""
    email = str(contact.get("email") or "").strip()
    phone = str(contact.get("phone") or "").strip()
    return (email if is_address(email) else ""), one_line(phone, max_len=40)


def subject_of(entry: OutboxEntry) -> str:
    """The stored subject as one line, with the reference in it (CONTRACT §5)."""
    subject = one_line(str(entry.payload.get("subject") or ""), max_len=250)
    return subject if entry.reference in subject else f"[{entry.reference}] {subject}".strip()


def report_json(entry: OutboxEntry) -> bytes:
    """The report of the stored payload as the JSON file a desk attaches."""
    report = entry.payload.get("report", {})
    return json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")


def report_file_name(entry: OutboxEntry) -> str:
    """The attachment's file name: the reference, so an agent can tell files apart."""
    return f"wallet-wizard-{entry.reference}.json"
