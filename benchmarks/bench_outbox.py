"""Figures of the outbox (no budget in DESIGN.md; reported in the issue's note):

- the cost of saving one message: a durable commit (WAL, synchronous=FULL), median of 200;
- `drain` of 1,000 queued messages to a loopback help desk, in messages per second.

Run: `.venv/bin/python benchmarks/bench_outbox.py` (starts and stops everything itself).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.loopback.helpdesk import HelpDesk  # noqa: E402
from wizard.checks.model import (  # noqa: E402
    CheckResult,
    Inputs,
    Report,
    Status,
    StepResult,
)
from wizard.profile import Profile  # noqa: E402
from wizard.support.message import Message, compose  # noqa: E402
from wizard.support.outbox import Outbox, State  # noqa: E402
from wizard.support.send import drain  # noqa: E402

SAVES = 200
DRAINED = 1000


def _messages(count: int) -> list[Message]:
    checks = tuple(
        CheckResult(name, Status.PASS, "ok", f"{name} is fine.", duration_ms=12.5)
        for name in ("link", "dns", "captive_portal", "proxy", "api", "service_status")
    )
    report = Report("Bench Wallet", "2026-11-25T20:00:00Z", 800.0, (StepResult("network", checks),))
    inputs = Inputs(phone="13800138000", region="CN", app_version="10.6.20", platform="android")
    return [
        compose(report, profile=Profile(), inputs=inputs, lang="zh-CN", what="phone", note="n")
        for _ in range(count)
    ]


def bench_save(folder: Path) -> float:
    """Median milliseconds of one durable `save()`."""
    messages = _messages(SAVES)
    times = []
    with Outbox.open(folder / "save.sqlite3") as outbox:
        for message in messages:
            t0 = time.perf_counter()
            outbox.save(message, "http://127.0.0.1:9/x", None)
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bench_drain(folder: Path) -> tuple[float, float]:
    """Messages per second of one `drain` of DRAINED queued messages, and its seconds."""
    with HelpDesk() as desk, Outbox.open(folder / "drain.sqlite3") as outbox:
        for message in _messages(DRAINED):
            outbox.save(message, desk.url(), None)
        t0 = time.perf_counter()
        results = asyncio.run(drain(outbox))
        elapsed = time.perf_counter() - t0
        delivered = sum(r.state is State.DELIVERED for r in results)
        tickets, _ = desk.snapshot()
    if delivered != DRAINED or len(tickets) != DRAINED:
        raise SystemExit(f"drain delivered {delivered}, desk holds {len(tickets)} tickets")
    return DRAINED / elapsed, elapsed


def main() -> int:
    """Print the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-outbox-") as tmp:
        folder = Path(tmp)
        save_ms = bench_save(folder)
        rate, seconds = bench_drain(folder)
    print(f"outbox save (WAL, synchronous=FULL): median {save_ms:.2f} ms of {SAVES}")
    print(f"outbox drain: {DRAINED} messages in {seconds:.2f} s = {rate:.0f} messages/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
