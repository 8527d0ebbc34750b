"""Spinner: a one-cell animation shown while a check runs."""

from __future__ import annotations

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Spinner(Static):
    """A braille spinner that animates only while it is displayed and running."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(Content(FRAMES[0]), id=id, classes=classes, markup=False)
        self._frame = 0
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        """Start turning."""
        self._timer = self.set_interval(0.1, self._tick)

    def _tick(self) -> None:
        self._frame = (self._frame + 1) % len(FRAMES)
        self.update(Content(FRAMES[self._frame]), layout=False)

    def stop(self) -> None:
        """Stop turning (the spinner stays on its current frame)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
