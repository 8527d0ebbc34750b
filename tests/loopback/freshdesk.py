"""A Freshdesk account on 127.0.0.1, written from Freshdesk's public API (v2) documentation.

- Authentication: HTTP Basic with the API key as user name and any password ("X"); a wrong or
  missing key answers 401 `{"code": "invalid_credentials", "message": "You have to be logged in
  to perform this action."}`.
- `POST /api/v2/tickets`, JSON or multipart/form-data (attachments as `attachments[]`, arrays
  as `tags[]`): 201 with the ticket. Validation errors answer 400 `{"description":
  "Validation failed", "errors": [{"field", "message", "code"}]}`; a requester needs `email`, or
  `phone` with `name`; `status` 2–5 and `priority` 1–4.
- `GET /api/v2/search/tickets?query="tag:'X'"` (the query in double quotes): `{"results": [...],
  "total": n}`; a query without its quotes is a 400.
- `GET /api/v2/tickets?per_page=N`: the newest tickets, a list.
- Rate limits: `X-RateLimit-Total`, `X-RateLimit-Remaining`, 429 with `Retry-After`.
- No idempotency: every accepted POST makes a ticket.
"""

from __future__ import annotations

import base64
import json
import re
import ssl
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from tests.loopback.api import Answer, LoopbackAPI, Seen

API_KEY = "fd-Key-3kQ9zP2mL7"
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TAG_QUERY = re.compile(r"^\"tag:'([^']*)'\"$")


@dataclass
class Ticket:
    """One Freshdesk ticket, with the files attached to it."""

    id: int
    fields: dict[str, Any]
    tags: list[str]
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ticket as the API shows it."""
        return {
            "id": self.id,
            "subject": self.fields.get("subject"),
            "description": self.fields.get("description"),
            "email": self.fields.get("email"),
            "phone": self.fields.get("phone"),
            "status": int(self.fields.get("status", 2)),
            "priority": int(self.fields.get("priority", 1)),
            "tags": self.tags,
            "attachments": [
                {"name": n, "content_type": t, "size": len(d)} for n, t, d in self.attachments
            ],
        }


def _form(
    content_type: str, body: bytes
) -> tuple[dict[str, Any], list[str], list[tuple[str, str, bytes]]]:
    """The fields, tags and files of a multipart/form-data body."""
    message: Message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, Any] = {}
    tags: list[str] = []
    files: list[tuple[str, str, bytes]] = []
    for part in message.iter_parts() if hasattr(message, "iter_parts") else []:
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename:
            files.append((filename, part.get_content_type(), data))
        elif name == "tags[]":
            tags.append(data.decode())
        elif isinstance(name, str):
            fields[name] = data.decode()
    return fields, tags, files


class FreshdeskServer(LoopbackAPI):
    """A Freshdesk account: tickets, tags, search, one API key."""

    limit_headers = ("X-RateLimit-Total", "X-RateLimit-Remaining")

    def __init__(self, *, ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__(ssl_context=ssl_context)
        self.api_key = API_KEY
        self.tickets: list[Ticket] = []
        # Requesters Freshdesk refuses (a blocked contact), for the refusal's words.
        self.blocked: set[str] = set()

    def tickets_tagged(self, tag: str) -> list[Ticket]:
        """The tickets carrying the tag."""
        with self.lock:
            return [t for t in self.tickets if tag in t.tags]

    def answer(self, seen: Seen) -> Answer:
        """Route one request."""
        if not self._authorized(seen):
            return Answer(
                401,
                {
                    "code": "invalid_credentials",
                    "message": "You have to be logged in to perform this action.",
                },
            )
        if (seen.method, seen.path) == ("POST", "/api/v2/tickets"):
            return self._create(seen)
        if (seen.method, seen.path) == ("GET", "/api/v2/search/tickets"):
            query = seen.query.get("query", [""])[0]
            match = _TAG_QUERY.match(query)
            if match is None:
                return self._invalid("query", "It should be a valid search query in double quotes")
            hits = [t.to_json() for t in self.tickets_tagged(match.group(1))]
            return Answer(200, {"results": hits, "total": len(hits)})
        if (seen.method, seen.path) == ("GET", "/api/v2/tickets"):
            per_page = int(seen.query.get("per_page", ["30"])[0])
            with self.lock:
                newest = [t.to_json() for t in reversed(self.tickets)][:per_page]
            return Answer(200, newest)
        return Answer(404, {"code": "invalid_url", "message": "The requested URL was not found"})

    def _authorized(self, seen: Seen) -> bool:
        scheme, _, encoded = seen.headers.get("authorization", "").partition(" ")
        try:
            pair = base64.b64decode(encoded, validate=True).decode()
        except ValueError:
            return False
        return scheme == "Basic" and pair.partition(":")[0] == self.api_key

    @staticmethod
    def _invalid(field_name: str, message: str) -> Answer:
        return Answer(
            400,
            {
                "description": "Validation failed",
                "errors": [{"field": field_name, "message": message, "code": "invalid_value"}],
            },
        )

    def _create(self, seen: Seen) -> Answer:
        content_type = seen.headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            fields, tags, files = _form(content_type, seen.body)
        elif content_type.startswith("application/json"):
            try:
                fields = json.loads(seen.body)
            except ValueError:
                return self._invalid("body", "It should be valid JSON")
            tags, files = list(fields.pop("tags", [])), []
        else:
            return Answer(
                415, {"code": "invalid_content_type", "message": "Content-Type is invalid"}
            )
        for name in ("subject", "description"):
            if not str(fields.get(name, "")).strip():
                return self._invalid(name, "It should not be blank as this is a mandatory field")
        email, phone = str(fields.get("email", "")), str(fields.get("phone", ""))
        if email and not _EMAIL_RE.match(email):
            return self._invalid("email", "It should be a valid email address")
        if not email and not phone:
            return self._invalid("requester_id", "Please fill at least 1 of email, phone fields")
        if phone and not email and not fields.get("name"):
            return self._invalid("name", "It should be a/an String")
        if str(fields.get("status", "2")) not in ("2", "3", "4", "5"):
            return self._invalid("status", "It should be one of these values: '2,3,4,5'")
        if str(fields.get("priority", "1")) not in ("1", "2", "3", "4"):
            return self._invalid("priority", "It should be one of these values: '1,2,3,4'")
        if email in self.blocked:
            return self._invalid("email", f"The contact {email} is blocked")
        fault = self.next_fault()
        early = self.fault_answer(fault)
        if early is not None:
            return early
        with self.lock:
            ticket = Ticket(len(self.tickets) + 1, fields, tags, files)
            self.tickets.append(ticket)
        return Answer(201, ticket.to_json(), delay_s=self.stall_s if fault == "stall" else 0.0)
