"""ConfirmQuitDialog: Ctrl+Q with a message not yet sent or saved asks before it is lost."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button

from wizard.ui.screens.dialog import Dialog
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption


class ConfirmQuitDialog(Dialog[bool]):
    """Quit without sending? Staying is the default (Enter, Escape); quitting is a choice."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "stay", "ui.keys.close")]

    def compose(self) -> ComposeResult:
        """The question, what would be lost, and the two answers."""
        lang = self.lang
        with Vertical(classes="dialog-box -confirm"):
            yield Caption("ui.quit.title", lang=lang, classes="dialog-title")
            yield Caption("ui.quit.body", lang=lang)
            with Horizontal(classes="dialog-buttons"):
                yield ActionButton("ui.quit.stay", lang=lang, id="stay", variant="primary")
                yield ActionButton("ui.quit.quit", lang=lang, id="quit", variant="error")

    def on_mount(self) -> None:
        """Staying is one Enter away."""
        self.query_one("#stay").focus()

    def action_stay(self) -> None:
        """Back to the message."""
        self.dismiss(False)

    @on(Button.Pressed, "#stay")
    def _stay(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.dismiss(True)
