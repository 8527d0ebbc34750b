"""QrDialog: a QR code to take away on a phone, with what it holds written beside it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from wizard.ui.screens.dialog import CloseableDialog
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption
from wizard.ui.widgets.prose import Prose


class QrDialog(CloseableDialog):
    """The code (black on white) and its content as text, for anyone who cannot scan."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "ui.keys.close")]

    def __init__(self, code: str, payload: str, *, lang: str) -> None:
        super().__init__(lang=lang)
        self.code = code
        self.payload = payload

    def compose(self) -> ComposeResult:
        """Title, the code with its text, and Close."""
        with Vertical(classes="dialog-box -qr"):
            yield Caption("ui.qr.title", lang=self.lang, classes="dialog-title")
            with Horizontal(id="qr-row"):
                yield Static(Content(self.code), classes="qr", markup=False)
                with Vertical(id="qr-side"):
                    yield Caption("ui.qr.holds", lang=self.lang, classes="hint")
                    yield Prose(self.payload, id="qr-payload")
            yield ActionButton("ui.buttons.close", lang=self.lang, id="close", variant="primary")
