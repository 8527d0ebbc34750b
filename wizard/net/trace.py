"""httpcore's trace events (the `trace` request extension) as phase timings and state."""

from __future__ import annotations

import time
from typing import Any


class Trace:
    """Collects httpcore's trace events into phase timings (ms).

    Pass it as `extensions={"trace": trace}`; afterwards `connected` tells a timeout while
    connecting from one while waiting for the answer.
    """

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.marks: dict[str, float] = {}

    async def __call__(self, name: str, info: dict[str, Any]) -> None:
        """httpcore's trace callback: remember when each event happened."""
        self.marks[name] = time.perf_counter()

    def _span(self, start: str, end: str) -> float | None:
        a, b = self.marks.get(start), self.marks.get(end)
        return None if a is None or b is None else round((b - a) * 1000, 1)

    @property
    def connected(self) -> bool:
        """Whether the last connection finished its TCP (and TLS, when started) setup."""
        tcp = "connection.connect_tcp.complete" in self.marks
        tls_started = "connection.start_tls.started" in self.marks
        return tcp and (not tls_started or "connection.start_tls.complete" in self.marks)

    def elapsed_ms(self) -> float:
        """Milliseconds since the trace was made (the start of the request)."""
        return round((time.perf_counter() - self.t0) * 1000, 1)

    def timings(self) -> dict[str, float]:
        """connect_ms (name lookup + TCP), tls_ms, first_byte_ms, where they happened."""
        spans = {
            "connect_ms": self._span(
                "connection.connect_tcp.started", "connection.connect_tcp.complete"
            ),
            "tls_ms": self._span("connection.start_tls.started", "connection.start_tls.complete"),
            "first_byte_ms": self._span(
                "http11.send_request_headers.started", "http11.receive_response_headers.complete"
            ),
        }
        return {k: v for k, v in spans.items() if v is not None}
