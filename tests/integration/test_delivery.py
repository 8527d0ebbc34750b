"""Delivery against a real help desk on 127.0.0.1: every answer of CONTRACT §4."""

from __future__ import annotations

import random
import ssl
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest
import trustme

from tests.loopback.helpdesk import HelpDesk
from tests.loopback.http import LoopbackHTTPServer, Reply, Request
from tests.unit.test_message import sample_message
from wizard.support.destination import Destination
from wizard.support.outbox import Outbox, OutboxEntry, State
from wizard.support.send import (
    BACKOFF_CAP_S,
    backoff_delay,
    deliver,
    describe_result,
    drain,
    parse_retry_after,
)
from wizard.vocabulary import LANGUAGES

TOKEN_ENV = "WALLET_SUPPORT_TOKEN"


@pytest.fixture
def outbox() -> Iterator[Outbox]:
    box = Outbox.open()
    yield box
    box.close()


@pytest.fixture
def desk() -> Iterator[HelpDesk]:
    with HelpDesk() as running:
        yield running


def _save(outbox: Outbox, endpoint: str, token_env: str | None = TOKEN_ENV) -> OutboxEntry:
    return outbox.save(sample_message(), endpoint, token_env)


async def test_created_with_ticket_id_and_the_contract_headers(
    outbox: Outbox, desk: HelpDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "s3cret-token")
    entry = _save(outbox, desk.url())
    result = await deliver(entry, outbox)
    assert result.state is State.DELIVERED and result.http_status == 201
    assert result.ticket_id == "T-000001"
    row = outbox.get(entry.id)
    assert row and row.state is State.DELIVERED and row.ticket_id == "T-000001"
    assert row.attempts == 1 and row.delivered_at
    tickets, attempts = desk.snapshot()
    assert list(tickets) == [entry.idempotency_key]
    headers = {k.lower(): v for k, v in attempts[0].headers.items()}
    assert headers["content-type"] == "application/json"
    assert headers["idempotency-key"] == entry.idempotency_key
    assert headers["authorization"] == "Bearer s3cret-token"
    assert attempts[0].body == entry.payload_json.encode("utf-8")
    assert tickets[entry.idempotency_key].payload["reference"] == entry.reference


@pytest.mark.parametrize("token", [None, "", "   "])
async def test_no_authorization_without_a_token(
    outbox: Outbox, desk: HelpDesk, monkeypatch: pytest.MonkeyPatch, token: str | None
) -> None:
    if token is not None:
        monkeypatch.setenv(TOKEN_ENV, token)
    result = await deliver(_save(outbox, desk.url()), outbox)
    assert result.state is State.DELIVERED
    _, attempts = desk.snapshot()
    assert "authorization" not in {k.lower() for k in attempts[0].headers}


async def test_a_desk_that_wants_a_token_rejects_with_its_reason(outbox: Outbox) -> None:
    with HelpDesk(token="needed") as desk:
        result = await deliver(_save(outbox, desk.url()), outbox)
    assert result.state is State.REJECTED and result.http_status == 401
    assert result.reason == "missing or wrong bearer token"


async def test_409_means_already_delivered(outbox: Outbox, desk: HelpDesk) -> None:
    desk.mode = "conflict"
    entry = _save(outbox, desk.url())
    result = await deliver(entry, outbox)
    assert result.state is State.DELIVERED and result.duplicate and result.http_status == 409
    assert (row := outbox.get(entry.id)) and row.state is State.DELIVERED


async def test_503_with_retry_after_seconds_stays_queued(outbox: Outbox, desk: HelpDesk) -> None:
    desk.mode, desk.retry_after = "unavailable", "120"
    entry = _save(outbox, desk.url())
    now = 1_900_000_000.0
    result = await deliver(entry, outbox, now=now)
    assert result.state is State.QUEUED and result.http_status == 503
    assert result.retry_at == now + 120
    row = outbox.get(entry.id)
    assert row and row.state is State.QUEUED and row.attempts == 1
    assert row.next_attempt_at == now + 120 and row.last_error == "HTTP 503"
    assert outbox.pending(now + 119) == [] and outbox.pending(now + 121) == [row]
    assert desk.snapshot()[0] == {}


async def test_retry_after_as_an_http_date(outbox: Outbox, desk: HelpDesk) -> None:
    now = float(int(time.time()))
    desk.mode = "throttled"
    desk.retry_after = format_datetime(datetime.fromtimestamp(now + 300, UTC), usegmt=True)
    result = await deliver(_save(outbox, desk.url()), outbox, now=now)
    assert result.state is State.QUEUED and result.http_status == 429
    assert result.retry_at == now + 300


async def test_retry_after_is_capped_and_absent_means_backoff(
    outbox: Outbox, desk: HelpDesk
) -> None:
    now = 1_900_000_000.0
    desk.mode, desk.retry_after = "unavailable", "999999"
    capped = await deliver(_save(outbox, desk.url()), outbox, now=now)
    assert capped.retry_at == now + BACKOFF_CAP_S
    desk.retry_after = ""
    plain = await deliver(_save(outbox, desk.url()), outbox, now=now)
    assert plain.retry_at is not None and 4.0 <= plain.retry_at - now <= 6.0


async def test_400_is_rejected_with_the_servers_reason_and_never_resent(
    outbox: Outbox, desk: HelpDesk
) -> None:
    desk.mode = "bad_request"
    desk.reason = "phone \x1b[31mmalformed\x1b[0m " + "x" * 1000
    entry = _save(outbox, desk.url())
    result = await deliver(entry, outbox)
    assert result.state is State.REJECTED and result.http_status == 400
    assert result.reason.startswith("phone malformed") and len(result.reason) <= 300
    assert "\x1b" not in result.reason
    row = outbox.get(entry.id)
    assert row and row.state is State.REJECTED and row.last_error.startswith("HTTP 400: phone")
    desk.mode = "created"
    assert await drain(outbox) == []
    assert len(desk.snapshot()[1]) == 1
    for lang in LANGUAGES:
        assert "phone malformed" in describe_result(result, lang)


async def test_answer_after_the_client_gave_up_makes_one_ticket(
    outbox: Outbox, desk: HelpDesk
) -> None:
    desk.mode, desk.late_s = "late", 3.0
    entry = _save(outbox, desk.url())
    first = await deliver(entry, outbox, timeout_s=0.5)
    assert first.state is State.QUEUED and first.error_kind == "timeout"
    assert len(desk.snapshot()[0]) == 1  # the desk did record it
    desk.mode = "created"
    results = await drain(outbox, timeout_s=5.0)
    assert [r.state for r in results] == [State.DELIVERED]
    tickets, attempts = desk.snapshot()
    assert len(tickets) == 1 and tickets[entry.idempotency_key].posts == 2
    assert results[0].ticket_id == tickets[entry.idempotency_key].ticket_id
    assert {a.headers["Idempotency-Key"] for a in attempts} == {entry.idempotency_key}
    assert attempts[0].body == attempts[1].body


async def test_desk_down_then_up(outbox: Outbox) -> None:
    desk = HelpDesk()  # bound but not listening: connections are refused
    try:
        entry = _save(outbox, desk.url())
        down = await deliver(entry, outbox)
        assert down.state is State.QUEUED and down.error_kind == "network"
        assert (row := outbox.get(entry.id)) and row.last_error
        desk.up()
        results = await drain(outbox)
        assert [r.state for r in results] == [State.DELIVERED]
        assert len(desk.ticket_for(entry.reference)) == 1
    finally:
        desk.close()


async def test_no_endpoint_stays_queued_and_says_so(outbox: Outbox) -> None:
    entry = _save(outbox, "")
    result = await deliver(entry, outbox)
    assert result.state is State.QUEUED and result.error_kind == "no_endpoint"
    assert "support.endpoint" in describe_result(result, "en")
    assert "support.endpoint" in describe_result(result, "zh-CN")
    assert (row := outbox.get(entry.id)) and row.state is State.QUEUED


async def test_finished_rows_are_not_sent_again(outbox: Outbox, desk: HelpDesk) -> None:
    entry = _save(outbox, desk.url())
    await deliver(entry, outbox)
    again = await deliver(entry.__class__(**{**entry.__dict__, "state": State.DELIVERED}), outbox)
    assert again.state is State.DELIVERED
    assert len(desk.snapshot()[1]) == 1


async def test_drain_sends_many_once_each_and_respects_due_times(
    outbox: Outbox, desk: HelpDesk
) -> None:
    entries = [_save(outbox, desk.url()) for _ in range(30)]
    later = entries[-1]
    outbox.mark_queued(later.id, retry_at=later.saved_at + 3600, error="wait")
    due = await drain(outbox, force=False, now=later.saved_at + 10)
    assert len(due) == 29 and {r.state for r in due} == {State.DELIVERED}
    forced = await drain(outbox)
    assert [r.reference for r in forced] == [later.reference]
    tickets, attempts = desk.snapshot()
    assert len(tickets) == 30 and len(attempts) == 30
    assert await drain(outbox) == []


ODD_REPLIES = {
    "/ok-text": Reply(200, "thanks"),
    "/accepted": Reply(202, '{"ticket_id": 42}'),
    "/boom": Reply(500, "boom"),
    "/timeout": Reply(408, ""),
    "/too-early": Reply(425, ""),
    "/moved": Reply(302, "", {"Location": "https://elsewhere.example/"}),
    "/invalid": Reply(422, '{"detail": [{"message": "email missing"}]}'),
}


@pytest.fixture(scope="module")
def odd_server() -> Iterator[LoopbackHTTPServer]:
    def handler(request: Request) -> Reply:
        return ODD_REPLIES[request.path]

    with LoopbackHTTPServer(handler) as server:
        yield server


@pytest.mark.parametrize(
    ("path", "state", "ticket"),
    [
        ("/ok-text", State.DELIVERED, ""),
        ("/accepted", State.DELIVERED, "42"),
        ("/boom", State.QUEUED, ""),
        ("/timeout", State.QUEUED, ""),
        ("/too-early", State.QUEUED, ""),
        ("/moved", State.REJECTED, ""),
        ("/invalid", State.REJECTED, ""),
    ],
)
async def test_other_answers(
    outbox: Outbox, odd_server: LoopbackHTTPServer, path: str, state: State, ticket: str
) -> None:
    result = await deliver(_save(outbox, odd_server.url(path)), outbox)
    assert result.state is state and result.ticket_id == ticket
    assert result.http_status == ODD_REPLIES[path].status
    if path == "/invalid":
        assert result.reason == "email missing"
    if path == "/moved":
        assert "elsewhere.example" in result.reason


def test_backoff_grows_from_5_s_to_an_hour_with_jitter() -> None:
    rng = random.Random(7)
    for attempts, base in [(1, 5.0), (2, 10.0), (5, 80.0), (10, 2560.0)]:
        delays = [backoff_delay(attempts, rng) for _ in range(200)]
        assert min(delays) >= base * 0.8 and max(delays) <= base * 1.2
        assert max(delays) - min(delays) > base * 0.1  # jitter spreads retries
    assert all(2880 <= backoff_delay(n, rng) <= BACKOFF_CAP_S for n in (13, 40, 10**6))


def test_parse_retry_after() -> None:
    now = 1_900_000_000.0
    when = format_datetime(datetime.fromtimestamp(now + 60, UTC), usegmt=True)
    past = format_datetime(datetime.fromtimestamp(now - 60, UTC), usegmt=True)
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after(when, now) == 60
    assert parse_retry_after(past, now) == 0
    assert parse_retry_after("99999999999999999999", now) == BACKOFF_CAP_S
    for bad in (None, "", "soon", "-5", "1.5"):
        assert parse_retry_after(bad, now) is None


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_every_outcome_reads_with_the_reference(
    outbox: Outbox, desk: HelpDesk, lang: str
) -> None:
    entry = _save(outbox, desk.url())
    delivered = await deliver(entry, outbox)
    assert entry.reference in describe_result(delivered, lang)
    assert "T-000001" in describe_result(delivered, lang)
    desk.mode = "unavailable"
    queued = await deliver(_save(outbox, desk.url()), outbox)
    assert queued.reference in describe_result(queued, lang)
    assert "503" in describe_result(queued, lang)


# -- the profile's ca_bundle (CONTRACT §2: trusted for the help desk too) ---------------------


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_desk(ca: trustme.CA) -> Iterator[LoopbackHTTPServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    answer = Reply(201, '{"ticket_id": "T-TLS"}', {"Content-Type": "application/json"})
    with LoopbackHTTPServer(lambda request: answer, context) as server:
        yield server


def _tls_row(outbox: Outbox, server: LoopbackHTTPServer, ca_bundle: str) -> OutboxEntry:
    destination = Destination(endpoint=server.url("/api/tickets"), ca_bundle=ca_bundle)
    return outbox.save_to(sample_message(), destination)


async def test_a_desk_certified_by_the_ca_bundle_gets_the_message(
    outbox: Outbox, tls_desk: LoopbackHTTPServer, ca: trustme.CA, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(ca.cert_pem.bytes())
    result = await deliver(_tls_row(outbox, tls_desk, str(bundle)), outbox)
    assert result.state is State.DELIVERED and result.ticket_id == "T-TLS"
    assert len(tls_desk.requests) == 1


async def test_without_the_ca_bundle_the_desk_is_not_trusted(
    outbox: Outbox, tls_desk: LoopbackHTTPServer
) -> None:
    result = await deliver(_tls_row(outbox, tls_desk, ""), outbox)
    assert result.state is State.QUEUED and result.error_kind == "network"
    assert tls_desk.requests == []  # nothing went out over a connection it could not verify


async def test_a_ca_bundle_gone_since_the_message_was_saved_keeps_it_queued(
    outbox: Outbox, tls_desk: LoopbackHTTPServer, ca: trustme.CA, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(ca.cert_pem.bytes())
    entry = _tls_row(outbox, tls_desk, str(bundle))
    bundle.unlink()
    result = await deliver(entry, outbox)
    assert result.state is State.QUEUED and result.error_kind == "ca_bundle"
    assert tls_desk.requests == []
    assert "network.ca_bundle" in describe_result(result, "en")
    assert "network.ca_bundle" in describe_result(result, "zh-CN")
    results = await drain(outbox)  # the drain says the same, one row at a time
    assert [r.error_kind for r in results] == ["ca_bundle"]


async def test_a_drain_trusts_each_rows_own_ca_bundle(
    outbox: Outbox, tls_desk: LoopbackHTTPServer, ca: trustme.CA, tmp_path: Path, desk: HelpDesk
) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(ca.cert_pem.bytes())
    trusted = _tls_row(outbox, tls_desk, str(bundle))
    untrusted = _tls_row(outbox, tls_desk, "")
    plain = _save(outbox, desk.url())
    results = {r.entry_id: r for r in await drain(outbox)}
    assert results[trusted.id].state is State.DELIVERED
    assert results[untrusted.id].state is State.QUEUED
    assert results[plain.id].state is State.DELIVERED
    assert len(tls_desk.requests) == 1
