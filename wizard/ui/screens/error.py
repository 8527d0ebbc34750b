"""ErrorDialog: an unexpected error, said plainly; the wizard keeps running."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from wizard.text import one_line
from wizard.ui.screens.dialog import CloseableDialog
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption
from wizard.ui.widgets.prose import Prose


class ErrorDialog(CloseableDialog):
    """Something went wrong inside the wizard: the error (sanitized) and a way back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "ui.keys.close")]

    def __init__(self, detail: str, *, lang: str) -> None:
        super().__init__(lang=lang)
        self.detail = one_line(detail, max_len=300)

    def compose(self) -> ComposeResult:
        """What happened, the error itself (literally), and Close."""
        lang = self.lang
        with Vertical(classes="dialog-box -error"):
            yield Caption("ui.error.title", lang=lang, classes="dialog-title")
            yield Caption("ui.error.body", lang=lang)
            yield Prose(self.detail, classes="error-detail")
            yield ActionButton("ui.buttons.close", lang=lang, id="close", variant="primary")
