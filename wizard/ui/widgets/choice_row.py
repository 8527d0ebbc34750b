"""ChoiceRow: a few catalog-labelled choices side by side, one widget for the whole group.

Welcome's choices (language, wallet, what failed) were RadioSets of RadioButtons: eight to
fifteen widgets, each styled, laid out and drawn on its own, and they cost the first screen
more than half of its time over a bare Textual app (issue 10, benchmarks/bench_startup.py).
One widget draws the question above the choices (a bold line, as the other fields' labels
are) and the row of `▐●▌ label` buttons, wrapped to the width, and behaves the way a RadioSet
does: one Tab stop, the arrows move the cursor, Enter or Space chooses, and a click chooses the
button under the pointer.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.style import Style
from textual.widget import Widget

from wizard.i18n import t

SELECTED = "●"
UNSELECTED = " "
# Between two choices on a line: the RadioButtons' margin (each label has a space either side).
GAP = 2


class Placed(NamedTuple):
    """Where a choice was drawn: its line, and its first and past-last column."""

    choice: int
    line: int
    start: int
    end: int


def place(widths: list[int], width: int) -> list[Placed]:
    """Lay choices of these widths out left to right, wrapping to a new line when the next
    one would not fit `width` (a choice wider than the line gets a line of its own)."""
    placed: list[Placed] = []
    line = column = 0
    for index, cells in enumerate(widths):
        if column and column + GAP + cells > width:
            line, column = line + 1, 0
        start = column + (GAP if column else 0)
        placed.append(Placed(index, line, start, start + cells))
        column = start + cells
    return placed


class ChoiceRow(Widget, can_focus=True):
    """Choices, each a catalog key and the value it stands for; exactly one is chosen.

    The chosen one shows a dot, not only a colour (NO_COLOR, the Linux console), and the
    cursor is shown only while the row has the focus, in the focus colours of the theme.
    """

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,up", "move(-1)", "Previous", show=False),
        Binding("right,down", "move(1)", "Next", show=False),
        Binding("enter,space", "choose", "Choose", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "choice-row--label",
        "choice-row--button",
        "choice-row--chosen",
        "choice-row--cursor",
    }
    DEFAULT_CSS = """
    ChoiceRow {
        width: 100%;
        height: auto;
        pointer: pointer;
        & > .choice-row--label { text-style: bold; }
        & > .choice-row--button { color: $panel-darken-2; background: $panel; }
        & > .choice-row--chosen { color: $text-success; background: $panel; }
        &:focus > .choice-row--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        &:ansi {
            & > .choice-row--button { color: $ansi-foreground; background: $ansi-background; }
            & > .choice-row--chosen { color: $accent; background: $ansi-background; }
        }
    }
    """

    class Changed(Message):
        """Another choice was made (with a key or a click)."""

        def __init__(self, choice_row: ChoiceRow, value: str) -> None:
            super().__init__()
            self.choice_row = choice_row
            self.value = value

        @property
        def control(self) -> ChoiceRow:
            """The row, so `@on(ChoiceRow.Changed, "#id")` can pick it."""
            return self.choice_row

    def __init__(
        self,
        choices: list[tuple[str, str]],
        *,
        lang: str,
        value: str,
        label: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """`choices` are (catalog key, value) pairs; `value` is the one chosen at first;
        `label` the catalog key of the question drawn above them (none when empty)."""
        super().__init__(id=id, classes=classes)
        self._label_key = label
        self._label = t(lang, label) if label else ""
        self._keys = [key for key, _ in choices]
        self.values = [value for _, value in choices]
        self._labels = [t(lang, key) for key in self._keys]
        self._chosen = self.values.index(value) if value in self.values else 0
        self._cursor = self._chosen
        self._placed: list[Placed] = []

    @property
    def value(self) -> str:
        """The value of the chosen choice."""
        return self.values[self._chosen]

    @property
    def cursor_value(self) -> str:
        """The value under the cursor (what Enter would choose)."""
        return self.values[self._cursor]

    def choose(self, value: str, *, announce: bool = True) -> None:
        """Choose `value` (an unknown value is ignored); `Changed` is posted only when the
        choice changes and `announce` is true."""
        if value not in self.values:
            return
        index = self.values.index(value)
        self._cursor = index
        changed = index != self._chosen
        self._chosen = index
        self.refresh()
        if changed and announce:
            self.post_message(self.Changed(self, value))

    def localize(self, lang: str) -> None:
        """Re-read the labels in `lang` (their widths change, so the lines may too)."""
        self._label = t(lang, self._label_key) if self._label_key else ""
        self._labels = [t(lang, key) for key in self._keys]
        self.refresh(layout=True)

    # -- keys and the mouse ------------------------------------------------------------

    def action_move(self, step: int) -> None:
        """Move the cursor, round from the last choice to the first and back."""
        self._cursor = (self._cursor + step) % len(self.values)
        self.refresh()

    def action_choose(self) -> None:
        """Choose the choice under the cursor."""
        self.choose(self.values[self._cursor])

    def on_focus(self) -> None:
        """The cursor starts on the chosen one, as a RadioSet's does."""
        self._cursor = self._chosen
        self.refresh()

    def on_blur(self) -> None:
        """No cursor is drawn without the focus."""
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        """Choose the button (or label) under the pointer."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for spot in self._placed:
            line = offset.y - len(self._label_lines(self.content_size.width))
            if spot.line == line and spot.start <= offset.x < spot.end:
                self.choose(self.values[spot.choice])
                return

    def choice_offsets(self) -> dict[str, tuple[int, int]]:
        """Where each choice's label starts as drawn, relative to the widget (what a click
        at that offset chooses): for tests and the monkey, which click like a person."""
        gutter = self.styles.gutter
        top = gutter.top + len(self._label_lines(self.content_size.width))
        return {
            self.values[spot.choice]: (gutter.left + spot.start + 4, top + spot.line)
            for spot in self._placed
        }

    # -- drawing -----------------------------------------------------------------------

    def _widths(self) -> list[int]:
        # ▐●▌, then the label with a space either side (the cursor covers those too).
        return [3 + 2 + cell_len(label) for label in self._labels]

    def _label_lines(self, width: int) -> list[Content]:
        """The question, wrapped to `width` (none without a label)."""
        return Content(self._label).wrap(max(width, 1)) if self._label else []

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """All choices on one line (or the question, when it is wider)."""
        widths = self._widths()
        return max(sum(widths) + GAP * (len(widths) - 1), cell_len(self._label))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The question's lines, and as many lines as the choices wrap to at `width`."""
        choices = place(self._widths(), max(width, 1))[-1].line + 1
        return len(self._label_lines(width)) + choices

    def _button(self, chosen: bool) -> Content:
        """`▐●▌`: the sides in the button's colour on the row's ground make it a pill."""
        style = self.get_visual_style("choice-row--chosen" if chosen else "choice-row--button")
        side = Style(foreground=style.background, background=self.background_colors[1])
        inner = SELECTED if chosen else UNSELECTED
        return Content.assemble(("▐", side), (inner, style), ("▌", side))

    def render(self) -> Content:
        """The buttons and labels, line by line; literal text (the labels are the
        catalog's, never markup)."""
        width = self.content_size.width
        self._placed = place(self._widths(), max(width, 1))
        label_style = self.get_visual_style("choice-row--label")
        heading = [line.stylize_before(label_style) for line in self._label_lines(width)]
        buttons = {chosen: self._button(chosen) for chosen in (False, True)}
        cursor = self.get_visual_style("choice-row--cursor") if self.has_focus else None
        lines: list[list[Content]] = []
        for spot in self._placed:
            if spot.line == len(lines):
                lines.append([])
            parts = lines[spot.line]
            if parts:
                parts.append(Content(" " * GAP))
            parts.append(buttons[spot.choice == self._chosen])
            label = Content(self._labels[spot.choice]).pad(1, 1)
            if cursor is not None and spot.choice == self._cursor:
                label = label.stylize_before(cursor)
            parts.append(label)
        return Content("\n").join([*heading, *(Content("").join(parts) for parts in lines)])
