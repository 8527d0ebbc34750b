"""`serve` against a web page in the operator's browser (SECURITY.md; CONTRACT §1).

A real `wallet-wizard serve` on a free loopback port, driven with an HTTP and websocket client
the way a page (or an attacker's page) would: a foreign Origin or Host gets 403 and no wizard
process; six sockets meet the session cap; no directory is listed; the page's URLs come from
the request; nothing is left in the temporary folder.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.security.serving import WS_URL_RE, Served, start


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the tests that leave it as they found it (each costs a start)."""
    server = start(tmp_path_factory.mktemp("served"))
    yield server
    server.stop()


async def handshake(served: Served, *, origin: str | None, host: str | None = None) -> int:
    """The status a websocket upgrade gets (101 when upgraded)."""
    headers = {"Host": host} if host else {}
    async with aiohttp.ClientSession() as session:
        try:
            ws = await session.ws_connect(
                f"ws://{served.authority}/ws?width=80&height=24", origin=origin, headers=headers
            )
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status
        await ws.close()
        return 101


async def get(
    served: Served, path: str, host: str | None = None
) -> tuple[int, str, dict[str, str]]:
    headers = {"Host": host} if host else {}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://{served.authority}{path}", headers=headers) as response,
    ):
        return response.status, await response.text(), dict(response.headers)


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", None, "null", "http://127.0.0.1:1", "https://127.0.0.1"],
)
def test_a_foreign_origin_gets_403_and_no_wizard(served: Served, origin: str | None) -> None:
    assert asyncio.run(handshake(served, origin=origin)) == 403
    assert served.wizards() == []


@pytest.mark.parametrize("path", ["/", "/ws", "/static/js/textual.js", "/download/x"])
def test_a_foreign_host_gets_403(served: Served, path: str) -> None:
    """DNS rebinding: the attacker's name resolves to 127.0.0.1, so Host is the tell."""
    for host in (f"attacker.example:{served.port}", "attacker.example", "127.0.0.1"):
        status, _, _ = asyncio.run(get(served, path, host=host))
        assert status == 403, (path, host)
    status = asyncio.run(
        handshake(served, origin="http://attacker.example", host=f"attacker.example:{served.port}")
    )
    assert status == 403
    assert served.wizards() == []


def test_the_own_host_and_localhost_are_served(served: Served) -> None:
    for host in (served.authority, f"localhost:{served.port}"):
        status, page, headers = asyncio.run(get(served, "/", host=host))
        assert status == 200, host
        url = WS_URL_RE.search(page)
        assert url is not None and url.group(1) == f"ws://{host}/ws"
        assert headers["Content-Security-Policy"] == "frame-ancestors 'none'"
        assert headers["X-Frame-Options"] == "DENY"


def test_no_directory_is_listed(served: Served) -> None:
    for path in ("/static/", "/static/js/", "/static/fonts/"):
        status, body, _ = asyncio.run(get(served, path))
        assert status in (403, 404), path
        assert "textual.js" not in body and "Index of" not in body
    status, body, _ = asyncio.run(get(served, "/static/js/textual.js"))
    assert status == 200 and "WebSocket" in body


async def _six_sockets(served: Served) -> tuple[list[int], int, str, int]:
    """Open six sessions at once; what each got, how many wizards ran, the page meanwhile."""
    origin = f"http://{served.authority}"
    url = f"ws://{served.authority}/ws?width=80&height=24"
    async with aiohttp.ClientSession() as session:
        statuses: list[int] = []
        sockets: list[aiohttp.ClientWebSocketResponse] = []
        for _ in range(6):
            try:
                sockets.append(await session.ws_connect(url, origin=origin))
                statuses.append(101)
            except aiohttp.WSServerHandshakeError as exc:
                statuses.append(exc.status)
        running = len(served.wizards())
        async with session.get(served.url) as page:
            full_status, full_page = page.status, await page.text()
        for ws in sockets:
            await ws.close()
        # A closed session frees its place: the page is served again.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        status = 503
        while status != 200 and loop.time() < deadline:
            async with session.get(served.url) as page:
                status = page.status
            if status != 200:
                await asyncio.sleep(0.05)
        return statuses, running, full_page + f"\n{full_status}", status


def test_six_sockets_meet_the_session_cap(served: Served) -> None:
    statuses, running, full_page, after = asyncio.run(_six_sockets(served))
    assert statuses == [101] * 4 + [503] * 2  # the default cap is 4
    assert running == 4
    assert full_page.endswith("503")
    assert "All 4 sessions are in use" in full_page and "所有 4 个会话都在使用中" in full_page
    assert after == 200


def test_max_sessions_flag(tmp_path: Path) -> None:
    server = start(tmp_path, "--max-sessions", "1")
    try:
        origin = f"http://{server.authority}"

        async def two() -> list[int]:
            async with aiohttp.ClientSession() as session:
                first = await session.ws_connect(f"ws://{server.authority}/ws", origin=origin)
                second = await handshake(server, origin=origin)
                await first.close()
                return [101, second]

        assert asyncio.run(two()) == [101, 503]
    finally:
        server.stop()


def test_ipv6_loopback_urls_have_brackets(tmp_path: Path) -> None:
    server = start(tmp_path, host="::1")
    try:
        status, page, _ = asyncio.run(get(server, "/"))
        assert status == 200
        url = WS_URL_RE.search(page)
        assert url is not None and url.group(1) == f"ws://[::1]:{server.port}/ws"
        assert asyncio.run(handshake(server, origin="http://evil.example")) == 403
    finally:
        out, _ = server.stop()
    assert f"http://[::1]:{server.port}/" in out


def test_all_addresses_use_the_requests_own_host(tmp_path: Path) -> None:
    server = start(tmp_path, host="0.0.0.0")
    try:
        for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}",
                     f"192.0.2.7:{server.port}"):  # fmt: skip
            status, page, _ = asyncio.run(get(server, "/", host=host))
            assert status == 200, host
            assert f'data-session-websocket-url="ws://{host}/ws"' in page
            assert "0.0.0.0" not in page
        status, _, _ = asyncio.run(get(server, "/", host=f"rebind.example:{server.port}"))
        assert status == 403  # a name is what rebinding needs: never answered
    finally:
        _, err = server.stop()
    assert "no authentication" in err  # served beyond this machine: the operator is warned


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    server = start(tmp_path)
    assert asyncio.run(get(server, "/"))[0] == 200
    server.stop()
    assert server.proc.returncode == 0
    assert list(server.tmpdir.glob("wallet-wizard-serve-*")) == []


def test_stopping_with_a_session_open_ends_its_wizard_quietly(tmp_path: Path) -> None:
    """Ctrl+C while a browser is connected: no traceback for the operator, no orphan wizard."""
    server = start(tmp_path)
    wizards: list[int] = []

    async def open_session_then_stop() -> tuple[str, str]:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(
                f"ws://{server.authority}/ws?width=80&height=24",
                origin=f"http://{server.authority}",
            ) as ws,
        ):
            async for message in ws:  # the wizard is up once it draws
                if message.type == aiohttp.WSMsgType.BINARY and b"Demo Wallet" in message.data:
                    break
            wizards.extend(server.wizards())
            return await asyncio.to_thread(server.stop)

    out, err = asyncio.run(open_session_then_stop())
    assert wizards, "a wizard ran for the session"
    assert server.proc.returncode == 0
    assert "Traceback" not in out + err and "Error" not in out + err, out + err
    alive = [pid for pid in wizards if Path(f"/proc/{pid}").exists()]
    assert alive == []
