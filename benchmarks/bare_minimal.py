"""The start-up yardstick of issue 10: a bare Textual app with Header, Static, Input, Button
and Footer — what any small Textual app costs to paint its first screen.

`benchmarks/bench_startup.py` runs it alternately with the wizard in the same terminal size
and compares the time to the first paint (the marker is the button's label).
"""

from __future__ import annotations

import sys
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, Footer, Header, Input, Static


class BareMinimal(App[None]):
    """Header, a line of text, a field, a button and the footer."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("f1", "bell", "Help")]

    def compose(self) -> ComposeResult:
        """The five widgets."""
        yield Header()
        yield Static("Your wallet would not save a new phone number or email?")
        yield Input(placeholder="e.g. Network error")
        yield Button("Start →", variant="primary")
        yield Footer()


if __name__ == "__main__":
    BareMinimal().run()
    sys.exit(0)
