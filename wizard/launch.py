"""The `wallet-wizard` script's entry (and `python -m wizard`'s): the command line, with
Python's garbage collector held while the wizard starts (wizard.collector)."""

from __future__ import annotations

from wizard import collector


def main() -> int:
    """`wallet-wizard`: CONTRACT §1, through `wizard.cli.main`."""
    collector.hold()
    from wizard.cli import main as cli_main

    return cli_main()
