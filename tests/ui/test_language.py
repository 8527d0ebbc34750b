"""F2 switches every text (results included) in place; F1 explains the step."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import press
from tests.ui.pilot_helpers import checked, go, on_screen, screen_text, text_of, until, wizard
from wizard.i18n import t
from wizard.ui.screens.help import HelpDialog
from wizard.ui.widgets.choice_row import ChoiceRow


async def test_f2_switches_the_language_of_everything_on_screen(make_app: AppFactory) -> None:
    async with make_app(lang="en").run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        screen = await checked(pilot)
        assert t("en", "ui.step.passed") in screen_text(pilot)
        await press(pilot, "f2")
        await pilot.pause()
        session = wizard(pilot).session
        assert session.lang == "zh-CN"
        shown = screen_text(pilot)
        assert t("zh-CN", "ui.step.passed") in shown
        assert t("zh-CN", "ui.network.intro") in shown
        # The session keeps codes; the row explains them in the language shown now.
        link = session.results["network"].check("link")
        assert link is not None and link.code == "ok" and link.summary == ""
        summary = t("zh-CN", "codes.link.ok.summary")
        assert summary in text_of(screen.query_one("#check-link .check-summary", Static))
        assert t("zh-CN", "checks.status.pass") in shown
        assert t("en", "ui.step.passed") not in shown
        await press(pilot, "f2")
        await pilot.pause()
        assert wizard(pilot).session.lang == "en"
        assert t("en", "ui.step.passed") in screen_text(pilot)


async def test_choosing_a_language_on_welcome_switches_at_once(make_app: AppFactory) -> None:
    async with make_app(lang="zh-CN").run_test(size=(80, 24)) as pilot:
        assert t("zh-CN", "ui.welcome.title") in screen_text(pilot)
        row = pilot.app.screen.query_one("#language", ChoiceRow)
        await pilot.click(row, offset=row.choice_offsets()["en"])
        await until(pilot, lambda: wizard(pilot).session.lang == "en", "the switch")
        assert t("en", "ui.welcome.title") in screen_text(pilot)


async def test_f1_explains_why_the_step_matters(make_app: AppFactory) -> None:
    async with make_app(lang="en").run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await checked(pilot)
        await press(pilot, "f1")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpDialog), "the help")
        shown = screen_text(pilot)
        assert t("en", "ui.help.network") in shown
        assert t("en", "ui.help.causes") in shown and t("en", "ui.help.stakes") in shown
        await press(pilot, "escape")
        await on_screen(pilot, "NetworkScreen")


@pytest.mark.parametrize("region", ["CN", "US"])
async def test_f2_on_step_3_names_the_chosen_region_in_the_new_language(
    make_app: AppFactory, region: str
) -> None:
    """The region Select shows its region's name in the language F2 chose, the first region
    of the list (which set_options picks by itself) as well as another."""
    async with make_app(lang="en").run_test(size=(80, 24)) as pilot:
        wizard(pilot).session.region = region
        await go(pilot, "contact")
        label = pilot.app.screen.query_one("#region SelectCurrent #label")
        assert t("en", f"ui.region.{region}") in text_of(label)
        await press(pilot, "f2")
        await until(pilot, lambda: wizard(pilot).session.lang == "zh-CN", "Chinese")
        await until(
            pilot, lambda: t("zh-CN", f"ui.region.{region}") in text_of(label), "relabelled"
        )
        assert wizard(pilot).session.region == region
