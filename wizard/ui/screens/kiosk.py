"""Kiosk dialogs: "Are you still there?" before the wipe, and the staff PIN to leave.

The rules (idle timer, PIN lockout) live in `wizard.kiosk`; these screens only show them.
"""

from __future__ import annotations

import math
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input

from wizard.i18n import t
from wizard.kiosk import PinGate, PinResult
from wizard.ui.screens.dialog import Dialog
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption


class CountdownDialog(Dialog[None]):
    """The idle warning: seconds left before the session is wiped; any input cancels it.

    The App closes it on any key, mouse event or paste; its button is there for anyone who
    looks for something to press.
    """

    def __init__(self, seconds: int, *, lang: str) -> None:
        super().__init__(lang=lang)
        self.seconds = seconds

    def compose(self) -> ComposeResult:
        """The question, the countdown, and "I'm still here"."""
        lang = self.lang
        with Vertical(classes="dialog-box -countdown"):
            yield Caption("ui.kiosk.still_there", lang=lang, classes="dialog-title")
            yield Caption("ui.kiosk.countdown", lang=lang, id="countdown", count=self.seconds)
            yield ActionButton("ui.kiosk.still_here", lang=lang, id="still-here", variant="primary")

    def on_mount(self) -> None:
        """The button is one Enter away (though any key will do)."""
        self.query_one("#still-here").focus()

    def set_seconds(self, seconds: int) -> None:
        """Show how many seconds are left."""
        self.seconds = seconds
        # Not composed yet on the tick right after it was pushed: compose reads `seconds`.
        for caption in self.query("#countdown").results(Caption):
            caption.set_key("ui.kiosk.countdown", count=seconds)

    def on_button_pressed(self) -> None:
        """Still here: close."""
        self.dismiss(None)


class PinDialog(Dialog[None]):
    """The staff exit: the PIN, checked by the App's PinGate; the right one ends the wizard."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "ui.keys.close")]

    def __init__(self, gate: PinGate, *, lang: str) -> None:
        super().__init__(lang=lang)
        self.gate = gate

    def compose(self) -> ComposeResult:
        """Title, what to do, the PIN field, what happened, and the buttons."""
        lang = self.lang
        with Vertical(classes="dialog-box -pin"):
            yield Caption("ui.kiosk.pin_title", lang=lang, classes="dialog-title")
            yield Caption("ui.kiosk.pin_prompt", lang=lang)
            # Not a CleanInput: nothing of the PIN is kept, shown or normalised.
            yield Input(password=True, placeholder=t(lang, "ui.kiosk.pin_placeholder"), id="pin")
            yield Caption("", lang=lang, id="pin-status")
            with Horizontal(classes="dialog-buttons"):
                yield ActionButton("ui.kiosk.exit", lang=lang, id="exit", variant="error")
                yield ActionButton("ui.buttons.close", lang=lang, id="cancel")

    def on_mount(self) -> None:
        """Say at once when the exit cannot be used; otherwise the PIN field takes the keys."""
        if not self.gate.configured:
            self._show(PinResult.NOT_SET)
        elif self.gate.locked_for() > 0:
            self._show(PinResult.LOCKED)
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    @on(Button.Pressed, "#exit")
    def _try(self) -> None:
        field = self.query_one("#pin", Input)
        pin = field.value
        field.value = ""
        result = self.gate.attempt(pin)
        if result is PinResult.OK:
            self.app.exit()
            return
        self._show(result)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def _show(self, result: PinResult) -> None:
        status = self.query_one("#pin-status", Caption)
        if result is PinResult.WRONG:
            status.set_key("ui.kiosk.pin_wrong", count=self.gate.tries_left)
        elif result is PinResult.LOCKED:
            status.set_key("ui.kiosk.pin_locked", count=math.ceil(self.gate.locked_for()))
        elif result is PinResult.NOT_SET:
            status.set_key("ui.kiosk.pin_not_set")
        status.set_class(True, "-fail")

    def localize(self, lang: str) -> None:
        """Re-read the texts in `lang`."""
        super().localize(lang)
        self.query_one("#pin", Input).placeholder = t(lang, "ui.kiosk.pin_placeholder")
