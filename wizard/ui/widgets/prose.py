"""Prose: literal text that wraps Chinese the way Chinese is written.

Textual wraps only at spaces, so a Chinese sentence (no spaces) moves to the next line whole
or is folded mid-character, leaving a ragged "✖" alone on a line. Prose breaks between CJK
characters as well, keeping closing punctuation (，。）) off the start of a line and opening
punctuation (（「) off its end. Text is always literal `Content`: never markup.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

# No line may start with these, nor end with the opening ones (simplified UAX #14 / JIS X 4051).
NO_BREAK_BEFORE = frozenset("，。、；：！？）」』”’》〉】〕…—～·,.;:!?)]}%")
NO_BREAK_AFTER = frozenset("（「『“‘《〈【〔([{")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _can_break(before: str, after: str) -> bool:
    """Whether a line may end between `before` and `after`."""
    if after.isspace():
        return False
    if before.isspace():
        return True
    if after in NO_BREAK_BEFORE or before in NO_BREAK_AFTER:
        return False
    return _wide(before) or _wide(after)


@lru_cache(maxsize=512)
def break_offsets(line: str, width: int) -> tuple[int, ...]:
    """Where to break one line (no newlines) so no piece is wider than `width` cells."""
    if width <= 0 or cell_len(line) <= width:
        return ()
    offsets: list[int] = []
    start = 0
    used = 0
    last_break = -1
    for index, char in enumerate(line):
        if index > start and _can_break(line[index - 1], char):
            last_break = index
        size = get_character_cell_size(char)
        if used + size > width and not char.isspace() and index > start:
            cut = last_break if last_break > start else index
            offsets.append(cut)
            start = cut
            used = cell_len(line[cut:index].rstrip())
            last_break = -1
        used += size
    return tuple(offsets)


def wrap_content(content: Content, width: int) -> Content:
    """`content` with line breaks inserted for `width` (only when it holds wide characters)."""
    if width <= 0 or not any(_wide(c) for c in content.plain):
        return content
    lines: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        offsets = break_offsets(line.plain, width)
        lines.extend(piece.rstrip() for piece in line.divide(list(offsets)))
    return Content("\n").join(lines)


class ProseVisual(Visual):
    """A Content rendered with CJK-aware line breaking (delegates everything else)."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self._wrapped: dict[int, Content] = {}
        self._has_wide = any(_wide(c) for c in content.plain)

    def _at(self, width: int) -> Content:
        if width not in self._wrapped:
            self._wrapped[width] = wrap_content(self.content, width)
        return self._wrapped[width]

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """Render the pre-wrapped text."""
        pad = int(options.rules.get("line_pad", 0)) * 2
        return self._at(width - pad).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """As wide as the longest line."""
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        """Chinese can break after any character: two cells are enough."""
        if self._has_wide:
            return 2
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        """Lines needed at `width`."""
        pad = int(rules.get("line_pad", 0)) * 2
        return self._at(width - pad).get_height(rules, width)


class Prose(Static):
    """Literal text (never markup) that wraps Chinese between characters."""

    def __init__(
        self,
        text: str | Content = "",
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(self._visual(text), id=id, classes=classes, markup=False)

    @staticmethod
    def _visual(text: str | Content) -> ProseVisual:
        return ProseVisual(text if isinstance(text, Content) else Content(text))

    def show(self, text: str | Content) -> None:
        """Show other text."""
        self.update(self._visual(text))

    @property
    def text(self) -> str:
        """The text shown."""
        visual = self.visual
        return visual.content.plain if isinstance(visual, ProseVisual) else ""
