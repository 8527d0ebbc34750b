"""CaptionRadio: a radio button labelled from the catalog, carrying a value."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import RadioButton

from wizard.i18n import t

SELECTED = "●"
UNSELECTED = " "


class CaptionRadio(RadioButton):
    """A RadioButton with a catalog label and the value it stands for.

    Textual draws the same dot for on and off and tells them apart by colour only; here the
    dot appears only when selected, so the choice reads without colour (NO_COLOR too).
    """

    def __init__(
        self,
        key: str,
        value: str,
        *,
        lang: str,
        selected: bool = False,
        id: str | None = None,
        prefix: str = "",
    ) -> None:
        self.key = key
        self.value_name = value
        # Put before the label in every language (the number key that picks it, say).
        self.prefix = prefix
        self.BUTTON_INNER = SELECTED if selected else UNSELECTED
        super().__init__(Content(prefix + t(lang, key)), value=selected, id=id)

    def watch_value(self) -> None:
        """Draw the dot for the selected button only (then ToggleButton posts Changed)."""
        self.BUTTON_INNER = SELECTED if self.value else UNSELECTED
        super().watch_value()

    def localize(self, lang: str) -> None:
        """Re-read the label in `lang`."""
        self.label = Content(self.prefix + t(lang, self.key))
