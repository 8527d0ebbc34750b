"""The outbox: committed before "saved", private files, states, pruning, two processes at once."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.unit.test_message import sample_message
from wizard.locations import data_dir
from wizard.support.handoff import save_files
from wizard.support.outbox import Outbox, OutboxError, State

ROOT = Path(__file__).resolve().parents[2]
ENDPOINT = "http://127.0.0.1:9/api/tickets"


@pytest.fixture
def outbox() -> Iterator[Outbox]:
    box = Outbox.open()
    yield box
    box.close()


def _modes(folder: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}


def test_default_location_is_the_data_directory(outbox: Outbox) -> None:
    assert outbox.path == data_dir() / "outbox.sqlite3"
    assert outbox.path.parent == Path(os.environ["WALLET_WIZARD_HOME"])


def test_save_commits_before_returning(outbox: Outbox) -> None:
    message = sample_message()
    entry = outbox.save(message, ENDPOINT, "WALLET_SUPPORT_TOKEN")
    assert entry.state is State.QUEUED and entry.attempts == 0
    assert entry.reference == message.reference
    assert entry.idempotency_key == message.idempotency_key
    assert entry.payload == message.payload()
    assert entry.endpoint == ENDPOINT and entry.token_env == "WALLET_SUPPORT_TOKEN"
    # Another connection (as another process would) already sees the committed row.
    with closing(sqlite3.connect(outbox.path)) as other:
        row = other.execute(
            "SELECT reference, idempotency_key, state FROM outbox WHERE id = ?", (entry.id,)
        ).fetchone()
    assert row == (message.reference, message.idempotency_key, "queued")


def test_saving_the_same_message_twice_keeps_one_row(outbox: Outbox) -> None:
    message = sample_message()
    first = outbox.save(message, ENDPOINT, None)
    second = outbox.save(message, ENDPOINT, None)
    assert first.id == second.id and len(outbox.all()) == 1


def test_states_and_queries(outbox: Outbox) -> None:
    a = outbox.save(sample_message(), ENDPOINT, None)
    b = outbox.save(sample_message(), ENDPOINT, None)
    c = outbox.save(sample_message(), "", None)
    assert [e.id for e in outbox.pending(now=a.next_attempt_at + 1)] == [a.id, b.id, c.id]
    outbox.mark_queued(a.id, retry_at=a.saved_at + 100, error="HTTP 503")
    outbox.mark_delivered(b.id, ticket_id="T-1\x1b[2J", now=b.saved_at + 1)
    outbox.mark_rejected(c.id, reason="HTTP 400: bad phone")
    a2, b2, c2 = outbox.get(a.id), outbox.get(b.id), outbox.get(c.id)
    assert a2 and b2 and c2
    assert a2.state is State.QUEUED and a2.attempts == 1 and a2.last_error == "HTTP 503"
    assert b2.state is State.DELIVERED and b2.ticket_id == "T-1" and b2.delivered_at
    assert c2.state is State.REJECTED and c2.last_error == "HTTP 400: bad phone"
    assert outbox.pending(now=a.saved_at + 50) == []
    assert [e.id for e in outbox.pending(now=a.saved_at + 101)] == [a.id]
    assert [e.id for e in outbox.queued()] == [a.id]
    assert [e.id for e in outbox.undelivered()] == [a.id, c.id]
    assert outbox.find(b.reference) == b2
    # A finished row is never moved back by a late outcome.
    outbox.mark_queued(b.id, retry_at=0, error="late")
    outbox.mark_delivered(c.id)
    assert outbox.get(b.id) == b2 and outbox.get(c.id) == c2
    assert outbox.get(9999) is None


def test_prune_touches_only_old_delivered_rows(outbox: Outbox) -> None:
    old_delivered = outbox.save(sample_message(), ENDPOINT, None)
    new_delivered = outbox.save(sample_message(), ENDPOINT, None)
    queued = outbox.save(sample_message(), ENDPOINT, None)
    rejected = outbox.save(sample_message(), ENDPOINT, None)
    now = old_delivered.saved_at
    outbox.mark_delivered(old_delivered.id, now=now - 40 * 86400)
    outbox.mark_delivered(new_delivered.id, now=now - 86400)
    outbox.mark_rejected(rejected.id, reason="no")
    assert outbox.prune_delivered(30 * 86400, now=now) == 1
    assert {e.id for e in outbox.all()} == {new_delivered.id, queued.id, rejected.id}
    # Years later, undelivered rows are still there.
    assert outbox.prune_delivered(0, now=now + 10 * 365 * 86400) == 1
    assert {e.id for e in outbox.all()} == {queued.id, rejected.id}


def test_every_file_in_the_data_directory_is_private(tmp_path: Path) -> None:
    old = os.umask(0o000)  # the most careless umask: files would be world-writable
    try:
        home = data_dir()
        home.chmod(0o777)
        box = Outbox.open()
        box.save(sample_message(), ENDPOINT, None)
        other = Outbox.open()  # a second connection keeps the -wal and -shm files in place
        save_files(sample_message(), home)
        modes = _modes(home)
        assert {"outbox.sqlite3", "outbox.sqlite3-wal", "outbox.sqlite3-shm"} <= set(modes)
        assert len(modes) == 5  # database, -wal, -shm, saved .md and .json
        assert all(mode == 0o600 for mode in modes.values()), modes
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        other.close()
        box.close()
    finally:
        os.umask(old)


def test_open_repairs_loosened_modes() -> None:
    box = Outbox.open()
    box.save(sample_message(), ENDPOINT, None)
    box.close()
    box.path.chmod(0o644)
    box.path.parent.chmod(0o755)
    again = Outbox.open()
    assert stat.S_IMODE(again.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(again.path.parent.stat().st_mode) == 0o700
    assert len(again.all()) == 1 and again.integrity_ok()
    again.close()


def test_a_file_that_is_not_a_database_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "box" / "outbox.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"this is not SQLite at all, just some text " * 100)
    with pytest.raises(OutboxError) as info:
        Outbox.open(path)
    assert "\n" not in str(info.value) and "outbox" in str(info.value)


_WRITER = """
import sys
from tests.unit.test_message import sample_message
from wizard.support.outbox import Outbox
box = Outbox.open()
for _ in range(int(sys.argv[1])):
    box.save(sample_message(), "http://127.0.0.1:9/x", None)
box.close()
"""


def test_two_processes_save_at_once() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, "40"], cwd=ROOT, env=env) for _ in range(2)
    ]
    assert [w.wait(timeout=60) for w in writers] == [0, 0]
    box = Outbox.open()
    entries = box.all()
    assert len(entries) == 80
    assert len({e.reference for e in entries}) == 80
    assert len({e.idempotency_key for e in entries}) == 80
    assert box.integrity_ok()
    box.close()
