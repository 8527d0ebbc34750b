"""Foreign text stays literal and inert; pastes are cleaned, never dropped; errors get a dialog."""

from __future__ import annotations

import dataclasses

from textual import events
from textual.widgets import Input, Static, TextArea

from tests.ui.conftest import AppFactory
from tests.ui.pilot_helpers import checked, go, on_screen, text_of, until, wizard
from wizard.demo import DemoService
from wizard.ui.screens.error import ErrorDialog

MARKUP = "[@click=app.quit]Click me[/] [link=https://evil.example]prize[/link] [b]bold[/b]"


async def test_markup_in_a_note_and_a_wallet_name_stays_literal_and_inert(
    make_app: AppFactory, demo: DemoService
) -> None:
    profile = demo.profile()
    profile = dataclasses.replace(profile, wallet=dataclasses.replace(profile.wallet, name=MARKUP))
    async with make_app(profile=profile).run_test(size=(80, 24)) as pilot:
        title = pilot.app.screen.query_one("#title-bar", Static)
        shown = text_of(title)
        assert "[@click=app.quit]Click me[/]" in shown and "[link=https://evil.example]" in shown
        # Clicking the words would quit if they had become an action link.
        await pilot.click("#title-bar", offset=(40, 0))
        await pilot.pause()
        assert pilot.app.is_running and pilot.app.return_code is None

        # The app's error text, typed by the person, reaches the message as written.
        field = pilot.app.screen.query_one("#error-text", Input)
        field.focus()
        field.post_message(events.Paste(MARKUP))
        await until(pilot, lambda: field.value == MARKUP, "the paste")
        await go(pilot, "network")
        await checked(pilot)
        await go(pilot, "app")
        await checked(pilot)
        await go(pilot, "contact")
        await pilot.press(*"13800138000")  # typed, as a person does
        await checked(pilot)
        await go(pilot, "support")
        if pilot.app.screen.has_class("-view-fix"):
            await pilot.click("#need-help")
        editor = pilot.app.screen.query_one("#message", TextArea)
        await until(pilot, lambda: MARKUP in editor.text, "the note in the message")
        await pilot.click("#message")
        assert pilot.app.is_running and pilot.app.return_code is None


async def test_pastes_are_normalised_not_dropped(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await go(pilot, "contact")
        await checked(pilot)
        phone = pilot.app.screen.query_one("#phone", Input)
        phone.focus()
        # Full-width digits from a Chinese IME, a line break, and a colour escape.
        phone.post_message(events.Paste("１３８ ００１３\n８０００\x1b[31m"))
        await until(pilot, lambda: bool(phone.value), "the phone paste")
        assert phone.value == "138 0013 8000"
        assert wizard(pilot).session.phone == "138 0013 8000"
        email = pilot.app.screen.query_one("#email", Input)
        email.focus()
        email.post_message(events.Paste("ｍｅ＠ｑｑ．ｃｏｍ\x1b]52;c;ZXZpbA==\x07"))
        await until(pilot, lambda: bool(email.value), "the email paste")
        assert email.value == "me@qq.com"
        screen = await checked(pilot)
        assert screen.gate == "pass"


async def test_a_newer_input_wins_over_a_stale_answer(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await go(pilot, "contact")
        await checked(pilot)
        email = pilot.app.screen.query_one("#email", Input)
        await pilot.click("#email")
        await pilot.press(*"a@qq.con")
        # Changed again before the first lookup is back: the field cleared, a new address.
        await pilot.press("home", "ctrl+k", *"me@qq.com")
        # Once the step has the new address, the only verdict it can still take is the one
        # for that address (answers for older input are dropped): wait for that moment,
        # not for a time. Without it, a verdict for part of the first address, reached in
        # a pause between two keys, could be read before the new address arrived.
        await until(pilot, lambda: wizard(pilot).session.email == "me@qq.com", "the new input")
        await checked(pilot)
        result = wizard(pilot).session.results["contact"].check("email")
        assert result is not None and result.details.get("normalized") == "me@qq.com"
        assert email.value == "me@qq.com"


async def test_did_you_mean_is_accepted_with_one_key(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await go(pilot, "contact")
        await checked(pilot)
        await pilot.click("#email")
        await pilot.press(*"me@qq.con")
        suggest = pilot.app.screen.query_one("#suggest")
        await until(pilot, lambda: bool(suggest.display), "the suggestion")
        await pilot.press("ctrl+y")
        email = pilot.app.screen.query_one("#email", Input)
        assert email.value == "me@qq.com"
        screen = await checked(pilot)
        assert screen.gate == "pass"


async def test_an_unexpected_worker_error_shows_a_dialog_and_the_wizard_stays(
    make_app: AppFactory,
) -> None:
    async def broken() -> None:
        raise RuntimeError("[@click=app.quit]boom[/]")

    async with make_app().run_test(size=(80, 24)) as pilot:
        pilot.app.run_worker(broken(), exit_on_error=False)
        await until(pilot, lambda: isinstance(pilot.app.screen, ErrorDialog), "the error dialog")
        detail = text_of(pilot.app.screen.query_one(".error-detail", Static))
        assert "RuntimeError: [@click=app.quit]boom[/]" in detail
        await pilot.click(".error-detail")
        await pilot.press("enter")  # Close
        await on_screen(pilot, "WelcomeScreen")
        assert pilot.app.is_running and pilot.app.return_code is None
