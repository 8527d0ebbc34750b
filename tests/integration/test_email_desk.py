"""The email desk against a real SMTP server on 127.0.0.1 (aiosmtpd, STARTTLS with trustme)."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.integration.deskkit import (
    ATTEMPT_S,
    TOKEN_ENV,
    ca_file,
    courier,
    save,
    send_message,
    tls_server_context,
    wizard,
    write_profile,
)
from tests.loopback.smtp import PASSWORD, USER, SMTPServer
from wizard.net.trust import trust_context
from wizard.support.desks.email import email_bytes
from wizard.support.destination import Destination
from wizard.support.outbox import Outbox, State
from wizard.support.send import DeliveryResult, deliver

CREDENTIAL = f"{USER}:{PASSWORD}"
TO = "help@wallet.example"
SENDER = "station-7@wallet.example"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def bundle(ca: trustme.CA, tmp_path: Path) -> str:
    return ca_file(ca, tmp_path)


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Outbox]:
    monkeypatch.setenv(TOKEN_ENV, CREDENTIAL)
    box = Outbox.open()
    yield box
    box.close()


@pytest.fixture
def smtp(ca: trustme.CA) -> Iterator[SMTPServer]:
    with SMTPServer(tls_server_context(ca)) as server:
        yield server


def _destination(server: SMTPServer, bundle: str) -> Destination:
    return Destination(
        desk="email",
        endpoint=server.url,
        token_env=TOKEN_ENV,
        ca_bundle=bundle,
        options={"to": TO, "sender": SENDER},
    )


async def test_one_email_over_verified_starttls_with_the_report_attached(
    outbox: Outbox, smtp: SMTPServer, bundle: str
) -> None:
    entry = save(outbox, _destination(smtp, bundle))
    result = await deliver(entry, outbox)
    assert result.state is State.DELIVERED and result.ticket_id == "Q-000001"
    (mail,) = smtp.deliveries
    assert mail.tls and mail.login == USER
    assert mail.sender == SENDER and mail.recipients == [TO]
    message = mail.message
    assert message["From"] == SENDER and message["To"] == TO
    assert message["Reply-To"] == "alice@qq.com"
    assert message["Message-ID"] == f"<{entry.reference}@wallet-wizard>"
    assert entry.reference in str(message["Subject"])
    body = message.get_body(("plain",))
    assert body is not None and entry.reference in body.get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == f"wallet-wizard-{entry.reference}.json"
    assert json.loads(attachment.get_content()) == entry.payload["report"]
    # The exact bytes the station built, every time.
    assert email_bytes(entry) == email_bytes(entry)


async def test_implicit_tls(outbox: Outbox, ca: trustme.CA, bundle: str) -> None:
    with SMTPServer(tls_server_context(ca), implicit_tls=True) as server:
        entry = save(outbox, _destination(server, bundle))
        result = await deliver(entry, outbox)
        assert result.state is State.DELIVERED and server.deliveries[0].tls


async def test_throttled_then_one_ticket(outbox: Outbox, smtp: SMTPServer, bundle: str) -> None:
    smtp.plan = ["throttle"]
    entry = save(outbox, _destination(smtp, bundle))
    heard: list[DeliveryResult] = []
    final = await courier(outbox, heard).send(entry.id)
    assert [r.state for r in heard] == [State.QUEUED, State.DELIVERED]
    assert "SMTP 451" in (outbox.get(entry.id) or entry).last_error or heard[0].error.startswith(
        "SMTP 451"
    )
    assert final is not None and len(smtp.tickets) == 1 and len(smtp.deliveries) == 1


async def test_a_message_kept_then_stalled_is_one_ticket_after_outbox_send(
    outbox: Outbox, smtp: SMTPServer, bundle: str
) -> None:
    smtp.plan, smtp.stall_s = ["stall"], ATTEMPT_S * 4
    entry = save(outbox, _destination(smtp, bundle))
    first = await deliver(entry, outbox, timeout_s=ATTEMPT_S)
    assert first.state is State.QUEUED and first.error_kind == "timeout"
    row = outbox.get(entry.id)
    assert row is not None and row.outcome_unknown  # the data had gone out
    outbox.close()
    sent = wizard("outbox", "send", env={TOKEN_ENV: CREDENTIAL})
    assert sent.returncode == 0, sent.stdout + sent.stderr
    # Sent again (SMTP has no search), byte for byte: the mailbox files one ticket.
    assert len(smtp.deliveries) == 2 and smtp.deliveries[0].data == smtp.deliveries[1].data
    assert len(smtp.tickets) == 1


def test_refused_with_the_servers_words(tmp_path: Path, smtp: SMTPServer, bundle: str) -> None:
    smtp.plan = ["reject"]
    profile = write_profile(
        tmp_path,
        {
            "desk": "email",
            "endpoint": smtp.url,
            "email": TO,
            "sender": SENDER,
            "token_env": TOKEN_ENV,
        },
        ca_bundle=bundle,
    )
    result = send_message(profile, env={TOKEN_ENV: CREDENTIAL})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "SMTP 550 5.7.1 Relaying denied" in result.stdout and PASSWORD not in result.stdout
    assert smtp.tickets == {}


def test_a_wrong_password_is_refused_and_never_shown(
    tmp_path: Path, smtp: SMTPServer, bundle: str
) -> None:
    profile = write_profile(
        tmp_path,
        {
            "desk": "email",
            "endpoint": smtp.url,
            "email": TO,
            "sender": SENDER,
            "token_env": TOKEN_ENV,
        },
        ca_bundle=bundle,
    )
    result = send_message(profile, env={TOKEN_ENV: f"{USER}:wrong-Pass-1"})
    assert result.returncode == 1 and "SMTP 535" in result.stdout
    assert "wrong-Pass-1" not in result.stdout and smtp.tickets == {}


def test_an_untrusted_certificate_sends_nothing_and_keeps_the_message(
    tmp_path: Path, smtp: SMTPServer
) -> None:
    profile = write_profile(
        tmp_path,
        {
            "desk": "email",
            "endpoint": smtp.url,
            "email": TO,
            "sender": SENDER,
            "token_env": TOKEN_ENV,
        },
    )
    result = send_message(profile, env={TOKEN_ENV: CREDENTIAL})
    assert result.returncode == 3, result.stdout + result.stderr
    assert "MAIL" not in smtp.commands and not any(c.startswith("AUTH") for c in smtp.commands)
    assert smtp.deliveries == []


def test_the_verifying_context_is_made_once_per_bundle_and_anew_when_it_changes(
    tmp_path: Path, ca: trustme.CA
) -> None:
    # Loading the default CAs costs tens of milliseconds: a backlog of emails must not pay it
    # for each one (twice, on the event loop), yet a replaced bundle must be trusted at once.
    bundle = ca_file(ca, tmp_path)
    first = trust_context(bundle)
    assert trust_context(bundle) is first
    assert first.verify_mode is ssl.CERT_REQUIRED and first.check_hostname
    other = trustme.CA()
    Path(bundle).write_bytes(ca.cert_pem.bytes() + other.cert_pem.bytes())
    changed = trust_context(bundle)
    assert changed is not first
    assert len(changed.get_ca_certs()) == len(first.get_ca_certs()) + 1
    with pytest.raises(OSError):
        trust_context(str(tmp_path / "gone.pem"))


async def test_a_certificate_for_another_host_sends_nothing(
    outbox: Outbox, ca: trustme.CA, bundle: str
) -> None:
    # Trusted CA, wrong name: STARTTLS's context checks the host name too.
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("mail.elsewhere.example").configure_cert(context)
    with SMTPServer(context) as server:
        entry = save(outbox, _destination(server, bundle))
        result = await deliver(entry, outbox)
        assert result.state is State.QUEUED and result.error_kind == "network"
        assert "MAIL" not in server.commands and server.deliveries == []
        assert not any(c.startswith("AUTH") for c in server.commands)
