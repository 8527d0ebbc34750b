"""CloseableDialog: the behaviour every one-button modal of the wizard shares."""

from __future__ import annotations

from textual.screen import ModalScreen

from wizard.ui.localize import localize_tree


class CloseableDialog(ModalScreen[None]):
    """A modal whose only button (`#close`) is focused on open and dismisses it."""

    def __init__(self, *, lang: str) -> None:
        super().__init__(classes="dialog")
        self.lang = lang

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
