"""Done: the ticket (or "saved, will be sent"), how to avoid this next time, and Start over."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button

from wizard.i18n import t
from wizard.ui.navigation import StartOver
from wizard.ui.screens.base import WizardScreen
from wizard.ui.screens.support import spoken_reference
from wizard.ui.session import Delivery
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption
from wizard.ui.widgets.prose import Prose

if TYPE_CHECKING:
    from wizard.ui.app import WizardApp

TIPS = ("ui.done.tip_update", "ui.done.tip_network", "ui.done.tip_details")


class DoneScreen(WizardScreen):
    """The end of the flow; updates itself when a queued message is delivered later."""

    STEP: ClassVar[str | None] = None
    help_topic: ClassVar[str] = "done"
    # Staff mode only (WizardScreen.check_action): the next call starts with one key.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f4", "press('start-over')", "ui.keys.start_over")
    ]

    def compose_body(self) -> ComposeResult:
        """Outcome, reference, tips, the security reminder, Start over."""
        lang = self.lang
        with VerticalScroll(id="done-body"):
            yield Prose(id="done-title", classes="screen-title")
            yield Prose(id="done-line")
            yield Prose(id="done-reference")
            yield Caption("ui.done.tips_title", lang=lang, classes="field-label")
            for key in TIPS:
                yield Caption(key, lang=lang, classes="tip")
            yield Caption("ui.done.security", lang=lang, id="security")
        with Horizontal(classes="buttons"):
            yield ActionButton("ui.done.start_over", lang=lang, id="start-over", variant="primary")

    def on_mount(self) -> None:
        """Draw the outcome; keep it current while the message is retried."""
        cast("WizardApp", self.app).delivery_signal.subscribe(self, self._on_delivery)
        self._draw()
        self.query_one("#start-over", Button).focus()

    def _on_delivery(self, _delivery: Delivery) -> None:
        self._draw()

    def _draw(self) -> None:
        lang = self.lang
        delivery = self.session.delivery
        state = delivery.state if delivery is not None else ""
        if delivery is not None and state == "delivered":
            if delivery.ticket_id:
                title = t(lang, "ui.done.delivered_ticket", ticket_id=delivery.ticket_id)
            else:
                title = t(lang, "ui.done.delivered")
        elif state in ("saved", "queued"):
            title = t(lang, "ui.done.queued")
        else:
            title = t(lang, "ui.done.not_sent")
        title_widget = self.query_one("#done-title", Prose)
        title_widget.show(title)
        title_widget.update_classes(
            {"-pass": state == "delivered", "-warn": state in ("saved", "queued")}
        )
        # The line explains a delay or a refusal; a delivered ticket says it all in the title.
        line = delivery.line(lang) if delivery is not None and state != "delivered" else ""
        line_widget = self.query_one("#done-line", Prose)
        line_widget.show(line)
        line_widget.display = bool(line)
        self.refresh_indicator()
        text = spoken_reference(self.session, self.services, lang)
        self.query_one("#done-reference", Prose).show(text)

    @on(Button.Pressed, "#start-over")
    def _start_over(self) -> None:
        self.post_message(StartOver())

    def localize(self, lang: str) -> None:
        """Re-read every text in `lang`."""
        super().localize(lang)
        self._draw()
