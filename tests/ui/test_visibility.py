"""The fold test's judge (tests/ui/visibility.py) on a small app whose answers are known."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tests.ui.visibility import not_visible, screen_lines


class Fold(App[None]):
    """A screen of 40×10: a scrolled list, a cut-off line, a hidden line and a cover."""

    CSS: ClassVar[str] = """
    #list { height: 6; }
    #short { height: 1; }
    #cover { layer: above; offset: 0 7; width: 10; height: 1; }
    #covered { height: 1; }
    #box { height: 2; }
    #inner { height: 1; }
    Screen { layers: below above; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="list"):
            for n in range(12):
                yield Static(f"line {n}", id=f"line-{n}")
        yield Static("one\ntwo\nthree", id="short")
        yield Static("hidden", id="hidden")
        yield Static("covered text", id="covered")
        with Vertical(id="box"):
            yield Static("first\nsecond", id="inner")
        yield Static("cover", id="cover")

    def on_mount(self) -> None:
        self.query_one("#hidden").display = False


async def test_only_what_a_person_sees_counts_as_visible() -> None:
    async with Fold().run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert not_visible(screen.query_one("#line-0")) is None
        assert "line 0" in screen_lines(pilot.app)
        below = not_visible(screen.query_one("#line-9"))
        assert below is not None and "cut off by its container" in below
        short = not_visible(screen.query_one("#short"))
        assert short is not None and "needs 3 lines" in short
        hidden = not_visible(screen.query_one("#hidden"))
        assert hidden is not None and "not displayed" in hidden
        covered = not_visible(screen.query_one("#covered"))
        assert covered is not None and "is covered at (0, 7) by #cover" in covered
        # A container is as visible as what it holds.
        box = not_visible(screen.query_one("#box"))
        assert box is not None and "#inner" in box and "needs 2 lines" in box

        screen.query_one("#list").scroll_to(y=6, animate=False)
        await pilot.pause()
        assert not_visible(screen.query_one("#line-9")) is None
        first = not_visible(screen.query_one("#line-0"))
        assert first is not None and "cut off" in first
