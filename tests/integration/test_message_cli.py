"""`wallet-wizard message` and `outbox`, as a person runs them, against a real help desk."""

from __future__ import annotations

import json
import os
import re
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.loopback.helpdesk import HelpDesk
from tests.loopback.http import LoopbackHTTPServer, Reply, Request

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"WU-[0-9A-Z]{4}-[0-9A-Z]{4}")
CONTRACT_KEYS = {
    "reference",
    "subject",
    "body",
    "language",
    "what",
    "contact",
    "report",
    "created_at",
}


def wizard(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def write_profile(folder: Path, endpoint: str, *, lang: str = "en") -> str:
    # No network, app or status URLs: those checks skip, and nothing leaves 127.0.0.1.
    path = folder / "profile.toml"
    path.write_text(
        f'[wallet]\nname = "Loopback Wallet"\nlanguage = "{lang}"\n\n'
        f'[support]\nendpoint = "{endpoint}"\nphone = "95188"\n',
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture
def desk() -> Iterator[HelpDesk]:
    running = HelpDesk()
    yield running
    running.close()


def _send(profile: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return wizard(
        "message",
        "--profile",
        profile,
        "--phone",
        "13800138000",
        "--what",
        "phone",
        "--note",
        "the app asked for code 482193 and failed",
        "--send",
        *extra,
    )


def test_desk_down_exit_3_then_outbox_send_delivers_once(tmp_path: Path, desk: HelpDesk) -> None:
    profile = write_profile(tmp_path, desk.url())
    queued = _send(profile)
    assert queued.returncode == 3, queued.stderr
    refs = set(REFERENCE.findall(queued.stdout))
    assert len(refs) == 1
    reference = refs.pop()
    assert f"Saved as {reference}" in queued.stdout
    assert "will be sent when the network is back" in queued.stdout
    assert "482193" not in queued.stdout and queued.stderr == ""

    listed = wizard("outbox", "list", "--json")
    assert listed.returncode == 0
    messages = json.loads(listed.stdout)["messages"]
    assert [(m["reference"], m["state"], m["attempts"]) for m in messages] == [
        (reference, "queued", 1)
    ]
    text = wizard("--lang", "en", "outbox", "list")
    assert text.returncode == 0 and reference in text.stdout and "queued" in text.stdout
    assert text.stdout.splitlines()[0] == "1 message not yet delivered:"

    desk.up()
    sent = wizard("--lang", "en", "outbox", "send")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert reference in sent.stdout and "T-000001" in sent.stdout
    assert len(desk.ticket_for(reference)) == 1

    again = wizard("--lang", "en", "outbox", "send")
    assert again.returncode == 0 and "Nothing to send" in again.stdout
    assert len(desk.snapshot()[0]) == 1
    assert json.loads(wizard("outbox", "list", "--json").stdout)["messages"] == []


def test_delivered_at_once_prints_the_ticket(tmp_path: Path, desk: HelpDesk) -> None:
    desk.up()
    result = _send(write_profile(tmp_path, desk.url()))
    assert result.returncode == 0, result.stderr
    reference = REFERENCE.search(result.stdout)
    assert reference and f"Delivered {reference.group()} — ticket T-000001" in result.stdout
    ticket = desk.ticket_for(reference.group())[0]
    assert ticket.payload["contact"]["phone"] == "+8613800138000"
    assert "482193" not in json.dumps(ticket.payload)


def test_send_as_json_adds_the_delivery(tmp_path: Path, desk: HelpDesk) -> None:
    desk.up()
    result = _send(write_profile(tmp_path, desk.url()), "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) >= CONTRACT_KEYS
    assert doc["delivery"]["state"] == "delivered" and doc["delivery"]["ticket_id"] == "T-000001"


def test_rejected_exit_1_is_kept_and_not_resent(tmp_path: Path, desk: HelpDesk) -> None:
    desk.up()
    desk.mode, desk.reason = "bad_request", "phone is on a block list"
    result = _send(write_profile(tmp_path, desk.url()))
    assert result.returncode == 1
    reference = REFERENCE.search(result.stdout)
    assert reference and "phone is on a block list" in result.stdout
    listed = json.loads(wizard("outbox", "list", "--json").stdout)["messages"]
    assert [(m["reference"], m["state"]) for m in listed] == [(reference.group(), "rejected")]
    desk.mode = "created"
    assert wizard("outbox", "send").returncode == 0
    assert desk.snapshot()[0] == {}


def test_no_endpoint_then_a_profile_that_has_one(tmp_path: Path, desk: HelpDesk) -> None:
    bare = tmp_path / "bare"
    bare.mkdir()
    result = _send(write_profile(bare, ""))
    assert result.returncode == 3
    assert "support.endpoint" in result.stdout and REFERENCE.search(result.stdout)
    assert wizard("outbox", "send").returncode == 3  # still nowhere to send it
    desk.up()
    sent = wizard("--profile", write_profile(tmp_path, desk.url()), "outbox", "send")
    assert sent.returncode == 0, sent.stdout
    assert len(desk.snapshot()[0]) == 1


def test_bearer_token_from_the_named_variable(tmp_path: Path) -> None:
    with HelpDesk(token="t0ken") as desk:
        profile = write_profile(tmp_path, desk.url())
        refused = _send(profile)
        assert refused.returncode == 1 and "bearer token" in refused.stdout
        ok = wizard(
            "message",
            "--profile",
            profile,
            "--send",
            env={"WALLET_SUPPORT_TOKEN": "t0ken"},
        )
        assert ok.returncode == 0, ok.stdout


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_message_without_send_prints_and_exits_0(tmp_path: Path, lang: str) -> None:
    profile = write_profile(tmp_path, "http://127.0.0.1:9/never", lang=lang)
    text = wizard("message", "--profile", profile, "--phone", "13800138000")
    assert text.returncode == 0 and len(REFERENCE.findall(text.stdout)) >= 2
    assert ("无法" if lang == "zh-CN" else "Cannot update phone number") in text.stdout
    as_json = wizard("message", "--profile", profile, "--format", "JSON", "--what", "email")
    assert as_json.returncode == 0
    doc = json.loads(as_json.stdout)
    assert set(doc) >= CONTRACT_KEYS and doc["what"] == "email" and doc["language"] == lang
    assert not (Path(os.environ["WALLET_WIZARD_HOME"]) / "outbox.sqlite3").exists()


@pytest.mark.parametrize(
    "args",
    [["message", "--what", "everything"], ["message", "--format", "yaml"]],
)
def test_bad_flags_are_one_line_and_exit_2(args: list[str]) -> None:
    result = wizard(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def _tls_desk(ca: trustme.CA, answers: list[int]) -> LoopbackHTTPServer:
    """An HTTPS help desk whose certificate only `ca` vouches for; answers in turn."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)

    def answer(request: Request) -> Reply:
        status = answers.pop(0) if answers else 201
        body = json.dumps({"ticket_id": "T-TLS-1"} if status == 201 else {"error": "busy"})
        return Reply(status, body, {"Content-Type": "application/json", "Retry-After": "1"})

    return LoopbackHTTPServer(answer, context)


def test_the_profiles_ca_bundle_is_trusted_by_the_desk_now_and_when_retried(
    tmp_path: Path,
) -> None:
    ca = trustme.CA()
    (tmp_path / "ca.pem").write_bytes(ca.cert_pem.bytes())
    with _tls_desk(ca, [503]) as desk:
        profile = write_profile(tmp_path, desk.url("/api/tickets"))
        with open(profile, "a", encoding="utf-8") as handle:
            handle.write('\n[network]\nca_bundle = "ca.pem"\n')
        queued = _send(profile)
        assert queued.returncode == 3, queued.stdout + queued.stderr
        assert "503" in queued.stdout and len(desk.requests) == 1  # the TLS handshake passed
        # Later, from anywhere, with no profile: the row keeps the trust it was saved with.
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        sent = subprocess.run(
            [sys.executable, "-m", "wizard", "--lang", "en", "outbox", "send"],
            cwd=elsewhere,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert "T-TLS-1" in sent.stdout and len(desk.requests) == 2


def _desk_profile(folder: Path, desk: str, endpoint: str = "https://127.0.0.1:9/") -> str:
    path = folder / f"{desk}.toml"
    extra = 'email = "help@wallet.example"\nsender = "station@wallet.example"\n'
    path.write_text(
        f'[wallet]\nlanguage = "en"\n\n[support]\ndesk = "{desk}"\n'
        f'endpoint = "{endpoint}"\n{extra if desk == "email" else ""}',
        encoding="utf-8",
    )
    return str(path)


@pytest.mark.parametrize(
    ("kind", "endpoint"),
    [
        ("zendesk", "https://127.0.0.1:9"),
        ("freshdesk", "https://127.0.0.1:9"),
        ("email", "smtp://127.0.0.1:9"),
    ],
)
def test_every_desk_is_sent_to_and_one_that_is_down_keeps_the_message(
    tmp_path: Path, kind: str, endpoint: str
) -> None:
    # Every kind a profile may name is delivered to: saved, tried, kept queued (exit 3)
    # while nothing answers on the desk's port.
    profile = _desk_profile(tmp_path, kind, endpoint)
    result = wizard(
        "message", "--profile", profile, "--phone", "13800138000", "--email", "a@qq.com", "--send"
    )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Saved as WU-" in result.stdout and result.stderr == ""
    listed = json.loads(wizard("outbox", "list", "--json").stdout)["messages"]
    assert [(row["state"], row["endpoint"]) for row in listed] == [("queued", endpoint)]


def test_an_endpoint_for_another_kind_of_desk_is_one_configuration_line(tmp_path: Path) -> None:
    refused = wizard("message", "--profile", _desk_profile(tmp_path, "email"), "--send")
    assert refused.returncode == 2 and refused.stdout == ""
    (line,) = refused.stderr.strip().splitlines()
    assert "support.endpoint" in line and "smtp://" in line
    assert not (Path(os.environ["WALLET_WIZARD_HOME"]) / "outbox.sqlite3").exists()


def test_an_unknown_desk_names_the_key_and_the_choices(tmp_path: Path) -> None:
    refused = wizard("check", "--profile", _desk_profile(tmp_path, "jira"))
    assert refused.returncode == 2
    (line,) = refused.stderr.strip().splitlines()
    assert "support.desk" in line and "webhook, zendesk, freshdesk, email" in line
