"""Welcome: language, which wallet, what failed to update, and the app's error text."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input

from wizard.kiosk import idle_words
from wizard.text import one_line
from wizard.ui.navigation import ChangeLanguage, ChooseWallet, Navigate
from wizard.ui.screens.base import WizardScreen
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption
from wizard.ui.widgets.choice_row import ChoiceRow
from wizard.ui.widgets.clean_input import CleanInput
from wizard.vocabulary import WALLETS, WHATS

LANGUAGE_CHOICES = (("ui.lang.zh", "zh-CN"), ("ui.lang.en", "en"))
# The picker's value for "another wallet": the wizard's own settings, no catalog entry.
OTHER_WALLET = "other"
# The catalog's wallets, then "another wallet".
WALLET_CHOICES = [
    *((f"ui.wallets.{wallet}", wallet) for wallet in WALLETS),
    ("ui.welcome.wallet_other", OTHER_WALLET),
]


class WelcomeScreen(WizardScreen):
    """The first screen: a few choices, then Start."""

    STEP: ClassVar[str | None] = None
    help_topic: ClassVar[str] = "welcome"
    # Enter starts: every choice has a sensible default already selected. (Focusing it
    # through AUTO_FOCUS, not on mount, spares a second restyle of the whole screen.)
    AUTO_FOCUS = "#start"
    # Staff mode only (WizardScreen.check_action).
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f4", "press('start')", "ui.keys.start")]

    def compose_body(self) -> ComposeResult:
        """Intro, the choices, and Start."""
        lang = self.lang
        with VerticalScroll(id="welcome-body"):
            yield Caption("ui.welcome.title", lang=lang, classes="screen-title")
            yield Caption("ui.welcome.intro", lang=lang, classes="screen-intro")
            if self.services.mode == "kiosk":
                yield self._privacy_notice()
            elif self.services.mode == "staff":
                yield Caption("staff.welcome", lang=lang, id="staff-notice", classes="notice")
            # Each row draws its own question above its choices (one widget, not two).
            yield ChoiceRow(
                list(LANGUAGE_CHOICES),
                lang=lang,
                value=lang,
                label="ui.welcome.language",
                id="language",
            )
            if self.services.pick_wallet:
                yield ChoiceRow(
                    WALLET_CHOICES,
                    lang=lang,
                    value=self.services.profile.catalog_id or OTHER_WALLET,
                    label="ui.welcome.wallet_pick",
                    id="wallet-choice",
                )
            else:
                yield self._wallet_line()
            yield ChoiceRow(
                [(f"ui.what.{what}", what) for what in WHATS],
                lang=lang,
                value=self.session.what,
                label="ui.welcome.what",
                id="what",
            )
            yield Caption("ui.welcome.error_text", lang=lang, classes="field-label")
            yield CleanInput(
                self.session.error_text,
                lang=lang,
                placeholder_key="ui.welcome.error_placeholder",
                id="error-text",
            )
        with Horizontal(classes="buttons"):
            yield ActionButton("ui.buttons.start", lang=lang, id="start", variant="primary")

    def _privacy_notice(self) -> Caption:
        """A shared station: what happens to what the person types."""
        idle_s = self.services.profile.kiosk.idle_s
        return Caption(
            "ui.kiosk.privacy",
            lang=self.lang,
            id="privacy",
            classes="notice",
            idle=idle_words(idle_s, self.lang),
        )

    @on(ChoiceRow.Changed, "#wallet-choice")
    def _wallet_chosen(self, event: ChoiceRow.Changed) -> None:
        self.post_message(ChooseWallet("" if event.value == OTHER_WALLET else event.value))

    def _wallet_line(self) -> Caption:
        profile = self.services.profile
        wallet = profile.wallet.name
        if self.services.demo_scenario is not None:
            return Caption(
                "ui.welcome.wallet_demo",
                lang=self.lang,
                id="wallet",
                classes="field-label",
                wallet=wallet,
                scenario=self.services.demo_scenario,
            )
        if profile.source is None and profile.catalog_id:
            return Caption(
                "ui.welcome.wallet_catalog",
                lang=self.lang,
                id="wallet",
                classes="field-label",
                wallet=wallet,
            )
        if profile.source is not None:
            return Caption(
                "ui.welcome.wallet_profile",
                lang=self.lang,
                id="wallet",
                classes="field-label",
                wallet=wallet,
                file=Path(profile.source).name,
            )
        return Caption(
            "ui.welcome.wallet_default", lang=self.lang, id="wallet", classes="field-label"
        )

    @on(ChoiceRow.Changed, "#language")
    def _language_chosen(self, event: ChoiceRow.Changed) -> None:
        self.post_message(ChangeLanguage(event.value))

    @on(ChoiceRow.Changed, "#what")
    def _what_chosen(self, event: ChoiceRow.Changed) -> None:
        self.session.what = event.value

    @on(Input.Changed, "#error-text")
    def _error_text_changed(self, event: Input.Changed) -> None:
        self.session.error_text = one_line(event.value, max_len=1000)

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        self.post_message(Navigate("network"))

    @on(Input.Submitted, "#error-text")
    def _submitted(self) -> None:
        self.post_message(Navigate("network"))

    def localize(self, lang: str) -> None:
        """Re-read the texts, and keep the language choice in step with F2."""
        super().localize(lang)
        if self.services.mode == "kiosk":
            idle = idle_words(self.services.profile.kiosk.idle_s, lang)
            self.query_one("#privacy", Caption).set_key("ui.kiosk.privacy", idle=idle)
        # F2 chose the language already: the row shows it, and asks for nothing more.
        self.query_one("#language", ChoiceRow).choose(lang, announce=False)
