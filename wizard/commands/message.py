"""`wallet-wizard message`: run the checks, compose the support message, optionally send it.

With `--send` the message is committed to the outbox first; only then is anything printed
that says "saved", and the reference is printed on every path (delivered, queued, refused).
Exit: 0 delivered (or printed without --send), 3 still queued, 1 refused, 2 usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from wizard.checks.model import Inputs
from wizard.commands.check import collect_report
from wizard.commands.common import ConfigError, Setup, command_setup, sending_destination
from wizard.i18n import t
from wizard.support.destination import Destination
from wizard.support.handoff import clipboard_text
from wizard.support.message import Message, compose
from wizard.support.outbox import DEFAULT_KEEP_DAYS, Outbox, OutboxError, State, iso_utc
from wizard.support.send import DeliveryResult, deliver, describe_result
from wizard.text import one_line
from wizard.vocabulary import WHATS

FORMATS = ("text", "json")
EXIT_BY_STATE = {State.DELIVERED: 0, State.QUEUED: 3, State.REJECTED: 1}


def _what(args: argparse.Namespace) -> str | None:
    given = getattr(args, "what", None)
    if given is None:
        return None
    what = given.strip().lower()
    if what not in WHATS:
        shown = one_line(given, max_len=40)
        raise ConfigError(f"--what must be one of {', '.join(WHATS)} (got {shown!r})")
    return str(what)


def _format(args: argparse.Namespace) -> str:
    given = getattr(args, "format", None) or "text"
    fmt = given.strip().lower()
    if fmt not in FORMATS:
        shown = one_line(given, max_len=40)
        raise ConfigError(f"--format must be text or json (got {shown!r})")
    return str(fmt)


def default_what(inputs: Inputs) -> str:
    """What failed to update when --what is not given: the contact detail that was typed."""
    if inputs.phone:
        return "phone"
    return "email" if inputs.email else "other"


def delivery_json(result: DeliveryResult) -> dict[str, Any]:
    """A delivery outcome as JSON (added to the payload by `message --send --format json`)."""
    return {
        "state": result.state.value,
        "ticket_id": result.ticket_id,
        "http_status": result.http_status,
        "error": result.error,
        "reason": result.reason,
        "retry_at": iso_utc(result.retry_at),
    }


def open_outbox(keep_days: float = DEFAULT_KEEP_DAYS) -> Outbox:
    """The outbox in the data directory; a failure is a one-line configuration error."""
    try:
        return Outbox.open(keep_days=keep_days)
    except OutboxError as exc:
        raise ConfigError(str(exc)) from None


def _send(message: Message, destination: Destination, setup: Setup, fmt: str) -> int:
    with open_outbox(keep_days=setup.profile.support.keep_days) as outbox:
        try:
            entry = outbox.save_to(message, destination)
        except OutboxError as exc:
            raise ConfigError(str(exc)) from None
        if fmt == "text":
            print(clipboard_text(message))
            print(t(setup.lang, "message.saved.line", reference=entry.reference), flush=True)
        try:
            result = asyncio.run(deliver(entry, outbox))
        except OutboxError as exc:
            raise ConfigError(str(exc)) from None
    if fmt == "json":
        payload = message.payload()
        payload["delivery"] = delivery_json(result)
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(describe_result(result, setup.lang))
        if result.state is State.QUEUED:
            # Nothing sends in the background after this process ends: say how to retry.
            print(t(setup.lang, "message.hint.retry"))
    return EXIT_BY_STATE[result.state]


def run_message(args: argparse.Namespace) -> int:
    """Compose (and with --send deliver) the support message; the exit code of CONTRACT §1."""
    what = _what(args)
    fmt = _format(args)
    with command_setup(args) as setup:
        # Before any check runs: a help desk that cannot be sent to is a configuration error.
        send = getattr(args, "send", False)
        destination = sending_destination(setup.profile) if send else None
        report = collect_report(setup)
        message = compose(
            report,
            profile=setup.profile,
            inputs=setup.inputs,
            lang=setup.lang,
            what=what or default_what(setup.inputs),
            note=getattr(args, "note", None) or "",
        )
        if destination is not None:
            # Inside the setup: a --demo help desk lives only as long as it.
            return _send(message, destination, setup, fmt)
    if fmt == "json":
        print(json.dumps(message.payload(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(clipboard_text(message))
    return 0
