"""The paths people take: widgets changed with keys and clicks, keys pressed in bursts.

Each test here walks a path on which an earlier version crashed or said the wrong thing.
Nothing sets session state: fields are typed into, Selects opened and chosen with keys.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Button, Input, Select, TextArea

from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import burst, press
from tests.ui.pilot_helpers import (
    checked,
    drawn_choices,
    focused_id,
    on_screen,
    text_of,
    until,
    wizard,
)
from wizard.demo import DemoService
from wizard.i18n import t
from wizard.ui.widgets.choice_row import ChoiceRow


async def test_choosing_the_phone_system_with_keys_then_leaving_the_step(
    make_app: AppFactory,
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")  # Start
        await checked(pilot)
        await press(pilot, "enter")  # Next
        await on_screen(pilot, "AppUpdateScreen")
        await press(pilot, *"10.6.20", "tab")
        assert focused_id(pilot) == "platform"
        await press(pilot, "enter", "down", "down", "enter")  # open, pick the second system
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
        await press(pilot, "enter")
        await checked(pilot)
        await press(pilot, "enter")
        await on_screen(pilot, "AppUpdateScreen")
        await press(pilot, *"10.6.20")
        await checked(pilot)
        await press(pilot, "enter")
        await on_screen(pilot, "ContactScreen")
        await press(pilot, "shift+tab")
        assert focused_id(pilot) == "region"
        await press(pilot, "enter", "down", "down", "down", "down", "enter")  # HK MO TW US
        select = pilot.app.screen.query_one("#region", Select)
        await until(pilot, lambda: select.value == "US", "United States chosen")
        await press(pilot, "tab", *"2015550123")
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
        await press(pilot, "f1")
        await on_screen(pilot, "HelpDialog")
        await burst(pilot, *keys)
        assert pilot.app.return_code is None
        assert len(pilot.app.screen_stack) >= 1
        assert type(pilot.app.screen_stack[0]).__name__ == "WelcomeScreen"


async def go_to_contact(pilot: Pilot[None], version: str = "10.6.20") -> None:
    """Start, pass step 1, type a version on step 2, and arrive on step 3 — with keys."""
    await press(pilot, "enter")
    await checked(pilot)
    await press(pilot, "enter")
    await on_screen(pilot, "AppUpdateScreen")
    await press(pilot, *version)
    await checked(pilot)
    await press(pilot, "enter")
    await on_screen(pilot, "ContactScreen")


async def test_keys_typed_in_one_burst_after_tab_land_in_the_next_field(
    make_app: AppFactory,
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await go_to_contact(pilot)
        await burst(pilot, *"13800138000", "tab", *"me@qq.com")
        await until(pilot, lambda: focused_id(pilot) == "email", "the email field")
        assert pilot.app.screen.query_one("#phone", Input).value == "13800138000"
        assert pilot.app.screen.query_one("#email", Input).value == "me@qq.com"


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_an_outage_is_the_wallets_side_and_never_gates_the_person(
    make_app: AppFactory, demo: DemoService, lang: str
) -> None:
    demo.scenario = "outage"
    async with make_app(lang=lang).run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        screen = await checked(pilot)
        assert screen.gate == "wallet"
        lead = text_of(screen.query_one("#lead"))
        assert lead.startswith("⚠")
        assert t(lang, "ui.step.failed", check="", fix="")[:6] not in lead
        # Next leads (focused, shown); there is nothing to "continue anyway" past.
        assert focused_id(pilot) == "next"
        assert not screen.query_one("#continue-anyway").display
        await press(pilot, "enter")
        await on_screen(pilot, "AppUpdateScreen")
        await press(pilot, *"10.6.20")
        await checked(pilot)
        await press(pilot, "enter")
        await on_screen(pilot, "ContactScreen")
        await press(pilot, *"13800138000")
        await checked(pilot)
        await press(pilot, "enter")
        await on_screen(pilot, "SupportScreen")
        support = pilot.app.screen
        # Straight to the message: no "something on your side still needs fixing".
        assert support.has_class("-view-message")
        notice = support.query_one("#wallet-notice")
        assert notice.display
        assert t(lang, "ui.support.wallet_notice", summary="")[:8] in text_of(notice)
        assert focused_id(pilot) == "send"
        assert wizard(pilot).session.continued == []


def cut_buttons(pilot: Pilot[None]) -> list[str]:
    """Labels of shown buttons that do not fit their button (a cut label)."""
    cut = []
    for button in pilot.app.screen.query(Button):
        if button.display and button.region.width:
            label = button.label.plain if isinstance(button.label, Content) else str(button.label)
            if button.content_region.width < cell_len(label):
                cut.append(label)
    return cut


async def test_f2_on_welcome_leaves_one_language_chosen(make_app: AppFactory) -> None:
    async with make_app(lang="zh-CN").run_test(size=(80, 24)) as pilot:
        row = pilot.app.screen.query_one("#language", ChoiceRow)
        await press(pilot, "f2")
        await until(pilot, lambda: wizard(pilot).session.lang == "en", "English")
        await pilot.pause()
        assert row.value == "en"
        assert drawn_choices(pilot, "#language") == {"中文": False, "English": True}
        # The person changes their mind with a click: still exactly one is chosen.
        await pilot.click(row, offset=row.choice_offsets()["zh-CN"])
        await until(pilot, lambda: wizard(pilot).session.lang == "zh-CN", "Chinese again")
        assert drawn_choices(pilot, "#language") == {"中文": True, "English": False}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_f2_mid_step_leaves_every_button_label_whole(
    make_app: AppFactory, demo: DemoService, size: tuple[int, int]
) -> None:
    demo.scenario = "captive_portal"
    async with make_app(lang="zh-CN").run_test(size=size) as pilot:
        await press(pilot, "enter")
        await checked(pilot)
        assert cut_buttons(pilot) == []
        await press(pilot, "f2")
        await until(pilot, lambda: wizard(pilot).session.lang == "en", "English")
        await pilot.pause()
        assert pilot.app.screen.query_one("#continue-anyway").display
        assert cut_buttons(pilot) == []
        await pilot.click("#continue-anyway")
        await on_screen(pilot, "AppUpdateScreen")
        await press(pilot, *"10.6.20")
        await checked(pilot)
        await press(pilot, "enter")
        await on_screen(pilot, "ContactScreen")
        await press(pilot, *"13800138000")
        await checked(pilot)
        await press(pilot, "enter")
        await on_screen(pilot, "SupportScreen")
        await press(pilot, "f2")
        await until(pilot, lambda: wizard(pilot).session.lang == "zh-CN", "Chinese")
        await press(pilot, "f2")
        await until(pilot, lambda: wizard(pilot).session.lang == "en", "English")
        await pilot.pause()
        assert cut_buttons(pilot) == []


async def test_after_start_over_enter_starts_again(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await go_to_contact(pilot)
        await press(pilot, *"13800138000")
        await checked(pilot)
        await press(pilot, "enter")
        await on_screen(pilot, "SupportScreen")
        await pilot.click("#send")
        await on_screen(pilot, "DoneScreen")
        await press(pilot, "enter")  # Start over is focused
        await on_screen(pilot, "WelcomeScreen")
        assert focused_id(pilot) == "start"
        await press(pilot, "enter")
        await on_screen(pilot, "NetworkScreen")


async def test_after_a_kiosk_wipe_the_next_person_can_press_enter(
    make_app: AppFactory, demo: DemoService
) -> None:
    from tests.ui.test_kiosk import IDLE_S, WARN_S, FakeClock, kiosk_app

    clock = FakeClock()
    app = kiosk_app(make_app, demo, clock, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await checked(pilot)
        clock.advance(IDLE_S + WARN_S + 1)
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "WelcomeScreen", "wipe")
        await until(pilot, lambda: focused_id(pilot) == "start", "Start focused")
        await press(pilot, "enter")
        await on_screen(pilot, "NetworkScreen")


async def reach_message(pilot: Pilot[None]) -> None:
    """Walk to step 4's message with keys (the demo's ok scenario passes every step)."""
    await go_to_contact(pilot)
    await press(pilot, *"13800138000")
    await checked(pilot)
    await press(pilot, "enter")
    await on_screen(pilot, "SupportScreen")


async def test_ctrl_q_with_an_unsent_message_asks_first(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await reach_message(pilot)
        await pilot.click("#message")
        await press(pilot, "end", *" my card was blocked")
        await press(pilot, "ctrl+q")
        await on_screen(pilot, "ConfirmQuitDialog")
        await press(pilot, "enter")  # Stay is focused
        await on_screen(pilot, "SupportScreen")
        assert "my card was blocked" in pilot.app.screen.query_one("#message", TextArea).text
        assert pilot.app.return_code is None
        await press(pilot, "ctrl+q")
        await on_screen(pilot, "ConfirmQuitDialog")
        await pilot.click("#quit")
        await until(pilot, lambda: pilot.app.return_code is not None, "the app to quit")


async def test_ctrl_q_after_send_quits_at_once(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await reach_message(pilot)
        await press(pilot, "enter")  # Send
        await on_screen(pilot, "DoneScreen")
        await press(pilot, "ctrl+q")
        await until(pilot, lambda: pilot.app.return_code is not None, "the app to quit")


async def test_save_writes_to_documents_and_shows_the_full_path(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "person"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    async with make_app(save_dir=None).run_test(size=(80, 24)) as pilot:
        await reach_message(pilot)
        await pilot.click("#save")
        saved = sorted((home / "Documents").glob("wallet-wizard-*.md"))
        assert len(saved) == 1
        status = text_of(pilot.app.screen.query_one("#send-status"))
        assert str(saved[0]) in status.replace("\n", "")


async def test_copy_says_what_was_done_and_offers_save_or_qr(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24), notifications=True) as pilot:
        await reach_message(pilot)
        await pilot.click("#copy")
        assert "WU-7KQ2-9M4D" in pilot.app.clipboard
        shown = [str(n.message) for n in pilot.app._notifications]
        assert shown == [t("en", "ui.support.copied")]
        assert "Save" in shown[0] and "QR" in shown[0]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_staff_the_desks_own_connection_is_not_the_callers_to_fix(
    make_app: AppFactory, demo: DemoService, lang: str
) -> None:
    # The agent's computer sits behind a TLS-inspecting proxy; the caller's phone is fine.
    demo.scenario = "tls_intercept"
    async with make_app(lang=lang, mode="staff").run_test(size=(80, 24)) as pilot:
        await press(pilot, "f4")
        await on_screen(pilot, "StaffNetworkScreen")
        await press(pilot, "1", "1", "1", "1", "1")  # Wi-Fi, no, no, yes, loads
        screen = await checked(pilot)
        await until(pilot, lambda: screen.gate not in ("asking", "running"), "the result")
        assert screen.gate == "desk"
        lead = text_of(screen.query_one("#lead"))
        assert t(lang, "staff.lead_desk", check="", summary="")[:10] in lead
        api_row = screen.query_one("#check-api .check-elapsed")
        assert t(lang, "staff.measured_here") in text_of(api_row)
        assert focused_id(pilot) == "next"
        await press(pilot, "f4")
        await on_screen(pilot, "AppUpdateScreen")
        await press(pilot, *"10.6.20")
        await checked(pilot)
        await press(pilot, "f4")
        await on_screen(pilot, "ContactScreen")
        await press(pilot, *"13800138000")
        await checked(pilot)
        await press(pilot, "f4")
        await on_screen(pilot, "SupportScreen")
        # Nothing for the caller to fix first: the ticket, straight away.
        assert pilot.app.screen.has_class("-view-message")


async def test_staff_confirms_the_read_back_before_the_ticket_is_filed(
    make_app: AppFactory, demo: DemoService
) -> None:
    async with make_app(lang="en", mode="staff").run_test(size=(80, 24)) as pilot:
        await press(pilot, "f4")
        await on_screen(pilot, "StaffNetworkScreen")
        await press(pilot, "1", "1", "1", "1", "1")
        await checked(pilot)
        await press(pilot, "f4")
        await on_screen(pilot, "AppUpdateScreen")
        await press(pilot, *"10.6.20")
        await checked(pilot)
        await press(pilot, "f4")
        await on_screen(pilot, "ContactScreen")
        await press(pilot, *"13800138000")
        await checked(pilot)
        await press(pilot, "f4")
        await on_screen(pilot, "SupportScreen")
        button = pilot.app.screen.query_one("#read-back", Button)
        assert button.display and not button.disabled
        assert not wizard(pilot).session.read_back
        editor = pilot.app.screen.query_one("#message", TextArea)
        read_back = t("en", "message.field.read_back")
        assert read_back not in editor.text
        await press(pilot, "ctrl+r")
        await until(pilot, lambda: wizard(pilot).session.read_back, "the read-back")
        assert button.disabled
        await until(pilot, lambda: read_back in editor.text, "the ticket to say so")


async def test_staff_number_keys_go_to_the_step_to_fix(
    make_app: AppFactory, demo: DemoService
) -> None:
    demo.scenario = "old_app"
    async with make_app(lang="en", mode="staff").run_test(size=(80, 24)) as pilot:
        await press(pilot, "f4")
        await on_screen(pilot, "StaffNetworkScreen")
        await press(pilot, "1", "1", "1", "1", "1")
        await checked(pilot)
        await press(pilot, "f4")
        await on_screen(pilot, "AppUpdateScreen")
        await press(pilot, *"10.5.3")
        step = await checked(pilot)
        assert step.gate == "fail"
        await press(pilot, "f6")  # I can't fix this
        await on_screen(pilot, "ContactScreen")
        await press(pilot, *"13800138000")
        await checked(pilot)
        await press(pilot, "f4")
        await on_screen(pilot, "SupportScreen")
        assert pilot.app.screen.has_class("-view-fix")
        await press(pilot, "2")
        await on_screen(pilot, "AppUpdateScreen")
