"""A real `wallet-wizard serve` process on a free loopback port, for the security tests.

Shared by the guard tests and the browser test: start it, wait until it answers, count the
wizard processes it spawned (one per session), stop it with SIGINT as a person would.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_S = 30.0


def free_port(host: str = "127.0.0.1") -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    """A running server: its process, where it listens, and what it printed."""

    proc: subprocess.Popen[str]
    host: str
    port: int
    tmpdir: Path

    @property
    def authority(self) -> str:
        """host:port as a browser writes it in Host and Origin."""
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"{shown}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.authority}/"

    def wizards(self) -> list[int]:
        """The wizard processes this server has running (its descendants running `-m wizard`)."""
        return [pid for pid in descendants(self.proc.pid) if _is_wizard(pid)]

    def stop(self) -> tuple[str, str]:
        """SIGINT, wait, and return (stdout, stderr)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            out, err = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
        return out, err


def start(
    tmp_path: Path, *extra: str, host: str = "127.0.0.1", connect_host: str | None = None
) -> Served:
    """`wallet-wizard serve --demo ok --lang en` on a free port; returns once it accepts."""
    port = free_port(host if host not in ("0.0.0.0", "::") else "127.0.0.1")
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "WALLET_WIZARD_HOME": str(tmp_path / "home"),
        "TMPDIR": str(tmpdir),
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "wizard", "serve", "--host", host, "--port", str(port),
         "--demo", "ok", "--lang", "en", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    target = connect_host or (host if host not in ("0.0.0.0", "::") else "127.0.0.1")
    deadline = time.monotonic() + START_S
    while True:
        try:
            socket.create_connection((target, port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                out, err = proc.communicate(timeout=5) if proc.poll() is not None else ("", "")
                proc.kill()
                raise AssertionError(f"serve did not start: {out} {err}") from None
            time.sleep(0.05)
    return Served(proc, target, port, tmpdir)


def _parents() -> dict[int, int]:
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        found[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return found


def descendants(pid: int) -> list[int]:
    """Every process below `pid`."""
    parents = _parents()
    result: list[int] = []
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        result += children
        frontier += children
    return result


def _is_wizard(pid: int) -> bool:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"-m" in argv and b"wizard" in argv


WS_URL_RE = re.compile(r'data-session-websocket-url="([^"]+)"')
