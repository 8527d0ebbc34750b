"""The plain wizard's small rules: when it is chosen, when it colours, how choices read."""

from __future__ import annotations

import io

import pytest

from wizard.plain.ask import Option, _number, choices_lines
from wizard.plain.terminal import wants_colour, wants_plain


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "tty", "colour"),
    [
        ({"TERM": "xterm-256color"}, True, True),
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, True, False),
        ({"TERM": "dumb"}, True, False),
        ({}, True, False),
        ({"TERM": "xterm-256color"}, False, False),
        # NO_COLOR counts when set to anything non-empty (no-color.org).
        ({"TERM": "xterm", "NO_COLOR": ""}, True, True),
    ],
)
def test_colour_only_when_asked_for(env: dict[str, str], tty: bool, colour: bool) -> None:
    stream = _Tty() if tty else io.StringIO()
    assert wants_colour(stream, env) is colour


@pytest.mark.parametrize(
    ("term", "plain"), [("dumb", True), (" DUMB ", True), ("xterm", False), ("", False)]
)
def test_term_dumb_chooses_the_plain_wizard(term: str, plain: bool) -> None:
    assert wants_plain({"TERM": term}) is plain


def test_choices_on_one_line_when_they_fit_else_one_a_line() -> None:
    short = [Option(v, v.title()) for v in ("android", "ios", "harmonyos", "other")]
    assert choices_lines(short) == ["1) Android  2) Ios  3) Harmonyos  4) Other"]
    long = [Option(str(n), "a rather long answer to read out " * 2) for n in range(3)]
    assert len(choices_lines(long)) == 3
    # Chinese characters take two columns: counted as such.
    wide = [Option(str(n), "这是一个很长的回答选项需要两列宽" * 2) for n in range(2)]
    assert len(choices_lines(wide)) == 2


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("2", 2),
        ("２", 2),
        ("2)", 2),
        (" 3 ", 3),
        ("2、", 2),
        ("x", None),
        ("", None),
        ("99999", None),
    ],
)
def test_a_typed_number(typed: str, number: int | None) -> None:
    assert _number(typed) == number
