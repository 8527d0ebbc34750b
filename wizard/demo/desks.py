"""The help desks the demo can play (`demo --desk`, `--demo-desk`): Zendesk, Freshdesk, email.

Small, honest stand-ins on 127.0.0.1 so a trainer or a `--demo` user sees a real ticket id
come back from the desk they will use: the Zendesk APIs the station and staff use (uploads,
requests, tickets with Idempotency-Key, the look-up by external_id, who am I), Freshdesk's
ticket creation, tag search and list (any non-empty API key), and an SMTP server that insists
on STARTTLS with the demo's own certificate (the profile's CA bundle trusts it) and files each
message once per Message-ID (`wizard.demo.smtp`). They answer the happy path; the test
suite's loopback desks play the faults.

This module holds the desks' state and answers only; it imports no server and no `email`
until a message arrives, so the demo's profile can be made before the wizard's first paint.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from wizard.demo.answers import Request, Response, json_response

DEMO_DESKS = ("webhook", "zendesk", "freshdesk", "email")
# The demo Freshdesk takes any key; the demo sets this variable for its own process.
DEMO_KEY_ENV = "WALLET_WIZARD_DEMO_KEY"
DEMO_KEY = "demo-key"


@dataclass(frozen=True)
class DeskTicket:
    """One ticket a demo desk made: its id and subject."""

    ticket_id: str
    subject: str


class DemoDesks:
    """The state of the demo's Zendesk, Freshdesk and mailbox (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.tickets: list[DeskTicket] = []
        self._uploads = 0
        self._keys: dict[str, tuple[bytes, dict[str, Any]]] = {}
        self._external: dict[str, int] = {}
        self._tags: dict[str, list[dict[str, Any]]] = {}
        self._message_ids: dict[str, str] = {}

    def made(self) -> list[DeskTicket]:
        """A snapshot of the tickets made, oldest first."""
        with self._lock:
            return list(self.tickets)

    def _new(self, subject: str) -> int:
        number = len(self.tickets) + 1
        self.tickets.append(DeskTicket(str(number), subject[:200]))
        return number

    # -- Zendesk -------------------------------------------------------------------------------

    def zendesk(self, request: Request, query: dict[str, list[str]]) -> Response | None:
        """A Zendesk API path, or None when it is not one."""
        method, path = request.method, request.path
        if (method, path) == ("GET", "/api/v2/users/me.json"):
            user: dict[str, object] = {"id": None, "name": "Anonymous user", "role": "end-user"}
            if request.headers.get("authorization"):
                user = {"id": 1, "name": "Demo Agent", "role": "agent"}
            return json_response(200, {"user": user})
        if (method, path) == ("POST", "/api/v2/uploads.json"):
            with self._lock:
                self._uploads += 1
                token = f"demo-upload-{self._uploads}"
            return json_response(201, {"upload": {"token": token}})
        if (method, path) == ("GET", "/api/v2/tickets.json"):
            wanted = query.get("external_id", [""])[0]
            with self._lock:
                found = [{"id": self._external[wanted]}] if wanted in self._external else []
            return json_response(200, {"tickets": found, "count": len(found)})
        if method == "POST" and path in ("/api/v2/requests.json", "/api/v2/tickets.json"):
            return self._zendesk_create(request, tickets=path.endswith("tickets.json"))
        return None

    def _zendesk_create(self, request: Request, *, tickets: bool) -> Response:
        kind = "ticket" if tickets else "request"
        key = request.headers.get("idempotency-key", "") if tickets else ""
        try:
            item = json.loads(request.body)[kind]
            subject = str(item["subject"])
        except (ValueError, KeyError, TypeError):
            return json_response(400, {"error": "InvalidJSON", "description": "not a " + kind})
        with self._lock:
            if key in self._keys:
                body, made = self._keys[key]
                if body != request.body:
                    description = "Request parameters don't match the given idempotency key"
                    error = {"error": "IdempotentRequestError", "description": description}
                    return json_response(400, error)
                return json_response(201, made, headers={"x-idempotency-lookup": "hit"})
            number = self._new(subject)
            made = {kind: {"id": number, "subject": subject}}
            if key:
                self._keys[key] = (request.body, made)
            external = item.get("external_id") if isinstance(item, dict) else None
            if isinstance(external, str):
                self._external[external] = number
        return json_response(201, made)

    # -- Freshdesk -----------------------------------------------------------------------------

    def freshdesk(self, request: Request, query: dict[str, list[str]]) -> Response | None:
        """A Freshdesk API path, or None when it is not one."""
        method, path = request.method, request.path
        if not path.startswith("/api/v2/") or path.endswith(".json"):
            return None
        if not _basic_user(request.headers.get("authorization", "")):
            message = "You have to be logged in to perform this action."
            return json_response(401, {"code": "invalid_credentials", "message": message})
        if (method, path) == ("GET", "/api/v2/tickets"):
            with self._lock:
                newest = [{"id": int(t.ticket_id)} for t in self.tickets[-1:]]
            return json_response(200, newest)
        if (method, path) == ("GET", "/api/v2/search/tickets"):
            tag = query.get("query", [""])[0].removeprefix("\"tag:'").removesuffix("'\"")
            with self._lock:
                hits = list(self._tags.get(tag, []))
            return json_response(200, {"results": hits, "total": len(hits)})
        if (method, path) == ("POST", "/api/v2/tickets"):
            fields, tags = _form_fields(request)
            subject = fields.get("subject", "")
            with self._lock:
                ticket = {"id": self._new(subject), "subject": subject, "tags": tags}
                for tag in tags:
                    self._tags.setdefault(tag, []).append(ticket)
            return json_response(201, ticket)
        return None

    # -- the mailbox ---------------------------------------------------------------------------

    def mail(self, data: bytes) -> str:
        """File one email as a ticket (once per Message-ID); its ticket id."""
        from email import message_from_bytes  # on the first message, not at start-up

        message = message_from_bytes(data)
        message_id = str(message.get("Message-ID", "")).strip()
        subject = str(message.get("Subject", ""))
        with self._lock:
            if message_id and message_id in self._message_ids:
                return self._message_ids[message_id]
            number = str(self._new(subject))
            if message_id:
                self._message_ids[message_id] = number
        return number


def _basic_user(header: str) -> str:
    scheme, _, encoded = header.partition(" ")
    if scheme != "Basic":
        return ""
    try:
        return base64.b64decode(encoded, validate=True).decode().partition(":")[0]
    except (ValueError, UnicodeDecodeError):
        return ""


def _form_fields(request: Request) -> tuple[dict[str, str], list[str]]:
    """The text fields and tags of a multipart (or JSON) ticket."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            document = json.loads(request.body)
        except ValueError:
            return {}, []
        listed = [str(t) for t in document.pop("tags", [])]
        return {k: str(v) for k, v in document.items()}, listed
    from email import message_from_bytes  # on the first ticket, not at start-up

    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = message_from_bytes(head + request.body)
    fields: dict[str, str] = {}
    tags: list[str] = []
    for part in message.walk():
        if part.is_multipart() or part.get_filename():
            continue
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        value = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        if name == "tags[]":
            tags.append(value)
        elif isinstance(name, str):
            fields[name] = value
    return fields, tags


def desk_route(desks: DemoDesks, kind: str, request: Request) -> Response | None:
    """The demo desk's answer to a request on the plain-HTTP port (None: not the desk's)."""
    query = parse_qs(request.query)
    if kind == "zendesk":
        return desks.zendesk(request, query)
    if kind == "freshdesk":
        return desks.freshdesk(request, query)
    return None
