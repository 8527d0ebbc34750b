"""`wallet-wizard` with no command: the terminal wizard (Textual is imported only here)."""

from __future__ import annotations

import argparse

from wizard.commands.common import command_setup, sending_destination, theme_name, tui_mode


def run_tui(args: argparse.Namespace) -> int:
    """Run the wizard until the person quits; `--demo` serves the demo wallet meanwhile."""
    mode = tui_mode(args)
    with command_setup(args) as setup:
        # Refused at the start, not at Send: the operator is the one who can fix the profile.
        sending_destination(setup.profile, kiosk=mode == "kiosk")
        theme = theme_name(args, setup.profile, mode)
        from wizard.ui.app import WizardApp

        app = WizardApp(
            setup.profile,
            lang=setup.lang,
            mode=mode,
            demo_scenario=getattr(args, "demo", None),
            theme_name=theme,
        )
        app.run()
    return app.return_code or 0
