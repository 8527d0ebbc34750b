"""CleanInput: an Input whose pastes are sanitized and normalised instead of dropped."""

from __future__ import annotations

import unicodedata
from typing import Literal

from textual import events
from textual.widgets import Input

from wizard.i18n import t
from wizard.text import safe_text

Kind = Literal["text", "phone", "email", "version"]


def normalise_paste(text: str, kind: Kind) -> str:
    """What a paste becomes in an input of `kind`: one clean line, never silently dropped.

    Every line of the paste is kept (joined by spaces: Textual's Input would keep only the
    first); phone, email and version fields also fold full-width characters (１３８, ＠) to
    ASCII, since Chinese input methods produce them.
    """
    line = " ".join(safe_text(text, max_len=1000).split("\n"))
    if kind != "text":
        line = unicodedata.normalize("NFKC", line)
    if kind in ("email", "version"):
        line = "".join(line.split())
    return line.strip() if kind != "text" else line


class CleanInput(Input):
    """An Input for foreign text; never use `restrict`/`max_length`, which drop pastes."""

    def __init__(
        self,
        value: str = "",
        *,
        kind: Kind = "text",
        lang: str = "en",
        placeholder_key: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        self.kind: Kind = kind
        self.placeholder_key = placeholder_key
        placeholder = t(lang, placeholder_key) if placeholder_key else ""
        super().__init__(value, placeholder=placeholder, id=id, classes=classes)

    def localize(self, lang: str) -> None:
        """Re-read the placeholder in `lang` (the value is the person's and stays)."""
        if self.placeholder_key:
            self.placeholder = t(lang, self.placeholder_key)

    def replace(self, text: str, start: int, end: int) -> None:
        """Every insertion (keys, pastes, Ctrl+V) passes here: control characters never get in.

        Terminals deliver a paste containing ESC partly as key events (Textual re-issues an
        unknown escape sequence as keys), so sanitizing pastes alone is not enough.
        """
        super().replace(safe_text(text, max_len=1000, multiline=False), start, end)

    def on_paste(self, event: events.Paste) -> None:
        """Insert the whole paste, sanitized and normalised, in place of the selection."""
        # prevent_default keeps Input's own handler (first line only, unsanitized) from running.
        event.prevent_default()
        event.stop()
        self._insert_clean(event.text)

    def action_paste(self) -> None:
        """Ctrl+V: the wizard's own clipboard, normalised like any other paste."""
        self._insert_clean(self.app.clipboard)

    def _insert_clean(self, raw: str) -> None:
        text = normalise_paste(raw, self.kind)
        if not text:
            return
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)
