"""Kiosk rules: the idle countdown and the staff PIN gate, on a controlled clock."""

from __future__ import annotations

import pytest

from wizard.kiosk import IdleState, IdleTimer, PinGate, PinResult, hash_pin
from wizard.profile import KioskSection


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_idle_then_warning_then_expired() -> None:
    clock = Clock()
    timer = IdleTimer(idle_s=120, warn_s=20, clock=clock)
    clock.now += 119
    assert timer.state() is IdleState.ACTIVE
    clock.now += 2
    assert timer.state() is IdleState.WARNING and timer.countdown() == 19
    clock.now += 19
    assert timer.state() is IdleState.EXPIRED and timer.countdown() == 0


def test_activity_cancels_countdown_and_typing_never_expires() -> None:
    clock = Clock()
    timer = IdleTimer(idle_s=5, warn_s=2, clock=clock)
    clock.now += 6
    assert timer.state() is IdleState.WARNING
    timer.touch()
    assert timer.state() is IdleState.ACTIVE
    for _ in range(100):  # a key every second for longer than idle_s
        clock.now += 1
        timer.touch()
        assert timer.state() is IdleState.ACTIVE


def test_pin_gate_locks_after_three_wrong_tries() -> None:
    clock = Clock()
    gate = PinGate(hash_pin("2468"), clock)
    assert gate.attempt("1111") is PinResult.WRONG
    assert gate.attempt("2222") is PinResult.WRONG
    assert gate.attempt("3333") is PinResult.LOCKED
    assert gate.attempt("2468") is PinResult.LOCKED  # even the right PIN, while locked
    clock.now += 59
    assert gate.attempt("2468") is PinResult.LOCKED
    clock.now += 2
    assert gate.attempt("2468") is PinResult.OK


def test_pin_from_profile_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WALLET_WIZARD_EXIT_PIN_SHA256", raising=False)
    assert PinGate.from_settings(KioskSection()).attempt("1") is PinResult.NOT_SET
    monkeypatch.setenv("WALLET_WIZARD_EXIT_PIN_SHA256", hash_pin("9999").upper())
    assert PinGate.from_settings(KioskSection()).attempt("9999") is PinResult.OK
    gate = PinGate.from_settings(KioskSection(exit_pin_sha256=hash_pin("1357")))
    assert gate.attempt(" 1357 ") is PinResult.OK
