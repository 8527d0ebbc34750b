"""The command line parsed as the wizard starts: without the sub-commands' parsers when none
is named (start-up time, issue 10), and with the same errors as the whole parser."""

from __future__ import annotations

import argparse

import pytest

from wizard.cli import COMMANDS, UsageError, build_parser, parse_command_line


def _subcommands(parser: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def test_the_wizard_alone_is_parsed_without_sub_command_parsers() -> None:
    assert _subcommands(build_parser(["--lang", "en", "--demo"])) == set()
    args = parse_command_line(["--lang", "en", "--demo"])
    assert args.command is None and args.lang == "en" and args.demo == "ok"


def test_a_named_sub_command_gets_its_own_arguments_and_the_others_are_still_known() -> None:
    parser = build_parser(["check", "--json"])
    assert _subcommands(parser) == set(COMMANDS)
    args = parse_command_line(["check", "--json", "--phone", "+8613800138000"])
    assert args.command == "check" and args.json and args.phone == "+8613800138000"


@pytest.mark.parametrize(
    ("words", "says"),
    [
        (["chek"], "invalid choice: 'chek'"),
        (["--lang", "en", "stray"], "invalid choice: 'stray'"),
        (["--lang"], "argument --lang: expected one argument"),
    ],
)
def test_errors_read_as_the_whole_parser_gives_them(words: list[str], says: str) -> None:
    with pytest.raises(UsageError) as light:
        parse_command_line(words)
    with pytest.raises(UsageError) as whole:
        build_parser().parse_args(words)
    assert says in str(light.value)
    assert str(light.value) == str(whole.value)
