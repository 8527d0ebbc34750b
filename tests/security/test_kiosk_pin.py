"""The staff exit's lockout survives a restart (SECURITY.md, "a member of the public at a kiosk").

Three wrong PINs lock the exit for a minute. The count and the lock live in a 0600 file in the
data directory, in wall-clock time, so killing or restarting the wizard hands no one fresh
tries; a record that cannot be read locks the exit for the lockout period instead of opening it.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.ui.pilot_helpers import on_screen, text_of, until
from wizard.demo import DemoService
from wizard.i18n import t
from wizard.kiosk import LOCKOUT_S, MAX_TRIES, PinGate, PinResult, hash_pin
from wizard.locations import data_dir, pin_state_path
from wizard.profile import KioskSection, Profile
from wizard.support.outbox import Outbox
from wizard.ui.app import WizardApp

ROOT = Path(__file__).resolve().parents[2]
PIN = "2468"
KIOSK = KioskSection(exit_pin_sha256=hash_pin(PIN))


class Wall:
    """A calendar clock the test moves (the record on disk is written in its time)."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def fail(gate: PinGate, times: int) -> list[PinResult]:
    return [gate.attempt("0000") for _ in range(times)]


def test_a_restart_does_not_reset_the_lockout() -> None:
    first = PinGate.from_settings(KIOSK)
    assert fail(first, MAX_TRIES)[-1] is PinResult.LOCKED
    restarted = PinGate.from_settings(KIOSK)  # a new run: nothing in memory
    assert restarted.attempt(PIN) is PinResult.LOCKED
    assert 0 < restarted.locked_for() <= LOCKOUT_S


def test_failures_before_a_restart_still_count() -> None:
    assert fail(PinGate.from_settings(KIOSK), MAX_TRIES - 1) == [PinResult.WRONG] * 2
    restarted = PinGate.from_settings(KIOSK)
    assert restarted.tries_left == MAX_TRIES  # not read until the exit is used
    assert restarted.attempt("1111") is PinResult.LOCKED
    assert PinGate.from_settings(KIOSK).attempt(PIN) is PinResult.LOCKED


_TRY_WRONG = """
from wizard.kiosk import PinGate, hash_pin
from wizard.profile import KioskSection
gate = PinGate.from_settings(KioskSection(exit_pin_sha256=hash_pin("2468")))
print(*(gate.attempt("0000").value for _ in range(3)))
"""
_TRY_RIGHT = """
from wizard.kiosk import PinGate, hash_pin
from wizard.profile import KioskSection
print(PinGate.from_settings(KioskSection(exit_pin_sha256=hash_pin("2468"))).attempt("2468").value)
"""


def test_the_lockout_holds_across_processes() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run(_TRY_WRONG) == "wrong wrong locked"
    assert run(_TRY_RIGHT) == "locked"  # the process was gone; the lock was not


def test_the_lock_is_wall_clock_time_and_ends_after_a_minute() -> None:
    wall = Wall()
    fail(PinGate.from_settings(KIOSK, wall=wall), MAX_TRIES)
    wall.now += LOCKOUT_S / 2
    halfway = PinGate.from_settings(KIOSK, wall=wall)
    assert halfway.locked_for() == pytest.approx(LOCKOUT_S / 2, abs=1)
    wall.now += LOCKOUT_S / 2 + 1
    assert PinGate.from_settings(KIOSK, wall=wall).attempt(PIN) is PinResult.OK


def test_a_clock_set_back_cannot_lock_longer_than_a_lockout() -> None:
    wall = Wall()
    fail(PinGate.from_settings(KIOSK, wall=wall), MAX_TRIES)
    wall.now -= 30 * 86400
    assert PinGate.from_settings(KIOSK, wall=wall).locked_for() <= LOCKOUT_S


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b'{"failures": 99, "locked_until": 0}',
        b'{"failures": 0, "locked_until": "later"}',
        b"\xff\xfe\x00garbage",
        b"[]",
    ],
)
def test_a_corrupt_record_fails_safe(content: bytes) -> None:
    pin_state_path().write_bytes(content)
    gate = PinGate.from_settings(KIOSK)
    assert gate.attempt(PIN) is PinResult.LOCKED
    assert gate.locked_for() == pytest.approx(LOCKOUT_S, abs=1)


def test_an_unreadable_record_fails_safe() -> None:
    pin_state_path().mkdir()  # reading it fails (it is a directory)
    assert PinGate.from_settings(KIOSK).attempt(PIN) is PinResult.LOCKED


def test_after_the_fail_safe_lock_the_right_pin_works_and_repairs_the_record() -> None:
    wall, clock = Wall(), Wall(5000.0)
    pin_state_path().write_bytes(b"{not json")
    gate = PinGate.from_settings(KIOSK, clock, wall=wall)
    assert gate.attempt(PIN) is PinResult.LOCKED
    clock.now += LOCKOUT_S + 1
    wall.now += LOCKOUT_S + 1
    assert gate.attempt(PIN) is PinResult.OK
    assert PinGate.from_settings(KIOSK, wall=wall).attempt(PIN) is PinResult.OK


def test_the_record_is_private() -> None:
    old = os.umask(0o000)
    try:
        fail(PinGate.from_settings(KIOSK), 1)
    finally:
        os.umask(old)
    assert stat.S_IMODE(pin_state_path().stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir().stat().st_mode) == 0o700
    assert hash_pin(PIN) not in pin_state_path().read_text()  # counts and times only


async def test_the_kiosk_app_shows_the_lock_after_a_restart(tmp_path: Path) -> None:
    """The App's own gate (app.py builds it with from_settings): lock, quit, start again."""
    with DemoService("ok") as demo, Outbox.open(tmp_path / "outbox.sqlite3") as outbox:
        profile: Profile = dataclasses.replace(demo.profile(), kiosk=KIOSK)

        async def wrong_pins_then_restart(tries: int) -> str:
            app = WizardApp(profile, lang="en", mode="kiosk", outbox=outbox)
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.press("ctrl+backslash")
                await on_screen(pilot, "PinDialog")
                for _ in range(tries):
                    app.screen.query_one("#pin", Input).focus()
                    await pilot.press(*"1111", "enter")
                status = text_of(app.screen.query_one("#pin-status"))
                await pilot.press("escape")
                await until(pilot, lambda: type(app.screen).__name__ != "PinDialog", "closed")
            return status

        locked = {t("en", "ui.kiosk.pin_locked", count=n) for n in range(1, 61)}
        assert await wrong_pins_then_restart(MAX_TRIES) in locked
        # A new App, as after a crash or a restart: the dialog says at once that it is locked.
        assert await wrong_pins_then_restart(0) in locked
