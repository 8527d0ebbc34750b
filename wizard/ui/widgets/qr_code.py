"""QrCode: a QR code drawn with half blocks, dark modules on a light background."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from wizard.support.handoff import qr_text


class QrCode(Static):
    """A scannable QR code; the stylesheet paints it black on white whatever the theme.

    The modules are drawn in the foreground colour (not inverted), so with the stylesheet's
    fixed colours a camera sees dark on light in any terminal theme, and under NO_COLOR too.
    """

    def __init__(self, data: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes, markup=False)
        self.data = ""
        if data:
            self.set_data(data)

    def set_data(self, data: str) -> None:
        """Draw the code of `data` (nothing when empty)."""
        self.data = data
        try:
            text = qr_text(data, invert=False) if data else ""
        except ValueError:  # segno: too much data for a code; the link is shown beside it
            text = ""
        self.update(Content(text))
