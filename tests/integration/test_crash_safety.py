"""Crash safety: a sender SIGKILLed at random moments loses nothing and duplicates nothing.

A child process saves messages and sends each one, printing SAVED only after `save()`
returned. It is killed at random moments (a seeded schedule). Afterwards `outbox send`
must deliver every message reported saved exactly once, and the database must be intact.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from tests.loopback.helpdesk import HelpDesk
from wizard.locations import data_dir

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 24
MESSAGES_PER_ROUND = 5

_CHILD = """
import asyncio, sys
from wizard.checks.model import Inputs
from wizard.checks.model import CheckResult, Report, Status, StepResult
from wizard.profile import Profile
from wizard.support.message import compose
from wizard.support.outbox import Outbox
from wizard.support.send import deliver

endpoint, count = sys.argv[1], int(sys.argv[2])
link = CheckResult("link", Status.PASS, "ok", "Online.")
report = Report("Crash", "2026-11-25T20:00:00Z", 1.0, (StepResult("network", (link,)),))
box = Outbox.open()

async def main() -> None:
    for i in range(count):
        message = compose(
            report, profile=Profile(), inputs=Inputs(), lang="en", what="other", note=f"m{i}"
        )
        entry = box.save(message, endpoint, None)
        print("SAVED", entry.reference, flush=True)
        await deliver(entry, box, timeout_s=2.0)
        print("SENT", entry.reference, flush=True)

asyncio.run(main())
"""


def _run_and_kill(endpoint: str, delay_s: float) -> tuple[list[str], int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, endpoint, str(MESSAGES_PER_ROUND)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay_s)
    if child.poll() is None:
        child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    saved = [line.split()[1] for line in out.splitlines() if line.startswith("SAVED ")]
    return saved, child.returncode


def test_sigkill_at_random_moments_loses_and_duplicates_nothing() -> None:
    schedule = random.Random(20261125)
    reported: list[str] = []
    killed = 0
    with HelpDesk() as desk:
        desk.answer_delay_s = 0.03  # widen the window in which a kill lands mid-request
        for _ in range(ROUNDS):
            saved, code = _run_and_kill(desk.url(), schedule.uniform(0.05, 0.9))
            reported += saved
            killed += code == -signal.SIGKILL
        assert killed > 0, "no round was interrupted: the test exercised nothing"
        send = subprocess.run(
            [sys.executable, "-m", "wizard", "--lang", "en", "outbox", "send"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert send.returncode == 0, send.stdout + send.stderr
        tickets, _attempts = desk.snapshot()

    db = data_dir() / "outbox.sqlite3"
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT reference, idempotency_key, state FROM outbox").fetchall()

    assert reported, "no message was ever reported saved"
    # Every message reported saved is in the outbox, delivered, and made exactly one ticket.
    by_reference = {ref: (key, state) for ref, key, state in rows}
    ticket_refs = [t.payload["reference"] for t in tickets.values()]
    for ref in reported:
        assert by_reference[ref][1] == "delivered", ref
        assert ticket_refs.count(ref) == 1, ref
        assert by_reference[ref][0] in tickets
    # Nothing else: every row is delivered, one ticket per row, no key or reference doubled.
    assert {state for _, _, state in rows} == {"delivered"}
    assert set(tickets) == {key for _, key, _ in rows}
    assert len(ticket_refs) == len(set(ticket_refs)) == len(rows)
