"""In a real pseudo-terminal: escape sequences pasted into the wizard never reach the terminal.

`python -m wizard --demo` runs under a pty as a person's terminal would run it; a bracketed
paste carries an OSC 52 clipboard write and a clear-screen into the error-text field. What
the wizard writes back must hold the pasted words, and neither sequence.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.ui.pty_helpers import read_until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

OSC52 = b"\x1b]52;c;ZXZpbA==\x07"
CLEAR = b"\x1b[2J"
PASTE = b"\x1b[200~hello " + OSC52 + b"wide" + CLEAR + b" world\x1b[201~"
# 8-bit CSI (U+009B) and a right-to-left override, as UTF-8: Textual delivers these as a paste.
C1_CSI = "\x9b".encode()
RLO = "\u202e".encode()
PASTE_C1 = b"\x1b[200~tail" + C1_CSI + b"2J" + RLO + b"end\x1b[201~"
SHIFT_TAB = b"\x1b[Z"
CTRL_Q = b"\x11"


def test_pasted_escape_sequences_never_reach_the_terminal(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "WALLET_WIZARD_HOME": str(tmp_path / "home"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    pid, fd = pty.fork()
    if pid == 0:  # the child: an 80×24 terminal running the wizard
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execve(sys.executable, [sys.executable, "-m", "wizard", "--demo", "--lang", "en"], env)
    try:
        startup = bytearray()
        assert read_until(fd, b"Start", startup), startup[-2000:]
        os.write(fd, SHIFT_TAB)  # from Start to the error-text field
        time.sleep(0.3)
        os.write(fd, PASTE)
        after = bytearray()
        assert read_until(fd, b"world", after), after[-2000:]
        assert b"hello" in after
        # No OSC 52 at all (the wizard copies nothing here), no clear-screen. Textual re-issues
        # an escape sequence cut into a paste as keys, shown as harmless "^[" text.
        assert b"\x1b]52" not in after
        assert CLEAR not in after
        os.write(fd, PASTE_C1)
        more = bytearray()
        assert read_until(fd, b"tailend", more), more[-2000:]
        assert C1_CSI not in more and RLO not in more
        assert CLEAR not in more and b"\x1b]52" not in more
        os.write(fd, CTRL_Q)
        read_until(fd, b"\x00never", bytearray())  # drain until the child hangs up
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)
