"""Polite draining: each desk's pace, its stated limit learned, a 429 heard by every row."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.integration.deskkit import TOKEN_ENV, save
from tests.loopback.freshdesk import API_KEY, FreshdeskServer
from wizard.support.desks import FreshdeskDesk, WebhookDesk, ZendeskDesk
from wizard.support.desks.base import DeskAnswer
from wizard.support.destination import Destination
from wizard.support.outbox import Outbox, State
from wizard.support.pacing import Pacer
from wizard.support.send import drain


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def _answer(status: int, **headers: str) -> DeskAnswer:
    return DeskAnswer(status, {k.replace("_", "-"): v for k, v in headers.items()}, b"")


async def _starts(
    pacer: Pacer, time: FakeTime, key: str, per_minute: float | None, n: int
) -> list[float]:
    starts = []
    for _ in range(n):
        await pacer.turn(key, per_minute)
        starts.append(time.now)
    return starts


async def test_a_desk_is_paced_at_its_default_until_it_states_its_limit() -> None:
    time = FakeTime()
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    starts = await _starts(pacer, time, "zendesk", ZendeskDesk.per_minute, 3)
    assert [round(b - a, 3) for a, b in itertools.pairwise(starts)] == [0.375, 0.375]
    # The account says 700 a minute (Zendesk's header): 80% of it from now on.
    pacer.observe("zendesk", _answer(201, x_rate_limit="700"), None, ZendeskDesk.limit_share)
    assert pacer.interval("zendesk") == pytest.approx(60 / 560)
    # Freshdesk's total: ticket creation may use only its share.
    pacer.observe("fresh", _answer(201, x_ratelimit_total="200"), None, FreshdeskDesk.limit_share)
    assert pacer.interval("fresh") == 0.0  # a desk not yet seen has no lane to learn into
    await pacer.turn("fresh", FreshdeskDesk.per_minute)
    pacer.observe("fresh", _answer(201, x_ratelimit_total="200"), None, FreshdeskDesk.limit_share)
    assert pacer.interval("fresh") == pytest.approx(60 / 70)


async def test_a_429_holds_the_whole_desk_and_slows_it_but_not_other_desks() -> None:
    time = FakeTime()
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    await pacer.turn("zendesk", ZendeskDesk.per_minute)
    await pacer.turn("webhook", WebhookDesk.per_minute)
    before = pacer.interval("zendesk")
    pacer.observe("zendesk", _answer(429, retry_after="30"), 30.0, ZendeskDesk.limit_share)
    assert pacer.pushed_back("zendesk") == 1 and pacer.interval("zendesk") >= 2 * before
    held_from = time.now
    await pacer.turn("webhook", WebhookDesk.per_minute)
    assert time.now == held_from  # another desk does not wait
    await pacer.turn("zendesk", ZendeskDesk.per_minute)
    assert time.now >= held_from + 30  # every row bound for the desk waits for its Retry-After
    # A stated limit after the push-back never speeds the desk up past the pace it earned.
    slowed = pacer.interval("zendesk")
    pacer.observe("zendesk", _answer(201, x_rate_limit="2500"), None, ZendeskDesk.limit_share)
    assert pacer.interval("zendesk") == slowed


async def test_an_unpaced_desk_is_slowed_once_it_pushes_back() -> None:
    time = FakeTime()
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    for _ in range(30):
        await pacer.turn("webhook", None)
    assert time.now == 1000.0  # no pace: nothing waited
    pacer.observe("webhook", _answer(429), None, WebhookDesk.limit_share)
    assert pacer.interval("webhook") == pytest.approx(4.0)  # half the 30 a minute it sent


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Outbox]:
    monkeypatch.setenv(TOKEN_ENV, API_KEY)
    box = Outbox.open()
    yield box
    box.close()


async def test_a_backlog_drains_under_the_desks_limit_without_tripping_it_twice(
    outbox: Outbox,
) -> None:
    # "A minute" lasts one second here, for the desk and the pacer alike.
    with FreshdeskServer() as server:
        server.limit, server.window_s = 20, 1.0
        destination = Destination(desk="freshdesk", endpoint=server.base, token_env=TOKEN_ENV)
        rows = [save(outbox, destination) for _ in range(30)]
        results = await drain(outbox, pacer=Pacer(minute_s=1.0))
        throttled = server.throttled
        tickets = len(server.tickets)
    assert {r.state for r in results} == {State.DELIVERED}
    assert tickets == len(rows)
    assert throttled <= 1


async def test_a_503_holds_the_desk_as_asked_but_does_not_slow_its_pace() -> None:
    # A desk that was down says "503, try again in 0 s" to the first message after the
    # outage: it was not counting our requests, so the next one goes at once, not a minute on.
    time = FakeTime()
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    await pacer.turn("webhook", WebhookDesk.per_minute)
    pacer.observe("webhook", _answer(503, retry_after="0"), 0.0, WebhookDesk.limit_share)
    assert pacer.pushed_back("webhook") == 1
    before = time.now
    await pacer.turn("webhook", WebhookDesk.per_minute)
    assert time.now == before
    # With a later Retry-After, the whole desk waits exactly that long, and no longer.
    pacer.observe("webhook", _answer(503, retry_after="5"), 5.0, WebhookDesk.limit_share)
    await pacer.turn("webhook", WebhookDesk.per_minute)
    assert time.now == pytest.approx(before + 5.0)
    # A 429 is about our rate: the pace slows.
    pacer.observe("webhook", _answer(429, retry_after="0"), 0.0, WebhookDesk.limit_share)
    assert pacer.interval("webhook") > 0
