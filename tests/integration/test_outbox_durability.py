"""The outbox's durability settings, read back from the very connection it writes with.

`synchronous` is a per-connection setting: a test that opens its own connection to the file
sees SQLite's default (FULL in WAL mode on some builds, NORMAL on others), never what the
outbox chose. So the test catches the connection `Outbox.open` creates, through Python's
audit event `sqlite3.connect/handle`, and asks that connection.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from tests.unit.test_message import sample_message
from wizard.support.outbox import Outbox

ENDPOINT = "http://127.0.0.1:9/api/tickets"
# SQLite's numbering of PRAGMA synchronous: OFF 0, NORMAL 1, FULL 2, EXTRA 3.
SYNCHRONOUS_FULL = 2

_watching = threading.local()


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """Collect every connection SQLite hands out while a test is watching (this thread only)."""
    caught: list[sqlite3.Connection] | None = getattr(_watching, "caught", None)
    if caught is not None and event == "sqlite3.connect/handle":
        caught.append(args[0])


# Audit hooks cannot be removed; this one does nothing unless `connections_made()` is active.
sys.addaudithook(_audit)


@contextmanager
def connections_made() -> Iterator[list[sqlite3.Connection]]:
    """The SQLite connections opened by this thread inside the block."""
    caught: list[sqlite3.Connection] = []
    _watching.caught = caught
    try:
        yield caught
    finally:
        _watching.caught = None


def _open_connections(connections: list[sqlite3.Connection]) -> list[sqlite3.Connection]:
    """The connections still open (a closed one refuses every statement)."""
    alive = []
    for conn in connections:
        try:
            conn.execute("SELECT 1")
        except sqlite3.ProgrammingError:
            continue
        alive.append(conn)
    return alive


def _pragma(conn: sqlite3.Connection, name: str) -> Any:
    row = conn.execute(f"PRAGMA {name}").fetchone()
    return row[0]


def test_the_outbox_writes_with_synchronous_full_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "box" / "outbox.sqlite3"
    with connections_made() as made:
        box = Outbox.open(path)
    try:
        used = _open_connections(made)
        assert used, "Outbox.open kept no SQLite connection open"
        box.save(sample_message(), ENDPOINT, None)
        for conn in used:
            assert _pragma(conn, "synchronous") == SYNCHRONOUS_FULL
            assert str(_pragma(conn, "journal_mode")).lower() == "wal"
    finally:
        box.close()


def test_reopening_an_existing_outbox_sets_synchronous_full_again(tmp_path: Path) -> None:
    """The setting lives in the connection, not the file: every open must set it."""
    path = tmp_path / "outbox.sqlite3"
    Outbox.open(path).close()
    with connections_made() as made:
        box = Outbox.open(path)
    try:
        used = _open_connections(made)
        assert used
        for conn in used:
            assert _pragma(conn, "synchronous") == SYNCHRONOUS_FULL
            assert str(_pragma(conn, "journal_mode")).lower() == "wal"
    finally:
        box.close()


def test_wal_mode_is_recorded_in_the_file(tmp_path: Path) -> None:
    """WAL is persistent: any later connection (another process) finds the file in WAL."""
    path = tmp_path / "outbox.sqlite3"
    with Outbox.open(path) as box:
        box.save(sample_message(), ENDPOINT, None)
    with closing(sqlite3.connect(path)) as other:
        assert str(_pragma(other, "journal_mode")).lower() == "wal"
