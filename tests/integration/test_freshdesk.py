"""The Freshdesk desk against a Freshdesk account on 127.0.0.1 (tests/loopback/freshdesk.py)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.integration.deskkit import (
    ATTEMPT_S,
    TOKEN_ENV,
    courier,
    save,
    send_message,
    tls_server_context,
    wizard,
    write_profile,
)
from tests.loopback.freshdesk import API_KEY, FreshdeskServer
from wizard.support.desks.freshdesk import html_description
from wizard.support.destination import Destination
from wizard.support.outbox import Outbox, State
from wizard.support.send import DeliveryResult, deliver


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Outbox]:
    monkeypatch.setenv(TOKEN_ENV, API_KEY)
    box = Outbox.open()
    yield box
    box.close()


@pytest.fixture
def freshdesk() -> Iterator[FreshdeskServer]:
    with FreshdeskServer() as server:
        yield server


def _destination(server: FreshdeskServer) -> Destination:
    return Destination(desk="freshdesk", endpoint=server.base, token_env=TOKEN_ENV)


async def test_one_ticket_with_the_report_attached_and_the_reference_as_a_tag(
    outbox: Outbox, freshdesk: FreshdeskServer
) -> None:
    entry = save(outbox, _destination(freshdesk))
    result = await deliver(entry, outbox)
    assert result.state is State.DELIVERED and result.ticket_id == "1"
    (post,) = freshdesk.requests("POST")
    assert (
        post.headers["authorization"]
        == "Basic " + base64.b64encode(f"{API_KEY}:X".encode()).decode()
    )
    (ticket,) = freshdesk.tickets
    assert ticket.tags == ["wallet-wizard", entry.reference]
    assert entry.reference in ticket.fields["subject"]
    assert ticket.fields["description"] == html_description(entry.payload["body"])
    assert ticket.fields["email"] == "alice@qq.com" and ticket.fields["phone"] == "+8613800138000"
    assert (ticket.fields["status"], ticket.fields["priority"]) == ("2", "1")
    ((name, content_type, data),) = ticket.attachments
    assert name == f"wallet-wizard-{entry.reference}.json" and content_type == "application/json"
    assert json.loads(data) == entry.payload["report"]
    # No search when nothing was uncertain.
    assert freshdesk.requests("GET") == []


def test_the_description_is_escaped_html() -> None:
    assert (
        html_description('a <b>x</b> & "y"\nz')
        == "a &lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;<br>\nz"
    )


async def test_throttled_then_one_ticket(outbox: Outbox, freshdesk: FreshdeskServer) -> None:
    freshdesk.plan = ["throttle"]
    entry = save(outbox, _destination(freshdesk))
    heard: list[DeliveryResult] = []
    final = await courier(outbox, heard).send(entry.id)
    assert [(r.state, r.http_status) for r in heard] == [
        (State.QUEUED, 429),
        (State.DELIVERED, 201),
    ]
    assert final is not None and final.ticket_id == "1" and len(freshdesk.tickets) == 1
    # A 429 is a known outcome: no search was needed before the second POST.
    assert [s.method for s in freshdesk.seen] == ["POST", "POST"]


async def test_a_ticket_recorded_then_stalled_is_found_by_its_tag_after_outbox_send(
    outbox: Outbox, freshdesk: FreshdeskServer
) -> None:
    freshdesk.plan, freshdesk.stall_s = ["stall"], ATTEMPT_S * 4
    entry = save(outbox, _destination(freshdesk))
    first = await deliver(entry, outbox, timeout_s=ATTEMPT_S)
    assert first.state is State.QUEUED and first.error_kind == "timeout"
    outbox.close()
    sent = wizard("outbox", "send", env={TOKEN_ENV: API_KEY})
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert f"Delivered {entry.reference} — ticket 1" in sent.stdout
    assert len(freshdesk.tickets) == 1
    search = freshdesk.requests("GET", "/api/v2/search/tickets")
    assert [s.query["query"] for s in search] == [[f"\"tag:'{entry.reference}'\""]]
    assert len(freshdesk.requests("POST")) == 1  # found: never sent twice


async def test_an_unknown_outcome_not_found_is_sent_once(
    outbox: Outbox, freshdesk: FreshdeskServer
) -> None:
    freshdesk.plan = ["drop"]
    entry = save(outbox, _destination(freshdesk))
    first = await deliver(entry, outbox, timeout_s=ATTEMPT_S)
    assert first.state is State.QUEUED
    row = outbox.get(entry.id)
    assert row is not None and row.outcome_unknown
    result = await deliver(row, outbox)
    assert result.state is State.DELIVERED and not result.duplicate
    assert [s.method for s in freshdesk.seen] == ["POST", "GET", "POST"]
    assert len(freshdesk.tickets) == 1


async def test_the_mark_is_written_before_the_ticket_goes_out(
    outbox: Outbox, freshdesk: FreshdeskServer
) -> None:
    # What a process killed mid-request leaves behind: the row says "search first".
    seen_marks: list[bool] = []
    original = freshdesk.answer

    def answer(seen):  # type: ignore[no-untyped-def]
        if seen.method == "POST":
            row = outbox.get(entry.id)
            seen_marks.append(bool(row and row.outcome_unknown))
        return original(seen)

    freshdesk.answer = answer  # type: ignore[method-assign]
    entry = save(outbox, _destination(freshdesk))
    result = await deliver(entry, outbox)
    assert result.state is State.DELIVERED and seen_marks == [True]


def test_refused_with_freshdesks_own_words(tmp_path: Path, freshdesk: FreshdeskServer) -> None:
    freshdesk.blocked.add("alice@qq.com")
    profile = write_profile(
        tmp_path, {"desk": "freshdesk", "endpoint": freshdesk.base, "token_env": TOKEN_ENV}
    )
    result = send_message(profile, env={TOKEN_ENV: API_KEY})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "email: The contact alice@qq.com is blocked" in result.stdout
    assert API_KEY not in result.stdout and freshdesk.tickets == []


def test_without_the_api_key_the_message_waits(tmp_path: Path, freshdesk: FreshdeskServer) -> None:
    profile = write_profile(
        tmp_path, {"desk": "freshdesk", "endpoint": freshdesk.base, "token_env": TOKEN_ENV}
    )
    result = send_message(profile)
    assert result.returncode == 3 and "credential" in result.stdout
    assert freshdesk.seen == []


def test_an_untrusted_certificate_sends_nothing_and_keeps_the_message(tmp_path: Path) -> None:
    with FreshdeskServer(ssl_context=tls_server_context(trustme.CA())) as server:
        profile = write_profile(
            tmp_path, {"desk": "freshdesk", "endpoint": server.base, "token_env": TOKEN_ENV}
        )
        result = send_message(profile, env={TOKEN_ENV: API_KEY})
        assert result.returncode == 3, result.stdout + result.stderr
        assert server.seen == [] and server.tickets == []


def test_a_kiosk_refuses_freshdesk_whose_every_key_is_an_agents(tmp_path: Path) -> None:
    profile = write_profile(
        tmp_path, {"desk": "freshdesk", "endpoint": "https://127.0.0.1:9", "token_env": TOKEN_ENV}
    )
    refused = wizard("--kiosk", "--profile", profile, env={TOKEN_ENV: API_KEY})
    assert refused.returncode == 2 and refused.stdout == ""
    (line,) = refused.stderr.strip().splitlines()
    assert "--kiosk" in line and 'support.desk = "email"' in line and API_KEY not in line
