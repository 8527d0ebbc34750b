"""Each failure scenario of the demo leads with its fix, and the gating follows the result."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import press
from tests.ui.pilot_helpers import checked, focused_id, go, on_screen, text_of, until, wizard
from wizard.checks.model import Status
from wizard.demo import DemoService
from wizard.i18n import t
from wizard.ui.widgets.qr_code import QrCode

# scenario → (failing check, its code)
NETWORK_FAILURES = {
    "captive_portal": ("captive_portal", "captive_portal"),
    "tls_intercept": ("api", "tls_untrusted"),
}


@pytest.mark.parametrize("scenario", sorted(NETWORK_FAILURES))
async def test_network_failure_leads_with_the_fix_and_offers_continue_anyway(
    make_app: AppFactory, demo: DemoService, scenario: str
) -> None:
    demo.scenario = scenario
    async with make_app().run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        screen = await checked(pilot)
        check_id, code = NETWORK_FAILURES[scenario]
        result = wizard(pilot).session.results["network"].check(check_id)
        assert result is not None and result.status is Status.FAIL and result.code == code
        result = result.explained("en")
        assert result.fix
        assert screen.gate == "fail"
        lead = text_of(screen.query_one("#lead", Static))
        assert result.fix[:40] in lead
        row_fix = screen.query_one(f"#check-{check_id} .check-fix", Static)
        assert result.fix[:40] in text_of(row_fix)
        # The fix and Re-check lead; Next gives way to "I can't fix this".
        assert focused_id(pilot) == "recheck"
        assert screen.query_one("#continue-anyway").display
        assert not screen.query_one("#next").display
        await pilot.click("#continue-anyway")
        await on_screen(pilot, "AppUpdateScreen")
        assert wizard(pilot).session.continued == ["network"]


async def test_slow_network_warns_but_lets_the_person_go_on(
    make_app: AppFactory, demo: DemoService
) -> None:
    demo.scenario = "slow"
    async with make_app().run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        screen = await checked(pilot)
        api = wizard(pilot).session.results["network"].check("api")
        assert api is not None and (api.status, api.code) == (Status.WARN, "slow")
        assert screen.gate == "warn"
        assert focused_id(pilot) == "next"
        assert not screen.query_one("#continue-anyway").display
        fix = api.explained("en").fix
        assert fix and fix[:40] in text_of(screen.query_one("#check-api .check-fix", Static))


async def test_old_app_requires_an_update_with_the_official_link_and_a_qr_code(
    make_app: AppFactory, demo: DemoService
) -> None:
    demo.scenario = "old_app"
    async with make_app().run_test(size=(80, 24)) as pilot:
        await go(pilot, "app")
        screen = await checked(pilot)
        # No version typed yet: the step says what the newest and the minimum are, and
        # where to get the app, and Enter in the empty field does not skip the step.
        check = wizard(pilot).session.results["app"].check("app_version")
        assert check is not None and (check.status, check.code) == (
            Status.WARN,
            "version_not_given",
        )
        words = check.explained("en")
        assert "11.0.0" in words.summary + words.fix
        assert screen.query_one("#download").display
        await press(pilot, "enter")
        assert type(pilot.app.screen).__name__ == "AppUpdateScreen"
        await press(pilot, *"10.6.20")
        screen = await checked(pilot)
        check = wizard(pilot).session.results["app"].check("app_version")
        assert check is not None and (check.status, check.code) == (Status.FAIL, "update_required")
        assert screen.gate == "fail"
        url = check.details["download_url"]
        assert screen.query_one("#download").display
        assert text_of(screen.query_one("#download-url", Static)) == url
        qr = screen.query_one("#download-qr", QrCode)
        assert qr.data == url and "█" in text_of(qr)
        # A version that meets the minimum clears it: the step passes and Next leads.
        await pilot.click("#version")
        await press(pilot, "ctrl+u", *"11.2.0")
        screen = await checked(pilot)
        assert screen.gate == "pass"
        assert not screen.query_one("#download").display


async def test_recheck_runs_again_and_is_recorded(make_app: AppFactory, demo: DemoService) -> None:
    demo.scenario = "captive_portal"
    async with make_app().run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        screen = await checked(pilot)
        assert screen.gate == "fail"
        # The person signs in to the Wi-Fi (the portal goes away) and presses r.
        demo.scenario = "ok"
        await press(pilot, "r")
        screen = await checked(pilot)
        assert screen.gate == "pass"
        session = wizard(pilot).session
        assert session.rechecked == ["network"]
        assert session.results["network"].status is Status.PASS
        assert focused_id(pilot) == "next"


async def test_a_slow_check_says_what_it_is_waiting_for(
    make_app: AppFactory, demo: DemoService
) -> None:
    demo.scenario = "slow"  # the API answers after 2 s
    async with make_app(waiting_after_s=0.2).run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await on_screen(pilot, "NetworkScreen")
        summary = pilot.app.screen.query_one("#check-api .check-summary", Static)
        waiting = t("en", "ui.check.waiting_for", what="")[:12]  # "Still waiting for "
        await until(pilot, lambda: text_of(summary).startswith(waiting), "the waiting note")
        assert "127.0.0.1" in text_of(summary)
        screen = await checked(pilot)
        assert not text_of(summary).startswith(waiting)
        assert screen.gate == "warn"
