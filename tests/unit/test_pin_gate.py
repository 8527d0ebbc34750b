"""The kiosk's staff-exit PIN gate: when wrong tries are counted, and when the count starts over.

Three wrong tries lock the exit for a minute; once the minute has passed, staff get three
tries again (not one), and a right PIN wipes the count. Only the public face of the gate is
used — `attempt()`, `tries_left`, `locked_for()` — on a clock the test moves.
"""

from __future__ import annotations

from wizard.kiosk import LOCKOUT_S, MAX_TRIES, PinGate, PinResult, hash_pin

PIN = "2468"
# A step of time that floats add and subtract exactly.
EPSILON = 2.0**-10
WRONG = ("1111", "2222", "3333", "4444", "5555", "6666")


class Clock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 10_000.0

    def __call__(self) -> float:
        return self.now


def gate_on(clock: Clock) -> PinGate:
    return PinGate(hash_pin(PIN), clock=clock)


def lock(gate: PinGate) -> None:
    """Three wrong tries in a row: the third locks the exit."""
    assert MAX_TRIES == 3
    assert [gate.attempt(pin) for pin in WRONG[:3]] == [
        PinResult.WRONG,
        PinResult.WRONG,
        PinResult.LOCKED,
    ]


def test_each_wrong_try_counts_down_and_the_third_locks_for_a_minute() -> None:
    clock = Clock()
    gate = gate_on(clock)
    assert gate.tries_left == 3 and gate.locked_for() == 0
    assert gate.attempt("1111") is PinResult.WRONG and gate.tries_left == 2
    assert gate.attempt("2222") is PinResult.WRONG and gate.tries_left == 1
    assert gate.attempt("3333") is PinResult.LOCKED
    assert gate.locked_for() == LOCKOUT_S == 60.0


def test_after_the_lockout_there_are_three_tries_again_not_one() -> None:
    clock = Clock()
    gate = gate_on(clock)
    lock(gate)
    clock.now += LOCKOUT_S
    assert gate.locked_for() == 0
    assert gate.tries_left == 3
    assert gate.attempt("4444") is PinResult.WRONG and gate.tries_left == 2
    assert gate.attempt("5555") is PinResult.WRONG and gate.tries_left == 1
    assert gate.attempt("6666") is PinResult.LOCKED
    assert gate.locked_for() == LOCKOUT_S


def test_a_right_pin_after_the_lockout_opens_and_the_count_is_fresh() -> None:
    clock = Clock()
    gate = gate_on(clock)
    lock(gate)
    clock.now += LOCKOUT_S + 1
    assert gate.attempt("4444") is PinResult.WRONG
    assert gate.attempt(PIN) is PinResult.OK
    assert gate.tries_left == 3


def test_a_right_pin_wipes_the_wrong_tries_before_it() -> None:
    clock = Clock()
    gate = gate_on(clock)
    assert gate.attempt("1111") is PinResult.WRONG
    assert gate.attempt("2222") is PinResult.WRONG
    assert gate.attempt(PIN) is PinResult.OK
    assert gate.tries_left == 3
    # Two more wrong tries after the success are two of three, not the fourth and fifth.
    assert gate.attempt("3333") is PinResult.WRONG and gate.tries_left == 2
    assert gate.attempt("4444") is PinResult.WRONG and gate.tries_left == 1
    assert gate.locked_for() == 0
    assert gate.attempt(PIN) is PinResult.OK


def test_tries_while_locked_neither_count_nor_extend_the_lock() -> None:
    clock = Clock()
    gate = gate_on(clock)
    lock(gate)
    clock.now += 30
    for pin in (*WRONG, PIN):  # even the right PIN waits for the minute to pass
        assert gate.attempt(pin) is PinResult.LOCKED
    assert gate.locked_for() == LOCKOUT_S - 30
    clock.now += LOCKOUT_S - 30
    assert gate.attempt("4444") is PinResult.WRONG and gate.tries_left == 2


def test_the_lock_ends_exactly_a_minute_after_the_third_wrong_try() -> None:
    clock = Clock()
    gate = gate_on(clock)
    lock(gate)
    clock.now += LOCKOUT_S - EPSILON
    assert gate.locked_for() > 0
    assert gate.attempt(PIN) is PinResult.LOCKED
    clock.now += EPSILON
    assert gate.locked_for() == 0
    assert gate.attempt(PIN) is PinResult.OK
