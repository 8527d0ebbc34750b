"""The outbox: every support message is committed here before anything says "saved".

SQLite in WAL mode with `synchronous=FULL`, so a committed row survives a crash or a power
cut; the folder is 0700 and the database with its `-wal`/`-shm` files 0600, because the
messages hold a person's phone number and email. Two processes may use it at once (the wizard
and `outbox send`): writers wait on a busy timeout instead of failing, and the help desk's
idempotency key makes a double send harmless.

What a help station keeps (CONTRACT §4): once a message is delivered only its receipt stays
(reference, times, endpoint, ticket id); the body, note and contact details are erased, and
their bytes leave the database files too — `secure_delete` zeroes freed space and a
`wal_checkpoint(TRUNCATE)` empties the write-ahead log that still held the old pages. A queued
or rejected message is erased `support.keep_days` after it was saved; receipts go after 30 days.

Each row remembers its destination (`wizard.support.destination`): the desk, endpoint and
credential variable in their own columns, the rest as JSON. Schema 2 added those columns and
`outcome_unknown`; schema 3 added `desk_state`, the JSON object a desk keeps for a row between
attempts (Zendesk's upload token, which the ticket's bytes name and so must never change once
a ticket request carried it). An older outbox is migrated when it is opened (schema-1 rows read
as webhooks, all there was; every older row starts with an empty desk state), and an outbox
written by a newer version is refused, not guessed at.
"""

from __future__ import annotations

import enum
import json
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wizard.locations import data_dir
from wizard.support.destination import WEBHOOK, Destination
from wizard.support.message import Message
from wizard.text import one_line

FILE_NAME = "outbox.sqlite3"
DIR_MODE = 0o700
FILE_MODE = 0o600
BUSY_TIMEOUT_MS = 10_000
PRUNE_AFTER_S = 30 * 24 * 3600.0
DEFAULT_KEEP_DAYS = 7.0
DAY_S = 24 * 3600.0
# What a delivered row's payload becomes: nothing of the message is kept.
RECEIPT_PAYLOAD = "{}"
# A checkpoint waits this long at most for a reader in another process to let go.
CHECKPOINT_WAIT_MS = 500
ERROR_MAX = 300
SCHEMA_VERSION = 3
_SIDE_FILES = ("-wal", "-shm", "-journal")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    endpoint TEXT NOT NULL DEFAULT '',
    token_env TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'delivered', 'rejected')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    next_attempt_at REAL NOT NULL,
    created_at TEXT NOT NULL,
    saved_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    delivered_at REAL,
    ticket_id TEXT NOT NULL DEFAULT '',
    desk TEXT NOT NULL DEFAULT 'webhook',
    destination TEXT NOT NULL DEFAULT '{}',
    outcome_unknown INTEGER NOT NULL DEFAULT 0,
    desk_state TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at);
"""
# Columns added since schema 1, in order: an older outbox gets those it lacks (with these
# defaults, so schema-1 rows read as webhooks whose outcome is known, and every older row has
# an empty desk state) when it is opened.
_ADDED_COLUMNS = (
    ("desk", "desk TEXT NOT NULL DEFAULT 'webhook'"),
    ("destination", "destination TEXT NOT NULL DEFAULT '{}'"),
    ("outcome_unknown", "outcome_unknown INTEGER NOT NULL DEFAULT 0"),
    ("desk_state", "desk_state TEXT NOT NULL DEFAULT '{}'"),
)
EMPTY_STATE = "{}"


def _retry_while_locked(action: Callable[[], None]) -> None:
    """Run `action`, retrying while another process holds the database.

    SQLite answers "database is locked" without calling the busy handler while a second
    process is switching a new database to WAL mode or recovering it, so the first open of
    two processes at once needs its own patience.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            action()
            return
        except (sqlite3.OperationalError, OutboxError) as exc:
            busy = exc.busy if isinstance(exc, OutboxError) else _is_busy(exc)
            if not busy or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


class OutboxError(Exception):
    """The outbox cannot be opened or written; the message is one line."""

    def __init__(self, message: str, *, busy: bool = False) -> None:
        super().__init__(message)
        self.busy = busy


class State(enum.StrEnum):
    """Where a message stands: waiting, at the help desk, or refused by it (kept to copy)."""

    QUEUED = "queued"
    DELIVERED = "delivered"
    REJECTED = "rejected"


def iso_utc(epoch: float | None) -> str | None:
    """An epoch time as UTC ISO 8601 with a Z, or None."""
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class OutboxEntry:
    """One row of the outbox; `payload_json` is the exact body sent on every attempt."""

    id: int
    reference: str
    idempotency_key: str
    endpoint: str
    token_env: str
    payload_json: str
    state: State
    attempts: int
    last_error: str
    next_attempt_at: float
    created_at: str
    saved_at: float
    delivered_at: float | None
    ticket_id: str
    desk: str = WEBHOOK
    # The destination's settings beyond desk, endpoint and token_env (Destination.extras_json).
    destination_json: str = "{}"
    # An earlier attempt may have reached the desk without its answer reaching us (a timeout
    # after the request was sent): a desk without idempotency looks the reference up first.
    outcome_unknown: bool = False
    # What the row's desk keeps between attempts (an upload token), as a JSON object.
    desk_state_json: str = EMPTY_STATE

    @property
    def desk_state(self) -> dict[str, Any]:
        """The desk's state for this row ({} when it keeps none)."""
        try:
            data = json.loads(self.desk_state_json or EMPTY_STATE)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    @property
    def destination(self) -> Destination:
        """Where this row goes, as it was saved (or last given an address)."""
        return Destination.from_columns(
            self.desk, self.endpoint, self.token_env, self.destination_json
        )

    @property
    def payload(self) -> dict[str, Any]:
        """The stored CONTRACT §4 payload."""
        data = json.loads(self.payload_json)
        return data if isinstance(data, dict) else {}

    def receipt_json(self) -> dict[str, Any]:
        """A delivered row as `outbox list --all --json` shows it: the receipt, no content."""
        return {
            "id": self.id,
            "reference": self.reference,
            "state": self.state.value,
            "created_at": self.created_at,
            "saved_at": iso_utc(self.saved_at),
            "delivered_at": iso_utc(self.delivered_at),
            "ticket_id": self.ticket_id,
            "endpoint": self.endpoint,
        }

    def to_json(self) -> dict[str, Any]:
        """The row as `outbox list --json` shows it (no body: that stays in the outbox)."""
        payload = self.payload
        return {
            "id": self.id,
            "reference": self.reference,
            "state": self.state.value,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "next_attempt_at": iso_utc(self.next_attempt_at),
            "created_at": self.created_at,
            "delivered_at": iso_utc(self.delivered_at),
            "ticket_id": self.ticket_id,
            "endpoint": self.endpoint,
            "token_env": self.token_env,
            "subject": str(payload.get("subject", "")),
            "what": str(payload.get("what", "")),
        }


def state_json(state: Mapping[str, Any]) -> str:
    """A desk state as the outbox stores it (compact, keys sorted)."""
    return json.dumps(dict(state), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _entry(row: sqlite3.Row) -> OutboxEntry:
    return OutboxEntry(
        id=int(row["id"]),
        reference=str(row["reference"]),
        idempotency_key=str(row["idempotency_key"]),
        endpoint=str(row["endpoint"]),
        token_env=str(row["token_env"]),
        payload_json=str(row["payload"]),
        state=State(row["state"]),
        attempts=int(row["attempts"]),
        last_error=str(row["last_error"]),
        next_attempt_at=float(row["next_attempt_at"]),
        created_at=str(row["created_at"]),
        saved_at=float(row["saved_at"]),
        delivered_at=None if row["delivered_at"] is None else float(row["delivered_at"]),
        ticket_id=str(row["ticket_id"]),
        desk=str(row["desk"]),
        destination_json=str(row["destination"]),
        outcome_unknown=bool(row["outcome_unknown"]),
        desk_state_json=str(row["desk_state"]),
    )


_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _is_busy(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in _BUSY_CODES


def _fail(action: str, exc: BaseException) -> OutboxError:
    message = one_line(f"outbox: cannot {action}: {exc}", max_len=400)
    return OutboxError(message, busy=_is_busy(exc))


def secure_files(db_path: Path) -> None:
    """Make the folder 0700 and the database and its side files 0600, then verify it."""
    try:
        db_path.parent.chmod(DIR_MODE)
        for suffix in ("", *_SIDE_FILES):
            path = Path(f"{db_path}{suffix}")
            if path.exists():
                path.chmod(FILE_MODE)
                if stat.S_IMODE(path.stat().st_mode) != FILE_MODE:
                    raise OutboxError(f"outbox: {path.name} is not private (mode 0600)")
        if stat.S_IMODE(db_path.parent.stat().st_mode) != DIR_MODE:
            raise OutboxError("outbox: its folder is not private (mode 0700)")
    except OSError as exc:
        raise _fail("protect its files", exc) from None


class Outbox:
    """The durable queue of support messages (one SQLite connection, safe across threads)."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path, *, keep_days: float = DEFAULT_KEEP_DAYS
    ) -> None:
        self._conn = conn
        self.path = path
        self.keep_days = keep_days
        self._lock = threading.RLock()

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        prune_after_s: float = PRUNE_AFTER_S,
        keep_days: float = DEFAULT_KEEP_DAYS,
    ) -> Outbox:
        """Open (creating if needed) the outbox; default `data_dir()/outbox.sqlite3`.

        `keep_days` is `support.keep_days`: queued and rejected messages older than that are
        erased now and whenever a message is saved.
        """
        path = Path(path) if path is not None else data_dir() / FILE_NAME
        # The umask covers the moment SQLite creates the files; chmod afterwards covers files
        # that already existed with looser modes.
        old_umask = os.umask(0o077)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
            conn = sqlite3.connect(
                str(path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            try:
                conn.row_factory = sqlite3.Row
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                # Per connection: deleted or overwritten content is zeroed, not left in free
                # space where a copy of the file would still show it.
                conn.execute("PRAGMA secure_delete=ON")
                outbox = cls(conn, path, keep_days=keep_days)
                _retry_while_locked(lambda: outbox._prepare(conn))
            except BaseException:
                conn.close()
                raise
        except sqlite3.Error as exc:
            raise _fail(f"open {path.name}", exc) from None
        except OSError as exc:
            raise _fail(f"create {path.parent}", exc) from None
        finally:
            os.umask(old_umask)
        try:
            secure_files(path)
            erased = outbox.erase_delivered_content()
            if prune_after_s > 0:
                erased += outbox.prune_delivered(prune_after_s)
            erased += outbox.erase_expired()
            if erased:
                outbox.checkpoint()
        except BaseException:
            outbox.close()
            raise
        return outbox

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Switch to WAL, create the schema or migrate an older one (idempotent)."""
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        with self._write():
            # Read inside the write transaction: two processes opening an old outbox at once
            # migrate it one after the other, the second finding nothing left to do.
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise OutboxError(
                    f"outbox: {self.path.name} was written by a newer wallet-wizard (schema "
                    f"{version}; this version reads up to {SCHEMA_VERSION})"
                )
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            present = {str(row["name"]) for row in conn.execute("PRAGMA table_info(outbox)")}
            for name, definition in _ADDED_COLUMNS:
                if name not in present:
                    conn.execute(f"ALTER TABLE outbox ADD COLUMN {definition}")
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so writers queue politely."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _fail("start a write", exc) from None
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                with suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise _fail("write", exc) from None
                raise

    def _select(self, where: str = "", params: tuple[Any, ...] = ()) -> list[OutboxEntry]:
        with self._lock:
            try:
                rows = self._conn.execute(f"SELECT * FROM outbox {where} ORDER BY id", params)
                return [_entry(r) for r in rows.fetchall()]
            except sqlite3.Error as exc:
                raise _fail("read", exc) from None

    def save(self, message: Message, endpoint: str, token_env: str | None) -> OutboxEntry:
        """Commit `message` for the CONTRACT §4 webhook at `endpoint` (see `save_to`)."""
        return self.save_to(message, Destination.webhook(endpoint, token_env))

    def save_to(self, message: Message, destination: Destination) -> OutboxEntry:
        """Commit `message` durably for `destination` (state queued, due now); return its row.

        Only after this returns may anything say "saved". Saving the same message twice (same
        idempotency key) returns the row already there. Messages older than `keep_days` are
        erased first, so a station that runs for weeks does not keep them either.
        """
        if self.erase_expired():
            self.checkpoint()
        now = time.time()
        with self._write() as conn:
            existing = conn.execute(
                "SELECT id FROM outbox WHERE idempotency_key = ?", (message.idempotency_key,)
            ).fetchone()
            if existing is None:
                cur = conn.execute(
                    "INSERT INTO outbox (reference, idempotency_key, desk, endpoint, token_env,"
                    " destination, payload, state, next_attempt_at, created_at, saved_at,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)",
                    (
                        message.reference,
                        message.idempotency_key,
                        destination.desk,
                        destination.endpoint,
                        destination.token_env,
                        destination.extras_json(),
                        message.payload_json(),
                        now,
                        message.created_at,
                        now,
                        now,
                    ),
                )
                entry_id = int(cur.lastrowid or 0)
            else:
                entry_id = int(existing["id"])
        entry = self.get(entry_id)
        if entry is None:  # pragma: no cover - the row was committed a moment ago
            raise OutboxError("outbox: the saved message vanished")
        return entry

    def get(self, entry_id: int) -> OutboxEntry | None:
        """One row by id."""
        rows = self._select("WHERE id = ?", (entry_id,))
        return rows[0] if rows else None

    def find(self, reference: str) -> OutboxEntry | None:
        """The newest row with this reference."""
        rows = self._select("WHERE reference = ?", (reference,))
        return rows[-1] if rows else None

    def pending(self, now: float | None = None) -> list[OutboxEntry]:
        """Queued rows whose next attempt is due."""
        moment = time.time() if now is None else now
        return self._select("WHERE state = 'queued' AND next_attempt_at <= ?", (moment,))

    def queued(self) -> list[OutboxEntry]:
        """Every queued row, due or not."""
        return self._select("WHERE state = 'queued'")

    def undelivered(self) -> list[OutboxEntry]:
        """Queued and rejected rows: what `outbox list` shows."""
        return self._select("WHERE state != 'delivered'")

    def delivered(self) -> list[OutboxEntry]:
        """The receipts of delivered messages: what `outbox list --all` adds."""
        return self._select("WHERE state = 'delivered'")

    def all(self) -> list[OutboxEntry]:
        """Every row."""
        return self._select()

    def _update(self, entry_id: int, sql: str, params: tuple[Any, ...]) -> None:
        with self._write() as conn:
            conn.execute(
                f"UPDATE outbox SET attempts = attempts + 1, updated_at = ?, {sql}"
                " WHERE id = ? AND state = 'queued'",
                (time.time(), *params, entry_id),
            )

    def mark_delivered(
        self, entry_id: int, *, ticket_id: str = "", now: float | None = None
    ) -> None:
        """The help desk has it (2xx or 409): keep the receipt, erase the message itself."""
        moment = time.time() if now is None else now
        ticket = one_line(ticket_id, max_len=100)
        self._update(
            entry_id,
            "state = 'delivered', delivered_at = ?, ticket_id = ?, last_error = '', payload = ?,"
            " desk_state = ?",
            (moment, ticket, RECEIPT_PAYLOAD, EMPTY_STATE),
        )
        self.checkpoint()

    def mark_queued(
        self, entry_id: int, *, retry_at: float, error: str, outcome_unknown: bool | None = None
    ) -> None:
        """Not delivered this time; try again at `retry_at`.

        `outcome_unknown` records whether the desk may have the message after all (None: as
        it was).
        """
        sql = "next_attempt_at = ?, last_error = ?"
        params: tuple[Any, ...] = (retry_at, one_line(error, max_len=ERROR_MAX))
        if outcome_unknown is not None:
            sql += ", outcome_unknown = ?"
            params += (int(outcome_unknown),)
        self._update(entry_id, sql, params)

    def mark_rejected(self, entry_id: int, *, reason: str) -> None:
        """The help desk refused it; kept (never resent) so the person can copy it."""
        self._update(
            entry_id, "state = 'rejected', last_error = ?", (one_line(reason, max_len=ERROR_MAX),)
        )

    def set_desk_state(
        self,
        entry_id: int,
        state: Mapping[str, Any] | None,
        *,
        outcome_unknown: bool | None = None,
    ) -> None:
        """Commit the desk's state for a queued row (durably, before the request it shapes),
        and with `outcome_unknown` the mark that a request may reach the desk now (None: the
        state or the mark as they are)."""
        sql = "updated_at = ?"
        params: list[object] = [time.time()]
        if state is not None:
            sql += ", desk_state = ?"
            params.append(state_json(state))
        if outcome_unknown is not None:
            sql += ", outcome_unknown = ?"
            params.append(int(outcome_unknown))
        with self._write() as conn:
            conn.execute(
                f"UPDATE outbox SET {sql} WHERE id = ? AND state = 'queued'", (*params, entry_id)
            )

    def set_destination(self, entry_id: int, destination: Destination) -> None:
        """Give a queued row saved without a help-desk address the destination now configured."""
        with self._write() as conn:
            conn.execute(
                "UPDATE outbox SET desk = ?, endpoint = ?, token_env = ?, destination = ?,"
                " updated_at = ? WHERE id = ? AND state = 'queued'",
                (
                    destination.desk,
                    destination.endpoint,
                    destination.token_env,
                    destination.extras_json(),
                    time.time(),
                    entry_id,
                ),
            )

    def erase_delivered_content(self) -> int:
        """Reduce delivered rows that still hold their message (an older outbox) to receipts."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE outbox SET payload = ?, last_error = '', desk_state = ?"
                " WHERE state = 'delivered' AND (payload != ? OR last_error != ''"
                " OR desk_state != ?)",
                (RECEIPT_PAYLOAD, EMPTY_STATE, RECEIPT_PAYLOAD, EMPTY_STATE),
            )
            return int(cur.rowcount)

    def erase_expired(self, now: float | None = None) -> int:
        """Erase queued and rejected messages saved more than `keep_days` ago."""
        moment = time.time() if now is None else now
        with self._write() as conn:
            cur = conn.execute(
                "DELETE FROM outbox WHERE state != 'delivered' AND saved_at < ?",
                (moment - self.keep_days * DAY_S,),
            )
            return int(cur.rowcount)

    def checkpoint(self) -> bool:
        """Move the write-ahead log into the database and truncate it to zero bytes.

        Old versions of changed pages (a message just erased) live on in the WAL until this
        runs. A reader in another process can hold the log for a moment: the wait is short,
        and whatever is left goes at the next checkpoint (every erase, open and close).
        Returns whether the log was emptied.
        """
        with self._lock:
            try:
                self._conn.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
                try:
                    row = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                finally:
                    self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            except sqlite3.Error:
                return False
        return bool(row) and row[0] == 0

    def prune_delivered(self, older_than_s: float = PRUNE_AFTER_S, now: float | None = None) -> int:
        """Delete receipts of messages delivered more than `older_than_s` ago."""
        moment = time.time() if now is None else now
        with self._write() as conn:
            cur = conn.execute(
                "DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < ?",
                (moment - older_than_s,),
            )
            return int(cur.rowcount)

    def integrity_ok(self) -> bool:
        """Whether SQLite's `PRAGMA integrity_check` says ok."""
        with self._lock:
            row = self._conn.execute("PRAGMA integrity_check").fetchone()
        return bool(row) and row[0] == "ok"

    def close(self) -> None:
        """Checkpoint and close the connection."""
        with self._lock:
            self.checkpoint()
            self._conn.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
