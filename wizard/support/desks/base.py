"""The help-desk seam (CONTRACT §5): what a desk says so the outbox can deliver to it.

A desk knows its own API and nothing else: how a stored row becomes the request that makes a
ticket, what the desk's answers mean, and how to find a ticket by its reference when an
earlier attempt's outcome is unknown. What every desk shares lives once, elsewhere: the
attempt itself (time limits, the capped read of an answer, 3xx/408/425/429/5xx, Retry-After,
backoff, the credential cut out of every error, refusing insecure endpoints) in
`wizard.support.send`, and the retry loop in `wizard.support.courier`.

A request is built from the stored row alone (its payload and destination), so every retry
sends the very same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Protocol

from wizard.text import one_line

if TYPE_CHECKING:
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
class DeskAnswer:
    """A desk's answer as read: status, headers (names in lower case), body (capped)."""

    status: int
    headers: Mapping[str, str]
    body: bytes

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


class HelpDesk(Protocol):
    """A kind of help desk (`support.desk`); one instance serves every row of its kind."""

    kind: ClassVar[str]

    def request(self, entry: OutboxEntry, credential: str) -> DeskRequest:
        """The request that makes the ticket for `entry`, the same bytes on every call.

        `credential` is the value of the variable the row's `token_env` names ("" when unset);
        the desk decides how it travels (Bearer, Basic, none).
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
