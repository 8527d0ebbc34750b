"""The `webhook` desk (CONTRACT §4): one JSON POST to `support.endpoint`, Bearer credential.

2xx is delivered (a `ticket_id` in a JSON answer is kept), 409 means the desk already has it;
any other 4xx the shared rules leave open is a refusal in the desk's own words. The row's
Idempotency-Key makes a re-send after a lost answer harmless, so no look-up is ever needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from wizard.support.desks.base import (
    Delivered,
    DeskAnswer,
    DeskRequest,
    PlainDesk,
    Rejected,
    Verdict,
    reason_of,
    ticket_id_in,
)

if TYPE_CHECKING:
    from wizard.support.destination import Destination
    from wizard.support.outbox import OutboxEntry


class WebhookDesk(PlainDesk):
    """A help desk that speaks CONTRACT §4."""

    kind: ClassVar[str] = "webhook"

    def request(self, entry: OutboxEntry, credential: str) -> DeskRequest:
        """POST the stored payload as it was saved, with the row's Idempotency-Key."""
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Idempotency-Key": entry.idempotency_key,
        }
        if credential:
            headers["Authorization"] = f"Bearer {credential}"
        return DeskRequest("POST", entry.endpoint, headers, entry.payload_json.encode("utf-8"))

    def judge(self, answer: DeskAnswer) -> Verdict:
        """2xx delivered (with the answer's `ticket_id`), 409 already delivered, else refused."""
        if 200 <= answer.status < 300 or answer.status == 409:
            document = answer.json()
            ticket = ticket_id_in(document.get("ticket_id")) if isinstance(document, dict) else ""
            return Delivered(ticket, duplicate=answer.status == 409)
        return Rejected(reason_of(answer))

    def probe(self, destination: Destination, credential: str) -> DeskRequest:
        """A GET of the endpoint with the credential: §4 defines no read, so any answer that
        is not a refusal of the credential or the address proves the way there."""
        headers = {"Accept": "application/json"}
        if credential:
            headers["Authorization"] = f"Bearer {credential}"
        return DeskRequest("GET", destination.endpoint, headers)

    def probed(self, destination: Destination, credential: str, answer: DeskAnswer) -> str:
        """401 credential, 403 permission, 3xx/404 address; anything else below 500 answered."""
        status = answer.status
        if status == 401:
            return "credential"
        if status == 403:
            return "permission"
        if 300 <= status < 400 or status == 404:
            return "address"
        return "answer" if status >= 500 else ""
