"""Crash safety: a sender SIGKILLed at random moments loses nothing and duplicates nothing.

A sender saves messages for one help desk and sends each one, printing SAVED only after
`save_to()` returned. It is SIGKILLed at random moments (a seeded schedule, counted from its
start: it is forked from a process that imported everything once, so no time goes to starting
an interpreter). Afterwards `outbox send` must deliver every message reported saved, each as
exactly one ticket, and the database must be intact. The desk answers a little late, which
widens the window in which a kill lands after the desk made the ticket and before the sender
recorded it.

Each desk keeps its own promise: the webhook by its Idempotency-Key, Zendesk's tickets API by
its Idempotency-Key (the same bytes every time: the report's upload token is fixed before
the first ticket request). Freshdesk is not among them for now (see DESKS).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from tests.loopback.helpdesk import HelpDesk
from tests.loopback.zendesk import AGENT, AGENT_TOKEN, ZendeskServer
from wizard.locations import data_dir
from wizard.support.destination import Destination

ROOT = Path(__file__).resolve().parents[2]
MESSAGES_PER_ROUND = 5
CREDENTIAL_ENV = "CRASH_DESK_CREDENTIAL"

# One process imports everything once and forks a sender per round (a new interpreter per
# round would spend most of the test starting up); the test kills the sender by its pid.
_SENDERS = """
import asyncio, json, os, sys
from wizard.checks.model import CheckResult, Inputs, Report, Status, StepResult
from wizard.profile import Profile
from wizard.support.destination import Destination
from wizard.support.message import compose
from wizard.support.outbox import Outbox
from wizard.support.send import deliver

destination, count = Destination(**json.loads(sys.argv[1])), int(sys.argv[2])
link = CheckResult("link", Status.PASS, "ok", "Online.")
report = Report("Crash", "2026-11-25T20:00:00Z", 1.0, (StepResult("network", (link,)),))
inputs = Inputs(phone="13800138000", region="CN", email="alice@qq.com")

async def send() -> None:
    box = Outbox.open()
    for i in range(count):
        message = compose(
            report, profile=Profile(), inputs=inputs, lang="en", what="other", note=f"m{i}"
        )
        entry = box.save_to(message, destination)
        print("SAVED", entry.reference, flush=True)
        await deliver(entry, box, timeout_s=2.0)
        print("SENT", entry.reference, flush=True)

print("READY", flush=True)
for _command in sys.stdin:
    pid = os.fork()
    if pid == 0:
        asyncio.run(send())
        os._exit(0)
    print("PID", pid, flush=True)
    # Not reaped before the test says so: until then its pid cannot name another process.
    sys.stdin.readline()
    _, status = os.waitpid(pid, 0)
    print("DONE", os.waitstatus_to_exitcode(status), flush=True)
"""


# Requests a minute the loopback desks state for their plan (far above what the test sends).
PLAN_LIMIT = 100_000


@dataclass
class Desk:
    """A desk on 127.0.0.1 for the crash test: where the rows go, and the tickets it made."""

    destination: Destination
    # reference → how many tickets carry it
    tickets: Callable[[], dict[str, int]]
    credential: str = ""


def _count(references: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for reference in references:
        counts[reference] = counts.get(reference, 0) + 1
    return counts


@contextmanager
def _webhook() -> Iterator[Desk]:
    with HelpDesk() as server:
        server.answer_delay_s = 0.03

        def tickets() -> dict[str, int]:
            made, _attempts = server.snapshot()
            return _count([t.payload["reference"] for t in made.values()])

        yield Desk(Destination.webhook(server.url(), None), tickets)


@contextmanager
def _zendesk_tickets() -> Iterator[Desk]:
    with ZendeskServer() as server:
        server.answer_delay_s = 0.03
        # A plan whose stated limit is far above this test's rate: `outbox send` learns it
        # from the first answer and does not space the rows left (pacing has its own tests).
        server.limit = PLAN_LIMIT

        def tickets() -> dict[str, int]:
            with server.lock:
                return _count([str(t.external_id) for t in server.tickets])

        destination = Destination(
            desk="zendesk",
            endpoint=server.base,
            token_env=CREDENTIAL_ENV,
            options={"zendesk_api": "tickets"},
        )
        yield Desk(destination, tickets, f"{AGENT}/token:{AGENT_TOKEN}")


# Freshdesk (no idempotency; a search by tag before re-sending) is left out here: under a
# full parallel run its senders' process stopped answering twice, a hang not yet explained.
# Its search-before-resend is tested against the loopback Freshdesk in test_freshdesk.py.
DESKS = {"webhook": _webhook, "zendesk-tickets": _zendesk_tickets}
# Rounds a desk is killed in.
ROUNDS = {"webhook": 24, "zendesk-tickets": 16}


class Senders:
    """The process that forks a sender for each round (see _SENDERS)."""

    def __init__(self, desk: Desk, env: dict[str, str]) -> None:
        destination = json.dumps(asdict(desk.destination))
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SENDERS, destination, str(MESSAGES_PER_ROUND)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._line() == "READY"

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the senders' process ended"
        return line.strip()

    def round(self, delay_s: float) -> tuple[list[str], int]:
        """One sender, SIGKILLed `delay_s` after it started unless it finished first: the
        references it reported saved, and its exit code."""
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        lines = [self._line()]
        while not lines[-1].startswith("PID "):
            lines.append(self._line())
        time.sleep(delay_s)
        # Alive or a zombie (it is reaped only after "reap"): the pid is still the sender's.
        os.kill(int(lines[-1].split()[1]), signal.SIGKILL)
        self.process.stdin.write("reap\n")
        self.process.stdin.flush()
        while not lines[-1].startswith("DONE "):
            lines.append(self._line())
        saved = [line.split()[1] for line in lines if line.startswith("SAVED ")]
        return saved, int(lines[-1].split()[1])

    def close(self) -> None:
        """Stop the senders' process."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.mark.parametrize("kind", sorted(DESKS))
def test_sigkill_at_random_moments_loses_and_duplicates_nothing(kind: str) -> None:
    schedule = random.Random(20261125)
    reported: list[str] = []
    killed = 0
    with DESKS[kind]() as desk:
        env = {**os.environ, "PYTHONPATH": str(ROOT), CREDENTIAL_ENV: desk.credential}
        senders = Senders(desk, env)
        try:
            for _ in range(ROUNDS[kind]):
                saved, code = senders.round(schedule.uniform(0.05, 1.0))
                reported += saved
                killed += code == -signal.SIGKILL
        finally:
            senders.close()
        assert killed > 0, "no round was interrupted: the test exercised nothing"
        send = subprocess.run(
            [sys.executable, "-m", "wizard", "--lang", "en", "outbox", "send"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
        assert send.returncode == 0, send.stdout + send.stderr
        tickets = desk.tickets()

    db = data_dir() / "outbox.sqlite3"
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT reference, state FROM outbox").fetchall()

    assert reported, "no message was ever reported saved"
    states = dict(rows)
    # Every message reported saved is in the outbox, delivered, and made exactly one ticket.
    for reference in reported:
        assert states[reference] == "delivered", reference
        assert tickets.get(reference) == 1, (reference, tickets.get(reference))
    # Nothing else: every row is delivered, and the desk holds one ticket per row, no more.
    assert set(states.values()) == {"delivered"}
    assert tickets == dict.fromkeys(states, 1)
