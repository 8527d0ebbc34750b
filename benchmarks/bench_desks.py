"""Figures of draining a fleet's backlog to each help desk (no budget in DESIGN.md; issue 11):
1,000 queued messages drained to each loopback desk of tests/loopback/, with the pacing on.

Two runs a desk:

- capacity: 1,000 rows, the pacer on with "a minute" shortened to a millisecond so that no
  plan's limit binds: how fast the outbox, the desk's requests and the desk itself go
  (messages/s);
- polite: 300 rows, "a minute" lasting five seconds for the desk and the pacer alike (still
  slower than the capacity), and the desk enforcing its plan's per-minute limit (429 past it):
  the messages a desk-minute the drain keeps to, the 429s it met (at most one), and how long
  a backlog of 1,000 takes at that pace in real minutes.

Run: `.venv/bin/python benchmarks/bench_desks.py` (starts and stops everything itself).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trustme  # noqa: E402

from benchmarks.bench_outbox import _messages  # noqa: E402
from tests.integration.deskkit import tls_server_context  # noqa: E402
from tests.loopback.freshdesk import API_KEY, FreshdeskServer  # noqa: E402
from tests.loopback.helpdesk import HelpDesk  # noqa: E402
from tests.loopback.smtp import PASSWORD, USER, SMTPServer  # noqa: E402
from tests.loopback.zendesk import AGENT, AGENT_TOKEN, ZendeskServer  # noqa: E402
from wizard.support.desks import DESKS  # noqa: E402
from wizard.support.destination import Destination  # noqa: E402
from wizard.support.outbox import Outbox, State  # noqa: E402
from wizard.support.pacing import Pacer  # noqa: E402
from wizard.support.send import drain  # noqa: E402

DRAINED = 1000
POLITE_DRAINED = 300
CREDENTIAL_ENV = "BENCH_DESK_CREDENTIAL"
STATION = "station@example.com"
# "A minute" of the polite run, for the desk's window and the pacer alike.
POLITE_MINUTE_S = 5.0
CAPACITY_MINUTE_S = 0.001
# The plans' limits the loopback desks enforce in the polite run (requests a minute for the
# whole account): Zendesk Team, Freshdesk Growth. The webhook and the mailbox state none.
PLAN_LIMITS = {"zendesk": 200, "freshdesk": 200}


@dataclass
class Desk:
    """A running loopback desk: where rows go, its credential, its tickets, its 429s."""

    name: str
    destination: Destination
    credential: str
    tickets: Callable[[], int]
    throttled: Callable[[], int]
    enforce: Callable[[int | None, float], None]
    # Between the runs: the desk forgets its tickets, so the second run's are counted alone.
    forget: Callable[[], None]


def _api_enforce(server: ZendeskServer | FreshdeskServer) -> Callable[[int | None, float], None]:
    def enforce(limit: int | None, window_s: float) -> None:
        server.limit, server.window_s = limit, window_s

    return enforce


def _no_limit(limit: int | None, window_s: float) -> None:
    """The webhook and the mailbox state no per-minute limit."""


@contextmanager
def _desk(name: str, folder: Path) -> Iterator[Desk]:
    if name == "webhook":
        with HelpDesk() as hook:

            def hook_tickets() -> int:
                return len(hook.snapshot()[0])

            yield Desk(
                name,
                Destination.webhook(hook.url(), None),
                "",
                hook_tickets,
                lambda: 0,
                _no_limit,
                hook.tickets.clear,
            )
    elif name.startswith("zendesk"):
        api = name.split("-", 1)[1]
        with ZendeskServer() as zendesk:

            def forget_zendesk() -> None:
                zendesk.tickets.clear()
                zendesk.forget_keys()

            options = {"zendesk_api": api, "requester_email": STATION}
            token_env = CREDENTIAL_ENV if api == "tickets" else ""
            yield Desk(
                name,
                Destination("zendesk", zendesk.base, token_env, options=options),
                f"{AGENT}/token:{AGENT_TOKEN}" if api == "tickets" else "",
                lambda: len(zendesk.tickets),
                lambda: zendesk.throttled,
                _api_enforce(zendesk),
                forget_zendesk,
            )
    elif name == "freshdesk":
        with FreshdeskServer() as fresh:
            yield Desk(
                name,
                Destination(
                    "freshdesk", fresh.base, CREDENTIAL_ENV, options={"requester_email": STATION}
                ),
                API_KEY,
                lambda: len(fresh.tickets),
                lambda: fresh.throttled,
                _api_enforce(fresh),
                fresh.tickets.clear,
            )
    else:
        ca = trustme.CA()
        bundle = folder / "ca.pem"
        bundle.write_bytes(ca.cert_pem.bytes())
        with SMTPServer(tls_server_context(ca)) as smtp:
            yield Desk(
                name,
                Destination(
                    "email",
                    smtp.url,
                    CREDENTIAL_ENV,
                    ca_bundle=str(bundle),
                    options={"to": "help@wallet.example", "sender": STATION},
                ),
                f"{USER}:{PASSWORD}",
                lambda: len(smtp.tickets),
                lambda: 0,
                _no_limit,
                smtp.tickets.clear,
            )


def _fill(path: Path, destination: Destination, count: int) -> None:
    """`count` messages saved for `destination`."""
    with Outbox.open(path) as outbox:
        for message in _messages(count):
            outbox.save_to(message, destination)


def _drain(path: Path, minute_s: float) -> tuple[float, int]:
    """Seconds of one drain of every row in `path`, and how many were delivered."""
    with Outbox.open(path) as outbox:
        t0 = time.perf_counter()
        results = asyncio.run(drain(outbox, pacer=Pacer(minute_s=minute_s)))
        elapsed = time.perf_counter() - t0
    return elapsed, sum(r.state is State.DELIVERED for r in results)


def bench(name: str, folder: Path) -> str:
    """One desk's two runs, as one line of figures."""
    with _desk(name, folder) as desk:
        os.environ[CREDENTIAL_ENV] = desk.credential
        paths = {run: folder / f"{name}-{run}.sqlite3" for run in ("capacity", "polite")}
        _fill(paths["capacity"], desk.destination, DRAINED)
        _fill(paths["polite"], desk.destination, POLITE_DRAINED)
        seconds, delivered = _drain(paths["capacity"], CAPACITY_MINUTE_S)
        made = desk.tickets()
        if delivered != DRAINED or made != DRAINED:
            raise SystemExit(f"{name}: capacity run delivered {delivered}, desk holds {made}")
        capacity = DRAINED / seconds
        desk.forget()
        desk.enforce(PLAN_LIMITS.get(desk.destination.desk), POLITE_MINUTE_S)
        polite_s, delivered = _drain(paths["polite"], POLITE_MINUTE_S)
        made = desk.tickets()
        if delivered != POLITE_DRAINED or made != POLITE_DRAINED:
            raise SystemExit(f"{name}: polite run delivered {delivered}, desk holds {made}")
        per_minute = POLITE_DRAINED / (polite_s / POLITE_MINUTE_S)
        limit = PLAN_LIMITS.get(desk.destination.desk)
        head = f"{name:17} capacity {capacity:4.0f} messages/s ({seconds:4.1f} s) | polite: "
        if DESKS[desk.destination.desk].per_minute is None and limit is None:
            return head + "not paced until it pushes back (it states no limit)"
        stated = f"plan limit {limit} requests/min" if limit else "no stated limit"
        return head + (
            f"{per_minute:3.0f} messages per desk-minute ({stated}), {desk.throttled()} × 429,"
            f" 1,000 take {DRAINED / per_minute:4.1f} min"
        )


def main() -> int:
    """Print the figures."""
    # aiosmtpd logs a warning about its own use of a deprecated attribute on every login.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="bench-desks-") as tmp:
        folder = Path(tmp)
        os.environ["WALLET_WIZARD_HOME"] = str(folder / "home")
        for name in ("webhook", "zendesk-requests", "zendesk-tickets", "freshdesk", "email"):
            print(bench(name, folder), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
