"""`wallet-wizard` with no command: the terminal wizard (Textual is imported only here)."""

from __future__ import annotations

import argparse

from wizard.commands.common import ConfigError, command_setup, sending_destination
from wizard.vocabulary import Mode


def tui_mode(args: argparse.Namespace) -> Mode:
    """normal, kiosk or staff, from `--kiosk` / `--staff`."""
    kiosk = bool(getattr(args, "kiosk", False))
    staff = bool(getattr(args, "staff", False))
    if kiosk and staff:
        raise ConfigError("--kiosk and --staff cannot be used together")
    return "kiosk" if kiosk else "staff" if staff else "normal"


def run_tui(args: argparse.Namespace) -> int:
    """Run the wizard until the person quits; `--demo` serves the demo wallet meanwhile."""
    mode = tui_mode(args)
    with command_setup(args) as setup:
        # Refused at the start, not at Send: the operator is the one who can fix the profile.
        sending_destination(setup.profile, kiosk=mode == "kiosk")
        from wizard.ui.app import WizardApp

        app = WizardApp(
            setup.profile,
            lang=setup.lang,
            mode=mode,
            demo_scenario=getattr(args, "demo", None),
        )
        app.run()
    return app.return_code or 0
