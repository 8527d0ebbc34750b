"""Polite draining: requests to one help desk are spaced, and a desk that says "slow down" is
heard by every message bound for it, not only by the one it answered.

A fleet of stations can leave a backlog of a thousand messages for one desk, whose plan allows
a few hundred requests a minute to the whole account (agents and other integrations
included). So each desk (its kind and its address) gets a pace: the desk's own default until
it says its limit (`X-Rate-Limit` on Zendesk, `X-RateLimit-Total` on Freshdesk, `RateLimit-Limit`
elsewhere), then that limit times the desk's `limit_share`. A 429 (or 503) with `Retry-After`
holds every request to that desk until then; a 429 also halves the pace: the backlog resumes
slower than the rate that tripped the limit, so it does not trip it again. A desk with no pace (a
webhook) is not slowed until it pushes back.

Turns are handed out in order: each caller reserves the next free moment before it waits, so
concurrent sends to one desk are spaced exactly, and different desks never wait on each other.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from wizard.support.desks.base import DeskAnswer

MINUTE_S = 60.0
# The headers in which desks state their per-minute limit (lower case).
LIMIT_HEADERS = ("x-rate-limit", "x-ratelimit-total", "ratelimit-limit", "x-ratelimit-limit")
# The slowest a pushed-back desk is driven: one request every this many seconds.
SLOWEST_INTERVAL_S = 60.0
# A Retry-After longer than this is not waited for by the whole desk (the row keeps it).
HOLD_CAP_S = 3600.0

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class _Lane:
    """One desk's pace: the spacing between requests, the next free moment, any hold."""

    interval_s: float
    next_at: float = 0.0
    hold_until: float = 0.0
    learned: bool = False
    recent: deque[float] = field(default_factory=lambda: deque(maxlen=1000))
    pushed_back: int = 0


def limit_in(answer: DeskAnswer) -> float | None:
    """The per-minute limit an answer states, or None."""
    for name in LIMIT_HEADERS:
        text = answer.headers.get(name, "").split(",")[0].split(";")[0].strip()
        if text.isascii() and text.isdigit() and 0 < int(text) < 10**7:
            return float(int(text))
    return None


class Pacer:
    """Spaces the requests to each help desk; one serves a whole drain or courier."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        enabled: bool = True,
        minute_s: float = MINUTE_S,
    ) -> None:
        """`enabled=False` makes every turn immediate (what the pace would be is still learned);
        `minute_s` is how long "a minute" of the desks' per-minute limits lasts (tests and
        benchmarks shorten it; desks are never told)."""
        self._minute = minute_s
        self._clock = clock
        self._sleep = sleep
        self._enabled = enabled
        self._lanes: dict[str, _Lane] = {}

    def _lane(self, key: str, per_minute: float | None) -> _Lane:
        lane = self._lanes.get(key)
        if lane is None:
            interval = self._minute / per_minute if per_minute else 0.0
            lane = self._lanes[key] = _Lane(interval)
        return lane

    def interval(self, key: str) -> float:
        """The spacing now used for a desk, in seconds (0: not paced)."""
        lane = self._lanes.get(key)
        return lane.interval_s if lane else 0.0

    def pushed_back(self, key: str) -> int:
        """How many times a desk said "slow down" (429, or 503 with Retry-After)."""
        lane = self._lanes.get(key)
        return lane.pushed_back if lane else 0

    async def turn(self, key: str, per_minute: float | None) -> None:
        """Wait until the desk `key` may take one more request (and reserve that moment)."""
        lane = self._lane(key, per_minute)
        now = self._clock()
        start = max(now, lane.next_at, lane.hold_until)
        lane.next_at = start + lane.interval_s
        lane.recent.append(start)
        if self._enabled and start > now:
            await self._sleep(start - now)

    def observe(
        self, key: str, answer: DeskAnswer, retry_after_s: float | None, share: float
    ) -> None:
        """Learn from a desk's answer: its stated limit, and any push-back."""
        lane = self._lanes.get(key)
        if lane is None:
            return
        now = self._clock()
        limit = limit_in(answer)
        if limit is not None:
            stated = self._minute / (limit * share)
            # Never faster than the desk allows; after a push-back, not faster than the
            # slower pace it earned either.
            lane.interval_s = max(stated, lane.interval_s) if lane.pushed_back else stated
            lane.learned = True
        pushed = answer.protocol == "http" and (
            answer.status == 429 or (answer.status == 503 and retry_after_s is not None)
        )
        if not pushed and not (answer.protocol == "smtp" and 400 <= answer.status < 500):
            return
        lane.pushed_back += 1
        if retry_after_s is not None:
            lane.hold_until = max(lane.hold_until, now + min(retry_after_s, HOLD_CAP_S))
        if answer.protocol == "http" and answer.status == 503:
            # "Unavailable, try again then": the desk was down or busy, not counting our
            # requests. The hold is all it asked for; slowing the pace would make the first
            # message after an outage wait a whole minute for nothing.
            return
        slowest = SLOWEST_INTERVAL_S * self._minute / MINUTE_S
        lane.interval_s = min(slowest, max(lane.interval_s * 2, self._observed(lane)))

    def _observed(self, lane: _Lane) -> float:
        """Twice the spacing of the requests of the last minute (the pace that was too fast)."""
        now = self._clock()
        count = sum(1 for t in lane.recent if now - t <= self._minute)
        return 2 * self._minute / count if count else self._minute / MINUTE_S
