"""Prose's line breaking: Chinese between characters, never at the thin spaces around a
number, and hanging lines aligned under their text (pure functions, no app needed)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.content import Content

from wizard.ui.widgets.prose import break_offsets, wrap_content


def lines_of(text: str, width: int, hangs: tuple[int, ...] = ()) -> list[str]:
    return wrap_content(Content(text), width, hangs).plain.split("\n")


@pytest.mark.parametrize("width", range(12, 30))
def test_a_number_stays_with_its_chinese_words(width: int) -> None:
    text = "如果问题仍在，请联系客服（第 4 步）或稍后再试。"
    for line in lines_of(text, width):
        assert not line.endswith(("第", "第 ")), line
        assert not line.startswith(("4", "步")), line
        assert cell_len(line) <= width


def test_chinese_breaks_between_characters_not_before_closing_punctuation() -> None:
    for line in lines_of(
        "请打开浏览器，登录 Wi-Fi 页面（酒店、机场、咖啡馆等），然后重新检查。", 12
    ):
        assert not line.startswith(("，", "。", "）", "、")), line
        assert not line.endswith("（"), line


def test_english_words_are_never_split() -> None:
    text = "Open a web browser and sign in to the Wi-Fi page, then check again."
    assert break_offsets(text, 20)
    for line in lines_of(text, 20, (4,)):
        assert line.strip() in text


def test_hanging_lines_start_under_their_text() -> None:
    label = "What to do: "
    text = label + "Open a web browser and sign in to the Wi-Fi page, then check again."
    lines = lines_of(text, 40, (len(label),))
    assert len(lines) > 1
    assert lines[0].startswith(label)
    for line in lines[1:]:
        assert line.startswith(" " * len(label)) and line[len(label)] != " "


def test_hanging_chinese_lines_use_display_width() -> None:
    label = "解决办法："
    text = label + "请只输入数字；如果不是所选地区的号码，请以 + 和国家代码开头。"
    hang = cell_len(label)
    lines = lines_of(text, 30, (hang,))
    assert len(lines) > 1
    for line in lines[1:]:
        assert line.startswith(" " * hang) and cell_len(line) <= 30


async def test_a_text_of_more_lines_gets_its_height_and_one_of_as_many_keeps_it() -> None:
    """Prose skips laying the screen out when a new text wraps to as many lines; one that
    needs more lines must still get them (or its end would be cut)."""
    from textual.app import App, ComposeResult

    from wizard.ui.widgets.prose import Prose

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            prose = Prose("one line", id="prose")
            prose.styles.width = 20
            yield prose

    app = Host()
    async with app.run_test(size=(40, 10)) as pilot:
        prose = app.query_one("#prose", Prose)
        await pilot.pause()
        assert prose.size.height == 1
        prose.show("another line")
        await pilot.pause()
        assert prose.size.height == 1 and prose.text == "another line"
        prose.show("a text that wraps to three lines at twenty")
        await pilot.pause()
        assert prose.size.height == 3
        prose.show("short again")
        await pilot.pause()
        assert prose.size.height == 1
