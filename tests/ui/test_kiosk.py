"""Kiosk mode: idle countdown and wipe, no way out but the staff PIN, the outbox kept going.

The idle timer and the PIN lockout run on a fake clock the test advances (no real minutes
pass); the App looks at it every 50 ms of real time, and the tests wait for what it shows.
Where nothing is to happen, a test waits for the App's next look at the timer (it counts
them in `kiosk_ticks`), never for a fixed time that a slow machine might not fill.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from pathlib import Path

import pytest
from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static, TextArea

from tests.loopback.http import LoopbackHTTPServer, Reply, Request
from tests.ui.conftest import AppFactory
from tests.ui.pilot_helpers import checked, go, on_screen, screen_text, text_of, until, wizard
from wizard.checks.model import Inputs, Report
from wizard.demo import DemoService
from wizard.i18n import t
from wizard.kiosk import ENV_PIN_SHA256, hash_pin
from wizard.locations import data_dir
from wizard.profile import KioskSection, Profile
from wizard.support.message import compose
from wizard.support.outbox import Outbox, State
from wizard.ui.app import WizardApp
from wizard.ui.screens.kiosk import CountdownDialog
from wizard.ui.textual_private import FooterKey

IDLE_S = 120.0
WARN_S = 20.0
PIN = "2468"
TICK_S = 0.05
PHONE = "13912345678"
EMAIL = "trace.me@qq.com"
NOTE = "nb7Q3Z"


class FakeClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def kiosk_profile(profile: Profile, *, pin: str | None = PIN) -> Profile:
    """The demo profile with the kiosk settings of a help station."""
    digest = hash_pin(pin) if pin is not None else ""
    kiosk = KioskSection(idle_s=IDLE_S, warn_s=WARN_S, exit_pin_sha256=digest)
    return dataclasses.replace(profile, kiosk=kiosk)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def kiosk_app(
    make_app: AppFactory,
    demo: DemoService,
    clock: FakeClock,
    *,
    lang: str = "zh-CN",
    profile: Profile | None = None,
) -> WizardApp:
    return make_app(
        lang=lang,
        profile=profile or kiosk_profile(demo.profile()),
        mode="kiosk",
        clock=clock,
        tick_s=TICK_S,
    )


def everything_shown(app: WizardApp) -> str:
    """Every text any widget of any screen in the stack holds, values of fields included."""
    parts = [app.title, app.sub_title]
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if isinstance(widget, Input):
                parts.append(widget.value)
            elif isinstance(widget, TextArea):
                parts.append(widget.text)
            elif isinstance(widget, Button):
                parts.append(str(widget.label))
            elif isinstance(widget, Static):
                parts.append(text_of(widget))
    return "\n".join(parts)


def files_holding(folder: Path, marker: str) -> list[Path]:
    """Files under `folder` (outbox database aside) whose bytes contain `marker`."""
    needle = marker.encode("utf-8")
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and not path.name.startswith("outbox") and needle in path.read_bytes()
    ]


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector).focus()
    await pilot.press(*text)


async def next_tick(pilot: Pilot[None], ticks: int = 1) -> None:
    """Wait until the kiosk has looked at its idle timer `ticks` more times.

    A tick runs on the app's event loop, never in the middle of the test's own code, so the
    first tick counted here sees everything the test did before (a clock moved, a key handled).
    """
    app = wizard(pilot)
    target = app.kiosk_ticks + ticks
    await until(pilot, lambda: app.kiosk_ticks >= target, "the idle timer's next look")


async def countdown_shown(pilot: Pilot[None]) -> CountdownDialog:
    await until(pilot, lambda: isinstance(pilot.app.screen, CountdownDialog), "the countdown")
    dialog = pilot.app.screen
    assert isinstance(dialog, CountdownDialog)
    return dialog


async def test_idle_countdown_then_wipe_leaves_no_trace(
    make_app: AppFactory, demo: DemoService, clock: FakeClock, tmp_path: Path
) -> None:
    app = kiosk_app(make_app, demo, clock, lang="zh-CN")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await on_screen(pilot, "WelcomeScreen")
        await type_into(pilot, "#error-text", NOTE)
        await pilot.press("f2")  # the person reads English
        assert wizard(pilot).session.lang == "en"
        await pilot.press("enter")
        await checked(pilot)
        await pilot.press("enter")
        await on_screen(pilot, "AppUpdateScreen")
        await pilot.press(*"10.6.20")
        await checked(pilot)
        await pilot.press("enter")
        await on_screen(pilot, "ContactScreen")
        app.post_message(events.Paste(PHONE))  # pasted, as people do: activity too
        await pilot.press("tab")
        app.post_message(events.Paste(EMAIL))
        await until(pilot, lambda: wizard(pilot).session.email == EMAIL, "the pasted email")
        await checked(pilot)
        await pilot.press("enter")
        await on_screen(pilot, "SupportScreen")
        editor = pilot.app.screen.query_one("#message", TextArea)
        assert PHONE in editor.text.replace(" ", "") and EMAIL in editor.text
        # The person copies part of the message (Ctrl+C in the editor) and sees a notice.
        editor.focus()
        await pilot.press("ctrl+home", *["shift+down"] * 12, "ctrl+c")
        assert "WU-7KQ2" in app.clipboard and PHONE in app.clipboard.replace(" ", "")
        app.notify(f"{EMAIL} {NOTE}", markup=False)
        await pilot.pause()
        before = everything_shown(app)
        assert NOTE in before and EMAIL in before

        clock.advance(IDLE_S + 1)
        dialog = await countdown_shown(pilot)
        shown = screen_text(pilot)
        assert t("en", "ui.kiosk.still_there") in shown
        assert dialog.seconds == WARN_S - 1
        assert t("en", "ui.kiosk.countdown", count=int(WARN_S - 1)) in shown
        clock.advance(5)
        await until(pilot, lambda: dialog.seconds == WARN_S - 6, "the countdown to go on")

        clock.advance(WARN_S)
        await until(pilot, lambda: len(app.screen_stack) == 1, "the wipe")
        await on_screen(pilot, "WelcomeScreen")
        await pilot.pause()

        session = wizard(pilot).session
        assert session.lang == "zh-CN"  # the station's language again
        assert session.phone == session.email == session.error_text == ""
        assert session.results == {} and session.delivery is None
        assert t("zh-CN", "ui.welcome.title") in screen_text(pilot)
        left = everything_shown(app) + app.clipboard + repr(session)
        for marker in (PHONE, EMAIL, NOTE):
            assert marker not in left, marker
        # The test fixes every session's reference; the last one's is shown nowhere still.
        assert "WU-7KQ2" not in everything_shown(app) + app.clipboard
        assert app.clipboard.strip() == ""
        assert not app.screen.query("Toast")
        # The fresh Welcome is whole: its footer shows the keys again.
        await until(pilot, lambda: bool(app.screen.query(FooterKey)), "the footer's keys")
        for folder in (data_dir(), tmp_path):
            assert files_holding(folder, NOTE) == []
            assert files_holding(folder, EMAIL) == []


@pytest.mark.parametrize("how", ["key", "paste", "mouse"])
async def test_any_input_during_the_countdown_cancels_it(
    make_app: AppFactory, demo: DemoService, clock: FakeClock, how: str
) -> None:
    app = kiosk_app(make_app, demo, clock, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "#error-text", NOTE)
        clock.advance(IDLE_S + 2)
        await countdown_shown(pilot)
        if how == "key":
            await pilot.press("x")
        elif how == "paste":
            app.post_message(events.Paste("pasted"))
        else:
            app.post_message(events.MouseMove(None, 3, 3, 1, 0, 0, False, False, False))
        await on_screen(pilot, "WelcomeScreen")
        field = app.screen.query_one("#error-text", Input)
        # The input only said "still here": it was not typed into the field.
        assert field.value == NOTE
        assert wizard(pilot).session.error_text == NOTE
        # The timer starts again from that input: the countdown comes back after idle_s.
        clock.advance(IDLE_S - 1)
        await next_tick(pilot)
        assert app.screen is not None and not isinstance(app.screen, CountdownDialog)
        clock.advance(2)
        await countdown_shown(pilot)
        await pilot.press("space")
        await on_screen(pilot, "WelcomeScreen")
        assert wizard(pilot).session.error_text == NOTE


def mouse(kind: type[events.MouseEvent], x: float, y: float) -> events.MouseEvent:
    """A left-button mouse event at screen cell (x, y), as a terminal reports it."""
    return kind(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y)


async def test_a_tap_that_cancels_the_countdown_clicks_nothing(
    make_app: AppFactory, demo: DemoService, clock: FakeClock
) -> None:
    app = kiosk_app(make_app, demo, clock, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        start = app.screen.query_one("#start").region.center
        # Earlier, someone pressed Start and slid off it: no click, but Textual remembers it.
        app.post_message(mouse(events.MouseDown, *start))
        app.post_message(mouse(events.MouseUp, 1, 1))
        await pilot.pause()
        clock.advance(IDLE_S + 1)
        await countdown_shown(pilot)
        # Now a tap on the same spot only says "still here".
        app.post_message(mouse(events.MouseDown, *start))
        app.post_message(mouse(events.MouseUp, *start))
        await until(pilot, lambda: not isinstance(app.screen, CountdownDialog), "the cancel")
        # A click would travel on through the screen, the button and back to the App; let
        # the App run two more looks at the timer (each wait drains the message queues).
        await next_tick(pilot, 2)
        assert type(app.screen).__name__ == "WelcomeScreen"


async def test_typing_for_longer_than_idle_never_triggers_the_countdown(
    make_app: AppFactory, demo: DemoService, clock: FakeClock
) -> None:
    app = kiosk_app(make_app, demo, clock, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        field = app.screen.query_one("#error-text", Input)
        field.focus()
        keys = int((IDLE_S + WARN_S) * 2 / 20)
        for typed in range(1, keys + 1):  # a key every 20 s for twice the time to a wipe
            clock.advance(20)
            await pilot.press("a")

            def in_field(n: int = typed) -> bool:
                return field.value == "a" * n

            await until(pilot, in_field, "the key in the field")
            await next_tick(pilot)  # the idle timer looks after the key
            assert not isinstance(app.screen, CountdownDialog)
        # Every key reached the field: none was eaten by a countdown.
        assert field.value == "a" * keys
        clock.advance(IDLE_S + 1)  # and once the typing stops, the countdown does come
        await countdown_shown(pilot)


async def test_untouched_welcome_is_left_alone(
    make_app: AppFactory, demo: DemoService, clock: FakeClock
) -> None:
    app = kiosk_app(make_app, demo, clock, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.session
        clock.advance(IDLE_S + WARN_S + 5)
        await next_tick(pilot)
        assert not isinstance(app.screen, CountdownDialog)
        assert app.session is session  # no countdown, and no wipe either
        await pilot.press("tab")
        clock.advance(IDLE_S + 1)
        await countdown_shown(pilot)


@pytest.mark.parametrize("mode", ["kiosk", "normal"])
async def test_no_quit_palette_or_suspend_in_kiosk_mode(
    make_app: AppFactory, demo: DemoService, clock: FakeClock, mode: str
) -> None:
    app = make_app(
        lang="en", profile=kiosk_profile(demo.profile()), mode=mode, clock=clock, tick_s=TICK_S
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.screen.query(FooterKey)), "the footer")
        footer_keys = [k.description for k in app.screen.query(FooterKey)]
        assert t("en", "ui.keys.help") in footer_keys
        await pilot.press("ctrl+p")
        palette = any(isinstance(s, CommandPalette) for s in app.screen_stack)
        if palette:
            await pilot.press("escape")
        await pilot.press("ctrl+z", "ctrl+c")
        await pilot.press("ctrl+q")
        await pilot.pause()
        if mode == "kiosk":
            assert not palette
            assert app.return_code is None and app.is_running
            assert t("en", "ui.keys.quit") not in footer_keys
            assert isinstance(app.screen, type(app.screen_stack[0]))
        else:  # the same keys do quit a wizard that is not a kiosk
            assert app.return_code == 0
            assert t("en", "ui.keys.quit") in footer_keys


async def test_staff_exit_needs_the_pin_and_locks_after_three_wrong_tries(
    make_app: AppFactory, demo: DemoService, clock: FakeClock
) -> None:
    app = kiosk_app(make_app, demo, clock, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+backslash")
        await on_screen(pilot, "PinDialog")
        status = app.screen.query_one("#pin-status")
        await pilot.press(*"1111", "enter")
        assert text_of(status) == t("en", "ui.kiosk.pin_wrong", count=2)
        assert app.screen.query_one("#pin", Input).value == ""
        await pilot.press(*"2222", "enter")
        assert text_of(status) == t("en", "ui.kiosk.pin_wrong", count=1)
        await pilot.press(*"3333", "enter")
        assert text_of(status) == t("en", "ui.kiosk.pin_locked", count=60)
        await pilot.press(*PIN, "enter")  # even the right PIN, while locked
        assert text_of(status) == t("en", "ui.kiosk.pin_locked", count=60)
        assert app.return_code is None
        await pilot.press("escape")
        await on_screen(pilot, "WelcomeScreen")

        clock.advance(30)  # the lock holds when the dialog is opened again
        await pilot.press("ctrl+backslash")
        await on_screen(pilot, "PinDialog")
        status = app.screen.query_one("#pin-status")
        assert text_of(status) == t("en", "ui.kiosk.pin_locked", count=30)
        clock.advance(31)
        await pilot.press(*PIN, "enter")
        await until(pilot, lambda: app.return_code == 0, "the staff exit")


async def test_pin_from_the_environment_and_no_pin_at_all(
    make_app: AppFactory, demo: DemoService, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_PIN_SHA256, raising=False)
    profile = kiosk_profile(demo.profile(), pin=None)
    app = kiosk_app(make_app, demo, clock, lang="zh-CN", profile=profile)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+backslash")
        await on_screen(pilot, "PinDialog")
        assert t("zh-CN", "ui.kiosk.pin_not_set") in screen_text(pilot)
        await pilot.press(*PIN, "enter")
        assert app.return_code is None

    monkeypatch.setenv(ENV_PIN_SHA256, hash_pin("9753"))
    app = kiosk_app(make_app, demo, clock, lang="en", profile=profile)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+backslash")
        await on_screen(pilot, "PinDialog")
        await pilot.press(*"9753", "enter")
        await until(pilot, lambda: app.return_code == 0, "the staff exit")


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_privacy_notice_and_no_save_or_copy(
    make_app: AppFactory, demo: DemoService, clock: FakeClock, lang: str
) -> None:
    app = kiosk_app(make_app, demo, clock, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        shown = screen_text(pilot)
        assert t(lang, "ui.kiosk.privacy", idle=t(lang, "ui.kiosk.minutes", count=2)) in shown
        await go(pilot, "support")
        screen = app.screen
        assert not screen.query_one("#save").display and not screen.query_one("#copy").display
        assert screen.query_one("#qr").display and screen.query_one("#send").display
        assert t(lang, "ui.support.send_hint_kiosk") in screen_text(pilot)


async def test_queued_messages_of_earlier_sessions_are_sent_at_start(
    make_app: AppFactory, demo: DemoService, clock: FakeClock, outbox: Outbox
) -> None:
    profile = demo.profile()
    report = Report("Demo Wallet", "2026-11-25T20:00:00Z", 0.0, ())
    message = compose(report, profile=profile, inputs=Inputs(), lang="en", what="email")
    entry = outbox.save(message, profile.support.endpoint, profile.support.token_env)
    app = kiosk_app(make_app, demo, clock, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: len(demo.tickets) == 1, "the earlier message")
        assert demo.tickets[0].reference == message.reference
        stored = outbox.get(entry.id)
        assert stored is not None and stored.state is State.DELIVERED


async def test_a_wipe_keeps_a_queued_message_being_retried(
    make_app: AppFactory, demo: DemoService, clock: FakeClock, outbox: Outbox
) -> None:
    accept = threading.Event()

    def helpdesk(request: Request) -> Reply:
        if not accept.is_set():
            return Reply(503, "busy", {"Retry-After": "0"})
        answer = json.dumps({"ticket_id": "T-000042"})
        return Reply(201, answer, {"Content-Type": "application/json"})

    with LoopbackHTTPServer(helpdesk) as server:
        base = kiosk_profile(demo.profile())
        support = dataclasses.replace(base.support, endpoint=server.url("/api/tickets"))
        app = kiosk_app(
            make_app, demo, clock, lang="en", profile=dataclasses.replace(base, support=support)
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await type_into(pilot, "#error-text", NOTE)
            await go(pilot, "support")
            await pilot.click("#send")
            await on_screen(pilot, "DoneScreen")
            assert wizard(pilot).session.delivery.state == "queued"  # type: ignore[union-attr]
            (entry,) = outbox.queued()

            clock.advance(IDLE_S + WARN_S + 1)
            await until(pilot, lambda: len(app.screen_stack) == 1, "the wipe")
            assert NOTE not in everything_shown(app)
            accept.set()
            await until(
                pilot,
                lambda: getattr(outbox.get(entry.id), "state", None) is State.DELIVERED,
                "the retry after the wipe",
            )
            assert len(server.requests) >= 2
