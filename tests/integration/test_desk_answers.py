"""What Zendesk's and Freshdesk's answers mean, desk by desk (CONTRACT §5): a 429 or 503 with
`Retry-After` keeps the message queued until exactly then (not the backoff), and every other
4xx rejects it with the desk's own description, as the desk words it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from tests.integration.deskkit import TOKEN_ENV, save
from tests.loopback.api import LoopbackAPI
from tests.loopback.freshdesk import API_KEY, FreshdeskServer
from tests.loopback.zendesk import AGENT, AGENT_TOKEN, END_USER, END_USER_TOKEN, ZendeskServer
from wizard.support.destination import Destination
from wizard.support.outbox import Outbox, State
from wizard.support.send import deliver

AGENT_CREDENTIAL = f"{AGENT}/token:{AGENT_TOKEN}"
NOW = 1_900_000_000.0


@pytest.fixture
def outbox() -> Iterator[Outbox]:
    box = Outbox.open()
    yield box
    box.close()


def _zendesk(api: str) -> Callable[[LoopbackAPI], Destination]:
    def destination(server: LoopbackAPI) -> Destination:
        token_env = TOKEN_ENV if api == "tickets" else ""
        options = {"zendesk_api": api}
        return Destination("zendesk", server.base, token_env, options=options)

    return destination


def _freshdesk(server: LoopbackAPI) -> Destination:
    return Destination("freshdesk", server.base, TOKEN_ENV)


@contextmanager
def _server(desk: str) -> Iterator[LoopbackAPI]:
    with ZendeskServer() if desk.startswith("zendesk") else FreshdeskServer() as server:
        yield server


DESKS = {
    "zendesk-tickets": (_zendesk("tickets"), AGENT_CREDENTIAL),
    "zendesk-requests": (_zendesk("requests"), ""),
    "freshdesk": (_freshdesk, API_KEY),
}


@pytest.mark.parametrize("fault", ["throttle", "unavailable"])
@pytest.mark.parametrize("desk", sorted(DESKS))
async def test_retry_after_is_when_the_message_is_tried_again(
    desk: str, fault: str, outbox: Outbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    destination, credential = DESKS[desk]
    monkeypatch.setenv(TOKEN_ENV, credential)
    with _server(desk) as server:
        server.plan, server.retry_after = [fault], "90"
        entry = save(outbox, destination(server))
        result = await deliver(entry, outbox, now=NOW)
    assert result.state is State.QUEUED
    assert result.http_status == (429 if fault == "throttle" else 503)
    # The desk's 90 s, not the first backoff (5 s ± 20%).
    assert result.retry_at == NOW + 90
    row = outbox.get(entry.id)
    assert row is not None and row.next_attempt_at == NOW + 90


def _suspend(server: LoopbackAPI) -> None:
    assert isinstance(server, ZendeskServer)
    server.suspended.add("alice@qq.com")


def _members_only(server: LoopbackAPI) -> None:
    assert isinstance(server, ZendeskServer)
    server.anyone_can_submit = False


def _block(server: LoopbackAPI) -> None:
    assert isinstance(server, FreshdeskServer)
    server.blocked.add("alice@qq.com")


def _as_is(server: LoopbackAPI) -> None:
    """The account as it comes."""


# desk, credential, how the account is set, the status, the desk's own words
REFUSALS = [
    ("zendesk-tickets", f"{AGENT}/token:wrong", _as_is, 401, "Couldn't authenticate you"),
    (
        "zendesk-tickets",
        f"{END_USER}/token:{END_USER_TOKEN}",
        _as_is,
        403,
        "You do not have access to this page. Please contact the account owner of this help "
        "desk for further help.",
    ),
    ("zendesk-tickets", AGENT_CREDENTIAL, _suspend, 422, "Requester: alice@qq.com is suspended"),
    ("zendesk-requests", "", _members_only, 401, "Couldn't authenticate you"),
    ("zendesk-requests", "", _suspend, 422, "Requester: alice@qq.com is suspended"),
    ("freshdesk", "wrong-key", _as_is, 401, "You have to be logged in to perform this action."),
    ("freshdesk", API_KEY, _block, 400, "email: The contact alice@qq.com is blocked"),
]


@pytest.mark.parametrize(
    ("desk", "credential", "setting", "status", "words"),
    REFUSALS,
    ids=[
        f"{desk}-{status}-{setting.__name__.strip('_')}" for desk, _, setting, status, _ in REFUSALS
    ],
)
async def test_a_refusal_is_shown_in_the_desks_own_words(
    desk: str,
    credential: str,
    setting: Callable[[LoopbackAPI], None],
    status: int,
    words: str,
    outbox: Outbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    destination, _ = DESKS[desk]
    monkeypatch.setenv(TOKEN_ENV, credential)
    with _server(desk) as server:
        setting(server)
        entry = save(outbox, destination(server))
        result = await deliver(entry, outbox)
        made = [s for s in server.seen if s.status in (200, 201) and "upload" not in s.path]
    assert (result.state, result.http_status, result.reason) == (State.REJECTED, status, words)
    assert made == []  # no ticket, nor anything else but the report's upload
    row = outbox.get(entry.id)
    assert row is not None and row.state is State.REJECTED
    assert row.last_error == f"HTTP {status}: {words}"
