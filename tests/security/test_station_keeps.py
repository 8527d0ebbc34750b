"""What a help station keeps (SECURITY.md, "a member of the public at a kiosk"; CONTRACT §4).

After delivery only a receipt stays: the raw bytes of every file in the data directory — the
database, its write-ahead log and shared-memory file — no longer hold the phone number, the
email or the note. Queued and rejected messages go `support.keep_days` after they were saved.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.loopback.dns import LoopbackDNSServer, Zone
from tests.loopback.helpdesk import HelpDesk
from tests.unit.test_message import sample_report
from wizard.checks.model import Inputs
from wizard.locations import data_dir
from wizard.profile import Profile, WalletSection
from wizard.support.message import Message, compose
from wizard.support.outbox import Outbox, State
from wizard.support.send import deliver

ROOT = Path(__file__).resolve().parents[2]
PHONE = "13912345678"
EMAIL = "trace.me.7q@qq.com"
NOTE = "nb7Q3Z unique note marker"
# How each of them may be written into the files: as typed, in E.164, in the JSON payload.
SECRETS = (PHONE, "+86" + PHONE, "139 1234 5678", EMAIL, NOTE, "nb7Q3Z")
DAY_S = 86400.0


def leaked(folder: Path) -> dict[str, list[str]]:
    """Each file under `folder` whose raw bytes hold one of SECRETS, with what it holds."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            hits = [s for s in SECRETS if s.encode("utf-8") in data]
            if hits:
                found[path.name] = hits
    return found


def wizard(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=90,
        env={**os.environ, "PYTHONPATH": str(ROOT), "WALLET_WIZARD_HOME": str(home)},
    )  # fmt: skip


@pytest.fixture
def desk() -> Iterator[HelpDesk]:
    with HelpDesk() as running:
        yield running


@pytest.fixture
def dns() -> Iterator[LoopbackDNSServer]:
    # The email check asks for MX records: answered on 127.0.0.1, nothing leaves the machine.
    with LoopbackDNSServer({"qq.com": Zone(mx=[(10, "mx.qq.com")])}) as server:
        yield server


def write_profile(folder: Path, endpoint: str, dns: LoopbackDNSServer, extra: str = "") -> Path:
    path = folder / "station.toml"
    path.write_text(
        f'[wallet]\nname = "Station Wallet"\nlanguage = "en"\n\n'
        f'[network]\ndns_servers = ["{dns.address}"]\n\n'
        f'[support]\nendpoint = "{endpoint}"\n{extra}',
        encoding="utf-8",
    )
    return path


def send(profile: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return wizard(
        "message", "--profile", str(profile), "--phone", PHONE, "--email", EMAIL,
        "--what", "phone", "--note", NOTE, "--send", home=home,
    )  # fmt: skip


def message() -> Message:
    return compose(
        sample_report(),
        profile=Profile(wallet=WalletSection(name="Station Wallet")),
        inputs=Inputs(phone=PHONE, region="CN", email=EMAIL),
        lang="en",
        what="phone",
        note=NOTE,
    )


def test_after_delivery_the_files_hold_only_a_receipt(
    tmp_path: Path, desk: HelpDesk, dns: LoopbackDNSServer
) -> None:
    home = tmp_path / "station"
    profile = write_profile(tmp_path, desk.url(), dns)
    sent = send(profile, home)
    assert sent.returncode == 0, sent.stderr
    (ticket,) = desk.tickets.values()
    assert ticket.payload["contact"]["phone"] == "+86" + PHONE  # the desk did get it all
    assert NOTE in ticket.payload["body"]

    assert {p.name for p in home.iterdir()} >= {"outbox.sqlite3"}
    assert leaked(home) == {}

    listed = wizard("outbox", "list", "--all", "--json", home=home)
    assert listed.returncode == 0, listed.stderr
    doc = json.loads(listed.stdout)
    assert doc["messages"] == []
    (receipt,) = doc["receipts"]
    assert receipt["reference"] == ticket.payload["reference"]
    assert receipt["ticket_id"] == ticket.ticket_id and receipt["state"] == "delivered"
    assert receipt["endpoint"] == desk.url() and receipt["delivered_at"]
    assert not any(s in listed.stdout for s in SECRETS)

    text = wizard("outbox", "list", "--all", "--lang", "en", home=home)
    assert text.returncode == 0, text.stderr
    assert ticket.payload["reference"] in text.stdout and ticket.ticket_id in text.stdout
    assert "Delivered messages (receipts only; their content was erased): 1" in text.stdout
    # Without --all the list is what it always was: nothing undelivered.
    plain = wizard("outbox", "list", "--lang", "en", home=home)
    assert ticket.payload["reference"] not in plain.stdout


def test_the_wal_of_an_outbox_kept_open_loses_the_message_too(desk: HelpDesk) -> None:
    """A station keeps its outbox open all day: the erase must not wait for the last close."""
    home = data_dir()
    outbox = Outbox.open()
    reader = Outbox.open()  # a second connection (another process) keeps the WAL in place
    try:
        entry = outbox.save(message(), desk.url(), None)
        assert leaked(home)  # queued: the message is in the files
        result = sync(deliver(entry, outbox))
        assert result.state is State.DELIVERED
        assert reader.get(entry.id) is not None  # the reader saw the receipt
        files = {p.name: p.stat().st_size for p in home.iterdir()}
        assert "outbox.sqlite3-wal" in files  # still open: the log exists, emptied
        assert leaked(home) == {}
        receipt = outbox.get(entry.id)
        assert receipt is not None and receipt.payload == {} and receipt.ticket_id
        assert receipt.reference == entry.reference and receipt.endpoint == desk.url()
    finally:
        reader.close()
        outbox.close()
    assert leaked(home) == {}


def test_secure_delete_is_on_for_every_connection() -> None:
    with Outbox.open() as outbox:
        assert outbox._conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def _age_every_row(db: Path, days: float) -> None:
    """Move every row's save time `days` into the past (as if the station had run that long)."""
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE outbox SET saved_at = saved_at - ?", (days * DAY_S,))


def test_queued_and_rejected_messages_are_erased_after_keep_days(
    tmp_path: Path, desk: HelpDesk, dns: LoopbackDNSServer
) -> None:
    home = tmp_path / "station"
    desk.down()  # the first message stays queued
    profile = write_profile(tmp_path, desk.url(), dns)
    assert send(profile, home).returncode == 3
    desk.up()
    desk.mode = "bad_request"  # the second is refused, kept to copy
    assert send(profile, home).returncode == 1
    states = {e.state for e in Outbox.open(home / "outbox.sqlite3").all()}
    assert states == {State.QUEUED, State.REJECTED}
    assert leaked(home)  # both still hold the message: they are the person's to copy or send

    _age_every_row(home / "outbox.sqlite3", 6)
    assert wizard("--profile", str(profile), "outbox", "list", home=home).returncode == 0
    assert leaked(home)  # 6 days: within the default keep_days of 7

    _age_every_row(home / "outbox.sqlite3", 2)
    listed = wizard("--profile", str(profile), "outbox", "list", "--lang", "en", home=home)
    assert listed.returncode == 0 and "no undelivered message" in listed.stdout
    assert leaked(home) == {}


def test_keep_days_from_the_profile(tmp_path: Path, desk: HelpDesk, dns: LoopbackDNSServer) -> None:
    home = tmp_path / "station"
    desk.down()
    profile = write_profile(tmp_path, desk.url(), dns, extra="keep_days = 1\n")
    assert send(profile, home).returncode == 3
    _age_every_row(home / "outbox.sqlite3", 1.5)
    assert wizard("--profile", str(profile), "outbox", "list", home=home).returncode == 0
    assert leaked(home) == {}


def test_an_old_outbox_with_delivered_content_is_reduced_to_receipts(desk: HelpDesk) -> None:
    """Rows delivered by an earlier version still held the whole message: erased on open."""
    home = data_dir()
    with Outbox.open() as outbox:
        entry = outbox.save(message(), desk.url(), None)
    with closing(sqlite3.connect(home / "outbox.sqlite3")) as conn, conn:
        conn.execute(
            "UPDATE outbox SET state = 'delivered', delivered_at = ?, ticket_id = 'T-9'"
            " WHERE id = ?",
            (time.time(), entry.id),
        )
    assert leaked(home)
    with Outbox.open() as outbox:
        (receipt,) = outbox.delivered()
        assert receipt.ticket_id == "T-9" and receipt.payload == {}
    assert leaked(home) == {}


T = TypeVar("T")


def sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end (the tests here are synchronous)."""
    import asyncio

    return asyncio.run(coro)
