"""The `email` desk (CONTRACT §5): the message as an email to `support.email`, over SMTP.

To: `support.email`; From: `support.sender`; Reply-To: the person's email when they gave one
(so the agent's reply reaches them, not the station); `Message-ID: <REF@wallet-wizard>`; the
body as text, the report as a JSON attachment. Every header and the MIME boundary come from
the stored row (the Date is the message's own time), so a retry sends the very same bytes.

SMTP has no idempotency and no search. A retry after an unknown outcome (the server stopped
answering after the message's data went out) sends the same message again, with the same
Message-ID: mail-to-ticket systems and mailboxes recognise a Message-ID they already have,
and a message is never dropped to avoid a duplicate. The credential, when set, is
`user:password` for SMTP AUTH.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING, ClassVar

from wizard.support.desks.base import (
    Delivered,
    DeskAnswer,
    MailRequest,
    PlainDesk,
    Rejected,
    Unsendable,
    Verdict,
    contact_of,
    is_address,
    report_file_name,
    report_json,
    subject_of,
)
from wizard.text import one_line

if TYPE_CHECKING:
    from wizard.support.destination import Destination
    from wizard.support.outbox import OutboxEntry

MESSAGE_ID_DOMAIN = "wallet-wizard"
_QUEUED_AS = re.compile(r"queued as ([A-Za-z0-9._-]{1,64})")


def queue_id(answer: DeskAnswer) -> str:
    """The id a server's final reply gives the message ("250 Ok: queued as ABC"), or ""."""
    found = _QUEUED_AS.search(answer.body.decode("utf-8", "replace"))
    return found.group(1) if found else ""


def message_id(reference: str) -> str:
    """The deterministic Message-ID of a support message."""
    return f"<{reference}@{MESSAGE_ID_DOMAIN}>"


def _date(created_at: str) -> str:
    try:
        when = datetime.strptime(created_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        when = datetime(1970, 1, 1, tzinfo=UTC)
    return format_datetime(when, usegmt=True)


def _login(credential: str) -> tuple[str, str]:
    if not credential:
        return "", ""
    user, sep, password = credential.partition(":")
    if not sep or not user:
        raise Unsendable("the SMTP credential must be user:password", kind="bad_token")
    return user, password


def email_bytes(entry: OutboxEntry) -> bytes:
    """The whole email, the same bytes on every call."""
    options = entry.destination
    to, sender = options.option("to"), options.option("sender")
    if not is_address(to) or not is_address(sender):
        raise Unsendable("the email desk needs support.email (To) and support.sender (From)")
    email, _phone = contact_of(entry)
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = to
    if email:
        message["Reply-To"] = email
    message["Subject"] = subject_of(entry)
    message["Date"] = _date(entry.created_at)
    message["Message-ID"] = message_id(entry.reference)
    message["X-Wallet-Wizard-Reference"] = entry.reference
    message.set_content(str(entry.payload.get("body") or ""), subtype="plain", charset="utf-8")
    message.add_attachment(
        report_json(entry), maintype="application", subtype="json", filename=report_file_name(entry)
    )
    # The boundary is random unless set: derive it from the row, so retries match byte for byte.
    message.set_boundary("=_wallet-wizard_" + entry.idempotency_key.replace("-", ""))
    return message.as_bytes(policy=policy.SMTP)


class EmailDesk(PlainDesk):
    """A support mailbox reached over SMTP (STARTTLS or implicit TLS)."""

    kind: ClassVar[str] = "email"
    # Mail providers limit messages a minute per account; a station's share stays modest.
    per_minute: ClassVar[float | None] = 120.0
    limit_share: ClassVar[float] = 0.8

    def request(self, entry: OutboxEntry, credential: str) -> MailRequest:
        """The email for the row, addressed to support.email from support.sender."""
        user, password = _login(credential)
        data = email_bytes(entry)
        destination = entry.destination
        return MailRequest(
            url=entry.endpoint,
            sender=destination.option("sender"),
            recipients=(destination.option("to"),),
            message=data,
            username=user,
            password=password,
        )

    def judge(self, answer: DeskAnswer) -> Verdict:
        """250: accepted (the server's queue id, if it gives one); else the server's words."""
        if 200 <= answer.status < 300:
            return Delivered(queue_id(answer))
        text = one_line(answer.body.decode("utf-8", "replace"), max_len=250)
        return Rejected(f"SMTP {answer.status} {text}".strip())

    def probe(self, destination: Destination, credential: str) -> MailRequest:
        """EHLO, STARTTLS and AUTH, then QUIT: no MAIL, nothing sent."""
        user, password = _login(credential)
        sender = destination.option("sender")
        return MailRequest(destination.endpoint, sender, (), b"", user, password)

    def probed(self, destination: Destination, credential: str, answer: DeskAnswer) -> str:
        """535/534/530 at login: the credential; 454: no STARTTLS; any other refusal."""
        code = answer.status
        if 200 <= code < 400:
            return ""
        if code in (530, 534, 535):
            return "credential"
        if code == 454:
            return "no_starttls"
        return "answer"
