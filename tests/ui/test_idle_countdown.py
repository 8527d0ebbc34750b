"""The kiosk's "still there?" countdown at its edges, as a person at the station sees it.

On a fake clock: the dialog appears at exactly `idle_s` reading `warn_s`, reads 1 second
(never 0) in its very last moment, and the session is wiped at exactly `idle_s + warn_s`.
"""

from __future__ import annotations

import pytest

from tests.ui.conftest import AppFactory
from tests.ui.pilot_helpers import on_screen, screen_text, until
from tests.ui.test_kiosk import (
    IDLE_S,
    NOTE,
    WARN_S,
    FakeClock,
    countdown_shown,
    kiosk_app,
    next_tick,
    type_into,
)
from wizard.demo import DemoService
from wizard.i18n import t
from wizard.ui.screens.kiosk import CountdownDialog

# Shorter than any rounding slack a countdown might allow itself, and exact in binary.
EPSILON = 2.0**-12


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_the_countdown_reads_warn_s_at_first_and_one_at_the_last_moment(
    make_app: AppFactory, demo: DemoService, clock: FakeClock, lang: str
) -> None:
    app = kiosk_app(make_app, demo, clock, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "#error-text", NOTE)
        await next_tick(pilot)  # the key is the last activity from here on

        clock.advance(IDLE_S - EPSILON)
        await next_tick(pilot)
        assert not isinstance(app.screen, CountdownDialog)

        clock.advance(EPSILON)  # idle for exactly idle_s
        dialog = await countdown_shown(pilot)
        assert dialog.seconds == WARN_S
        assert t(lang, "ui.kiosk.countdown", count=int(WARN_S)) in screen_text(pilot)

        clock.advance(WARN_S - 2 * EPSILON)  # a hair before the wipe
        await until(pilot, lambda: dialog.seconds == 1, "the last second")
        assert isinstance(app.screen, CountdownDialog)
        await next_tick(pilot, 2)
        assert dialog.seconds == 1 and app.screen is dialog
        assert t(lang, "ui.kiosk.countdown", count=1) in screen_text(pilot)

        clock.advance(EPSILON)  # the very last moment: still the countdown, still "1"
        await next_tick(pilot, 2)
        assert app.screen is dialog and dialog.seconds == 1

        clock.advance(EPSILON)  # idle for exactly idle_s + warn_s: wiped
        await until(pilot, lambda: len(app.screen_stack) == 1, "the wipe")
        await on_screen(pilot, "WelcomeScreen")
        assert app.session.error_text == ""
