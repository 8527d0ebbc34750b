"""Budgets of the engine (DESIGN.md):

- `check --json` against the demo `ok` service, as a whole process: ≤ 0.8 s, Textual not imported;
  baseline in the same run: a bare `python -c pass` start.
- the network step when every target hangs, with timeout_s = 2: ≤ 3 s.

Run: `.venv/bin/python benchmarks/bench_check.py` (exit 1 when a budget is missed).
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wizard.checks.model import Inputs  # noqa: E402
from wizard.checks.runner import run_step  # noqa: E402
from wizard.profile import NetworkSection, Profile, ServiceSection  # noqa: E402

CHECK_BUDGET_S = 0.8
HANG_TIMEOUT_S = 2.0
HANG_BUDGET_S = HANG_TIMEOUT_S + 1.0


def _time_process(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(args, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
    return times


def bench_check_process(runs: int = 7) -> bool:
    """Whole-process `check --demo ok --json` against bare interpreter start."""
    py = sys.executable
    args = [
        py,
        "-m",
        "wizard",
        "check",
        "--demo",
        "ok",
        "--json",
        "--phone",
        "13800138000",
        "--email",
        "user@qq.com",
        "--app-version",
        "10.6.20",
        "--platform",
        "android",
    ]
    _time_process(args, 1)  # warm the page cache and the demo certificate cache
    base = statistics.median(_time_process([py, "-c", "pass"], runs))
    check = statistics.median(_time_process(args, runs))
    probe = subprocess.run(
        [
            py,
            "-c",
            "import sys, wizard.cli as c; c.main(sys.argv[1:]);"
            " print('textual' in sys.modules, file=sys.stderr)",
            *args[3:],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    textual_loaded = probe.stderr.strip().endswith("True")
    ok = check <= CHECK_BUDGET_S and not textual_loaded
    print(
        f"check --demo ok --json (whole process, median of {runs}): {check:.3f} s "
        f"(budget {CHECK_BUDGET_S} s; bare python {base:.3f} s; ratio {check / base:.1f}×); "
        f"textual imported: {textual_loaded} → {'OK' if ok else 'OVER BUDGET'}"
    )
    return ok


class _Hang:
    """Listeners that accept and never speak, and a UDP DNS server that never answers."""

    def __init__(self) -> None:
        self.tcp = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.conns: list[socket.socket] = []
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.tcp.settimeout(0.2)
        while not self._stop:
            try:
                conn, _ = self.tcp.accept()
            except OSError:
                continue
            self.conns.append(conn)

    def close(self) -> None:
        self._stop = True
        for s in [self.tcp, self.udp, *self.conns]:
            s.close()


def bench_hanging_network(runs: int = 3) -> bool:
    """The network step with every target hanging ends within timeout_s + 1."""
    hang = _Hang()
    port = hang.tcp.getsockname()[1]
    dns_port = hang.udp.getsockname()[1]
    profile = replace(
        Profile(),
        network=NetworkSection(
            api_url=f"https://127.0.0.1:{port}/health",
            connectivity_urls=(f"http://127.0.0.1:{port}/a", f"http://127.0.0.1:{port}/b"),
            dns_servers=(f"127.0.0.1:{dns_port}",),
            timeout_s=HANG_TIMEOUT_S,
        ),
        service=ServiceSection(status_url=f"http://127.0.0.1:{port}/summary.json"),
    )
    worst = 0.0
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            asyncio.run(run_step("network", profile, Inputs()))
            worst = max(worst, time.perf_counter() - t0)
    finally:
        hang.close()
    ok = worst <= HANG_BUDGET_S
    print(
        f"network step, every target hanging, timeout_s={HANG_TIMEOUT_S}: worst of {runs} "
        f"{worst:.2f} s (budget {HANG_BUDGET_S} s; ratio {worst / HANG_TIMEOUT_S:.2f}) "
        f"→ {'OK' if ok else 'OVER BUDGET'}"
    )
    return ok


def main() -> int:
    """Run both benchmarks; exit 1 if a budget is missed."""
    results = [bench_check_process(), bench_hanging_network()]
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
