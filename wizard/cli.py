"""The commands of CONTRACT §1. The TUI (and Textual) is imported only when it is needed.

Every usage or configuration error exits 2 with one line on stderr and no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from wizard import TOOL_NAME, __version__
from wizard.commands.common import ConfigError
from wizard.vocabulary import PLATFORMS, SCENARIOS, THEMES, WALLETS, WHATS

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_QUEUED = 3


class UsageError(Exception):
    """A problem with what the person asked for; printed as one line, exit 2.

    The message already starts with the command it is about ("wallet-wizard check: …").
    """


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors as one line and exit 2, like every other usage error."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


COMMANDS = ("check", "message", "outbox", "desk", "demo", "serve", "wallets")
OUTBOX_COMMANDS = ("list", "send")
DESK_COMMANDS = ("test",)


def _choices(names: tuple[str, ...]) -> str:
    """How a sub-command is named in usage and errors: "{list,send}", never its dest."""
    return "{" + ",".join(names) + "}"


LANG_HELP = "language: zh-CN or en (default: the profile's, else the locale's, else zh-CN)"


def _add_common(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    # Sub-commands must not reset what was given before the sub-command's name
    # (`wallet-wizard --lang en check`), so their defaults are "absent", not None.
    default = None if top else argparse.SUPPRESS
    p.add_argument("--profile", metavar="P", default=default, help="profile TOML file")
    p.add_argument(
        "--wallet",
        metavar="ID",
        default=default,
        help=f"a built-in wallet ({', '.join(WALLETS)}); see `{TOOL_NAME} wallets`",
    )
    p.add_argument("--lang", metavar="LANG", default=default, help=LANG_HELP)
    p.add_argument(
        "--demo",
        nargs="?",
        const="ok",
        default=default,
        metavar="SCENARIO",
        help=f"use the embedded demo service ({', '.join(SCENARIOS)}; default ok)",
    )
    p.add_argument(
        "--demo-desk",
        default=default,
        metavar="DESK",
        help="the help desk the demo plays: webhook (default), zendesk, freshdesk or email",
    )


def _add_inputs(p: argparse.ArgumentParser) -> None:
    _add_common(p)
    p.add_argument("--phone", metavar="NUMBER", help="the phone number being set")
    p.add_argument("--region", metavar="CC", help="region for numbers without +country code")
    p.add_argument("--email", metavar="ADDRESS", help="the email address being set")
    p.add_argument("--app-version", metavar="X.Y.Z", help="the wallet app's version")
    p.add_argument("--platform", metavar="P", help=f"one of {', '.join(PLATFORMS)}")
    p.add_argument("--timeout", metavar="SECONDS", help="per-probe timeout (network.timeout_s)")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser of every command.

    Given the command line (`argv`), a sub-command's own arguments are added only when its
    name is on it: the wizard itself (no sub-command) starts about 10 ms sooner, most of it
    argparse looking for translations of its help texts (issue 10). Every sub-command is
    still named, so `--help` lists them all and a misspelt one is refused as before.
    """
    parser = _Parser(prog=TOOL_NAME, description="Why does my wallet refuse my new number?")
    parser.add_argument("--version", action="version", version=f"{TOOL_NAME} {__version__}")
    _add_common(parser, top=True)
    parser.add_argument("--kiosk", action="store_true", help="shared help-station mode")
    parser.add_argument("--staff", action="store_true", help="support-staff (phone) mode")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="a line-by-line conversation (screen readers, any terminal; automatic with TERM=dumb)",
    )
    parser.add_argument(
        "--theme",
        metavar="THEME",
        default=None,
        help=f"colours of the wizard: {', '.join(THEMES)} (default: the profile's [kiosk] theme "
        "at a help station, else default)",
    )
    named = set(COMMANDS) if argv is None else set(argv) & set(COMMANDS)
    if not named and not {"-h", "--help"} & set(argv or ()):
        # The wizard itself: no sub-command parsers at all (`parse_command_line` turns to
        # the whole parser when something on the line is not understood).
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar=_choices(COMMANDS), parser_class=_Parser)
    for command, (help_text, add_arguments) in _SUB_COMMANDS.items():
        command_parser = sub.add_parser(command, help=help_text)
        if command in named:
            add_arguments(command_parser)
    return parser


def parse_command_line(words: list[str]) -> argparse.Namespace:
    """The command line parsed; UsageError (one line) when it cannot be.

    A line naming no sub-command is parsed without the sub-commands' parsers; if that fails
    (a misspelt sub-command is a stray word then), the whole parser parses it again, so the
    error says what it always said ("invalid choice: 'chek' (choose from …)").
    """
    try:
        return build_parser(words).parse_args(words)
    except UsageError:
        return build_parser().parse_args(words)


def _check_arguments(check: argparse.ArgumentParser) -> None:
    _add_inputs(check)
    check.add_argument("--json", action="store_true", help="print the report as JSON")


def _message_arguments(message: argparse.ArgumentParser) -> None:
    _add_inputs(message)
    message.add_argument("--what", metavar="W", help=f"one of {', '.join(WHATS)}")
    message.add_argument("--note", metavar="TEXT", help="what you want support to know")
    message.add_argument("--format", default="text", metavar="F", help="text or json")
    message.add_argument("--send", action="store_true", help="deliver it through the outbox")


def _outbox_arguments(outbox: argparse.ArgumentParser) -> None:
    outbox_sub = outbox.add_subparsers(
        dest="outbox_command", metavar=_choices(OUTBOX_COMMANDS), parser_class=_Parser
    )
    outbox_list = outbox_sub.add_parser("list", help="list the messages not yet delivered")
    outbox_list.add_argument("--json", action="store_true", help="print the list as JSON")
    outbox_list.add_argument(
        "--all",
        action="store_true",
        help="also the receipts of delivered messages (reference, times, ticket id; no content)",
    )
    outbox_list.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS, help=LANG_HELP)
    outbox_send = outbox_sub.add_parser("send", help="retry every queued message now")
    outbox_send.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS, help=LANG_HELP)


def _desk_arguments(desk: argparse.ArgumentParser) -> None:
    desk_sub = desk.add_subparsers(
        dest="desk_command", metavar=_choices(DESK_COMMANDS), parser_class=_Parser
    )
    desk_test = desk_sub.add_parser(
        "test", help="a dry run against the help desk: creates nothing, says what is wrong"
    )
    _add_common(desk_test)


def _demo_arguments(demo: argparse.ArgumentParser) -> None:
    demo.add_argument("--scenario", default="ok", metavar="S", help=", ".join(SCENARIOS))
    demo.add_argument(
        "--desk",
        default="webhook",
        metavar="DESK",
        help="the help desk it plays: webhook (default), zendesk, freshdesk or email",
    )
    demo.add_argument("--port", default="0", metavar="N", help="port (default: a free one)")


def _serve_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--host", default="127.0.0.1", help="address to serve on (127.0.0.1)")
    serve.add_argument("--port", default="8000", metavar="N", help="port to serve on (8000)")
    serve.add_argument(
        "--max-sessions",
        default="4",
        metavar="N",
        help="wizards running at once, one per browser tab (default 4)",
    )
    _add_common(serve)
    serve.add_argument(
        "--kiosk", action="store_true", default=argparse.SUPPRESS, help="shared help-station mode"
    )
    serve.add_argument(
        "--staff", action="store_true", default=argparse.SUPPRESS, help="support-staff mode"
    )
    serve.add_argument(
        "--theme",
        metavar="THEME",
        default=argparse.SUPPRESS,
        help=f"colours of every session: {', '.join(THEMES)}",
    )


def _wallets_arguments(wallets: argparse.ArgumentParser) -> None:
    wallets.add_argument("--json", action="store_true", help="print the catalog as JSON")
    wallets.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS, help=LANG_HELP)


# Each sub-command: its line in `--help`, and what adds its own arguments.
_SUB_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "check": ("run every automated check, headless", _check_arguments),
    "message": ("the pre-filled support message, headless", _message_arguments),
    "outbox": ("messages not yet delivered (default: list)", _outbox_arguments),
    "desk": ("the configured help desk", _desk_arguments),
    "demo": ("the embedded demo wallet service alone", _demo_arguments),
    "serve": ("the wizard in a web browser", _serve_arguments),
    "wallets": ("the built-in wallet catalog and its sources", _wallets_arguments),
}


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command is not None:
        # Only the full-screen wizard waits for its first screen to let the collector run.
        from wizard import collector

        collector.release()
    if command == "check":
        from wizard.commands.check import run_check

        return run_check(args)
    if command == "message":
        from wizard.commands.message import run_message

        return run_message(args)
    if command == "outbox":
        from wizard.commands.outbox import run_outbox

        return run_outbox(args)
    if command == "desk":
        from wizard.commands.desk import run_desk

        return run_desk(args)
    if command == "demo":
        from wizard.commands.demo import run_demo

        return run_demo(args)
    if command == "serve":
        from wizard.commands.serve import run_serve

        return run_serve(args)
    if command == "wallets":
        from wizard.commands.wallets import run_wallets

        return run_wallets(args)
    from wizard.plain.terminal import wants_plain

    if getattr(args, "plain", False) or wants_plain():
        from wizard import collector
        from wizard.commands.plain import run_plain

        collector.release()
        return run_plain(args)
    from wizard.commands.tui import run_tui

    return run_tui(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `wallet-wizard`; returns the exit status of CONTRACT §1."""
    try:
        args = parse_command_line(sys.argv[1:] if argv is None else list(argv))
        return _dispatch(args)
    except UsageError as exc:
        from wizard.text import one_line

        # argparse's message already names the command ("wallet-wizard check: …").
        print(one_line(exc, max_len=500), file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as exc:
        from wizard.text import one_line

        print(f"{TOOL_NAME}: {one_line(exc, max_len=500)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{TOOL_NAME}: interrupted", file=sys.stderr)
        return 130
