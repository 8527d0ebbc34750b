"""`wallet-wizard desk test`: a dry run against the configured help desk that creates nothing.

Zendesk is asked who we are, Freshdesk for one ticket, an SMTP server for EHLO, STARTTLS and
AUTH (no MAIL); the webhook gets a GET. One line says what is wrong — the address, the
certificate, the credential, the permission — or that all is well. Exit 0 when nothing is
wrong, 1 when something is (like `check`), 2 on a configuration error.
"""

from __future__ import annotations

import argparse
import asyncio

from wizard.commands.common import ConfigError, command_setup, sending_destination
from wizard.i18n import t
from wizard.support.probe import ProbeResult, probe_desk


def describe_probe(result: ProbeResult, lang: str) -> str:
    """The one line `desk test` prints."""
    problem = result.problem or ("ok_anonymous" if result.anonymous else "ok")
    if not result.problem and not result.encrypted:
        problem += "_plain"
    return t(
        lang,
        f"cli.desk_test.{problem}",
        desk=result.desk,
        endpoint=result.endpoint or "-",
        detail=result.detail or "-",
    )


def run_desk(args: argparse.Namespace) -> int:
    """`desk test`; exit 0 when the desk is ready, 1 when something is wrong."""
    if getattr(args, "desk_command", None) != "test":
        raise ConfigError("desk: name what to do: wallet-wizard desk test")
    with command_setup(args) as setup:
        destination = sending_destination(setup.profile)
        result = asyncio.run(probe_desk(destination))
        print(describe_probe(result, setup.lang))
    return 0 if not result.problem else 1
