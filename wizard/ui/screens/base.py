"""WizardScreen: what every screen of the flow shares — title bar, step indicator, footer.

In staff mode every button of a screen also has a key in the footer (`press('<button id>')`
bindings): an agent on the phone never needs the mouse. The key shows only while its button
is on screen, and is dimmed while the button is disabled.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Select

from wizard.ui.localize import localize_tree
from wizard.ui.services import Services
from wizard.ui.session import Session
from wizard.ui.widgets.caption import Caption
from wizard.ui.widgets.footer import LocalizedFooter
from wizard.ui.widgets.step_indicator import StepIndicator

# Below this many rows (80×24 is the smallest supported terminal, and a kiosk's big font)
# inputs, selects and buttons drop their borders: each saves two rows, and the lead line and
# a failing check's fix must fit without scrolling.
COMPACT_BELOW_ROWS = 32


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
        """Title bar and step indicator on top, the body, the footer at the bottom.

        Fields and buttons are made compact as they are created when the terminal is short:
        switching them after they are shown would restyle the whole screen once more.
        """
        compact = self._compact_for(self.app.size.height)
        self.set_class(compact, "-compact", update=False)
        yield self._title_bar()
        yield StepIndicator(
            lang=self.lang,
            current=self.STEP,
            states=self.session.states(),
            steps=self.services.flow.numbered,
            id="indicator",
        )
        for widget in self.compose_body():
            if compact and isinstance(widget, Input | Select | Button):
                widget.compact = True
            yield widget
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

    def on_resize(self, event: events.Resize) -> None:
        """Fit the new terminal size."""
        self._fit_height(event.size.height)

    async def recompose(self) -> None:
        """Compose again (a new session on Welcome), fitted to the terminal like the first,
        and with the first widget focused again: the old focus went with the old widgets,
        and without it Enter would do nothing for the next person."""
        await super().recompose()
        self._fit_height(self.app.size.height)
        if self.AUTO_FOCUS and self.focused is None:
            target = next(iter(self.query(self.AUTO_FOCUS)), None)
            if target is not None and target.focusable:
                target.focus()

    @staticmethod
    def _compact_for(rows: int) -> bool:
        return rows < COMPACT_BELOW_ROWS

    def _fit_height(self, rows: int) -> None:
        compact = self._compact_for(rows)
        if compact == self.has_class("-compact"):
            return  # already fitted (every resize calls this)
        self.set_class(compact, "-compact")
        for widget in self.query("Input, Select, Button"):
            if isinstance(widget, Input | Select | Button):
                widget.compact = compact

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Button keys exist in staff mode, for buttons on screen (dimmed while disabled)."""
        if action != "press":
            return True
        if self.services.mode != "staff" or not parameters:
            return False
        button = self._shown_button(str(parameters[0]))
        if button is None:
            return False
        return None if button.disabled else True

    def action_press(self, button_id: str) -> None:
        """Press the button `button_id` as a click would (staff mode's keys)."""
        button = self._shown_button(button_id)
        if button is not None and not button.disabled:
            button.press()

    def _shown_button(self, button_id: str) -> Button | None:
        """The button with this id, if it and every container around it is displayed."""
        button = next(self.query(f"#{button_id}").results(Button), None)
        if button is None:
            return None
        chain = [button, *button.ancestors]
        if all(node.display for node in chain if isinstance(node, Widget) and node is not self):
            return button
        return None

    def refresh_indicator(self) -> None:
        """Redraw the step indicator from the session's results."""
        self.query_one(StepIndicator).set_state(self.STEP, self.session.states())

    def localize(self, lang: str) -> None:
        """Re-read every text on this screen in `lang`."""
        localize_tree(self, lang)
