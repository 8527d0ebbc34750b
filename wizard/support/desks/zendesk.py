"""The `zendesk` desk (CONTRACT §5): the Requests API for stations, the Tickets API for staff.

`zendesk_api = "requests"` posts `/api/v2/requests.json` as an end user — anonymously when no
credential is set (Zendesk allows it when "anyone can submit tickets"), which is what a help
station uses: a kiosk never holds an agent's token. `"tickets"` posts `/api/v2/tickets.json`
as an agent (`agent@example.com/token:APITOKEN`, HTTP Basic) with the row's Idempotency-Key,
`external_id` = the reference, and a private comment.

The report goes first to `/api/v2/uploads.json`, whose token the ticket's comment then names.
The token is kept in the row's desk state and never changes once a ticket request carried it:
Zendesk remembers an Idempotency-Key for 2 hours and answers 400 to the same key with other
bytes. So the ticket's bytes are fixed from the first attempt that may have reached Zendesk;
only a token no ticket request ever carried is replaced when it grows stale (Zendesk drops
unused uploads after 60 minutes), and an upload Zendesk refuses (anonymous uploads off, a file
type not allowed) leaves the report in the comment's text.

Before re-sending a tickets message whose earlier outcome is unknown and which is older than
Zendesk's memory of keys, it is looked up by `external_id`; found means delivered, and not
found means the key is forgotten and no ticket exists, so the message starts afresh. The
Requests API has neither idempotency nor a search an anonymous sender may use: after an
unknown outcome the message is sent again (the reference in the subject lets an agent merge
the rare duplicate), because a message is never dropped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from wizard.support.desks.base import (
    REASON_MAX,
    Delivered,
    DeskAnswer,
    DeskRequest,
    Prepared,
    Queued,
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

# Zendesk forgets an Idempotency-Key after 2 hours; look up a little before that.
KEY_MEMORY_S = 2 * 3600.0
LOOKUP_AFTER_S = KEY_MEMORY_S - 600.0
# Zendesk drops an upload no comment claimed after 60 minutes; replace one before that.
UPLOAD_FRESH_S = 50 * 60.0
TAGS = ("wallet_wizard",)
_INLINE_HEADING = "--- report (JSON) ---"


def _credential_headers(credential: str) -> dict[str, str]:
    return {"Authorization": basic_auth(credential)} if credential else {}


def zendesk_reason(answer: DeskAnswer) -> str:
    """Zendesk's own words: the details' descriptions, else the description, else the error."""
    document = answer.json()
    if isinstance(document, dict):
        found: list[str] = []
        details = document.get("details")
        if isinstance(details, dict):
            for items in details.values():
                for item in items if isinstance(items, list) else [items]:
                    if isinstance(item, dict) and isinstance(item.get("description"), str):
                        found.append(item["description"])
        description = document.get("description")
        if not found and isinstance(description, str):
            found.append(description)
        error = document.get("error")
        if not found and isinstance(error, dict):
            found += [str(error[k]) for k in ("title", "message") if error.get(k)]
        if not found and isinstance(error, str):
            found.append(error)
        text = "; ".join(found[:5])
        if text:
            return one_line(text, max_len=REASON_MAX)
    return reason_of(answer)


class ZendeskDesk:
    """Zendesk Support, through the Requests API (stations) or the Tickets API (staff)."""

    kind: ClassVar[str] = "zendesk"
    # The smallest plan's limit (Team: 200 a minute for the whole account).
    per_minute: ClassVar[float | None] = 160.0
    # Leave a fifth of the account's limit to its agents and other integrations.
    limit_share: ClassVar[float] = 0.8

    @staticmethod
    def _api(row: OutboxEntry | Destination) -> str:
        from wizard.support.outbox import OutboxEntry

        destination = row.destination if isinstance(row, OutboxEntry) else row
        api = destination.option("zendesk_api")
        return api if api in ("requests", "tickets") else "requests"

    # -- before the ticket: the report's upload -------------------------------------------

    def prepare(self, entry: OutboxEntry, credential: str, now: float) -> DeskRequest | None:
        """Upload the report when the row holds no usable upload token yet."""
        state = entry.desk_state
        if state.get("inline"):
            return None
        token = state.get("upload")
        if isinstance(token, str) and token:
            uploaded = float(state.get("uploaded_at") or 0.0)
            if state.get("sent_at") is not None or now - uploaded < UPLOAD_FRESH_S:
                return None
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        headers.update(_credential_headers(credential))
        name = quote(report_file_name(entry))
        url = api_url(entry.endpoint, f"/api/v2/uploads.json?filename={name}")
        return DeskRequest("POST", url, headers, report_json(entry))

    def prepared(self, entry: OutboxEntry, answer: DeskAnswer, now: float) -> Prepared:
        """Keep the upload's token; a refused upload leaves the report in the comment."""
        document = answer.json()
        if 200 <= answer.status < 300 and isinstance(document, dict):
            upload = document.get("upload")
            token = upload.get("token") if isinstance(upload, dict) else None
            if isinstance(token, str) and token:
                return Prepared(state={"upload": one_line(token, max_len=200), "uploaded_at": now})
        if answer.status == 401 and self._api(entry) == "tickets":
            # The ticket itself would be refused the same way: say so now, in Zendesk's words.
            return Prepared(verdict=Rejected(zendesk_reason(answer)))
        return Prepared(state={"inline": True})

    # -- the ticket --------------------------------------------------------------------------

    def _requester(self, entry: OutboxEntry) -> dict[str, str]:
        email, phone = contact_of(entry)
        email = email or entry.destination.option("requester_email")
        if not email:
            raise Unsendable(
                "Zendesk needs a requester email: the person gave none and "
                "support.requester_email is not set"
            )
        name = phone or email.split("@", 1)[0]
        return {"name": one_line(name, max_len=100), "email": email}

    def _comment(self, entry: OutboxEntry) -> dict[str, Any]:
        state = entry.desk_state
        body = str(entry.payload.get("body") or "")
        comment: dict[str, Any] = {}
        token = state.get("upload")
        if isinstance(token, str) and token and not state.get("inline"):
            comment["body"] = body
            comment["uploads"] = [token]
        else:
            comment["body"] = f"{body.rstrip()}\n\n{_INLINE_HEADING}\n{report_json(entry).decode()}"
        return comment

    def request(self, entry: OutboxEntry, credential: str) -> DeskRequest:
        """POST the request (end user) or ticket (agent), built from the row and its state."""
        api = self._api(entry)
        comment = self._comment(entry)
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        document: dict[str, Any]
        if api == "tickets":
            if ":" not in credential:
                raise Unsendable(
                    "the Zendesk tickets API needs an agent's API token (email/token:TOKEN)",
                    kind="bad_token",
                )
            comment["public"] = False
            document = {
                "ticket": {
                    "subject": subject_of(entry),
                    "comment": comment,
                    "requester": self._requester(entry),
                    "external_id": entry.reference,
                    "tags": [*TAGS, f"what_{one_line(str(entry.payload.get('what')), max_len=20)}"],
                }
            }
            path = "/api/v2/tickets.json"
            headers["Idempotency-Key"] = entry.idempotency_key
        else:
            request: dict[str, Any] = {"subject": subject_of(entry), "comment": comment}
            if not credential:
                # Anonymous: Zendesk makes (or finds) the end user from the requester.
                request["requester"] = self._requester(entry)
            document = {"request": request}
            path = "/api/v2/requests.json"
        headers.update(_credential_headers(credential))
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return DeskRequest("POST", api_url(entry.endpoint, path), headers, body)

    def sending(self, entry: OutboxEntry, now: float) -> Mapping[str, object] | None:
        """From the first ticket request on, its bytes (the upload token) are fixed."""
        state = entry.desk_state
        if state.get("sent_at") is not None:
            return None
        return {**state, "sent_at": now}

    def write_ahead(self, entry: OutboxEntry) -> bool:
        """Tickets: Zendesk forgets the key after 2 hours, so a lost answer must be known."""
        return self._api(entry) == "tickets"

    def settled(self, entry: OutboxEntry, *, reached: bool) -> Mapping[str, object] | None:
        """A request Zendesk certainly did not act on does not fix the token."""
        state = entry.desk_state
        if reached or state.get("sent_at") is None:
            return None
        return {k: v for k, v in state.items() if k != "sent_at"}

    def judge(self, answer: DeskAnswer) -> Verdict:
        """2xx: the ticket (or request) id; a replayed key is a duplicate; else refused."""
        document = answer.json()
        if 200 <= answer.status < 300:
            made: object = None
            if isinstance(document, dict):
                made = document.get("ticket") or document.get("request")
            ticket = ticket_id_in(made.get("id")) if isinstance(made, dict) else ""
            hit = answer.headers.get("x-idempotency-lookup", "").lower() == "hit"
            return Delivered(ticket, duplicate=hit)
        error = document.get("error") if isinstance(document, dict) else None
        if answer.status == 409 and error == "IdempotentRequestInProgress":
            # The first request with this key is still being handled: ask again later.
            return Queued("HTTP 409")
        return Rejected(zendesk_reason(answer))

    # -- after an unknown outcome ------------------------------------------------------------

    def lookup(self, entry: OutboxEntry, credential: str, now: float) -> DeskRequest | None:
        """Tickets older than Zendesk's memory of keys: look the reference up."""
        if self._api(entry) != "tickets" or now - entry.saved_at < LOOKUP_AFTER_S:
            return None
        url = api_url(entry.endpoint, f"/api/v2/tickets.json?external_id={quote(entry.reference)}")
        headers = {"Accept": "application/json", **_credential_headers(credential)}
        return DeskRequest("GET", url, headers)

    def found(self, answer: DeskAnswer) -> Verdict | None:
        """A ticket with the reference as external_id: delivered; none: send."""
        document = answer.json()
        if answer.status != 200 or not isinstance(document, dict):
            return Rejected(zendesk_reason(answer))
        tickets = document.get("tickets")
        if isinstance(tickets, list) and tickets and isinstance(tickets[0], dict):
            return Delivered(ticket_id_in(tickets[0].get("id")), duplicate=True)
        return None

    def not_found(self, entry: OutboxEntry) -> Mapping[str, object] | None:
        """No ticket and a forgotten key: start afresh (a new upload, new bytes)."""
        return {}

    # -- desk test ---------------------------------------------------------------------------

    def probe(self, destination: Destination, credential: str) -> DeskRequest:
        """Who am I: `GET /api/v2/users/me.json` creates nothing."""
        if self._api(destination) == "tickets" and ":" not in credential:
            raise Unsendable(
                "the Zendesk tickets API needs an agent's API token (email/token:TOKEN)",
                kind="bad_token",
            )
        headers = {"Accept": "application/json", **_credential_headers(credential)}
        return DeskRequest("GET", api_url(destination.endpoint, "/api/v2/users/me.json"), headers)

    def probed(self, destination: Destination, credential: str, answer: DeskAnswer) -> str:
        """A wrong credential, an end user where an agent is needed, or nothing wrong."""
        problem = probe_problem(answer)
        if problem:
            return problem
        document = answer.json()
        user = document.get("user") if isinstance(document, dict) else None
        if not isinstance(user, dict):
            return "answer"
        if credential and user.get("id") is None:
            # Zendesk answers a credential it does not know with the anonymous user.
            return "credential"
        if self._api(destination) == "tickets" and user.get("role") not in ("agent", "admin"):
            return "permission"
        return ""
