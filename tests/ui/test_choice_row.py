"""ChoiceRow, Welcome's choices: one widget that behaves like a RadioSet, walked with keys
and clicks as a person would, wrapped to narrow terminals, and relabelled by F2."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import press
from tests.ui.pilot_helpers import drawn_choices, text_of, until, wizard
from wizard.ui.widgets.choice_row import GAP, ChoiceRow, place

WHATS = [(f"ui.what.{w}", w) for w in ("phone", "email", "address", "other")]


class Host(App[None]):
    """A row alone on a screen, recording the choices it announces."""

    def __init__(self, width_hint: str = "100%", label: str = "") -> None:
        super().__init__()
        self.announced: list[str] = []
        self.width_hint = width_hint
        self.label = label

    def compose(self) -> ComposeResult:
        row = ChoiceRow(WHATS, lang="en", value="phone", label=self.label, id="row")
        row.styles.width = self.width_hint
        yield row

    def on_choice_row_changed(self, event: ChoiceRow.Changed) -> None:
        self.announced.append(event.value)


def row_of(pilot: Pilot[None]) -> ChoiceRow:
    return pilot.app.query_one("#row", ChoiceRow)


def test_choices_wrap_only_when_the_next_one_would_not_fit() -> None:
    assert [(p.line, p.start) for p in place([5, 5, 5], 100)] == [
        (0, 0),
        (0, 5 + GAP),
        (0, 10 + 2 * GAP),
    ]
    # 5 + GAP + 5 fits in 12, a third does not; in 11 the gap itself does not fit.
    assert [p.line for p in place([5, 5, 5], 12)] == [0, 0, 1]
    assert [p.line for p in place([5, 5], 11)] == [0, 1]
    # A choice wider than the line has a line of its own, starting at its left edge.
    assert [(p.line, p.start) for p in place([3, 40, 3], 20)] == [(0, 0), (1, 0), (2, 0)]


async def test_arrows_move_the_cursor_round_and_only_enter_or_space_choose() -> None:
    app = Host()
    async with app.run_test(size=(80, 5)) as pilot:
        row = row_of(pilot)
        row.focus()
        await pilot.pause()
        await press(pilot, "left")  # from the first round to the last
        assert row.cursor_value == "other" and row.value == "phone"
        assert app.announced == []
        await press(pilot, "enter")
        await until(pilot, lambda: row.value == "other", "other chosen")
        await press(pilot, "down", "down", "space")
        await until(pilot, lambda: row.value == "email", "email chosen")
        await press(pilot, "enter")  # the same one again: nothing new to announce
        await pilot.pause()
        assert app.announced == ["other", "email"]
        assert drawn_choices(pilot, "#row") == {
            "Phone number": False,
            "Email": True,
            "Address": False,
            "Something else": False,
        }


async def test_a_narrow_row_wraps_and_a_click_on_its_second_line_chooses() -> None:
    app = Host(width_hint="24")
    async with app.run_test(size=(80, 8)) as pilot:
        row = row_of(pilot)
        await pilot.pause()
        assert row.size.height == 3  # phone; email and address; something else
        offsets = row.choice_offsets()
        assert [offsets[v][1] for v in ("phone", "email", "address", "other")] == [0, 1, 1, 2]
        x, y = offsets["address"]
        await pilot.click(row, offset=(x, y))
        await until(pilot, lambda: row.value == "address", "address chosen")
        assert row.has_focus  # a click gives the row the focus, as a RadioSet's does
        assert app.announced == ["address"]
        # A click on the gap between two choices chooses nothing.
        gap = x - 4 - 1  # the cell left of address's button
        await pilot.click(row, offset=(gap, y))
        await pilot.pause()
        assert row.value == "address"


async def test_the_question_is_drawn_above_wrapped_and_clicks_still_land() -> None:
    app = Host(width_hint="24", label="ui.welcome.what")  # "What did you try to update?"
    async with app.run_test(size=(80, 10)) as pilot:
        row = row_of(pilot)
        await pilot.pause()
        assert row.size.height == 2 + 3  # the question on two lines, then the choices
        assert text_of(row).splitlines()[:2] == ["What did you try to", "update?"]
        await pilot.click(row, offset=row.choice_offsets()["other"])
        await until(pilot, lambda: row.value == "other", "something else chosen")
        # A click on the question chooses nothing.
        await pilot.click(row, offset=(4, 1))
        await pilot.pause()
        assert app.announced == ["other"]


async def test_choosing_quietly_announces_nothing() -> None:
    app = Host()
    async with app.run_test(size=(80, 5)) as pilot:
        row = row_of(pilot)
        row.choose("address", announce=False)
        row.choose("nonsense")
        await pilot.pause()
        assert row.value == "address" and app.announced == []


async def test_what_failed_is_chosen_with_keys_on_welcome_and_f2_relabels(
    make_app: AppFactory,
) -> None:
    async with make_app(lang="zh-CN").run_test(size=(80, 24)) as pilot:
        row = pilot.app.screen.query_one("#what", ChoiceRow)
        for _ in range(8):
            if pilot.app.screen.focused is row:
                break
            await press(pilot, "tab")
        assert pilot.app.screen.focused is row
        await press(pilot, "right", "right", "enter")
        await until(pilot, lambda: wizard(pilot).session.what == "address", "address")
        assert drawn_choices(pilot, "#what")["地址"] is True
        await press(pilot, "f2")
        await until(pilot, lambda: wizard(pilot).session.lang == "en", "English")
        await until(pilot, lambda: "Address" in drawn_choices(pilot, "#what"), "relabelled")
        assert drawn_choices(pilot, "#what")["Address"] is True
        assert wizard(pilot).session.what == "address"


async def test_the_cursor_comes_back_to_the_chosen_one_with_the_focus() -> None:
    """As in a RadioSet: arrows moved away and Tab left without Enter; coming back, the
    cursor is on what is chosen, not where it was left."""
    app = Host()
    async with app.run_test(size=(80, 5)) as pilot:
        row = row_of(pilot)
        row.focus()
        await pilot.pause()
        await press(pilot, "right", "right")
        assert row.cursor_value == "address"
        row.blur()
        await pilot.pause()
        row.focus()
        await pilot.pause()
        assert row.cursor_value == "phone" == row.value
