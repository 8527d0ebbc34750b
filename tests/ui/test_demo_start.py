"""`--demo` paints first: the demo wallet's sockets are bound before the wizard starts, its
servers start once the first screen is on the terminal (`WizardApp(after_first_paint=…)`).
A check started in between passes; a demo that cannot serve says so, and the wizard stays."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import press
from tests.ui.pilot_helpers import checked, until
from tests.ui.pty_helpers import WAIT_S, read_until
from wizard.demo import DemoService
from wizard.ui.screens.step import StepScreen

ROOT = Path(__file__).resolve().parents[2]
# Only a wedged run waits this long; a passing one moves on as soon as it can.


async def test_the_demo_serves_after_the_first_paint_and_a_check_started_before_passes(
    make_app: AppFactory,
) -> None:
    service = DemoService("ok").reserve()
    go_on = threading.Event()
    seen: list[tuple[str, bool]] = []

    def serve_later() -> None:
        seen.append((type(app.screen).__name__, service.serving))
        # Held until step 1 is checking: its checks meet sockets that nobody serves yet.
        go_on.wait(WAIT_S)
        service.serve()

    app = make_app(profile=service.profile(), after_first_paint=serve_later)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: bool(seen), "the work left for after the first paint")
            assert seen == [("WelcomeScreen", False)]
            await press(pilot, "enter")  # Start
            await until(
                pilot,
                lambda: isinstance(app.screen, StepScreen) and app.screen.gate == "running",
                "step 1 checking",
            )
            assert not service.serving
            go_on.set()
            network = await checked(pilot)
            assert service.serving
            assert network.gate == "pass"
    finally:
        go_on.set()
        service.stop()


def _exit_status(pid: int) -> int | None:
    """The child's exit code once it has exited (None if it is still running after WAIT_S)."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    return None


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")
def test_a_demo_that_cannot_serve_paints_first_then_says_so(tmp_path: Path) -> None:
    # A damaged dnspython, found first on the path: the demo's DNS server imports it, nothing
    # before the first paint may.
    broken = tmp_path / "broken"
    (broken / "dns").mkdir(parents=True)
    (broken / "dns" / "__init__.py").write_text('raise ImportError("dnspython is damaged")\n')
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "WALLET_WIZARD_HOME": str(tmp_path / "home"),
        "PYTHONPATH": f"{broken}{os.pathsep}{ROOT}",
    }
    pid, fd = pty.fork()
    if pid == 0:  # the child: an 80×24 terminal running the wizard
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execve(sys.executable, [sys.executable, "-m", "wizard", "--demo", "--lang", "en"], env)
    try:
        shown = bytearray()
        assert read_until(fd, b"Start", shown), shown[-2000:]
        # Then the error, said in the wizard (the unexpected-error dialog), which stays up.
        assert read_until(fd, b"damaged", shown), shown[-2000:]
        assert b"DemoError" in shown and b"Traceback" not in shown
        os.write(fd, b"\x11")  # Ctrl+Q quits as usual
        read_until(fd, b"\x00never", shown)  # drain until the wizard has gone
        status = _exit_status(pid)
        if status is not None:
            pid = 0
        assert status == 0
        assert b"Traceback" not in shown
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
