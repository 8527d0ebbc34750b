"""`wallet-wizard check`: every automated check, headless, as text or CONTRACT §3 JSON."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys

from wizard.checks.model import Report, Status
from wizard.checks.registry import REGISTRY
from wizard.checks.runner import CheckFinished, CheckWaiting, Event, run_report
from wizard.commands.common import Setup, command_setup
from wizard.i18n import t
from wizard.report_text import render_report


def terminal_width(stream: object) -> int | None:
    """The columns of the terminal `stream` writes to; None when piped or unknown."""
    isatty = getattr(stream, "isatty", None)
    fileno = getattr(stream, "fileno", None)
    if not (isatty and fileno and isatty()):
        return None
    try:
        columns = os.get_terminal_size(fileno()).columns
    except (OSError, ValueError):
        return None
    return columns if columns > 0 else None


def use_colour(stream: object) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


class _Progress:
    """One self-overwriting line on stderr while checks run (only on a terminal)."""

    def __init__(self, lang: str, total: int) -> None:
        self.lang = lang
        self.total = total
        self.done = 0
        self.waiting = ""
        self.enabled = sys.stderr.isatty()

    def __call__(self, event: Event) -> None:
        if isinstance(event, CheckFinished):
            self.done += 1
        elif isinstance(event, CheckWaiting):
            self.waiting = event.what
        if not self.enabled:
            return
        line = t(self.lang, "cli.progress", done=self.done, total=self.total)
        if self.waiting and self.done < self.total:
            line += " · " + t(self.lang, "cli.waiting", what=self.waiting)
        sys.stderr.write("\r\x1b[2K" + line[:200])
        sys.stderr.flush()

    def clear(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()


def collect_report(setup: Setup, *, show_progress: bool = True) -> Report:
    """Run every step for a command, with a progress line on a terminal."""
    total = sum(len(step.checks) for step in REGISTRY.steps)
    progress = _Progress(setup.lang, total)
    if not show_progress:
        progress.enabled = False
    try:
        report = asyncio.run(run_report(setup.profile, setup.inputs, on_event=progress))
        # Words at the edge: the report's summaries and fixes in the reader's language.
        return report.explained(setup.lang)
    finally:
        progress.clear()


def run_check(args: argparse.Namespace) -> int:
    """Run the checks and print them; exit 0 for pass/warn, 1 for fail."""
    with command_setup(args) as setup:
        report = collect_report(setup)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        width = terminal_width(sys.stdout)
        print(render_report(report, setup.lang, colour=use_colour(sys.stdout), width=width))
    return 1 if report.overall is Status.FAIL else 0
