"""`wallet-wizard serve`: a real server on a free loopback port, driven by a websocket client
the way the browser page drives it, until the wizard's first screen arrives."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from wizard.cli import build_parser
from wizard.commands.serve import (
    exposure_warning,
    offline_template,
    scrubbed_environment,
    wizard_command,
)

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    port = free_port()
    env = {**os.environ, "WALLET_WIZARD_HOME": str(tmp_path), "AWS_SECRET_ACCESS_KEY": "s3cr3t"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "wizard", "serve", "--port", str(port), "--demo", "ok",
         "--lang", "en"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"serve exited: {proc.stderr.read() if proc.stderr else ''}")
            time.sleep(0.1)
    yield port, proc
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def first_screen(port: int) -> str:
    """Open a session as the page does and collect the terminal output."""
    seen = b""
    async with aiohttp.ClientSession() as session:
        page = await (await session.get(f"http://127.0.0.1:{port}/")).text()
        assert "fonts.googleapis.com" not in page  # nothing unreachable from China
        assert "RobotoMono" in page
        url = re.search(r'data-session-websocket-url="([^"]+)"', page)
        assert url is not None
        async with session.ws_connect(
            f"{url.group(1)}?width=80&height=24", origin=f"http://127.0.0.1:{port}"
        ) as ws:
            deadline = time.monotonic() + 40
            while time.monotonic() < deadline:
                try:
                    msg = await ws.receive(timeout=2)
                except TimeoutError:
                    continue
                if msg.type == aiohttp.WSMsgType.BINARY:
                    seen += msg.data
                    text = re.sub(rb"\x1b\[[0-9;?]*[ -/]*[@-~]", b"", seen)
                    if b"Demo Wallet" in text and b"F2" in text.upper():
                        break
                elif msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    break
            await ws.send_json(["stdin", "\x11"])  # the session ends when the socket closes
    return re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]", "", seen.decode("utf-8", "replace"))


def test_serve_shows_the_wizard_in_a_session(server: tuple[int, subprocess.Popen[str]]) -> None:
    port, _ = server
    text = asyncio.run(first_screen(port))
    # The first screen of the wizard: the wallet's name and the language key.
    assert "Demo Wallet" in text and "F2" in text.upper()


def test_spawned_wizard_gets_no_unrelated_secrets() -> None:
    env = scrubbed_environment(
        {"PATH": "/bin", "AWS_SECRET_ACCESS_KEY": "x", "WALLET_SUPPORT_TOKEN": "t",
         "GITHUB_TOKEN": "g", "LC_ALL": "zh_CN.UTF-8", "TEXTUAL_DRIVER": "d"},
        "WALLET_SUPPORT_TOKEN",
    )  # fmt: skip
    assert env == {
        "PATH": "/bin", "WALLET_SUPPORT_TOKEN": "t", "LC_ALL": "zh_CN.UTF-8",
        "TEXTUAL_DRIVER": "d",
    }  # fmt: skip


def test_page_template_needs_no_third_party_host() -> None:
    html = offline_template()
    assert "googleapis" not in html and "RobotoMono-VariableFont_wght.ttf" in html


def test_non_loopback_host_warns() -> None:
    assert exposure_warning("127.0.0.1") is None
    warning = exposure_warning("0.0.0.0")
    assert warning is not None and "no authentication" in warning


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--kiosk", "--theme", "high-contrast"],
        ["--theme", "high-contrast", "serve", "--kiosk"],
    ],
)
def test_every_session_gets_the_theme(argv: list[str]) -> None:
    command = wizard_command(build_parser().parse_args(argv))
    assert command.endswith("--kiosk --theme high-contrast")


def test_a_bad_theme_is_refused_before_serving(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "serve", "--port", str(free_port()), "--theme", "neon"],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
        env={**os.environ, "WALLET_WIZARD_HOME": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("wallet-wizard: --theme must be one of")
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_port_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "serve", "--port", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
        env={**os.environ, "WALLET_WIZARD_HOME": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 2
    assert "--port" in result.stderr and "Traceback" not in result.stderr
