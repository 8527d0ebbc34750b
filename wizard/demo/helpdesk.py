"""The demo help desk: accepts support messages as tickets, once per Idempotency-Key."""

from __future__ import annotations

import hmac
import json
import threading
from dataclasses import dataclass, field
from typing import Any

MAX_KEY_LEN = 255


@dataclass(frozen=True)
class Ticket:
    """One message the help desk accepted."""

    ticket_id: str
    reference: str
    idempotency_key: str | None
    payload: dict[str, Any] = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        """The ticket as `GET /api/tickets` lists it."""
        return {
            "ticket_id": self.ticket_id,
            "reference": self.reference,
            "idempotency_key": self.idempotency_key,
            "payload": self.payload,
        }


@dataclass(frozen=True)
class Answer:
    """What the help desk replies: status, JSON body and extra headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class HelpDesk:
    """Thread-safe ticket store; a repeated Idempotency-Key replays the first answer.

    With a `token`, every request must carry `Authorization: Bearer <token>`.
    """

    def __init__(self, token: str | None = None) -> None:
        self._token = token
        self._lock = threading.Lock()
        self._tickets: list[Ticket] = []
        self._by_key: dict[str, Ticket] = {}
        self._attempts = 0

    @property
    def tickets(self) -> list[Ticket]:
        """A snapshot of the tickets received, oldest first."""
        with self._lock:
            return list(self._tickets)

    @property
    def attempts(self) -> int:
        """How many POSTs arrived (replays and rejected ones included)."""
        with self._lock:
            return self._attempts

    def listing(self) -> dict[str, Any]:
        """The body of `GET /api/tickets`."""
        return {"tickets": [t.to_json() for t in self.tickets]}

    def submit(self, body: bytes, authorization: str | None, key: str | None) -> Answer:
        """Handle `POST /api/tickets`: 201 with a ticket id, or a 4xx with the reason."""
        with self._lock:
            self._attempts += 1
        if self._token is not None and not _bearer_matches(authorization, self._token):
            return Answer(
                401,
                {"error": "a valid bearer token is required"},
                {"WWW-Authenticate": 'Bearer realm="demo help desk"'},
            )
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return Answer(400, {"error": "the body is not JSON"})
        if not isinstance(payload, dict):
            return Answer(400, {"error": "the body must be a JSON object"})
        reference = payload.get("reference")
        if not isinstance(reference, str) or not reference.strip():
            return Answer(400, {"error": 'the message has no "reference"'})
        key = key.strip() if key is not None else None
        if key is not None and not 0 < len(key) <= MAX_KEY_LEN:
            return Answer(400, {"error": "the Idempotency-Key header is empty or too long"})
        with self._lock:
            if key is not None and key in self._by_key:
                # Replay the first answer (as Stripe does): the sender learns its ticket id
                # and no second ticket is ever opened.
                first = self._by_key[key]
                return Answer(201, _created(first), {"Idempotent-Replayed": "true"})
            ticket = Ticket(
                ticket_id=f"T-{len(self._tickets) + 1:06d}",
                reference=reference.strip(),
                idempotency_key=key,
                payload=payload,
            )
            self._tickets.append(ticket)
            if key is not None:
                self._by_key[key] = ticket
        return Answer(201, _created(ticket))


def _created(ticket: Ticket) -> dict[str, Any]:
    return {"ticket_id": ticket.ticket_id, "reference": ticket.reference}


def _bearer_matches(header: str | None, token: str) -> bool:
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())
