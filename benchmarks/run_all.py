"""Run every benchmark of DESIGN.md's budgets and print their figures (`make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "bench_check.py",
    "bench_validation.py",
    "bench_outbox.py",
    "bench_desks.py",
    "bench_startup.py",
]


def main() -> int:
    """Run each benchmark in its own process; exit 1 if any missed its budget."""
    failed = []
    for name in BENCHMARKS:
        script = HERE / name
        if not script.exists():
            print(f"== {name}: missing", flush=True)
            failed.append(name)
            continue
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode != 0:
            failed.append(name)
    print("all budgets met" if not failed else f"over budget or failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
