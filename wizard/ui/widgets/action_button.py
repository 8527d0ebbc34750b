"""ActionButton: a button whose label is catalog text that follows the wizard's language."""

from __future__ import annotations

from typing import Literal

from textual.content import Content
from textual.widgets import Button

from wizard.ui.widgets.caption import words

Variant = Literal["default", "primary", "success", "warning", "error"]


class ActionButton(Button):
    """A Button labelled from the catalog; the label never passes through markup."""

    def __init__(
        self,
        key: str,
        *,
        lang: str,
        variant: Variant = "default",
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
        **params: object,
    ) -> None:
        self.key = key
        self.params = params
        super().__init__(
            Content(words(lang, key, params)),
            variant=variant,
            id=id,
            classes=classes,
            disabled=disabled,
        )

    def set_key(self, key: str, *, lang: str, **params: object) -> None:
        """Relabel the button with another catalog entry."""
        self.key = key
        self.params = params
        self._relabel(lang)

    def localize(self, lang: str) -> None:
        """Re-read the label in `lang`."""
        self._relabel(lang)

    def _relabel(self, lang: str) -> None:
        # Button.label is a reactive without layout: the button would keep the width of its
        # first label and cut a longer one ("I can't" for "I can't fix this") after F2.
        self.label = Content(words(lang, self.key, self.params))
        self.refresh(layout=True)
