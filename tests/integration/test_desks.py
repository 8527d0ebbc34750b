"""The help-desk seam: a desk written here against the protocol, driven by the Courier.

`TagDesk` is a desk without idempotency (as Freshdesk is): HTTP Basic `KEY:X`, the reference
as a tag, a search by tag. `TagDeskServer` plays it on 127.0.0.1, told per POST how to answer.
Everything the desk does not say — limits, Retry-After, backoff, redaction, the loop — comes
from the shared code, which is what these tests prove.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.loopback.helpdesk import HelpDesk as WebhookServer
from tests.unit.test_message import sample_message
from wizard.support.courier import Courier
from wizard.support.desks import (
    Delivered,
    DeskAnswer,
    DeskRequest,
    HelpDesk,
    Rejected,
    Verdict,
)
from wizard.support.desks.base import PlainDesk, probe_problem, ticket_id_in
from wizard.support.destination import Destination
from wizard.support.outbox import Outbox, OutboxEntry, State
from wizard.support.pacing import Pacer
from wizard.support.send import DeliveryResult, deliver, describe_result
from wizard.vocabulary import LANGUAGES

KEY_ENV = "TAGDESK_KEY"
KEY = "k3y-Fq82LmZ0pQ"
BASIC = base64.b64encode(f"{KEY}:X".encode()).decode()
ATTEMPT_S = 0.5


class TagDesk(PlainDesk):
    """A desk without idempotency: it must be searched before a message is sent again."""

    kind: ClassVar[str] = "tagdesk"

    def request(self, entry: OutboxEntry, credential: str) -> DeskRequest:
        payload = entry.payload
        document = {
            "subject": payload["subject"],
            "description": payload["body"],
            "tags": ["wallet-wizard", entry.reference],
        }
        headers = {"Content-Type": "application/json"}
        if credential:
            pair = base64.b64encode(f"{credential}:X".encode()).decode()
            headers["Authorization"] = f"Basic {pair}"
        body = json.dumps(document, sort_keys=True).encode()
        return DeskRequest("POST", f"{entry.endpoint}/api/v2/tickets", headers, body)

    def judge(self, answer: DeskAnswer) -> Verdict:
        document = answer.json()
        if answer.status == 201 and isinstance(document, dict):
            return Delivered(ticket_id_in(document.get("id")))
        errors = document.get("errors", []) if isinstance(document, dict) else []
        return Rejected("; ".join(str(e.get("message")) for e in errors) or "refused")

    def lookup(self, entry: OutboxEntry, credential: str, now: float) -> DeskRequest | None:
        query = quote(f"\"tag:'{entry.reference}'\"")
        url = f"{entry.endpoint}/api/v2/search/tickets?query={query}"
        pair = base64.b64encode(f"{credential}:X".encode()).decode()
        return DeskRequest("GET", url, {"Authorization": f"Basic {pair}"})

    def found(self, answer: DeskAnswer) -> Verdict | None:
        document = answer.json()
        if answer.status != 200 or not isinstance(document, dict):
            return Rejected(f"search failed with {answer.status}")
        results = document.get("results") or []
        return Delivered(ticket_id_in(results[0]["id"]), duplicate=True) if results else None

    def probe(self, destination: Destination, credential: str) -> DeskRequest:
        pair = base64.b64encode(f"{credential}:X".encode()).decode()
        url = f"{destination.endpoint}/api/v2/tickets?per_page=1"
        return DeskRequest("GET", url, {"Authorization": f"Basic {pair}"})

    def probed(self, destination: Destination, credential: str, answer: DeskAnswer) -> str:
        return probe_problem(answer)


class OffOriginDesk(TagDesk):
    """A faulty desk whose request goes somewhere else than its endpoint."""

    kind: ClassVar[str] = "offorigin"

    def request(self, entry: OutboxEntry, credential: str) -> DeskRequest:
        sent = super().request(entry, credential)
        return DeskRequest("POST", "http://localhost:9/collect", sent.headers, sent.body)


@dataclass
class Seen:
    """One request as the test desk received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class TagDeskServer:
    """The test desk on 127.0.0.1. `plan` says how each POST is answered, in turn:

    created (201), unavailable (503, Retry-After 0), refuse (422 echoing the Authorization
    header, as a careless desk might), stall (record the ticket, answer after the client gave
    up) and drop (read the request, record nothing, hang up).
    """

    def __init__(self, plan: list[str]) -> None:
        self.plan = list(plan)
        self.seen: list[Seen] = []
        self.tickets: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base(self) -> str:
        """The desk's endpoint (its base URL, as Zendesk's and Freshdesk's are)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def posts(self) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.method == "POST"]

    def __enter__(self) -> TagDeskServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, seen: Seen) -> tuple[int, dict[str, Any], dict[str, str], float] | None:
        with self._lock:
            self.seen.append(seen)
            if seen.method == "GET":
                query = parse_qs(urlsplit(seen.path).query).get("query", [""])[0]
                hits = [t for tag, t in self.tickets.items() if f"tag:'{tag}'" in query]
                return 200, {"results": hits}, {}, 0.0
            step = self.plan.pop(0) if self.plan else "created"
            if step == "drop":
                return None
            if step == "unavailable":
                return 503, {"description": "maintenance"}, {"Retry-After": "0"}, 0.0
            if step == "refuse":
                shown = seen.headers.get("Authorization", "")
                errors = [{"field": "email", "message": f"requester unknown ({shown})"}]
                return 422, {"description": "Validation failed", "errors": errors}, {}, 0.0
            document = json.loads(seen.body)
            ticket = {"id": len(self.tickets) + 101, "subject": document["subject"]}
            self.tickets[document["tags"][1]] = ticket
            return 201, ticket, {}, (ATTEMPT_S * 4 if step == "stall" else 0.0)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        desk = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                answer = desk._answer(Seen(self.command, self.path, dict(self.headers), body))
                if answer is None:
                    self.close_connection = True
                    return
                status, document, headers, delay = answer
                if delay:
                    threading.Event().wait(delay)
                data = json.dumps(document).encode()
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            do_GET = do_POST = _serve

        return Handler


DESKS_HERE: dict[str, HelpDesk] = {"tagdesk": TagDesk(), "offorigin": OffOriginDesk()}


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Outbox]:
    monkeypatch.setenv(KEY_ENV, KEY)
    box = Outbox.open()
    yield box
    box.close()


def _save(outbox: Outbox, server: TagDeskServer, desk: str = "tagdesk") -> OutboxEntry:
    destination = Destination(desk=desk, endpoint=server.base, token_env=KEY_ENV)
    return outbox.save_to(sample_message(), destination)


def _courier(outbox: Outbox, heard: list[DeliveryResult]) -> Courier:
    # No backoff wait: the tests wait only for what the desk says (Retry-After 0). A desk that
    # pushed back twice is paced at its slowest, one request "a minute": a minute of 10 ms
    # here (tests/integration/test_pacing.py is where the pace itself is proved).
    return Courier(
        outbox,
        on_result=heard.append,
        desks=DESKS_HERE,
        timeout_s=ATTEMPT_S,
        min_retry_s=0.01,
        backoff=lambda attempts: 0.0,
        pacer=Pacer(minute_s=0.01),
    )


async def _until(condition: Callable[[], bool], what: str) -> None:
    """Wait until `condition()` holds (only a wedged test reaches the bound)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20.0
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def test_queued_then_retried_then_delivered_once(outbox: Outbox) -> None:
    heard: list[DeliveryResult] = []
    with TagDeskServer(["unavailable", "unavailable", "created"]) as server:
        entry = _save(outbox, server)
        final = await _courier(outbox, heard).send(entry.id)
        posts = server.posts()
    assert [r.state for r in heard] == [State.QUEUED, State.QUEUED, State.DELIVERED]
    assert [r.http_status for r in heard] == [503, 503, 201]
    assert final == heard[-1] and final.ticket_id == "101"
    assert len(server.tickets) == 1 and len(posts) == 3
    # The very same request every time: bytes, credential, address.
    assert len({p.body for p in posts}) == 1 and len({p.path for p in posts}) == 1
    assert {p.headers["Authorization"] for p in posts} == {f"Basic {BASIC}"}
    row = outbox.get(entry.id)
    assert row and row.state is State.DELIVERED and row.ticket_id == "101" and row.attempts == 3


async def test_rejected_with_the_desks_reason_and_no_credential_anywhere(outbox: Outbox) -> None:
    heard: list[DeliveryResult] = []
    with TagDeskServer(["refuse"]) as server:
        entry = _save(outbox, server)
        final = await _courier(outbox, heard).send(entry.id)
        posts = server.posts()
    assert [r.state for r in heard] == [State.REJECTED] and len(posts) == 1
    assert final is not None and final.http_status == 422
    assert final.reason.startswith("requester unknown")
    row = outbox.get(entry.id)
    assert row and row.state is State.REJECTED and row.last_error.startswith("HTTP 422: requester")
    # The desk echoed the Basic header: neither the key nor its Basic form is kept or shown.
    for secret in (KEY, BASIC):
        assert secret not in final.reason and secret not in row.last_error
        assert all(secret not in describe_result(final, lang) for lang in LANGUAGES)


async def test_unknown_outcome_is_looked_up_and_found_means_delivered(outbox: Outbox) -> None:
    heard: list[DeliveryResult] = []
    with TagDeskServer(["stall"]) as server:
        entry = _save(outbox, server)
        final = await _courier(outbox, heard).send(entry.id)
        seen = list(server.seen)
    assert [(r.state, r.error_kind) for r in heard] == [
        (State.QUEUED, "timeout"),
        (State.DELIVERED, ""),
    ]
    assert [s.method for s in seen] == ["POST", "GET"]  # searched, never sent twice
    assert entry.reference in seen[1].path and seen[1].headers["Authorization"] == f"Basic {BASIC}"
    assert final is not None and final.duplicate and final.ticket_id == "101"
    assert len(server.tickets) == 1


async def test_unknown_outcome_not_found_is_sent_once(outbox: Outbox) -> None:
    heard: list[DeliveryResult] = []
    with TagDeskServer(["drop", "created"]) as server:
        entry = _save(outbox, server)
        courier = _courier(outbox, heard)
        first = await deliver(
            entry, outbox, timeout_s=ATTEMPT_S, desks=DESKS_HERE, backoff=lambda n: 0.0
        )
        assert first.state is State.QUEUED and first.error_kind == "network"
        row = outbox.get(entry.id)
        assert row is not None and row.outcome_unknown  # the desk may have it
        final = await courier.send(entry.id)
        seen = list(server.seen)
    assert [s.method for s in seen] == ["POST", "GET", "POST"]
    assert seen[0].body == seen[2].body
    assert final is not None and final.state is State.DELIVERED and not final.duplicate
    assert len(server.tickets) == 1


async def test_a_refused_connection_is_a_known_outcome_and_needs_no_search(outbox: Outbox) -> None:
    with TagDeskServer([]) as server:
        base = server.base
    # The server is gone: the connection is refused, so nothing reached the desk.
    entry = outbox.save_to(
        sample_message(), Destination(desk="tagdesk", endpoint=base, token_env=KEY_ENV)
    )
    result = await deliver(entry, outbox, timeout_s=ATTEMPT_S, desks=DESKS_HERE)
    assert result.state is State.QUEUED and result.error_kind == "network"
    row = outbox.get(entry.id)
    assert row is not None and not row.outcome_unknown


async def test_never_two_loops_for_one_row(outbox: Outbox) -> None:
    heard: list[DeliveryResult] = []
    with TagDeskServer(["unavailable", "created"]) as server:
        entry = _save(outbox, server)
        courier = _courier(outbox, heard)
        one, other = await asyncio.gather(courier.send(entry.id), courier.send(entry.id))
        posts = server.posts()
    assert sorted([one is None, other is None]) == [False, True]
    assert len(posts) == 2 and len(server.tickets) == 1
    assert courier.active == frozenset()


async def test_drain_due_sends_what_is_due_and_waits_for_the_rest(outbox: Outbox) -> None:
    heard: list[DeliveryResult] = []
    with TagDeskServer([]) as server:
        due = _save(outbox, server)
        later = _save(outbox, server)
        # The desk asked for an hour's patience with this one (in an earlier run, say).
        outbox.mark_queued(later.id, retry_at=later.saved_at + 3600, error="HTTP 429")
        courier = _courier(outbox, heard)
        drain = asyncio.ensure_future(courier.drain_due())
        try:
            await _until(lambda: bool(heard), "the due message")
            assert [(r.entry_id, r.state) for r in heard] == [(due.id, State.DELIVERED)]
            assert courier.active == frozenset({later.id})
            # A Send of the waiting row meanwhile does not start a second loop for it.
            assert await courier.send(later.id) is None
        finally:
            drain.cancel()
        posts = server.posts()
    assert len(posts) == 1 and list(server.tickets) == [due.reference]


async def test_a_desk_this_version_lacks_keeps_the_message_queued(outbox: Outbox) -> None:
    with TagDeskServer([]) as server:
        entry = _save(outbox, server)
        result = await deliver(entry, outbox)  # the shipped desks: no "tagdesk" among them
        assert server.seen == []
    assert result.state is State.QUEUED and result.error_kind == "no_desk"
    for lang in LANGUAGES:
        assert "support.desk" in describe_result(result, lang)
    row = outbox.get(entry.id)
    assert row and row.state is State.QUEUED and "tagdesk" in row.last_error


async def test_a_request_off_the_endpoints_origin_is_never_sent(outbox: Outbox) -> None:
    with TagDeskServer([]) as server:
        entry = _save(outbox, server, desk="offorigin")
        result = await deliver(entry, outbox, desks=DESKS_HERE)
        assert server.seen == []
    assert result.state is State.REJECTED and result.error_kind == "insecure"
    row = outbox.get(entry.id)
    assert row and row.state is State.REJECTED and "endpoint's own address" in row.last_error


async def test_the_webhook_resends_with_its_key_instead_of_searching(outbox: Outbox) -> None:
    with WebhookServer() as desk:
        desk.mode, desk.late_s = "late", ATTEMPT_S * 4
        entry = outbox.save(sample_message(), desk.url(), None)
        heard: list[DeliveryResult] = []
        courier = Courier(outbox, on_result=heard.append, timeout_s=ATTEMPT_S * 2, min_retry_s=0.01)
        first = await deliver(entry, outbox, timeout_s=ATTEMPT_S)
        row = outbox.get(entry.id)
        assert first.error_kind == "timeout" and row is not None and row.outcome_unknown
        desk.mode = "created"
        final = await courier.send(entry.id)
        tickets, attempts = desk.snapshot()
    assert final is not None and final.state is State.DELIVERED
    assert len(tickets) == 1 and len(attempts) == 2  # no search: the same POST, the same key
    assert {a.headers["Idempotency-Key"] for a in attempts} == {entry.idempotency_key}
    assert attempts[0].body == attempts[1].body
