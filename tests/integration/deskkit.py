"""What the tests of the real help desks share: the CLI in a subprocess, profiles, TLS, couriers."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
from pathlib import Path

import trustme

from tests.unit.test_message import sample_message
from wizard.support.courier import Courier
from wizard.support.destination import Destination
from wizard.support.outbox import Outbox, OutboxEntry
from wizard.support.send import DeliveryResult

ROOT = Path(__file__).resolve().parents[2]
TOKEN_ENV = "DESK_CREDENTIAL"
# Short enough for a stalled desk to outlast, long enough for a loaded 2-core machine.
ATTEMPT_S = 1.0


def wizard(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`wallet-wizard ARGS` in a subprocess (the test's own data directory)."""
    return subprocess.run(
        [sys.executable, "-m", "wizard", "--lang", "en", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=90,
    )


def write_profile(folder: Path, support: dict[str, str], *, ca_bundle: str = "") -> str:
    """A profile whose checks all skip (nothing leaves 127.0.0.1) and whose `[support]` is given."""
    lines = ['[wallet]\nname = "Loopback Wallet"\nlanguage = "en"\n']
    if ca_bundle:
        lines.append(f'[network]\nca_bundle = "{ca_bundle}"\n')
    lines.append("[support]")
    lines += [f'{key} = "{value}"' for key, value in support.items()]
    path = folder / "profile.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def send_message(
    profile: str, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`message --send` with a phone, an email and a note, as a person runs it."""
    return wizard(
        "message",
        "--profile",
        profile,
        "--phone",
        "13800138000",
        "--email",
        "alice@qq.com",
        "--what",
        "phone",
        "--note",
        "it says <b>error</b> & stops",
        "--send",
        *extra,
        env=env,
    )


def tls_server_context(ca: trustme.CA) -> ssl.SSLContext:
    """A server context whose certificate (for 127.0.0.1) only `ca` vouches for."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


def ca_file(ca: trustme.CA, folder: Path) -> str:
    """The CA's certificate as a PEM file (a profile's `network.ca_bundle`)."""
    path = folder / "ca.pem"
    path.write_bytes(ca.cert_pem.bytes())
    return str(path)


def save(outbox: Outbox, destination: Destination) -> OutboxEntry:
    """The sample message, saved for `destination`."""
    return outbox.save_to(sample_message(), destination)


def courier(outbox: Outbox, heard: list[DeliveryResult]) -> Courier:
    """A courier that waits only for what the desk says (no backoff between tries)."""
    return Courier(
        outbox,
        on_result=heard.append,
        timeout_s=ATTEMPT_S * 4,
        min_retry_s=0.01,
        backoff=lambda attempts: 0.0,
    )
