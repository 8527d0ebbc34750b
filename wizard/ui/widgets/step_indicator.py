"""StepIndicator: the four steps on one line, each with a symbol for its state."""

from __future__ import annotations

from typing import ClassVar

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from wizard.checks.model import Status
from wizard.i18n import t

CURRENT = "●"
PENDING = "○"


class StepIndicator(Widget):
    """`✔ 1 Network › ● 2 App update › ○ 3 …`: symbols carry the state, not colour."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "step-indicator--current",
        "step-indicator--pending",
        "step-indicator--done",
    }

    lang: reactive[str] = reactive("en")
    current: reactive[str | None] = reactive(None)
    states: reactive[dict[str, Status]] = reactive(dict, always_update=True)

    def __init__(
        self,
        *,
        lang: str,
        current: str | None,
        states: dict[str, Status],
        steps: tuple[str, ...],
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="step-indicator")
        # The numbered steps, in order (the flow's, support last).
        self.steps = steps
        self.set_reactive(StepIndicator.lang, lang)
        self.set_reactive(StepIndicator.current, current)
        self.set_reactive(StepIndicator.states, dict(states))

    def render(self) -> RenderResult:
        """The steps joined by `›`, styled by the component classes in the stylesheet."""
        parts: list[Content] = []
        for number, step in enumerate(self.steps, 1):
            name = t(self.lang, f"checks.steps.{step}")
            status = self.states.get(step)
            if step == self.current:
                symbol, component = CURRENT, "step-indicator--current"
            elif status is not None:
                symbol, component = status.icon, "step-indicator--done"
            else:
                symbol, component = PENDING, "step-indicator--pending"
            text = Content(f" {symbol} {number} {name} ")
            parts.append(text.stylize(self.get_visual_style(component)))
        return Content("›").join(parts)

    def set_state(self, current: str | None, states: dict[str, Status]) -> None:
        """Show another current step or new step results."""
        self.current = current
        self.states = dict(states)

    def localize(self, lang: str) -> None:
        """Re-read the step names in `lang`."""
        self.lang = lang
