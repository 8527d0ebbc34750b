"""The Zendesk desk against a Zendesk account on 127.0.0.1 (tests/loopback/zendesk.py)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
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
from tests.loopback.zendesk import AGENT, AGENT_TOKEN, ZendeskServer
from wizard.support.desks.zendesk import KEY_MEMORY_S, UPLOAD_FRESH_S
from wizard.support.destination import Destination
from wizard.support.outbox import Outbox, State
from wizard.support.send import DeliveryResult, deliver

AGENT_CREDENTIAL = f"{AGENT}/token:{AGENT_TOKEN}"


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Outbox]:
    monkeypatch.setenv(TOKEN_ENV, AGENT_CREDENTIAL)
    box = Outbox.open()
    yield box
    box.close()


@pytest.fixture
def zendesk() -> Iterator[ZendeskServer]:
    with ZendeskServer() as server:
        yield server


def _tickets_api(server: ZendeskServer, *, token_env: str = TOKEN_ENV) -> Destination:
    return Destination(
        desk="zendesk",
        endpoint=server.base,
        token_env=token_env,
        options={"zendesk_api": "tickets"},
    )


def _requests_api(server: ZendeskServer) -> Destination:
    return Destination(desk="zendesk", endpoint=server.base, options={"zendesk_api": "requests"})


async def test_tickets_api_uploads_the_report_then_makes_one_private_ticket(
    outbox: Outbox, zendesk: ZendeskServer
) -> None:
    entry = save(outbox, _tickets_api(zendesk))
    result = await deliver(entry, outbox)
    assert result.state is State.DELIVERED and result.ticket_id == "1"
    upload, post = zendesk.requests("POST")
    assert upload.path == "/api/v2/uploads.json" and post.path == "/api/v2/tickets.json"
    assert upload.query["filename"] == [f"wallet-wizard-{entry.reference}.json"]
    assert json.loads(upload.body) == entry.payload["report"]
    basic = "Basic " + base64.b64encode(AGENT_CREDENTIAL.encode()).decode()
    assert post.headers["authorization"] == basic
    assert post.headers["idempotency-key"] == entry.idempotency_key
    (ticket,) = zendesk.tickets
    assert ticket.external_id == entry.reference and entry.reference in ticket.subject
    assert ticket.comment["public"] is False and ticket.comment["uploads"] == ["upl-0001"]
    assert ticket.requester == {"name": "+8613800138000", "email": "alice@qq.com"}
    assert ticket.attachments[0]["data"] == upload.body
    row = outbox.get(entry.id)
    assert row is not None and row.ticket_id == "1" and row.desk_state == {}


async def test_requests_api_is_anonymous_for_a_station(
    outbox: Outbox, zendesk: ZendeskServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TOKEN_ENV)
    entry = save(outbox, _requests_api(zendesk))
    result = await deliver(entry, outbox)
    assert result.state is State.DELIVERED and result.ticket_id == "1"
    assert all("authorization" not in seen.headers for seen in zendesk.seen)
    (ticket,) = zendesk.tickets
    assert ticket.via == "requests" and ticket.requester["email"] == "alice@qq.com"
    assert ticket.comment["uploads"] == ["upl-0001"]


async def test_a_refused_anonymous_upload_leaves_the_report_in_the_comment(
    outbox: Outbox, zendesk: ZendeskServer
) -> None:
    zendesk.anonymous_uploads = False
    entry = save(outbox, _requests_api(zendesk))
    result = await deliver(entry, outbox)
    assert result.state is State.DELIVERED
    (ticket,) = zendesk.tickets
    assert "uploads" not in ticket.comment
    assert "--- report (JSON) ---" in ticket.comment["body"]
    assert '"tls_untrusted"' in ticket.comment["body"]


async def test_throttled_then_one_ticket_with_the_same_upload_and_bytes(
    outbox: Outbox, zendesk: ZendeskServer
) -> None:
    zendesk.plan = ["throttle"]
    entry = save(outbox, _tickets_api(zendesk))
    heard: list[DeliveryResult] = []
    final = await courier(outbox, heard).send(entry.id)
    assert [(r.state, r.http_status) for r in heard] == [
        (State.QUEUED, 429),
        (State.DELIVERED, 201),
    ]
    assert final is not None and final.ticket_id == "1" and len(zendesk.tickets) == 1
    uploads = zendesk.requests("POST", "/api/v2/uploads.json")
    posts = zendesk.requests("POST", "/api/v2/tickets.json")
    assert len(uploads) == 1 and len(posts) == 2  # the token was kept, not uploaded again
    assert posts[0].body == posts[1].body


async def test_a_ticket_recorded_then_stalled_is_one_ticket_after_outbox_send(
    outbox: Outbox, zendesk: ZendeskServer
) -> None:
    zendesk.plan, zendesk.stall_s = ["stall"], ATTEMPT_S * 4
    entry = save(outbox, _tickets_api(zendesk))
    first = await deliver(entry, outbox, timeout_s=ATTEMPT_S)
    assert first.state is State.QUEUED and first.error_kind == "timeout"
    row = outbox.get(entry.id)
    assert row is not None and row.outcome_unknown and row.desk_state["upload"] == "upl-0001"
    outbox.close()
    sent = wizard("outbox", "send", env={TOKEN_ENV: AGENT_CREDENTIAL})
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert f"Delivered {entry.reference} — ticket 1" in sent.stdout
    assert len(zendesk.tickets) == 1
    posts = zendesk.requests("POST", "/api/v2/tickets.json")
    assert len(posts) == 2 and posts[0].body == posts[1].body  # Zendesk replayed its answer
    assert posts[1].status == 201 and len(zendesk.requests("POST", "/api/v2/uploads.json")) == 1


async def test_after_two_hours_a_lost_answer_is_looked_up_by_external_id(
    outbox: Outbox, zendesk: ZendeskServer
) -> None:
    zendesk.plan, zendesk.stall_s = ["stall"], ATTEMPT_S * 4
    entry = save(outbox, _tickets_api(zendesk))
    await deliver(entry, outbox, timeout_s=ATTEMPT_S)
    zendesk.forget_keys()
    later = outbox.get(entry.id)
    assert later is not None
    result = await deliver(later, outbox, now=entry.saved_at + KEY_MEMORY_S)
    assert result.state is State.DELIVERED and result.duplicate and result.ticket_id == "1"
    lookups = zendesk.requests("GET", "/api/v2/tickets.json")
    assert [s.query["external_id"] for s in lookups] == [[entry.reference]]
    assert len(zendesk.requests("POST", "/api/v2/tickets.json")) == 1  # never sent again


async def test_after_two_hours_nothing_found_starts_afresh_with_a_new_upload(
    outbox: Outbox, zendesk: ZendeskServer
) -> None:
    zendesk.plan = ["drop"]  # read, nothing made, no answer: the outcome is unknown
    entry = save(outbox, _tickets_api(zendesk))
    first = await deliver(entry, outbox, timeout_s=ATTEMPT_S)
    assert first.state is State.QUEUED
    row = outbox.get(entry.id)
    assert row is not None and row.outcome_unknown and row.desk_state.get("sent_at")
    zendesk.forget_keys()
    result = await deliver(row, outbox, now=entry.saved_at + KEY_MEMORY_S)
    assert result.state is State.DELIVERED and not result.duplicate
    assert [s.path for s in zendesk.seen] == [
        "/api/v2/uploads.json",
        "/api/v2/tickets.json",
        "/api/v2/tickets.json",  # the look-up: nothing there
        "/api/v2/uploads.json",  # the old token is gone with the key: a new one
        "/api/v2/tickets.json",
    ]
    (ticket,) = zendesk.tickets
    assert ticket.comment["uploads"] == ["upl-0002"]


async def test_a_stale_upload_no_ticket_carried_is_replaced_and_a_sent_one_never_is(
    outbox: Outbox, zendesk: ZendeskServer
) -> None:
    stale = save(outbox, _tickets_api(zendesk))
    outbox.set_desk_state(stale.id, {"upload": "old-token", "uploaded_at": 1.0})
    fixed = save(outbox, _tickets_api(zendesk))
    outbox.set_desk_state(fixed.id, {"upload": "upl-0000", "uploaded_at": 1.0, "sent_at": 2.0})
    for entry_id in (stale.id, fixed.id):
        row = outbox.get(entry_id)
        assert row is not None
        await deliver(row, outbox, now=1.0 + UPLOAD_FRESH_S + 1)
    by_reference = {t.external_id: t for t in zendesk.tickets}
    assert by_reference[stale.reference].comment["uploads"] == ["upl-0001"]
    assert by_reference[fixed.reference].comment["uploads"] == ["upl-0000"]


def test_the_same_key_with_other_bytes_is_refused_as_zendesk_documents(
    zendesk: ZendeskServer,
) -> None:
    auth = (f"{AGENT}/token", AGENT_TOKEN)
    headers = {"Idempotency-Key": "k-1"}
    ticket = {"ticket": {"subject": "s", "comment": {"body": "b"}}}
    url = f"{zendesk.base}/api/v2/tickets.json"
    first = httpx.post(url, json=ticket, headers=headers, auth=auth)
    again = httpx.post(url, json=ticket, headers=headers, auth=auth)
    ticket["ticket"]["subject"] = "changed"
    changed = httpx.post(url, json=ticket, headers=headers, auth=auth)
    assert first.headers["x-idempotency-lookup"] == "miss"
    assert again.status_code == 201 and again.headers["x-idempotency-lookup"] == "hit"
    assert changed.status_code == 400 and changed.json()["error"] == "IdempotentRequestError"
    assert len(zendesk.tickets) == 1


def test_refused_with_zendesks_own_words(tmp_path: Path, zendesk: ZendeskServer) -> None:
    zendesk.suspended.add("alice@qq.com")
    profile = write_profile(
        tmp_path,
        {
            "desk": "zendesk",
            "endpoint": zendesk.base,
            "zendesk_api": "tickets",
            "token_env": TOKEN_ENV,
        },
    )
    result = send_message(profile, env={TOKEN_ENV: AGENT_CREDENTIAL})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Requester: alice@qq.com is suspended" in result.stdout
    assert AGENT_TOKEN not in result.stdout and zendesk.tickets == []


def test_an_untrusted_certificate_sends_nothing_and_keeps_the_message(tmp_path: Path) -> None:
    with ZendeskServer(ssl_context=tls_server_context(trustme.CA())) as server:
        profile = write_profile(
            tmp_path, {"desk": "zendesk", "endpoint": server.base, "token_env": ""}
        )
        result = send_message(profile)
        assert result.returncode == 3, result.stdout + result.stderr
        assert server.seen == [] and server.tickets == []


def test_a_trusted_certificate_through_the_ca_bundle(tmp_path: Path) -> None:
    ca = trustme.CA()
    with ZendeskServer(ssl_context=tls_server_context(ca)) as server:
        profile = write_profile(
            tmp_path,
            {"desk": "zendesk", "endpoint": server.base, "token_env": ""},
            ca_bundle=ca_file(ca, tmp_path),
        )
        result = send_message(profile)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "ticket 1" in result.stdout and len(server.tickets) == 1


def test_a_kiosk_refuses_the_tickets_api_in_one_line(tmp_path: Path) -> None:
    profile = write_profile(
        tmp_path,
        {"desk": "zendesk", "endpoint": "https://127.0.0.1:9", "zendesk_api": "tickets"},
    )
    refused = wizard("--kiosk", "--profile", profile)
    assert refused.returncode == 2 and refused.stdout == ""
    (line,) = refused.stderr.strip().splitlines()
    assert "--kiosk" in line and 'support.zendesk_api = "requests"' in line


def test_a_kiosk_refuses_a_zendesk_api_token_even_for_the_requests_api(tmp_path: Path) -> None:
    # An API token acts as any user of the account, agents included: not on a station.
    profile = write_profile(
        tmp_path,
        {"desk": "zendesk", "endpoint": "https://127.0.0.1:9", "token_env": TOKEN_ENV},
    )
    refused = wizard("--kiosk", "--profile", profile, env={TOKEN_ENV: AGENT_CREDENTIAL})
    assert refused.returncode == 2 and refused.stdout == ""
    (line,) = refused.stderr.strip().splitlines()
    assert "--kiosk" in line and "Zendesk API token" in line and TOKEN_ENV in line
    assert AGENT_TOKEN not in line
