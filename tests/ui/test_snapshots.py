"""SVG snapshots of every screen at 80×24, in English and Chinese.

Byte-stable by construction: the demo wallet gives fixed answers, the App gets a fixed clock
and reference and hides measured times, and cursors do not blink. Every screen is reached
the way a person reaches it: keys and clicks, never by setting the session. Update with
`pytest tests/ui/test_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import press
from tests.ui.pilot_helpers import checked, on_screen, until, wizard
from wizard.demo import DemoService
from wizard.ui.screens.step import StepScreen

Step = Callable[[Pilot[None]], Awaitable[None]]


async def _steady(pilot: Pilot[None]) -> None:
    """No blinking cursor, nothing pending, no scroll still to come: the same pixels every
    run. (A step scrolls its first problem to the top after a refresh; under load that
    refresh can come after the first pause.)"""
    for widget in pilot.app.screen.query("Input, TextArea"):
        assert isinstance(widget, Input | TextArea)
        widget.cursor_blink = False

    def offsets() -> list[tuple[float, float]]:
        return [(w.scroll_x, w.scroll_y) for w in pilot.app.screen.query("*") if w.is_scrollable]

    await pilot.pause()
    for _ in range(50):
        before = offsets()
        await pilot.pause(0.05)
        if offsets() == before:
            break


async def _leave_step(pilot: Pilot[None]) -> None:
    """Next when the step lets the person go on, else "I can't fix this"."""
    step = await checked(pilot)
    await pilot.click("#continue-anyway" if step.gate == "fail" else "#next")


async def _to_network(pilot: Pilot[None]) -> StepScreen:
    await press(pilot, "enter")  # Start
    await on_screen(pilot, "NetworkScreen")
    return await checked(pilot)


async def _to_app(pilot: Pilot[None], version: str = "10.6.20") -> StepScreen:
    await _to_network(pilot)
    await _leave_step(pilot)
    await on_screen(pilot, "AppUpdateScreen")
    await press(pilot, *version, "tab", "enter", "down", "enter")  # version; Android
    select = pilot.app.screen.query_one("#platform", Select)
    await until(pilot, lambda: select.value == "android", "Android chosen")
    return await checked(pilot)


async def _to_contact(pilot: Pilot[None], email: str = "me@qq.com") -> StepScreen:
    await _to_app(pilot)
    await _leave_step(pilot)
    await on_screen(pilot, "ContactScreen")
    await press(pilot, *"13800138000", "tab", *email)
    return await checked(pilot)


async def _to_support(pilot: Pilot[None]) -> None:
    await _to_contact(pilot)
    await _leave_step(pilot)
    await on_screen(pilot, "SupportScreen")


async def welcome(pilot: Pilot[None]) -> None:
    await on_screen(pilot, "WelcomeScreen")


async def welcome_after_f2(pilot: Pilot[None]) -> None:
    lang = wizard(pilot).session.lang
    await press(pilot, "f2")
    await until(pilot, lambda: wizard(pilot).session.lang != lang, "the other language")


async def network(pilot: Pilot[None]) -> None:
    await _to_network(pilot)


async def network_after_f2(pilot: Pilot[None]) -> None:
    await _to_network(pilot)
    await welcome_after_f2(pilot)


async def app_update(pilot: Pilot[None]) -> None:
    await _to_app(pilot)


async def app_no_version(pilot: Pilot[None]) -> None:
    await _to_network(pilot)
    await _leave_step(pilot)
    await on_screen(pilot, "AppUpdateScreen")
    await checked(pilot)


async def download_qr(pilot: Pilot[None]) -> None:
    await _to_app(pilot)
    await pilot.click("#show-qr")
    await on_screen(pilot, "QrDialog")


async def contact(pilot: Pilot[None]) -> None:
    await _to_contact(pilot, email="me@qq.con")


async def support(pilot: Pilot[None]) -> None:
    await _to_support(pilot)


async def done(pilot: Pilot[None]) -> None:
    await _to_support(pilot)
    await pilot.click("#send")
    await on_screen(pilot, "DoneScreen")
    await until(
        pilot,
        lambda: getattr(wizard(pilot).session.delivery, "state", "") == "delivered",
        "delivery",
    )


async def help_dialog(pilot: Pilot[None]) -> None:
    await press(pilot, "f1")
    await on_screen(pilot, "HelpDialog")


async def quit_question(pilot: Pilot[None]) -> None:
    await _to_support(pilot)
    await press(pilot, "ctrl+q")
    await on_screen(pilot, "ConfirmQuitDialog")


# name → (demo scenario, how to get there)
SCREENS: dict[str, tuple[str, Step]] = {
    "welcome": ("ok", welcome),
    "welcome_after_f2": ("ok", welcome_after_f2),
    "network_ok": ("ok", network),
    "network_captive_portal": ("captive_portal", network),
    "network_captive_portal_after_f2": ("captive_portal", network_after_f2),
    "network_outage": ("outage", network),
    "app_update_required": ("old_app", app_update),
    "app_no_version": ("old_app", app_no_version),
    "app_download_qr": ("old_app", download_qr),
    "contact_typo": ("ok", contact),
    "support_message": ("ok", support),
    "support_outage": ("outage", support),
    "support_fix_first": ("tls_intercept", support),
    "quit_question": ("ok", quit_question),
    "done": ("ok", done),
    "help": ("ok", help_dialog),
}


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(
    snap_compare: Any, make_app: AppFactory, demo: DemoService, name: str, lang: str
) -> None:
    scenario, reach = SCREENS[name]
    demo.scenario = scenario

    async def run_before(pilot: Pilot[None]) -> None:
        await reach(pilot)
        await _steady(pilot)

    assert snap_compare(make_app(lang=lang), terminal_size=(80, 24), run_before=run_before)
