"""The paths people take: widgets changed with keys and clicks, keys pressed in bursts.

Each test here walks a path on which an earlier version crashed or said the wrong thing.
Nothing sets session state: fields are typed into, Selects opened and chosen with keys.
"""

from __future__ import annotations

import pytest
from textual.widgets import Select

from tests.ui.conftest import AppFactory
from tests.ui.pilot_helpers import burst, checked, focused_id, on_screen, until, wizard
from wizard.demo import DemoService


async def test_choosing_the_phone_system_with_keys_then_leaving_the_step(
    make_app: AppFactory,
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # Start
        await checked(pilot)
        await pilot.press("enter")  # Next
        await on_screen(pilot, "AppUpdateScreen")
        await pilot.press(*"10.6.20", "tab")
        assert focused_id(pilot) == "platform"
        await pilot.press("enter", "down", "down", "enter")  # open, pick the second system
        select = pilot.app.screen.query_one("#platform", Select)
        await until(pilot, lambda: select.value == "ios", "iOS chosen")
        step = await checked(pilot)
        assert step.gate == "pass"
        assert wizard(pilot).session.platform == "ios"
        await pilot.click("#next")
        await on_screen(pilot, "ContactScreen")
        await pilot.click("#back")
        await on_screen(pilot, "AppUpdateScreen")
        assert pilot.app.return_code is None


async def test_choosing_the_region_with_keys_then_leaving_the_step(
    make_app: AppFactory, demo: DemoService
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await checked(pilot)
        await pilot.press("enter")
        await on_screen(pilot, "AppUpdateScreen")
        await pilot.press(*"10.6.20")
        await checked(pilot)
        await pilot.press("enter")
        await on_screen(pilot, "ContactScreen")
        await pilot.press("shift+tab")
        assert focused_id(pilot) == "region"
        await pilot.press("enter", "down", "down", "down", "down", "enter")  # HK MO TW US
        select = pilot.app.screen.query_one("#region", Select)
        await until(pilot, lambda: select.value == "US", "United States chosen")
        await pilot.press("tab", *"2015550123")
        step = await checked(pilot)
        assert wizard(pilot).session.region == "US"
        assert step.gate in ("pass", "warn")
        await pilot.click("#back")
        await on_screen(pilot, "AppUpdateScreen")
        assert pilot.app.return_code is None


@pytest.mark.parametrize("keys", [("enter", "tab", "f1"), ("enter", "tab", "escape")])
async def test_a_burst_of_keys_closes_a_dialog_exactly_once(
    make_app: AppFactory, keys: tuple[str, ...]
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await on_screen(pilot, "HelpDialog")
        await burst(pilot, *keys)
        assert pilot.app.return_code is None
        assert len(pilot.app.screen_stack) >= 1
        assert type(pilot.app.screen_stack[0]).__name__ == "WelcomeScreen"
