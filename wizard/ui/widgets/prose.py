"""Prose: literal text that wraps Chinese the way Chinese is written.

Textual wraps only at spaces, so a Chinese sentence (no spaces) moves to the next line whole
or is folded mid-character, leaving a ragged "✖" alone on a line. Prose breaks between CJK
characters as well, keeping closing punctuation (，。）) off the start of a line and opening
punctuation (（「) off its end, and never at the thin spaces Chinese puts around a number or a
Latin word ("第 4 步", "PIN 码"). Text is always literal `Content`: never markup.

A line may hang: given as (lead, text), its wrapped lines start under the text, not under
the lead ("What to do: …" with the rest of the sentence aligned beneath its first word).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import cast

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


def _can_break(before: str, after: str, before_space: str = "") -> bool:
    """Whether a line may end between `before` and `after`.

    `before_space` is the character before `before` when `before` is a space: a space
    between a wide character and a Latin letter or digit is the thin spacing of mixed
    Chinese text, not a word gap, and breaking there strands "4" from "第".
    """
    if after.isspace():
        return False
    if before.isspace():
        mixed = (_wide(before_space) and after.isascii() and after.isalnum()) or (
            _wide(after) and before_space.isascii() and before_space.isalnum()
        )
        return not mixed
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
        before_space = line[index - 2] if index >= 2 else ""
        if index > start and _can_break(line[index - 1], char, before_space):
            last_break = index
        size = get_character_cell_size(char)
        if used + size > width and not char.isspace() and index > start:
            cut = last_break if last_break > start else index
            offsets.append(cut)
            start = cut
            used = cell_len(line[cut:index])
            last_break = -1
        used += size
    return tuple(offsets)


def wrap_content(content: Content, width: int, hangs: tuple[int, ...] = ()) -> Content:
    """`content` with line breaks inserted for `width`.

    Only when it holds wide characters or hanging lines (`hangs[i]`: the indent of line i's
    wrapped continuation); Textual wraps plain Latin text well by itself.
    """
    if width <= 0 or not (any(hangs) or any(_wide(c) for c in content.plain)):
        return content
    lines: list[Content] = []
    for number, line in enumerate(content.split("\n", allow_blank=True)):
        hang = hangs[number] if number < len(hangs) else 0
        lines.extend(_wrap_line(line, width, hang if 0 < hang < width // 2 else 0))
    return Content("\n").join(lines)


def _wrap_line(line: Content, width: int, hang: int) -> list[Content]:
    """One logical line as screen lines; continuation lines indented by `hang` cells."""
    if not hang:
        return [piece.rstrip() for piece in line.divide(list(break_offsets(line.plain, width)))]
    pieces: list[Content] = []
    rest = line
    while True:
        room = width if not pieces else width - hang
        offsets = break_offsets(rest.plain, room)
        if not offsets:
            pieces.append(rest)
            break
        pieces.append(rest[: offsets[0]].rstrip())
        rest = rest[offsets[0] :]
        rest = rest[len(rest.plain) - len(rest.plain.lstrip(" ")) :]
    indent = Content(" " * hang)
    return [pieces[0], *(Content.assemble(indent, piece) for piece in pieces[1:])]


class ProseVisual(Visual):
    """A Content rendered with CJK-aware line breaking (delegates everything else)."""

    def __init__(self, content: Content, hangs: tuple[int, ...] = ()) -> None:
        self.content = content
        self.hangs = hangs
        self._wrapped: dict[int, Content] = {}
        self._has_wide = any(_wide(c) for c in content.plain)

    @property
    def key(self) -> tuple[object, ...]:
        """What it shows: the text, its styles and its hanging indents."""
        return (self.content.plain, tuple(self.content.spans), self.hangs)

    def _at(self, width: int) -> Content:
        if width not in self._wrapped:
            self._wrapped[width] = wrap_content(self.content, width, self.hangs)
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
        visual = self._visual(text)
        super().__init__(visual, id=id, classes=classes, markup=False)
        self._shown = visual.key

    @staticmethod
    def _visual(text: str | Content, hangs: tuple[int, ...] = ()) -> ProseVisual:
        return ProseVisual(text if isinstance(text, Content) else Content(text), hangs)

    def _update(self, visual: ProseVisual) -> None:
        # The same text again (a check row redrawn, a language re-read) changes nothing:
        # an update would lay the whole screen out again.
        if visual.key == self._shown:
            return
        self._shown = visual.key
        self.update(visual, layout=self._may_resize(visual))

    def _may_resize(self, new: ProseVisual) -> bool:
        """Whether showing `new` may change this widget's size, and so the screen's layout.

        Step 3's feedback changes at every keystroke, mostly to text as many lines long: a
        layout of the whole screen each time cost the feedback its frame (issue 10's
        keystroke budget). The size stays when the width is the layout's (not the text's)
        and the new text takes as many lines at that width as the old one.
        """
        old = self.visual
        width = self.styles.width
        if not isinstance(old, ProseVisual) or not self.is_mounted or width is None:
            return True
        if width.is_auto or self.content_size.width <= 0:
            return True
        room = self.content_size.width
        # As Textual measures a visual: its styles stand for the rules (they have `get`).
        rules = cast(RulesMap, self.styles)
        return old.get_height(rules, room) != new.get_height(rules, room)

    def show(self, text: str | Content) -> None:
        """Show other text."""
        self._update(self._visual(text))

    def show_lines(self, lines: list[tuple[str, str]]) -> None:
        """Show (lead, text) lines; each wraps with its continuation under its text."""
        text = "\n".join(lead + body for lead, body in lines)
        self._update(self._visual(text, tuple(cell_len(lead) for lead, _body in lines)))

    @property
    def text(self) -> str:
        """The text shown."""
        visual = self.visual
        return visual.content.plain if isinstance(visual, ProseVisual) else ""
