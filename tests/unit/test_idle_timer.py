"""The kiosk's idle timer at its edges: when the countdown starts, ends, and what it shows.

Idle for less than `idle_s`: nothing happens. From exactly `idle_s`: the "still there?"
countdown. From exactly `idle_s + warn_s`: the wipe. The countdown shows whole seconds
rounded up, so it reads `warn_s` when it appears and 1 (never 0) in its last second.
Times are binary fractions, which floats add exactly, so every edge is hit on the dot.
"""

from __future__ import annotations

import math

import pytest

from wizard.kiosk import IdleState, IdleTimer

IDLE_S = 120.0
WARN_S = 20.0
# Smaller than the countdown's old rounding slack (0.001 s), and exact in binary.
EPSILON = 2.0**-12


class Clock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 5_000.0

    def __call__(self) -> float:
        return self.now


def idle_for(seconds: float) -> IdleTimer:
    """A timer whose last activity was `seconds` ago."""
    clock = Clock()
    timer = IdleTimer(idle_s=IDLE_S, warn_s=WARN_S, clock=clock)
    clock.now += seconds
    return timer


def test_just_before_idle_s_nothing_happens() -> None:
    assert idle_for(IDLE_S - EPSILON).state() is IdleState.ACTIVE


def test_at_exactly_idle_s_the_countdown_starts_from_warn_s() -> None:
    timer = idle_for(IDLE_S)
    assert timer.state() is IdleState.WARNING
    assert timer.countdown() == WARN_S == 20


def test_in_the_last_moment_of_the_countdown_it_shows_one_not_zero() -> None:
    timer = idle_for(IDLE_S + WARN_S - EPSILON)
    assert timer.state() is IdleState.WARNING
    assert timer.countdown() == 1


def test_at_exactly_idle_s_plus_warn_s_the_session_expires() -> None:
    timer = idle_for(IDLE_S + WARN_S)
    assert timer.state() is IdleState.EXPIRED
    assert timer.countdown() == 0
    later = idle_for(IDLE_S + WARN_S + 3600)
    assert later.state() is IdleState.EXPIRED and later.countdown() == 0


@pytest.mark.parametrize(
    ("idle", "shown"),
    [
        (IDLE_S + EPSILON, 20),  # 19.9998 s left: still "20"
        (IDLE_S + 0.5, 20),  # 19.5 s left: rounded up, not to the nearest
        (IDLE_S + 1 - EPSILON, 20),  # 19.0002 s left: up, even a hair above a whole second
        (IDLE_S + 1, 19),  # exactly 19 s left
        (IDLE_S + 1.75, 19),  # 18.25 s left: up, not down to 18
        (IDLE_S + 19, 1),  # exactly 1 s left
        (IDLE_S + 19.5, 1),  # half a second left
    ],
)
def test_the_countdown_is_whole_seconds_rounded_up(idle: float, shown: int) -> None:
    timer = idle_for(idle)
    assert timer.state() is IdleState.WARNING
    assert timer.countdown() == shown


def test_every_moment_of_the_warning_shows_between_one_and_warn_s() -> None:
    """Walk the whole countdown in 1/64 s steps: ceil of the time left, never 0, never more."""
    clock = Clock()
    timer = IdleTimer(idle_s=IDLE_S, warn_s=WARN_S, clock=clock)
    start = clock.now
    clock.now = start + IDLE_S
    shown = []
    while timer.state() is IdleState.WARNING:
        left = start + IDLE_S + WARN_S - clock.now
        assert timer.countdown() == math.ceil(left)
        shown.append(timer.countdown())
        clock.now += 2.0**-6
    assert clock.now == start + IDLE_S + WARN_S  # the walk ended exactly at the wipe
    assert shown == sorted(shown, reverse=True)
    assert set(shown) == set(range(1, int(WARN_S) + 1))


def test_a_touch_at_the_last_moment_starts_the_idle_period_over() -> None:
    clock = Clock()
    timer = IdleTimer(idle_s=IDLE_S, warn_s=WARN_S, clock=clock)
    clock.now += IDLE_S + WARN_S - EPSILON
    timer.touch()
    assert timer.state() is IdleState.ACTIVE
    clock.now += IDLE_S - EPSILON
    assert timer.state() is IdleState.ACTIVE
    clock.now += EPSILON
    assert timer.state() is IdleState.WARNING and timer.countdown() == WARN_S
