"""ErrorDialog: an unexpected error, said plainly; the wizard keeps running."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen

from wizard.text import one_line
from wizard.ui.localize import localize_tree
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption
from wizard.ui.widgets.prose import Prose


class ErrorDialog(ModalScreen[None]):
    """Something went wrong inside the wizard: the error (sanitized) and a way back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "ui.keys.close")]

    def __init__(self, detail: str, *, lang: str) -> None:
        super().__init__(classes="dialog")
        self.detail = one_line(detail, max_len=300)
        self.lang = lang

    def compose(self) -> ComposeResult:
        """What happened, the error itself (literally), and Close."""
        lang = self.lang
        with Vertical(classes="dialog-box -error"):
            yield Caption("ui.error.title", lang=lang, classes="dialog-title")
            yield Caption("ui.error.body", lang=lang)
            yield Prose(self.detail, classes="error-detail")
            yield ActionButton("ui.buttons.close", lang=lang, id="close", variant="primary")

    def on_mount(self) -> None:
        """Close is one Enter away."""
        self.query_one("#close").focus()

    def on_button_pressed(self) -> None:
        """The only button closes the dialog."""
        self.dismiss(None)

    def localize(self, lang: str) -> None:
        """Re-read the texts in `lang`."""
        self.lang = lang
        localize_tree(self, lang)
