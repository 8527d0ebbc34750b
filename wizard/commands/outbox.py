"""`wallet-wizard outbox list|send`: the messages not yet delivered, and a retry of them now.

`list --all` adds the receipts of delivered messages (reference, times, endpoint, ticket id):
their content is erased on delivery, so a receipt is all there is to show.
`send` retries every queued message at once (rejected ones stay, to be copied, not resent).
Exit: 0 nothing left queued and nothing refused, 3 something still queued, 1 refused.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from datetime import datetime

from wizard.commands.common import (
    ConfigError,
    choose_lang,
    load_profile_arg,
    sending_destination,
)
from wizard.commands.message import open_outbox
from wizard.i18n import t
from wizard.support.destination import Destination
from wizard.support.outbox import Outbox, OutboxEntry, OutboxError, State
from wizard.support.send import describe_result, drain


def _local(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")


def _when(epoch: float, lang: str) -> str:
    if epoch <= time.time():
        return t(lang, "message.outbox.now")
    return _local(epoch)


def _receipt_row(entry: OutboxEntry, lang: str) -> str:
    key = "row_delivered" if entry.ticket_id else "row_delivered_no_ticket"
    return t(
        lang,
        f"message.outbox.{key}",
        reference=entry.reference,
        delivered=_local(entry.delivered_at) if entry.delivered_at is not None else "?",
        created=entry.created_at.replace("T", " "),
        ticket_id=entry.ticket_id,
        endpoint=entry.endpoint or "-",
    )


def _row(entry: OutboxEntry, lang: str) -> str:
    created = entry.created_at.replace("T", " ")
    if entry.state is State.REJECTED:
        return t(
            lang,
            "message.outbox.row_rejected",
            reference=entry.reference,
            created=created,
            error=entry.last_error,
        )
    return t(
        lang,
        "message.outbox.row_queued",
        reference=entry.reference,
        created=created,
        attempts=entry.attempts,
        next=_when(entry.next_attempt_at, lang),
        error=entry.last_error,
    ).rstrip()


def _list(outbox: Outbox, lang: str, as_json: bool, everything: bool) -> int:
    entries = outbox.undelivered()
    receipts = outbox.delivered() if everything else []
    if as_json:
        doc: dict[str, object] = {"schema": 1, "messages": [e.to_json() for e in entries]}
        if everything:
            doc["receipts"] = [e.receipt_json() for e in receipts]
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print(t(lang, "message.outbox.empty"))
    else:
        print(t(lang, "message.outbox.count", count=len(entries)))
        for entry in entries:
            print(_row(entry, lang))
    if everything:
        if not receipts:
            print(t(lang, "message.outbox.receipts_empty"))
        else:
            print(t(lang, "message.outbox.receipts_count", count=len(receipts)))
            for entry in receipts:
                print(_receipt_row(entry, lang))
    return 0


def _send(outbox: Outbox, lang: str, destination: Destination | None) -> int:
    if destination is not None and destination.endpoint:
        # Rows saved while no help desk was configured go to the one given now.
        for entry in outbox.queued():
            if not entry.endpoint:
                outbox.set_destination(entry.id, destination)
    if not outbox.queued():
        print(t(lang, "message.outbox.nothing_queued"))
        return 0
    try:
        results = asyncio.run(drain(outbox, force=True))
    except OutboxError as exc:
        raise ConfigError(str(exc)) from None
    for result in results:
        print(describe_result(result, lang))
    counts = {state: sum(r.state is state for r in results) for state in State}
    print(
        t(
            lang,
            "message.outbox.summary",
            delivered=counts[State.DELIVERED],
            queued=counts[State.QUEUED],
            rejected=counts[State.REJECTED],
        )
    )
    if counts[State.QUEUED]:
        return 3
    return 1 if counts[State.REJECTED] else 0


def run_outbox(args: argparse.Namespace) -> int:
    """`outbox list [--all] [--json]` (also the default) or `outbox send`."""
    profile = load_profile_arg(args)
    lang = choose_lang(args, profile)
    sending = getattr(args, "outbox_command", None) == "send"
    # A profile given to `send` is where rows without an address go: checked before opening.
    given = sending and getattr(args, "profile", None) is not None
    destination = sending_destination(profile) if given else None
    with open_outbox(keep_days=profile.support.keep_days) as outbox:
        if sending:
            return _send(outbox, lang, destination)
        everything = bool(getattr(args, "all", False))
        return _list(outbox, lang, bool(getattr(args, "json", False)), everything)
