"""A bare Textual app with the same widgets as the wizard's first screen: the yardstick.

No wizard code, no stylesheet: what any Textual app showing this screen costs.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Input, RadioButton, RadioSet, Static


class BareApp(App[None]):
    """Title bar, step line, intro, two radio sets, an input, a button, a footer."""

    def compose(self) -> ComposeResult:
        """The same widget tree as the Welcome screen."""
        yield Static("Wallet update helper · Wallet")
        yield Static("○ 1 Network › ○ 2 App update › ○ 3 Your information › ○ 4 Contact support")
        with VerticalScroll():
            yield Static("Your wallet would not save a new phone number or email?")
            yield Static("This helper checks the usual causes one by one.")
            yield Static("Language")
            with RadioSet():
                yield RadioButton("中文")
                yield RadioButton("English", value=True)
            yield Static("Wallet: built-in settings")
            yield Static("What did you try to update?")
            with RadioSet():
                for label in ("Phone number", "Email", "Address", "Something else"):
                    yield RadioButton(label, value=label == "Phone number")
            yield Static("What did the app say? (optional)")
            yield Input(placeholder="e.g. Network error")
        with Horizontal():
            yield Button("Start →", variant="primary")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
    sys.exit(0)
