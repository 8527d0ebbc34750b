"""A Zendesk Support account on 127.0.0.1, written from Zendesk's public API documentation.

- `POST /api/v2/uploads.json?filename=F`: the body is the file; 201
  `{"upload": {"token": T, "attachment": {...}, "attachments": [...]}}`. Anonymous uploads are
  allowed only while `anonymous_uploads` is on.
- `POST /api/v2/requests.json` (end users; anonymous when "anyone can submit tickets",
  `requester` then required): 201 `{"request": {"id": N, ...}}`.
- `POST /api/v2/tickets.json` (agents, `email/token:TOKEN` as Basic): 201 `{"ticket": {...}}`.
  `Idempotency-Key`: the first use answers `x-idempotency-lookup: miss`; the same key with the
  same body within 2 hours replays the first answer with `hit` and makes nothing; the same key
  with another body answers 400 `IdempotentRequestError` ("Request parameters don't match the
  given idempotency key"). `forget_keys()` plays the 2 hours passing.
- `GET /api/v2/tickets.json?external_id=X`: `{"tickets": [...], "count": n}` (agents).
- `GET /api/v2/users/me.json`: the user the credential names; without one, the anonymous user.
- Errors as Zendesk words them: 401 `{"error": "Couldn't authenticate you"}`, 403
  `{"error": "Forbidden", "description": ...}`, 422 `{"error": "RecordInvalid", "description":
  "Record validation errors", "details": {field: [{"description": ...}]}}`. Rate limits:
  `X-Rate-Limit`, `X-Rate-Limit-Remaining`, 429 with `Retry-After`.
"""

from __future__ import annotations

import base64
import json
import re
import ssl
from dataclasses import dataclass, field
from typing import Any

from tests.loopback.api import Answer, LoopbackAPI, Seen

AGENT = "agent@example.com"
AGENT_TOKEN = "zd-Agent-Token-6f1d2c"
END_USER = "station@example.com"
END_USER_TOKEN = "zd-EndUser-Token-91ab"
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Ticket:
    """One ticket as Zendesk keeps it (what an agent would see)."""

    id: int
    via: str  # "tickets" or "requests"
    subject: str
    comment: dict[str, Any]
    requester: dict[str, Any]
    external_id: str | None
    tags: list[str]
    attachments: list[dict[str, Any]] = field(default_factory=list)


class ZendeskServer(LoopbackAPI):
    """A Zendesk account: tickets, uploads, idempotency keys, users."""

    def __init__(self, *, ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__(ssl_context=ssl_context)
        self.anyone_can_submit = True
        self.anonymous_uploads = True
        self.tickets: list[Ticket] = []
        self.uploads: dict[str, dict[str, Any]] = {}
        # Idempotency-Key → (the first body, the first answer's document).
        self.keys: dict[str, tuple[bytes, dict[str, Any]]] = {}
        self.users = {
            AGENT: (AGENT_TOKEN, "agent", 1001),
            END_USER: (END_USER_TOKEN, "end-user", 2001),
        }
        # A requester email Zendesk refuses (a suspended user), for the refusal's words.
        self.suspended: set[str] = set()

    def forget_keys(self) -> None:
        """Two hours pass: Zendesk no longer remembers any Idempotency-Key."""
        with self.lock:
            self.keys.clear()

    def tickets_for(self, reference: str) -> list[Ticket]:
        """The tickets whose subject carries the reference."""
        with self.lock:
            return [t for t in self.tickets if reference in t.subject]

    # -- the API -------------------------------------------------------------------------------

    def _user(self, seen: Seen) -> tuple[str, str, int] | bool | None:
        """(email, role, id) for a valid credential, None without one, False for a bad one."""
        header = seen.headers.get("authorization", "")
        if not header:
            return None
        scheme, _, encoded = header.partition(" ")
        try:
            pair = base64.b64decode(encoded, validate=True).decode()
        except ValueError:
            return False
        name, _, secret = pair.partition(":")
        email, _, kind = name.partition("/")
        known = self.users.get(email)
        if scheme != "Basic" or kind != "token" or known is None or known[0] != secret:
            return False
        return email, known[1], known[2]

    def answer(self, seen: Seen) -> Answer:
        """Route one request."""
        user = self._user(seen)
        if user is False:
            return Answer(401, {"error": "Couldn't authenticate you"})
        route = (seen.method, seen.path)
        if route == ("GET", "/api/v2/users/me.json"):
            return self._me(user)
        if route == ("POST", "/api/v2/uploads.json"):
            return self._upload(seen, user)
        if route == ("POST", "/api/v2/requests.json"):
            return self._create(seen, user, via="requests")
        if route == ("POST", "/api/v2/tickets.json"):
            return self._create(seen, user, via="tickets")
        if route == ("GET", "/api/v2/tickets.json"):
            if not isinstance(user, tuple) or user[1] != "agent":
                return self._forbidden()
            wanted = seen.query.get("external_id", [""])[0]
            with self.lock:
                found = [self._ticket_json(t) for t in self.tickets if t.external_id == wanted]
            return Answer(200, {"tickets": found, "count": len(found), "next_page": None})
        return Answer(404, {"error": "InvalidEndpoint", "description": "Not found"})

    @staticmethod
    def _forbidden() -> Answer:
        return Answer(
            403,
            {
                "error": "Forbidden",
                "description": "You do not have access to this page. Please contact the account "
                "owner of this help desk for further help.",
            },
        )

    def _me(self, user: tuple[str, str, int] | bool | None) -> Answer:
        if isinstance(user, tuple):
            email, role, uid = user
            return Answer(200, {"user": {"id": uid, "email": email, "role": role}})
        return Answer(200, {"user": {"id": None, "name": "Anonymous user", "role": "end-user"}})

    def _upload(self, seen: Seen, user: tuple[str, str, int] | bool | None) -> Answer:
        if user is None and not self.anonymous_uploads:
            return Answer(401, {"error": "Couldn't authenticate you"})
        name = seen.query.get("filename", [""])[0]
        if not name:
            return Answer(400, {"error": "InvalidFilename", "description": "filename is required"})
        with self.lock:
            token = f"upl-{len(self.uploads) + 1:04d}"
            attachment = {
                "file_name": name,
                "content_type": seen.headers.get("content-type", "application/binary"),
                "size": len(seen.body),
            }
            self.uploads[token] = {**attachment, "data": seen.body}
        document = {
            "upload": {"token": token, "attachment": attachment, "attachments": [attachment]}
        }
        return Answer(201, document)

    def _create(self, seen: Seen, user: tuple[str, str, int] | bool | None, *, via: str) -> Answer:
        if via == "tickets" and not isinstance(user, tuple):
            return Answer(401, {"error": "Couldn't authenticate you"})
        if via == "tickets" and isinstance(user, tuple) and user[1] != "agent":
            return self._forbidden()
        if via == "requests" and user is None and not self.anyone_can_submit:
            return Answer(401, {"error": "Couldn't authenticate you"})
        key = seen.headers.get("idempotency-key", "") if via == "tickets" else ""
        if key:
            with self.lock:
                earlier = self.keys.get(key)
            if earlier is not None:
                if earlier[0] != seen.body:
                    return Answer(
                        400,
                        {
                            "error": "IdempotentRequestError",
                            "description": (
                                "Request parameters don't match the given idempotency key"
                            ),
                        },
                    )
                return Answer(201, earlier[1], {"x-idempotency-lookup": "hit"})
        fault = self.next_fault()
        early = self.fault_answer(fault)
        if early is not None:
            return early
        try:
            document = json.loads(seen.body)
            item = document["ticket" if via == "tickets" else "request"]
            comment = item["comment"]
        except (ValueError, KeyError, TypeError):
            return Answer(400, {"error": "InvalidJSON", "description": "the body is not a ticket"})
        requester = item.get("requester") or {}
        invalid = self._invalid(item, comment, requester, anonymous=user is None)
        if invalid is not None:
            return invalid
        with self.lock:
            tokens = comment.get("uploads", [])
            attachments = [dict(self.uploads[t]) for t in tokens if t in self.uploads]
            ticket = Ticket(
                id=len(self.tickets) + 1,
                via=via,
                subject=str(item.get("subject", "")),
                comment=comment,
                requester=requester,
                external_id=item.get("external_id"),
                tags=list(item.get("tags", [])),
                attachments=attachments,
            )
            self.tickets.append(ticket)
            made = {"ticket" if via == "tickets" else "request": self._ticket_json(ticket)}
            if key:
                self.keys[key] = (seen.body, made)
        headers = {"x-idempotency-lookup": "miss"} if key else {}
        return Answer(201, made, headers, delay_s=self.stall_s if fault == "stall" else 0.0)

    def _invalid(
        self,
        item: dict[str, Any],
        comment: dict[str, Any],
        requester: dict[str, Any],
        *,
        anonymous: bool,
    ) -> Answer | None:
        details: dict[str, list[dict[str, str]]] = {}
        if not str(comment.get("body", "")).strip():
            details["base"] = [
                {"description": "Description: cannot be blank", "error": "BlankValue"}
            ]
        email = str(requester.get("email", ""))
        if anonymous and not requester:
            details["requester"] = [
                {"description": "Requester: is required", "error": "BlankValue"}
            ]
        elif requester and not _EMAIL_RE.match(email):
            details["requester"] = [{"description": "Requester: Email is not properly formatted"}]
        elif email in self.suspended:
            details["requester"] = [{"description": f"Requester: {email} is suspended"}]
        if not details:
            return None
        return Answer(
            422,
            {
                "error": "RecordInvalid",
                "description": "Record validation errors",
                "details": details,
            },
        )

    @staticmethod
    def _ticket_json(ticket: Ticket) -> dict[str, Any]:
        return {
            "id": ticket.id,
            "subject": ticket.subject,
            "external_id": ticket.external_id,
            "tags": ticket.tags,
            "status": "new",
        }
