"""Driving the wizard through a real pseudo-terminal: reading what it draws."""

from __future__ import annotations

import os
import select
import time

# Generous: only a wedged run waits this long; a passing one moves on as soon as it can.
WAIT_S = 30.0


def read_until(fd: int, needle: bytes, seen: bytearray) -> bool:
    """Read the wizard's output into `seen` until `needle` shows up (False on timeout/EOF)."""
    deadline = time.monotonic() + WAIT_S
    while needle not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([fd], [], [], min(left, 0.5))
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            seen.extend(chunk)
    return True
