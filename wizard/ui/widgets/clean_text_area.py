"""CleanTextArea: a TextArea whose pastes are sanitized before they reach the document."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from wizard.text import safe_text


class CleanTextArea(TextArea):
    """A TextArea for the support message: pasted control sequences never get in."""

    def on_paste(self, event: events.Paste) -> None:
        """Insert the paste with every control and bidi sequence removed."""
        # prevent_default keeps TextArea's handler from inserting the raw text as well.
        event.prevent_default()
        event.stop()
        if self.read_only:
            return
        text = safe_text(event.text)
        if text:
            result = self.replace(text, *self.selection, maintain_selection_offset=False)
            self.move_cursor(result.end_location)
