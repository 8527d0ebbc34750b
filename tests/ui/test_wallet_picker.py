"""Welcome's wallet picker (CONTRACT §6), walked with keys, and the catalog's contacts on step 4.

Nothing here runs a check: choosing a wallet only changes what the steps will aim at, so the
catalog's real hosts are never contacted.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import press
from tests.ui.pilot_helpers import (
    drawn_choices,
    focused_id,
    go,
    on_screen,
    screen_text,
    text_of,
    until,
    wizard,
)
from wizard.catalog import wallet
from wizard.profile import default_profile
from wizard.ui.screens.base import WizardScreen
from wizard.ui.widgets.caption import Caption
from wizard.ui.widgets.choice_row import ChoiceRow
from wizard.ui.widgets.prose import Prose

# The picker's order: the catalog's, then "another wallet".
ORDER = ["alipay", "wechat", "unionpay", "paypal", "venmo", "cashapp", "other"]


async def tab_to(pilot: Pilot[None], widget_id: str) -> None:
    """Press Tab until `widget_id` has the focus (as a person would)."""
    for _ in range(10):
        if focused_id(pilot) == widget_id:
            return
        await press(pilot, "tab")
    raise AssertionError(f"Tab never reached #{widget_id}")


async def pick(pilot: Pilot[None], wallet_id: str) -> None:
    """Tab to the picker, move to `wallet_id` with the arrow keys, Enter."""
    await tab_to(pilot, "wallet-choice")
    row = pilot.app.screen.query_one("#wallet-choice", ChoiceRow)
    now = ORDER.index(row.value)
    step = "right" if ORDER.index(wallet_id) > now else "left"
    await press(pilot, *[step] * abs(ORDER.index(wallet_id) - now))
    await press(pilot, "enter")
    await until(pilot, lambda: row.value == wallet_id, f"{wallet_id} chosen")


def title(pilot: Pilot[None]) -> str:
    return text_of(pilot.app.screen.query_one("#title-bar", Caption))


def shown_choice(pilot: Pilot[None]) -> str:
    """The label of the wallet the picker shows as chosen (its button has the dot)."""
    chosen = [label for label, dot in drawn_choices(pilot, "#wallet-choice").items() if dot]
    assert len(chosen) == 1, chosen
    return chosen[0]


@pytest.mark.parametrize(
    ("lang", "label", "other"),
    [("en", "PayPal", "Another wallet"), ("zh-CN", "支付宝", "其他钱包")],
)
async def test_the_picker_walked_with_keys(
    make_app: AppFactory, lang: str, label: str, other: str
) -> None:
    app = make_app(lang=lang, profile=default_profile(), demo_scenario=None)
    chosen = "paypal" if lang == "en" else "alipay"
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "WelcomeScreen")
        assert other in shown_choice(pilot)  # unchanged until someone picks
        assert wizard(pilot).services.profile is app.station_profile
        await pick(pilot, chosen)
        profile = wizard(pilot).services.profile
        assert profile == wallet(chosen)
        assert label in shown_choice(pilot)
        assert wallet(chosen).wallet.name in title(pilot)
        assert wizard(pilot).session.region == wallet(chosen).wallet.default_region
        # F2: the other language, the same wallet, its name in the new language.
        await press(pilot, "f2")
        assert wizard(pilot).services.profile == wallet(chosen)
        expected = {"paypal": "PayPal", "alipay": "Alipay 支付宝"}[chosen]
        assert expected in shown_choice(pilot)
        # "Another wallet": back to the wizard's own settings.
        await pick(pilot, "other")
        assert wizard(pilot).services.profile is app.station_profile
        assert wallet(chosen).wallet.name not in title(pilot)


async def test_a_chosen_wallet_reaches_the_steps_and_a_kiosk_wipe_forgets_it(
    make_app: AppFactory,
) -> None:
    app = make_app(profile=default_profile(), demo_scenario=None, mode="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "WelcomeScreen")
        await pick(pilot, "cashapp")
        await go(pilot, "support")
        screen = pilot.app.screen
        assert isinstance(screen, WizardScreen) and screen.services.profile == wallet("cashapp")
        text = text_of(pilot.app.screen.query_one("#wallet-contact", Prose))
        assert "https://cash.app/help/us/en-us/3130-access-old-account" in text
        assert "call only numbers shown inside your wallet app" in text
        wizard(pilot).wipe_session()
        await on_screen(pilot, "WelcomeScreen")
        await until(pilot, lambda: "Another wallet" in shown_choice(pilot), "a fresh picker")
        assert wizard(pilot).services.profile is app.station_profile


async def test_no_picker_when_a_profile_or_wallet_was_given(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:  # the demo's profile
        await on_screen(pilot, "WelcomeScreen")
        assert not pilot.app.screen.query("#wallet-choice")
    app = make_app(lang="zh-CN", profile=wallet("wechat"), demo_scenario=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "WelcomeScreen")
        assert not pilot.app.screen.query("#wallet-choice")
        assert "钱包：微信支付 WeChat Pay（内置目录）" in screen_text(pilot)


@pytest.mark.parametrize(
    ("wallet_id", "lang", "says"),
    [
        ("alipay", "zh-CN", "请打开支付宝 Alipay App，使用其中自带的“帮助”或“客服”入口"),
        ("paypal", "en", "changed-my-mobile-number-and-cant-log-in-help678"),
    ],
)
async def test_step_4_shows_how_to_reach_the_wallet_with_sources(
    make_app: AppFactory, wallet_id: str, lang: str, says: str
) -> None:
    app = make_app(lang=lang, profile=wallet(wallet_id), demo_scenario=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, "support")
        text = text_of(pilot.app.screen.query_one("#wallet-contact", Prose))
        assert says in text
        if wallet_id == "paypal":
            assert "the wallet's own page, checked 2026-11-25" in text
        await press(pilot, "f2")
        other = text_of(pilot.app.screen.query_one("#wallet-contact", Prose))
        assert other != text and ("假冒" in other or "Fake" in other)


async def test_the_demo_and_other_profiles_show_no_catalog_contact(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await go(pilot, "support")
        assert not pilot.app.screen.query_one("#wallet-contact", Prose).display
