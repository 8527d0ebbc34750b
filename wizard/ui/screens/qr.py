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
    """The code (black on white) beside its title and content as text.

    Side by side, not stacked: the largest code the wizard draws is 19 rows high, and the
    dialog must fit an 80×24 terminal with its border.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "ui.keys.close")]

    def __init__(
        self,
        code: str,
        payload: str,
        *,
        lang: str,
        title_key: str = "ui.qr.title",
        holds_key: str = "ui.qr.holds",
    ) -> None:
        super().__init__(lang=lang)
        self.code = code
        self.payload = payload
        self.title_key = title_key
        self.holds_key = holds_key

    def compose(self) -> ComposeResult:
        """The code, and beside it the title, what it holds, and Close."""
        with Horizontal(classes="dialog-box -qr"):
            yield Static(Content(self.code), classes="qr", markup=False)
            with Vertical(id="qr-side"):
                yield Caption(self.title_key, lang=self.lang, classes="dialog-title")
                yield Caption(self.holds_key, lang=self.lang, classes="hint")
                yield Prose(self.payload, id="qr-payload")
                yield ActionButton(
                    "ui.buttons.close", lang=self.lang, id="close", variant="primary"
                )
