"""The help-desk credential (SECURITY.md, "a shared profile file", "hostile server text").

It travels only over https or to this machine, only to the endpoint's own origin (redirects
are not followed), and never lands in a file, an output line or an error — even when the desk
echoes it back or the token itself is malformed.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.loopback.helpdesk import HelpDesk
from tests.loopback.http import LoopbackHTTPServer, Reply, Request
from tests.unit.test_message import sample_message
from wizard.support.outbox import Outbox, State
from wizard.support.send import deliver, describe_result

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "tok-9Xq2LmZ7vB4kW1sR"


def wizard(*args: str, home: Path, token: str = TOKEN) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WALLET_WIZARD_HOME": str(home), "WALLET_SUPPORT_TOKEN": token}
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=90, env=env,
    )  # fmt: skip


def files_holding(folder: Path, secret: str) -> list[str]:
    needle = secret.encode("utf-8")
    return [p.name for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def profile_for(folder: Path, endpoint: str) -> Path:
    # No check targets: every check skips, nothing leaves 127.0.0.1.
    path = folder / "desk.toml"
    path.write_text(f'[support]\nendpoint = "{endpoint}"\n', encoding="utf-8")
    return path


def send_and_inspect(
    tmp_path: Path, endpoint: str, token: str = TOKEN
) -> tuple[list[subprocess.CompletedProcess[str]], Path]:
    """`message --send`, then `outbox list --all --json` and `outbox send`: every output."""
    home = tmp_path / "home"
    profile = str(profile_for(tmp_path, endpoint))
    runs = [
        wizard("--profile", profile, "message", "--phone", "13800138000", "--send",
               home=home, token=token),
        wizard("outbox", "list", "--all", "--json", home=home, token=token),
        wizard("--profile", profile, "outbox", "send", home=home, token=token),
        wizard("outbox", "list", "--all", home=home, token=token),
    ]  # fmt: skip
    return runs, home


def assert_nowhere(secret: str, runs: list[subprocess.CompletedProcess[str]], home: Path) -> None:
    for run in runs:
        assert "Traceback" not in run.stderr, run.stderr
        assert secret not in run.stdout and secret not in run.stderr, (run.args, run.stdout)
    assert files_holding(home, secret) == []


@pytest.fixture
def echoing_desk() -> Iterator[LoopbackHTTPServer]:
    """A desk that refuses the token and quotes it back in its reason (hostile server text)."""

    def handler(request: Request) -> Reply:
        shown = request.headers.get("Authorization", "")
        return Reply(401, json.dumps({"error": f"invalid credential {shown!s}"}))

    with LoopbackHTTPServer(handler) as server:
        yield server


def test_the_token_reaches_the_desk_and_nowhere_else(tmp_path: Path) -> None:
    with HelpDesk(token=TOKEN) as desk:
        runs, home = send_and_inspect(tmp_path, desk.url())
        assert runs[0].returncode == 0, runs[0].stdout + runs[0].stderr
        (ticket,) = desk.tickets.values()
        assert ticket.headers["Authorization"] == f"Bearer {TOKEN}"
    assert_nowhere(TOKEN, runs, home)


def test_a_desk_that_echoes_the_token_does_not_get_it_stored_or_shown(
    tmp_path: Path, echoing_desk: LoopbackHTTPServer
) -> None:
    runs, home = send_and_inspect(tmp_path, echoing_desk.url("/api/tickets"))
    assert runs[0].returncode == 1  # refused, kept to copy
    assert echoing_desk.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert "invalid credential" in runs[0].stdout  # the reason is shown, without the token
    assert_nowhere(TOKEN, runs, home)


def test_a_malformed_token_is_not_quoted_by_an_error(tmp_path: Path) -> None:
    bad = "tok-Hq7Zp3\nInjected: header"
    with HelpDesk(token=TOKEN) as desk:
        runs, home = send_and_inspect(tmp_path, desk.url(), token=bad)
        assert desk.attempts == []  # nothing was sent with a token that cannot be a header
    assert runs[0].returncode == 3  # kept queued: fix the variable, then `outbox send`
    for part in ("tok-Hq7Zp3", "Injected"):
        assert_nowhere(part, runs, home)
    assert "support.token_env" in runs[0].stdout


def test_a_redirect_is_not_followed_with_the_credential(tmp_path: Path) -> None:
    with LoopbackHTTPServer(lambda r: Reply(201, '{"ticket_id": "T-stolen"}')) as elsewhere:
        target = elsewhere.url("/collect")

        def redirect(request: Request) -> Reply:
            return Reply(307, b"", {"Location": target})

        with LoopbackHTTPServer(redirect) as desk:
            runs, home = send_and_inspect(tmp_path, desk.url("/api/tickets"))
            assert desk.requests and desk.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"
        assert elsewhere.requests == []  # the other origin never saw the message or token
    assert runs[0].returncode == 1 and "redirected to" in runs[0].stdout
    assert_nowhere(TOKEN, runs, home)


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://desk.example.com/api/tickets",
        "http://192.168.1.20:8080/api/tickets",
        "https://agent:pw@desk.example.com/api/tickets",
    ],
)
def test_the_sender_refuses_an_insecure_endpoint_saved_earlier(
    endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: a row saved before the profile rule (or by hand) is never sent."""
    monkeypatch.setenv("WALLET_SUPPORT_TOKEN", TOKEN)
    seen: list[httpx.Request] = []

    def network(request: httpx.Request) -> httpx.Response:
        seen.append(request)  # would be a request off this machine: must never happen
        return httpx.Response(201, json={"ticket_id": "T-1"})

    async def attempt() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(network)) as client:
            with Outbox.open() as outbox:
                entry = outbox.save(sample_message(), endpoint, "WALLET_SUPPORT_TOKEN")
                result = await deliver(entry, outbox, client=client)
                assert result.state is State.REJECTED and result.error_kind == "insecure"
                stored = outbox.get(entry.id)
                assert stored is not None and stored.state is State.REJECTED
                assert "not sent" in stored.last_error
                assert "https://" in describe_result(result, "en")

    asyncio.run(attempt())
    assert seen == []


def test_a_loopback_desk_is_not_reached_through_a_proxy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy would see a plain-http request and its credential; its 127.0.0.1 is not ours."""
    with (
        LoopbackHTTPServer(lambda r: Reply(502, b"proxy")) as proxy,
        HelpDesk(token=TOKEN) as desk,
    ):
        monkeypatch.setenv("HTTP_PROXY", proxy.url("/").rstrip("/"))
        monkeypatch.setenv("WALLET_SUPPORT_TOKEN", TOKEN)

        async def attempt() -> State:
            with Outbox.open() as outbox:
                entry = outbox.save(sample_message(), desk.url(), "WALLET_SUPPORT_TOKEN")
                return (await deliver(entry, outbox)).state

        assert asyncio.run(attempt()) is State.DELIVERED
        assert proxy.requests == []
        assert len(desk.tickets) == 1
