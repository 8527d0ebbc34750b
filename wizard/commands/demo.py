"""`wallet-wizard demo`: the embedded demo wallet service alone, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from types import FrameType
from typing import TextIO

from wizard.commands.common import ConfigError
from wizard.text import one_line


class _Stop(Exception):
    """SIGTERM arrived: leave the serving loop the same way Ctrl-C does."""


def _port(text: object) -> int:
    value = str(text).strip()
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        shown = one_line(value, max_len=40)
        raise ConfigError(f"--port must be a number from 0 to 65535 (got {shown!r})")
    return int(value)


def run_demo(args: argparse.Namespace) -> int:
    """Print the profile that points at the service, then serve until stopped; 0 on a stop."""
    from wizard.demo import SCENARIOS, DemoError, DemoService

    scenario = str(getattr(args, "scenario", "ok"))
    if scenario not in SCENARIOS:
        raise ConfigError(
            f"unknown demo scenario {one_line(scenario, max_len=40)!r} "
            f"(one of {', '.join(SCENARIOS)})"
        )
    from wizard.profile import DESK_KINDS

    desk = str(getattr(args, "desk", "webhook")).strip().lower()
    if desk not in DESK_KINDS:
        shown = one_line(desk, max_len=40)
        raise ConfigError(f"--desk must be one of {', '.join(DESK_KINDS)} (got {shown!r})")
    port = _port(getattr(args, "port", 0))
    service = DemoService(scenario, port=port, desk=desk)
    # Ctrl-C stops the service even when started from a script as a background job (whose
    # SIGINT the shell ignores): the banner promises it, and SIGTERM does the same.
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    previous_term = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        try:
            service.start()
        except DemoError as exc:
            raise ConfigError(str(exc)) from None
        exports = "".join(f"# export {k}={v}\n" for k, v in service.credentials.items())
        _write(sys.stdout, _banner(scenario, desk, exports + service.profile_toml()))
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, _Stop):
        return 0
    finally:
        signal.signal(signal.SIGINT, previous_int)
        signal.signal(signal.SIGTERM, previous_term)
        service.stop()


def _banner(scenario: str, desk: str, profile_toml: str) -> str:
    return (
        f"# wallet-wizard demo service, scenario {scenario}"
        f"{'' if desk == 'webhook' else f', help desk {desk}'}\n"
        "# Save the lines below as demo.toml, then: wallet-wizard check --profile demo.toml\n"
        "# Ctrl-C stops the service.\n"
        f"{profile_toml}"
    )


def _write(stream: TextIO, text: str) -> None:
    """Write and flush; a reader that went away (`| head`) is no reason to stop serving."""
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        # Point the stream at /dev/null so the interpreter's final flush stays quiet.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Stop
