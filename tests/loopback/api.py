"""The part every loopback help-desk API shares: a threaded HTTP(S) server on 127.0.0.1 that
hands each request to `answer()`, records what it saw, and plays faults on the creating POSTs.

`plan` lists what the next creating requests meet, one step each: `throttle` (429 with
Retry-After), `unavailable` (503 with Retry-After), `stall` (the ticket is made, then the answer
waits `stall_s`, past the client's patience) and `drop` (the request is read, nothing is made,
the connection is closed). An empty plan: answered as the API documents. A per-minute limit
(`limit`, counted in windows of `window_s` seconds) answers 429 with the seconds left in the
window, and every answer states the limit in the desk's own headers. `answer_delay_s` delays
every answer after the desk has acted.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    """One request as the desk received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    status: int = 0


@dataclass
class Answer:
    """What the desk replies; `delay_s` before the reply; `drop` closes without one."""

    status: int
    document: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    drop: bool = False


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up or refused the certificate is what many tests are about."""


class LoopbackAPI(ABC):
    """A help-desk API on 127.0.0.1 (HTTPS with `ssl_context`); a context manager."""

    # The headers in which this desk states its per-minute limit: (total, remaining).
    limit_headers = ("X-Rate-Limit", "X-Rate-Limit-Remaining")

    def __init__(self, *, ssl_context: ssl.SSLContext | None = None) -> None:
        self.plan: list[str] = []
        self.retry_after = "1"
        self.stall_s = 2.0
        # Every answer waits this long after the desk has acted (a crash test's wider window
        # for a kill between the desk's ticket and the client's record of it).
        self.answer_delay_s = 0.0
        self.limit: int | None = None
        self.window_s = 60.0
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self._window_start = time.monotonic()
        self._window_count = 0
        self.throttled = 0
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        if ssl_context is not None:
            self._server.socket = ssl_context.wrap_socket(self._server.socket, server_side=True)
        self.scheme = "https" if ssl_context is not None else "http"
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base(self) -> str:
        """The account's base URL (what `support.endpoint` holds)."""
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def requests(self, method: str | None = None, path: str | None = None) -> list[Seen]:
        """What was received, optionally only one method and path."""
        with self.lock:
            return [
                s
                for s in self.seen
                if (method is None or s.method == method) and (path is None or s.path == path)
            ]

    # -- for subclasses ------------------------------------------------------------------------

    @abstractmethod
    def answer(self, seen: Seen) -> Answer:
        """The desk's reply to one request (called with no lock held)."""

    def next_fault(self) -> str:
        """The plan's next step for a creating request ("" when the plan is done)."""
        with self.lock:
            return self.plan.pop(0) if self.plan else ""

    def fault_answer(self, fault: str) -> Answer | None:
        """The answer a planned fault gives before anything is made (None: make it)."""
        if fault == "throttle":
            return Answer(429, {"error": "TooManyRequests"}, {"Retry-After": self.retry_after})
        if fault == "unavailable":
            return Answer(503, {"error": "Maintenance"}, {"Retry-After": self.retry_after})
        if fault == "drop":
            return Answer(0, drop=True)
        return None

    def _rate(self) -> Answer | None:
        """The per-minute limit: counted, stated, enforced (429 with the window's rest)."""
        if self.limit is None:
            return None
        with self.lock:
            now = time.monotonic()
            if now - self._window_start >= self.window_s:
                self._window_start, self._window_count = now, 0
            self._window_count += 1
            if self._window_count > self.limit:
                self.throttled += 1
                rest = max(1, int(self._window_start + self.window_s - now + 0.999))
                return Answer(429, {"error": "APIRateLimitExceeded"}, {"Retry-After": str(rest)})
        return None

    def _limit_headers(self) -> dict[str, str]:
        if self.limit is None:
            return {}
        total, remaining = self.limit_headers
        with self.lock:
            left = max(0, self.limit - self._window_count)
        return {total: str(self.limit), remaining: str(left)}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        desk = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                    body = self.rfile.read(length) if length else b""
                except (OSError, ValueError):
                    return
                if len(body) < length:
                    return
                parts = urlsplit(self.path)
                seen = Seen(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with desk.lock:
                    desk.seen.append(seen)
                answer = desk._rate() or desk.answer(seen)
                seen.status = answer.status
                if answer.drop:
                    self.close_connection = True
                    return
                delay = answer.delay_s or desk.answer_delay_s
                if delay:
                    threading.Event().wait(delay)
                data = b"" if answer.document is None else json.dumps(answer.document).encode()
                try:
                    self.send_response(answer.status)
                    for name, value in {**desk._limit_headers(), **answer.headers}.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        return Handler
