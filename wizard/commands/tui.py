"""`wallet-wizard` with no command: the terminal wizard (Textual is imported only here)."""

from __future__ import annotations

import argparse

from wizard.commands.common import command_setup, sending_destination, theme_name, tui_mode


def run_tui(args: argparse.Namespace) -> int:
    """Run the wizard until the person quits; `--demo` serves the demo wallet meanwhile."""
    mode = tui_mode(args)
    # `--demo`: the demo wallet binds its sockets now and serves once the first screen is on
    # the terminal (its servers take a tenth of a second to import; a check started before
    # then waits in the sockets' backlog). Nothing else here may wait for it.
    with command_setup(args, defer_demo=True) as setup:
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
            after_first_paint=setup.serve_demo,
        )
        app.run()
    return app.return_code or 0
