"""The outbox: committed before "saved", private files, states, pruning, two processes at once."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.loopback.helpdesk import HelpDesk
from tests.unit.test_message import sample_message
from wizard.locations import data_dir
from wizard.support.destination import Destination
from wizard.support.handoff import save_files
from wizard.support.outbox import SCHEMA_VERSION, Outbox, OutboxError, State
from wizard.support.send import deliver

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


# -- schema 1 → 2 -------------------------------------------------------------------------

SCHEMA_1_DUMP = Path(__file__).parent / "data" / "outbox_schema1.sql"
V1_COLUMNS = (
    "id, reference, idempotency_key, endpoint, token_env, payload, state, attempts,"
    " last_error, created_at, ticket_id"
)


def schema_1_outbox(path: Path, endpoint: str | None = None) -> list[tuple[object, ...]]:
    """The outbox the schema-1 code wrote (its dump), saved "now" so keep_days keeps it.

    `endpoint` points the queued row that had one at a live desk. Returns its rows as read
    by schema 1's columns.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(SCHEMA_1_DUMP.read_text(encoding="utf-8"))
        now = time.time()
        conn.execute(
            "UPDATE outbox SET saved_at = ?, updated_at = ?, next_attempt_at = ?", (now, now, now)
        )
        conn.execute("UPDATE outbox SET delivered_at = ? WHERE state = 'delivered'", (now,))
        if endpoint is not None:
            conn.execute(
                "UPDATE outbox SET endpoint = ? WHERE state = 'queued' AND endpoint != ''",
                (endpoint,),
            )
        conn.commit()
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)
        return conn.execute(f"SELECT {V1_COLUMNS} FROM outbox ORDER BY id").fetchall()


def test_a_schema_1_outbox_is_migrated_and_its_rows_read_as_webhooks() -> None:
    path = data_dir() / "outbox.sqlite3"
    before = schema_1_outbox(path)
    box = Outbox.open()
    entries = box.all()
    assert [e.state for e in entries] == [
        State.QUEUED,
        State.REJECTED,
        State.DELIVERED,
        State.QUEUED,
    ]
    for entry in entries:
        assert entry.desk == "webhook" and not entry.outcome_unknown
        assert entry.destination == Destination.webhook(entry.endpoint, entry.token_env)
    queued, rejected, delivered, nowhere = entries
    assert queued.attempts == 1 and queued.last_error == "HTTP 503"
    assert queued.destination.token_env == "WALLET_SUPPORT_TOKEN"
    assert rejected.last_error.startswith("HTTP 400: the phone field")
    assert delivered.ticket_id == "T-000007" and delivered.payload == {}
    assert nowhere.endpoint == "" and [e.id for e in box.queued()] == [queued.id, nowhere.id]
    box.close()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        # Nothing schema 1 stored was changed: same rows, same bytes.
        assert conn.execute(f"SELECT {V1_COLUMNS} FROM outbox ORDER BY id").fetchall() == before
        columns = [row[1] for row in conn.execute("PRAGMA table_info(outbox)")]
    assert columns[-4:] == ["desk", "destination", "outcome_unknown", "desk_state"]
    again = Outbox.open()  # a second open has nothing left to migrate
    assert again.all() == entries and again.integrity_ok()
    again.close()


async def test_a_migrated_row_is_delivered_with_the_bytes_schema_1_saved() -> None:
    with HelpDesk() as desk:
        before = schema_1_outbox(data_dir() / "outbox.sqlite3", endpoint=desk.url())
        with Outbox.open() as box:
            queued = box.queued()[0]
            result = await deliver(queued, box)
        tickets, attempts = desk.snapshot()
    old = next(row for row in before if row[0] == queued.id)
    assert result.state is State.DELIVERED and result.ticket_id == "T-000001"
    assert len(attempts) == 1 and list(tickets) == [old[2]]  # its own Idempotency-Key
    assert attempts[0].body == str(old[5]).encode("utf-8")


def test_an_outbox_from_a_newer_version_is_refused_in_one_line() -> None:
    box = Outbox.open()
    box.save(sample_message(), ENDPOINT, None)
    path = box.path
    box.close()
    newer = SCHEMA_VERSION + 1
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version={newer}")
    with pytest.raises(OutboxError) as info:
        Outbox.open()
    assert "newer" in str(info.value) and "\n" not in str(info.value)
    listed = subprocess.run(
        [sys.executable, "-m", "wizard", "outbox", "list"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 2 and listed.stdout == ""
    assert len(listed.stderr.strip().splitlines()) == 1 and "newer" in listed.stderr
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (newer,)  # left as it was


# -- schema 2 → 3 -------------------------------------------------------------------------

SCHEMA_2_DUMP = Path(__file__).parent / "data" / "outbox_schema2.sql"
V2_COLUMNS = f"{V1_COLUMNS}, desk, destination, outcome_unknown"


def test_a_schema_2_outbox_gains_an_empty_desk_state_and_keeps_everything_else() -> None:
    path = data_dir() / "outbox.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(SCHEMA_2_DUMP.read_text(encoding="utf-8"))
        now = time.time()
        conn.execute("UPDATE outbox SET saved_at = ?, updated_at = ?", (now, now))
        conn.execute("UPDATE outbox SET delivered_at = ? WHERE state = 'delivered'", (now,))
        conn.commit()
        assert conn.execute("PRAGMA user_version").fetchone() == (2,)
        before = conn.execute(f"SELECT {V2_COLUMNS} FROM outbox ORDER BY id").fetchall()
    with Outbox.open() as box:
        entries = box.all()
        queued, unknown, rejected, delivered = entries
        assert [e.desk_state for e in entries] == [{}, {}, {}, {}]
        assert unknown.desk == "zendesk" and unknown.outcome_unknown
        assert unknown.destination.option("zendesk_api") == "tickets"
        assert unknown.destination.ca_bundle == "/etc/wallet/ca.pem"
        assert queued.state is State.QUEUED and queued.last_error == "HTTP 503"
        assert rejected.state is State.REJECTED and delivered.ticket_id == "T-000007"
        # The new column is written and read back like any other.
        box.set_desk_state(unknown.id, {"upload": "tok-1", "uploaded_at": 5.0})
        stored = box.get(unknown.id)
        assert stored is not None and stored.desk_state == {"upload": "tok-1", "uploaded_at": 5.0}
        # A delivered row keeps no desk state either: only its receipt.
        box.mark_delivered(unknown.id, ticket_id="42")
        done = box.get(unknown.id)
        assert done is not None and done.desk_state == {} and done.payload == {}
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        after = conn.execute(f"SELECT {V2_COLUMNS} FROM outbox ORDER BY id").fetchall()
        columns = [row[1] for row in conn.execute("PRAGMA table_info(outbox)")]
    assert columns[-1] == "desk_state"
    # What schema 2 stored is unchanged, except the row delivered here.
    assert [row for row in after if row[0] != unknown.id] == [
        row for row in before if row[0] != unknown.id
    ]


def test_a_destination_is_stored_whole_and_given_to_rows_saved_without_one() -> None:
    destination = Destination(
        desk="webhook",
        endpoint=ENDPOINT,
        token_env="DESK_TOKEN",
        ca_bundle="/etc/wallet/ca.pem",
        options={"requester_email": "station@example.com"},
    )
    with Outbox.open() as box:
        saved = box.save_to(sample_message(), destination)
        bare = box.save(sample_message(), "", None)
        box.set_destination(bare.id, destination)
        assert saved.destination == destination
        stored = box.get(bare.id)
        assert stored is not None and stored.destination == destination
