"""Run a command and write its peak resident memory (KiB) to a file: `maxrss.py OUT CMD...`."""

from __future__ import annotations

import os
import subprocess
import sys


def main() -> int:
    """Spawn the command, wait for it with wait4, record ru_maxrss."""
    out, cmd = sys.argv[1], sys.argv[2:]
    proc = subprocess.Popen(cmd)
    _pid, status, usage = os.wait4(proc.pid, 0)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(str(usage.ru_maxrss))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    raise SystemExit(main())
