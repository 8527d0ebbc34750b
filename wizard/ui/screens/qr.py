"""QrDialog: a QR code to take away on a phone, with what it holds written beside it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from wizard.ui.localize import localize_tree
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption
from wizard.ui.widgets.prose import Prose


class QrDialog(ModalScreen[None]):
    """The code (black on white) and its content as text, for anyone who cannot scan."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "ui.keys.close")]

    def __init__(self, code: str, payload: str, *, lang: str) -> None:
        super().__init__(classes="dialog")
        self.code = code
        self.payload = payload
        self.lang = lang

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
