"""The wizard's modal dialogs: closed exactly once, whatever keys arrive together.

Textual's `ModalScreen.dismiss()` pops whatever screen is on top. Two keys that both close a
dialog and arrive in one terminal write (Enter on Close, then Escape or F1) would pop the
dialog and then the screen beneath it, and an empty stack ends the app. So a dialog closes
only while it is the screen on top and only once.
"""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

from wizard.ui.localize import localize_tree

ResultType = TypeVar("ResultType")


def _done() -> AwaitComplete:
    """An AwaitComplete that is already complete (Textual's `nothing()` is untyped)."""
    done: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]
    return done


class Dialog(ModalScreen[ResultType]):
    """A modal that is dismissed at most once, and only while it is on top."""

    def __init__(self, *, lang: str, classes: str = "dialog") -> None:
        super().__init__(classes=classes)
        self.lang = lang
        self.closing = False

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        """Close with `result`, unless already closing or no longer the screen on top."""
        if self.closing or self.app.screen is not self:
            return _done()
        self.closing = True
        return super().dismiss(result)

    def localize(self, lang: str) -> None:
        """Re-read the texts in `lang`."""
        self.lang = lang
        localize_tree(self, lang)


class CloseableDialog(Dialog[None]):
    """A modal whose only button (`#close`) is focused on open and dismisses it."""

    def on_mount(self) -> None:
        """Close is one Enter away."""
        self.query_one("#close").focus()

    def on_button_pressed(self) -> None:
        """The only button closes the dialog."""
        self.dismiss(None)
