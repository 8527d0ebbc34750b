"""`wallet-wizard --plain` (and the wizard under TERM=dumb): the line-by-line conversation.

Textual is never imported on this path: a dumb terminal or a screen reader gets plain lines
from the first byte on.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from typing import TextIO

from wizard.commands.common import (
    ConfigError,
    command_setup,
    sending_destination,
    theme_name,
    tui_mode,
)


def _tolerant(stream: TextIO) -> None:
    """Never fail on a byte the locale cannot say: replace it (a pasted answer, a wallet name)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if callable(reconfigure):
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")


def run_plain(args: argparse.Namespace) -> int:
    """Converse until the person quits; `--demo` serves the demo wallet meanwhile."""
    mode = tui_mode(args)
    if mode == "kiosk":
        # The help station's idle wipe and staff exit belong to the full screen.
        raise ConfigError(
            "--kiosk needs the full-screen wizard: it cannot be used with --plain or TERM=dumb"
        )
    from wizard.plain.conversation import PlainWizard, converse
    from wizard.plain.terminal import Terminal, wants_colour

    with command_setup(args) as setup:
        # Refused at the start, not at Send: the operator is the one who can fix the profile.
        sending_destination(setup.profile)
        # Checked as for the full screen (a typo is a usage error), though lines have no theme.
        theme_name(args, setup.profile, mode)
        _tolerant(sys.stdin)
        _tolerant(sys.stdout)
        terminal = Terminal(sys.stdin, sys.stdout, colour=wants_colour(sys.stdout))
        wizard = PlainWizard(
            setup.profile,
            lang=setup.lang,
            terminal=terminal,
            mode=mode,
            demo_scenario=getattr(args, "demo", None),
        )
        return asyncio.run(converse(wizard))
