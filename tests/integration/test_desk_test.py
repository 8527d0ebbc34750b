"""`wallet-wizard desk test`: one line on what is wrong, exit 0/1, and nothing created."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.integration.deskkit import TOKEN_ENV, ca_file, tls_server_context, wizard, write_profile
from tests.loopback.freshdesk import API_KEY, FreshdeskServer
from tests.loopback.smtp import PASSWORD, USER, SMTPServer
from tests.loopback.zendesk import AGENT, AGENT_TOKEN, END_USER, END_USER_TOKEN, ZendeskServer

AGENT_CREDENTIAL = f"{AGENT}/token:{AGENT_TOKEN}"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def _one_line(result: object) -> str:
    stdout = getattr(result, "stdout", "")
    lines = stdout.strip().splitlines()
    assert len(lines) == 1, stdout
    return str(lines[0])


@pytest.fixture
def zendesk(ca: trustme.CA) -> Iterator[ZendeskServer]:
    with ZendeskServer(ssl_context=tls_server_context(ca)) as server:
        yield server


def _zendesk_profile(folder: Path, server: ZendeskServer, bundle: str, api: str = "tickets") -> str:
    support = {
        "desk": "zendesk",
        "endpoint": server.base,
        "zendesk_api": api,
        "token_env": TOKEN_ENV,
    }
    return write_profile(folder, support, ca_bundle=bundle)


def test_zendesk_ready(tmp_path: Path, zendesk: ZendeskServer, ca: trustme.CA) -> None:
    profile = _zendesk_profile(tmp_path, zendesk, ca_file(ca, tmp_path))
    result = wizard("desk", "test", "--profile", profile, env={TOKEN_ENV: AGENT_CREDENTIAL})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ready" in _one_line(result) and "Nothing was created" in result.stdout
    assert "certificate trusted" in result.stdout
    assert [(s.method, s.path) for s in zendesk.seen] == [("GET", "/api/v2/users/me.json")]
    assert zendesk.tickets == [] and zendesk.uploads == {}


def test_zendesk_wrong_credential(tmp_path: Path, zendesk: ZendeskServer, ca: trustme.CA) -> None:
    profile = _zendesk_profile(tmp_path, zendesk, ca_file(ca, tmp_path))
    wrong = f"{AGENT}/token:not-the-token-1"
    result = wizard("desk", "test", "--profile", profile, env={TOKEN_ENV: wrong})
    assert result.returncode == 1
    line = _one_line(result)
    assert "credential was refused" in line and "HTTP 401" in line and "not-the-token-1" not in line


def test_zendesk_an_end_user_cannot_use_the_tickets_api(
    tmp_path: Path, zendesk: ZendeskServer, ca: trustme.CA
) -> None:
    profile = _zendesk_profile(tmp_path, zendesk, ca_file(ca, tmp_path))
    result = wizard(
        "desk", "test", "--profile", profile, env={TOKEN_ENV: f"{END_USER}/token:{END_USER_TOKEN}"}
    )
    assert result.returncode == 1 and "may not create tickets" in _one_line(result)


def test_zendesk_untrusted_certificate(tmp_path: Path, zendesk: ZendeskServer) -> None:
    profile = _zendesk_profile(tmp_path, zendesk, "")
    result = wizard("desk", "test", "--profile", profile, env={TOKEN_ENV: AGENT_CREDENTIAL})
    assert result.returncode == 1
    line = _one_line(result)
    assert "certificate is not trusted" in line and "network.ca_bundle" in line
    assert zendesk.seen == []


def test_zendesk_untrusted_certificate_in_chinese(tmp_path: Path, zendesk: ZendeskServer) -> None:
    profile = _zendesk_profile(tmp_path, zendesk, "")
    result = wizard(
        "--lang", "zh-CN", "desk", "test", "--profile", profile, env={TOKEN_ENV: AGENT_CREDENTIAL}
    )
    assert result.returncode == 1 and "证书不受信任" in _one_line(result)


def test_freshdesk_ready_and_wrong_key(tmp_path: Path, ca: trustme.CA) -> None:
    with FreshdeskServer(ssl_context=tls_server_context(ca)) as server:
        profile = write_profile(
            tmp_path,
            {"desk": "freshdesk", "endpoint": server.base, "token_env": TOKEN_ENV},
            ca_bundle=ca_file(ca, tmp_path),
        )
        ready = wizard("desk", "test", "--profile", profile, env={TOKEN_ENV: API_KEY})
        wrong = wizard("desk", "test", "--profile", profile, env={TOKEN_ENV: "not-the-key-9"})
        missing = wizard("desk", "test", "--profile", profile)
        assert [s.path for s in server.seen] == ["/api/v2/tickets", "/api/v2/tickets"]
        assert server.seen[0].query["per_page"] == ["1"] and server.tickets == []
    assert ready.returncode == 0 and "ready" in _one_line(ready)
    assert "certificate trusted" in ready.stdout
    assert wrong.returncode == 1 and "credential was refused" in _one_line(wrong)
    assert missing.returncode == 1 and "no usable credential" in _one_line(missing)


def _smtp_profile(folder: Path, server: SMTPServer, bundle: str) -> str:
    support = {
        "desk": "email",
        "endpoint": server.url,
        "email": "help@wallet.example",
        "sender": "station@wallet.example",
        "token_env": TOKEN_ENV,
    }
    return write_profile(folder, support, ca_bundle=bundle)


def test_smtp_logs_in_and_sends_no_mail(tmp_path: Path, ca: trustme.CA) -> None:
    with SMTPServer(tls_server_context(ca)) as server:
        profile = _smtp_profile(tmp_path, server, ca_file(ca, tmp_path))
        ready = wizard("desk", "test", "--profile", profile, env={TOKEN_ENV: f"{USER}:{PASSWORD}"})
        wrong = wizard("desk", "test", "--profile", profile, env={TOKEN_ENV: f"{USER}:nope-Pass-2"})
        commands = list(server.commands)
    assert ready.returncode == 0 and "ready" in _one_line(ready)
    assert "certificate trusted" in ready.stdout and "SMTP 235" in ready.stdout
    assert wrong.returncode == 1 and "credential was refused" in _one_line(wrong)
    assert "nope-Pass-2" not in wrong.stdout
    assert commands.count("AUTH ok") == 1 and "AUTH refused" in commands and "MAIL" not in commands


def test_smtp_untrusted_certificate(tmp_path: Path, ca: trustme.CA) -> None:
    with SMTPServer(tls_server_context(ca)) as server:
        result = wizard(
            "desk",
            "test",
            "--profile",
            _smtp_profile(tmp_path, server, ""),
            env={TOKEN_ENV: f"{USER}:{PASSWORD}"},
        )
        commands = list(server.commands)
    assert result.returncode == 1 and "certificate is not trusted" in _one_line(result)
    assert not any(c.startswith(("AUTH", "MAIL")) for c in commands)


def test_plain_http_on_this_machine_claims_no_certificate(tmp_path: Path) -> None:
    with FreshdeskServer() as server:
        support = {"desk": "freshdesk", "endpoint": server.base, "token_env": TOKEN_ENV}
        result = wizard(
            "desk", "test", "--profile", write_profile(tmp_path, support), env={TOKEN_ENV: API_KEY}
        )
    line = _one_line(result)
    assert result.returncode == 0 and "ready" in line and "unencrypted" in line
    assert "certificate trusted" not in line


def test_an_unreachable_address(tmp_path: Path) -> None:
    profile = write_profile(
        tmp_path, {"desk": "zendesk", "endpoint": "http://127.0.0.1:9", "token_env": ""}
    )
    result = wizard("desk", "test", "--profile", profile)
    assert result.returncode == 1 and "cannot be reached" in _one_line(result)


def test_desk_alone_is_a_usage_line() -> None:
    result = wizard("desk")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
