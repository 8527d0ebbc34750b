"""HelpDialog (F1): why the current step matters, in plain words."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll

from wizard.i18n import has
from wizard.ui.screens.dialog import CloseableDialog
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption

# Welcome and Done are not steps: their help is not "why this step matters".
TITLES = {"welcome": "ui.help.title_welcome", "done": "ui.help.title_done"}


class HelpDialog(CloseableDialog):
    """The usual causes of failed updates, what is at stake, and what this step does."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "dismiss", "ui.keys.close"),
    ]

    def __init__(self, topic: str, *, lang: str, mode: str = "normal") -> None:
        super().__init__(lang=lang)
        # A screen without help of its own (a step added later) gets Welcome's.
        self.topic = topic if has("en", f"ui.help.{topic}") else "welcome"
        self.mode = mode

    def compose(self) -> ComposeResult:
        """Title, the step's own help, the general why, the keys, and Close."""
        lang = self.lang
        title = TITLES.get(self.topic, "ui.help.title")
        keys = {"kiosk": "ui.help.keys_kiosk", "staff": "ui.help.keys_staff"}.get(
            self.mode, "ui.help.keys"
        )
        with Vertical(classes="dialog-box"):
            yield Caption(title, lang=lang, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Caption(f"ui.help.{self.topic}", lang=lang, classes="help-topic")
                yield Caption("ui.help.causes", lang=lang, classes="help-why")
                yield Caption("ui.help.stakes", lang=lang, classes="help-why")
                yield Caption("ui.help.keys_title", lang=lang, classes="help-why field-label")
                yield Caption(keys, lang=lang, classes="help-keys")
            yield ActionButton("ui.buttons.close", lang=lang, id="close", variant="primary")
