"""SVG snapshots of every screen at 80×24, in English and Chinese.

Byte-stable by construction: the demo wallet gives fixed answers, the App gets a fixed clock
and reference and hides measured times, and cursors do not blink. Update with
`pytest tests/ui/test_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.ui.conftest import AppFactory
from tests.ui.pilot_helpers import checked, go, on_screen, until, wizard
from wizard.demo import DemoService
from wizard.ui.screens.help import HelpDialog

Step = Callable[[Pilot[None]], Awaitable[None]]


async def _steady(pilot: Pilot[None]) -> None:
    """No blinking cursor, nothing pending: the same pixels every run."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        assert isinstance(widget, Input | TextArea)
        widget.cursor_blink = False
    await pilot.pause()


async def _fill(pilot: Pilot[None], email: str = "me@qq.com", version: str = "10.6.20") -> None:
    session = wizard(pilot).session
    session.phone, session.email, session.app_version = "13800138000", email, version
    session.platform = "android"


async def welcome(pilot: Pilot[None]) -> None:
    await on_screen(pilot, "WelcomeScreen")


async def network(pilot: Pilot[None]) -> None:
    await go(pilot, "network")
    await checked(pilot)


async def app_update(pilot: Pilot[None]) -> None:
    await _fill(pilot)
    await go(pilot, "app")
    await checked(pilot)


async def contact(pilot: Pilot[None]) -> None:
    await _fill(pilot, email="me@qq.con")
    await go(pilot, "contact")
    await checked(pilot)


async def _all_steps(pilot: Pilot[None]) -> None:
    await _fill(pilot)
    for step in ("network", "app", "contact"):
        await go(pilot, step)
        await checked(pilot)


async def support(pilot: Pilot[None]) -> None:
    await _all_steps(pilot)
    await go(pilot, "support")


async def done(pilot: Pilot[None]) -> None:
    await support(pilot)
    await pilot.click("#send")
    await on_screen(pilot, "DoneScreen")
    await until(
        pilot,
        lambda: getattr(wizard(pilot).session.delivery, "state", "") == "delivered",
        "delivery",
    )


async def help_dialog(pilot: Pilot[None]) -> None:
    await network(pilot)
    await pilot.press("f1")
    await until(pilot, lambda: isinstance(pilot.app.screen, HelpDialog), "help")


# name → (demo scenario, how to get there)
SCREENS: dict[str, tuple[str, Step]] = {
    "welcome": ("ok", welcome),
    "network_ok": ("ok", network),
    "network_captive_portal": ("captive_portal", network),
    "app_update_required": ("old_app", app_update),
    "contact_typo": ("ok", contact),
    "support_message": ("ok", support),
    "support_fix_first": ("tls_intercept", support),
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
