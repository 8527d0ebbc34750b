"""The retry schedule of the outbox (CONTRACT §4), attempt after attempt, against a real desk.

A message that cannot be delivered waits 5 s, then 10 s, 20 s … doubling up to an hour, each
wait spread by ±20% so that stations which lost the network together do not retry together.
The schedule is read from what `deliver` and `drain` record in the outbox, attempt by
attempt, with a seeded or an extreme random source.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.loopback.helpdesk import HelpDesk
from tests.unit.test_message import sample_message
from wizard.support.outbox import Outbox, OutboxEntry, State
from wizard.support.send import deliver, drain

NOW = 1_900_000_000.0
HOUR = 3600.0
ATTEMPTS = 12  # 5 s · 2¹¹ is past the hour: the last attempts all sit at the cap


def base_delay(attempt: int) -> float:
    """The wait after the `attempt`-th failure before jitter: 5, 10, 20 … seconds, at most 1 h."""
    return min(HOUR, 5.0 * 2.0 ** (attempt - 1))


class Extreme(random.Random):
    """A random source stuck at one end of its range: the jitter at its lowest or highest."""

    def __init__(self, high: bool) -> None:
        super().__init__(0)
        self.high = high

    def random(self) -> float:
        return 1.0 - 2.0**-53 if self.high else 0.0


def _row(outbox: Outbox, entry_id: int) -> OutboxEntry:
    row = outbox.get(entry_id)
    assert row is not None
    return row


async def _waits_after_each_503(outbox: Outbox, rng: random.Random) -> list[float]:
    """The wait `deliver` records after each of ATTEMPTS answers 503 without Retry-After."""
    waits = []
    with HelpDesk() as desk:
        desk.mode, desk.retry_after = "unavailable", ""
        entry = outbox.save(sample_message(), desk.url(), None)
        for attempt in range(1, ATTEMPTS + 1):
            result = await deliver(_row(outbox, entry.id), outbox, now=NOW, rng=rng)
            row = _row(outbox, entry.id)
            assert result.state is State.QUEUED and result.http_status == 503
            assert row.attempts == attempt
            assert result.retry_at is not None and row.next_attempt_at == result.retry_at
            waits.append(result.retry_at - NOW)
    return waits


async def test_the_wait_doubles_from_5_s_and_stops_at_an_hour(outbox: Outbox) -> None:
    waits = await _waits_after_each_503(outbox, random.Random(20261125))
    for attempt, wait in enumerate(waits, start=1):
        base = base_delay(attempt)
        assert base * 0.8 <= wait <= min(HOUR, base * 1.2), (attempt, wait)
    # Roughly 5, 10, 20 s: each wait is the previous one doubled, within the jitter.
    assert 4.0 <= waits[0] <= 6.0 and 8.0 <= waits[1] <= 12.0 and 16.0 <= waits[2] <= 24.0
    assert max(waits) <= HOUR


@pytest.mark.parametrize(("high", "factor"), [(False, 0.8), (True, 1.2)], ids=["lowest", "highest"])
async def test_the_jitter_reaches_both_ends_of_plus_minus_20_percent(
    outbox: Outbox, high: bool, factor: float
) -> None:
    waits = await _waits_after_each_503(outbox, Extreme(high))
    expected = [min(HOUR, base_delay(n) * factor) for n in range(1, ATTEMPTS + 1)]
    assert waits == pytest.approx(expected, rel=1e-9)
    # Spelled out: 4 or 6 s, 8 or 12 s, 16 or 24 s … and at the cap 48 or 60 minutes.
    assert waits[:3] == pytest.approx([4.0, 8.0, 16.0] if not high else [6.0, 12.0, 24.0])
    assert waits[-1] == pytest.approx(HOUR * 0.8 if not high else HOUR)


async def test_the_same_seed_gives_the_same_schedule(tmp_path: Path) -> None:
    schedules = []
    for run in range(2):
        with Outbox.open(tmp_path / f"outbox-{run}.sqlite3") as box:
            schedules.append(await _waits_after_each_503(box, random.Random(7)))
    assert schedules[0] == schedules[1]
    assert len(set(schedules[0][-4:])) > 1  # jitter spreads the capped waits too


async def test_drain_keeps_the_schedule_across_sessions_while_the_desk_is_down(
    tmp_path: Path,
) -> None:
    """The count of attempts lives in the outbox: a new session (reopened outbox) goes on
    from it, so the third failure waits ~20 s, not 5 s again."""
    path = tmp_path / "outbox.sqlite3"
    desk = HelpDesk()  # bound, not listening: every connection is refused
    try:
        with Outbox.open(path) as box:
            entry = box.save(sample_message(), desk.url(), None)
        for attempt in range(1, 6):
            with Outbox.open(path) as box:
                (result,) = await drain(box, now=NOW, rng=Extreme(high=False))
                row = _row(box, entry.id)
            assert result.state is State.QUEUED and result.error_kind == "network"
            assert row.attempts == attempt
            assert result.retry_at == pytest.approx(NOW + base_delay(attempt) * 0.8)
    finally:
        desk.close()
