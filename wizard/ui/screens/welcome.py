"""Welcome: language, which wallet, what failed to update, and the app's error text."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, RadioSet

from wizard.kiosk import idle_words
from wizard.text import one_line
from wizard.ui.navigation import ChangeLanguage, Navigate
from wizard.ui.screens.base import WizardScreen
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption
from wizard.ui.widgets.caption_radio import CaptionRadio
from wizard.ui.widgets.clean_input import CleanInput
from wizard.vocabulary import WHATS

LANGUAGE_CHOICES = (("ui.lang.zh", "zh-CN"), ("ui.lang.en", "en"))


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
            yield Caption("ui.welcome.language", lang=lang, classes="field-label")
            with RadioSet(id="language", classes="choices"):
                for key, value in LANGUAGE_CHOICES:
                    yield CaptionRadio(key, value, lang=lang, selected=value == lang)
            yield self._wallet_line()
            yield Caption("ui.welcome.what", lang=lang, classes="field-label")
            with RadioSet(id="what", classes="choices"):
                for what in WHATS:
                    yield CaptionRadio(
                        f"ui.what.{what}", what, lang=lang, selected=what == self.session.what
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

    @on(RadioSet.Changed, "#language")
    def _language_chosen(self, event: RadioSet.Changed) -> None:
        if isinstance(event.pressed, CaptionRadio):
            self.post_message(ChangeLanguage(event.pressed.value_name))

    @on(RadioSet.Changed, "#what")
    def _what_chosen(self, event: RadioSet.Changed) -> None:
        if isinstance(event.pressed, CaptionRadio):
            self.session.what = event.pressed.value_name

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
        # Through the RadioSet's own messages (not held back): it alone switches the old
        # choice off and remembers the new one; held back, both languages showed as chosen.
        # The ChangeLanguage it leads to is for the language already shown: nothing happens.
        for radio in self.query_one("#language", RadioSet).query(CaptionRadio):
            if radio.value_name == lang and not radio.value:
                radio.value = True
