"""Pilot walk-throughs of the whole flow against the demo wallet, in both languages."""

from __future__ import annotations

import pytest

from tests.conftest import REFERENCE
from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import press
from tests.ui.pilot_helpers import (
    checked,
    focused_id,
    go,
    on_screen,
    screen_text,
    until,
    wizard,
)
from wizard.checks.model import Status
from wizard.demo import DemoService
from wizard.i18n import t


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_ok_scenario_ends_with_a_delivered_ticket(
    make_app: AppFactory, demo: DemoService, lang: str
) -> None:
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "WelcomeScreen")
        assert t(lang, "ui.welcome.title") in screen_text(pilot)
        await press(pilot, "enter")  # Start is focused

        network = await checked(pilot)
        assert network.gate == "pass"
        assert focused_id(pilot) == "next"
        assert t(lang, "ui.step.passed") in screen_text(pilot)
        await press(pilot, "enter")

        await on_screen(pilot, "AppUpdateScreen")
        assert focused_id(pilot) == "version"
        await press(pilot, *"10.6.20")
        step = await checked(pilot)
        assert step.gate == "pass"
        assert wizard(pilot).session.results["app"].check("app_version").code == "ok"  # type: ignore[union-attr]
        await press(pilot, "enter")  # Enter in the field goes on once the step passed

        await on_screen(pilot, "ContactScreen")
        assert focused_id(pilot) == "phone"
        await press(pilot, *"13800138000", "tab", *"me@qq.com")
        step = await checked(pilot)
        assert step.gate == "pass"
        contact = wizard(pilot).session.results["contact"]
        assert [c.status for c in contact.checks] == [Status.PASS, Status.PASS]
        await press(pilot, "enter")

        await on_screen(pilot, "SupportScreen")
        assert pilot.app.screen.has_class("-view-message")
        assert focused_id(pilot) == "send"
        body = pilot.app.screen.query_one("#message").text  # type: ignore[attr-defined]
        assert REFERENCE in body and "+8613800138000" in body and "me@qq.com" in body
        await press(pilot, "enter")

        await on_screen(pilot, "DoneScreen")
        await until(pilot, lambda: len(demo.tickets) == 1, "the ticket")
        ticket = demo.tickets[0]
        shown = screen_text(pilot)
        assert ticket.ticket_id in shown
        assert t(lang, "ui.done.security") in shown
        assert wizard(pilot).session.delivery.state == "delivered"  # type: ignore[union-attr]


async def test_start_over_forgets_the_person(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        session = wizard(pilot).session
        await pilot.click("#error-text")
        await press(pilot, *"secret note", "enter")  # Enter in the field starts, as Start does
        await checked(pilot)
        await go(pilot, "contact")
        assert focused_id(pilot) == "phone"
        await press(pilot, *"13800138000")
        assert session.phone == "13800138000" and session.error_text == "secret note"

        await go(pilot, "done")
        await pilot.click("#start-over")
        await on_screen(pilot, "WelcomeScreen")
        fresh = wizard(pilot).session
        assert fresh is not session
        assert fresh.phone == "" and fresh.error_text == "" and fresh.results == {}
        assert fresh.lang == "en"
