"""The `freshdesk` desk (CONTRACT §5): `POST /api/v2/tickets`, the API key as HTTP Basic.

The ticket is sent as multipart/form-data so the report travels as a JSON attachment
(`attachments[]`) beside the fields: subject, the HTML-escaped body as description, the
person's email and/or phone (else `support.requester_email`), a name, status 2 (open),
priority 1 (low) and the tags `wallet-wizard` and the reference. The parts' boundary comes from
the row's Idempotency-Key, so every retry sends the very same bytes.

Freshdesk has no idempotency: before re-sending a message whose earlier outcome is unknown,
the reference is searched as a tag (`GET /api/v2/search/tickets?query="tag:'REF'"`); found
means delivered. Freshdesk's search index can lag a fresh ticket by a little while, which the
courier's backoff before a retry mostly covers.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import quote

from wizard.support.desks.base import (
    REASON_MAX,
    Delivered,
    DeskAnswer,
    DeskRequest,
    PlainDesk,
    Rejected,
    Unsendable,
    Verdict,
    api_url,
    basic_auth,
    contact_of,
    probe_problem,
    reason_of,
    report_file_name,
    report_json,
    subject_of,
    ticket_id_in,
)
from wizard.text import one_line

if TYPE_CHECKING:
    from wizard.support.destination import Destination
    from wizard.support.outbox import OutboxEntry

STATUS_OPEN = 2
PRIORITY_LOW = 1
TAG = "wallet-wizard"


def freshdesk_reason(answer: DeskAnswer) -> str:
    """Freshdesk's own words: each error's field and message, else its description."""
    document = answer.json()
    if isinstance(document, dict):
        errors = document.get("errors")
        found = []
        if isinstance(errors, list):
            for error in errors[:5]:
                if isinstance(error, dict) and error.get("message"):
                    field = str(error.get("field") or "").strip()
                    message = str(error["message"])
                    found.append(f"{field}: {message}" if field else message)
        if not found:
            found += [str(document[k]) for k in ("message", "description") if document.get(k)]
        text = "; ".join(found)
        if text:
            return one_line(text, max_len=REASON_MAX)
    return reason_of(answer)


def _auth(credential: str) -> dict[str, str]:
    # The API key is the user name; Freshdesk ignores the password ("X").
    return {"Authorization": basic_auth(f"{credential}:X")}


def html_description(body: str) -> str:
    """The plain-text body as Freshdesk's HTML description: escaped, line breaks kept."""
    return html.escape(body, quote=True).replace("\r\n", "\n").replace("\n", "<br>\n")


def _multipart(
    fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]], boundary: str
) -> tuple[bytes, str]:
    """A multipart/form-data body (RFC 7578) of text fields and files; its Content-Type."""
    chunks: list[bytes] = []
    for name, value in fields:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8")
            + b"\r\n"
        )
    for name, filename, data in files:
        chunks.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}";'
                f' filename="{filename}"\r\nContent-Type: application/json\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


class FreshdeskDesk(PlainDesk):
    """Freshdesk, through its v2 API with an API key."""

    kind: ClassVar[str] = "freshdesk"
    # A trial account's limit for the whole account (paid plans state theirs in every answer).
    per_minute: ClassVar[float | None] = 40.0
    # Ticket creation may use 40% of an account's per-minute total on every plan; keep a
    # margin below that for the account's other integrations.
    limit_share: ClassVar[float] = 0.35

    def request(self, entry: OutboxEntry, credential: str) -> DeskRequest:
        """The multipart ticket with the report attached, the same bytes on every call."""
        if not credential:
            raise Unsendable("Freshdesk needs the API key (support.token_env)", kind="bad_token")
        email, phone = contact_of(entry)
        email = email or entry.destination.option("requester_email")
        if not email and not phone:
            raise Unsendable(
                "Freshdesk needs a requester: the person gave no email or phone and "
                "support.requester_email is not set"
            )
        name = phone or email.split("@", 1)[0]
        fields = [("subject", subject_of(entry))]
        fields.append(("description", html_description(str(entry.payload.get("body") or ""))))
        if email:
            fields.append(("email", email))
        if phone:
            fields.append(("phone", phone))
        fields += [
            ("name", one_line(name, max_len=100)),
            ("status", str(STATUS_OPEN)),
            ("priority", str(PRIORITY_LOW)),
            ("tags[]", TAG),
            ("tags[]", entry.reference),
        ]
        files = [("attachments[]", report_file_name(entry), report_json(entry))]
        boundary = "wallet-wizard-" + entry.idempotency_key.replace("-", "")
        body, content_type = _multipart(fields, files, boundary)
        headers = {"Content-Type": content_type, "Accept": "application/json"}
        headers.update(_auth(credential))
        return DeskRequest("POST", api_url(entry.endpoint, "/api/v2/tickets"), headers, body)

    def judge(self, answer: DeskAnswer) -> Verdict:
        """201 (any 2xx): the ticket's id; anything else is refused in Freshdesk's words."""
        document = answer.json()
        if 200 <= answer.status < 300:
            ticket = ticket_id_in(document.get("id")) if isinstance(document, dict) else ""
            return Delivered(ticket)
        return Rejected(freshdesk_reason(answer))

    def lookup(self, entry: OutboxEntry, credential: str, now: float) -> DeskRequest | None:
        """Search the reference as a tag (no idempotency: the only way to know)."""
        query = quote(f"\"tag:'{entry.reference}'\"", safe="")
        url = api_url(entry.endpoint, f"/api/v2/search/tickets?query={query}")
        return DeskRequest("GET", url, {"Accept": "application/json", **_auth(credential)})

    def found(self, answer: DeskAnswer) -> Verdict | None:
        """A ticket tagged with the reference: delivered; none: send."""
        document = answer.json()
        if answer.status != 200 or not isinstance(document, dict):
            return Rejected(freshdesk_reason(answer))
        results = document.get("results")
        if isinstance(results, list) and results and isinstance(results[0], dict):
            return Delivered(ticket_id_in(results[0].get("id")), duplicate=True)
        return None

    def write_ahead(self, entry: OutboxEntry) -> bool:
        """No idempotency: a process killed mid-request must leave a reason to search."""
        return True

    def not_found(self, entry: OutboxEntry) -> Mapping[str, object] | None:
        """Nothing to forget: the request is built from the row alone."""
        return None

    def probe(self, destination: Destination, credential: str) -> DeskRequest:
        """A one-ticket list: proves the address, certificate and key, creates nothing."""
        if not credential:
            raise Unsendable("Freshdesk needs the API key (support.token_env)", kind="bad_token")
        url = api_url(destination.endpoint, "/api/v2/tickets?per_page=1")
        return DeskRequest("GET", url, {"Accept": "application/json", **_auth(credential)})

    def probed(self, destination: Destination, credential: str, answer: DeskAnswer) -> str:
        """401 credential, 403 permission, 3xx/404 address; 200 nothing wrong."""
        return probe_problem(answer)
