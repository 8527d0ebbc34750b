"""WizardScreen: what every screen of the flow shares — title bar, step indicator, footer."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.screen import Screen

from wizard.ui.localize import localize_tree
from wizard.ui.services import Services
from wizard.ui.session import Session
from wizard.ui.widgets.caption import Caption
from wizard.ui.widgets.footer import LocalizedFooter
from wizard.ui.widgets.step_indicator import StepIndicator


class WizardScreen(Screen[None]):
    """A screen of the flow; subclasses add their body in `compose_body`."""

    # The step this screen is (for the indicator) and the F1 help it opens.
    STEP: ClassVar[str | None] = None
    help_topic: ClassVar[str] = "welcome"

    def __init__(self, session: Session, services: Services) -> None:
        super().__init__()
        self.session = session
        self.services = services

    @property
    def lang(self) -> str:
        """The person's language, as the session holds it."""
        return self.session.lang

    def compose(self) -> ComposeResult:
        """Title bar and step indicator on top, the body, the footer at the bottom."""
        yield self._title_bar()
        yield StepIndicator(
            lang=self.lang, current=self.STEP, states=self.session.states(), id="indicator"
        )
        yield from self.compose_body()
        yield LocalizedFooter(lang=self.lang)

    def _title_bar(self) -> Caption:
        wallet = self.services.profile.wallet.name
        scenario = self.services.demo_scenario
        if scenario is not None:
            return Caption(
                "ui.wizard.header_demo",
                lang=self.lang,
                id="title-bar",
                wallet=wallet,
                scenario=scenario,
            )
        return Caption("ui.wizard.header", lang=self.lang, id="title-bar", wallet=wallet)

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

    def refresh_indicator(self) -> None:
        """Redraw the step indicator from the session's results."""
        self.query_one(StepIndicator).set_state(self.STEP, self.session.states())

    def localize(self, lang: str) -> None:
        """Re-read every text on this screen in `lang`."""
        localize_tree(self, lang)
