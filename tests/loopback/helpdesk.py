"""A real help desk on 127.0.0.1 for tests: it records tickets by Idempotency-Key, like a real one.

The desk can be told how to answer (`mode`): `created` (201 with a ticket id), `conflict`
(409), `unavailable` (503 with Retry-After), `throttled` (429 with Retry-After), `bad_request`
(400 with a reason), `late` (record the ticket, then answer only after `late_s`, when the
client has given up). It starts *down*: its port is bound but not listening, so a connection
is refused; `up()` opens it, `down()` closes it again on the same port.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REQUIRED_FIELDS = (
    "reference",
    "subject",
    "body",
    "language",
    "what",
    "contact",
    "report",
    "created_at",
)
MODES = ("created", "conflict", "unavailable", "throttled", "bad_request", "late")


@dataclass
class Ticket:
    """One ticket: the first body received under a key, and how many posts carried that key."""

    ticket_id: str
    key: str
    payload: dict[str, Any]
    body: bytes
    headers: dict[str, str]
    posts: int = 1


@dataclass
class Attempt:
    """One POST as the desk saw it, and the status it answered."""

    key: str
    headers: dict[str, str]
    body: bytes
    status: int = 0


class _QuietServer(ThreadingHTTPServer):
    """A client killed mid-request is expected here, not an error worth a traceback."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@dataclass
class _Answer:
    status: int
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


class HelpDesk:
    """A threaded help desk on 127.0.0.1; use as a context manager (it is *up* inside)."""

    def __init__(self, *, port: int = 0, token: str | None = None, path: str = "/api/tickets"):
        self.path = path
        self.token = token
        self.mode = "created"
        self.retry_after = "2"
        self.reason = "the phone field is not a valid number"
        self.late_s = 1.0
        self.answer_delay_s = 0.0
        self.replay_status = 201
        self.tickets: dict[str, Ticket] = {}
        self.attempts: list[Attempt] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._server = self._bind(port)
        self.port = int(self._server.server_address[1])

    # -- lifecycle -------------------------------------------------------------------------

    def _bind(self, port: int) -> ThreadingHTTPServer:
        server = _QuietServer(("127.0.0.1", port), self._handler_class(), False)
        server.server_bind()
        return server

    @property
    def is_up(self) -> bool:
        """Whether the desk accepts connections."""
        return self._thread is not None

    def up(self) -> HelpDesk:
        """Start answering on the (same) port."""
        if self._thread is None:
            self._server.server_activate()
            # A short poll interval so `down()` returns at once (tests start and stop desks often).
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
            )
            self._thread.start()
        return self

    def down(self) -> None:
        """Stop answering: the port stays bound but refuses connections."""
        if self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread = None
            self._server = self._bind(self.port)

    def close(self) -> None:
        """Release the port."""
        self.down()
        self._server.server_close()

    def __enter__(self) -> HelpDesk:
        return self.up()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self) -> str:
        """The endpoint to put in `support.endpoint`."""
        return f"http://127.0.0.1:{self.port}{self.path}"

    # -- what was received -----------------------------------------------------------------

    def ticket_for(self, reference: str) -> list[Ticket]:
        """Every ticket carrying this reference (a correct client makes at most one)."""
        with self._lock:
            return [t for t in self.tickets.values() if t.payload.get("reference") == reference]

    def snapshot(self) -> tuple[dict[str, Ticket], list[Attempt]]:
        """Copies of the tickets and attempts, taken under the lock."""
        with self._lock:
            return dict(self.tickets), list(self.attempts)

    # -- answering -------------------------------------------------------------------------

    def _record(
        self, key: str, payload: dict[str, Any], body: bytes, headers: dict[str, str]
    ) -> tuple[Ticket, bool]:
        with self._lock:
            ticket = self.tickets.get(key)
            if ticket is not None:
                ticket.posts += 1
                return ticket, False
            ticket = Ticket(f"T-{len(self.tickets) + 1:06d}", key, payload, body, headers)
            self.tickets[key] = ticket
            return ticket, True

    def _answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> _Answer:
        lower = {k.lower(): v for k, v in headers.items()}
        if method != "POST" or path != self.path:
            return _Answer(404, {"error": "no such endpoint"})
        if self.token is not None and lower.get("authorization") != f"Bearer {self.token}":
            return _Answer(401, {"error": "missing or wrong bearer token"})
        if not lower.get("content-type", "").startswith("application/json"):
            return _Answer(415, {"error": "send application/json"})
        key = lower.get("idempotency-key", "")
        if not key:
            return _Answer(400, {"error": "missing Idempotency-Key"})
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return _Answer(400, {"error": "body is not JSON"})
        if not isinstance(payload, dict):
            return _Answer(400, {"error": "body is not a JSON object"})
        missing = [f for f in REQUIRED_FIELDS if f not in payload]
        if missing:
            return _Answer(400, {"error": f"missing field {missing[0]}"})
        mode = self.mode
        if mode == "unavailable":
            return _Answer(503, {"error": "maintenance"}, {"Retry-After": self.retry_after})
        if mode == "throttled":
            return _Answer(429, {"error": "slow down"}, {"Retry-After": self.retry_after})
        if mode == "bad_request":
            return _Answer(400, {"error": self.reason})
        if mode == "conflict":
            return _Answer(409, {"error": "already received"})
        ticket, new = self._record(key, payload, body, headers)
        status = 201 if new else self.replay_status
        delay = self.late_s if mode == "late" else self.answer_delay_s
        return _Answer(status, {"ticket_id": ticket.ticket_id}, delay_s=delay)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        desk = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out as separate writes; without this, Nagle's algorithm
            # and the client's delayed ACK add 40 ms to every answer.
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
                    return  # the client vanished mid-request: nothing was received
                headers = dict(self.headers.items())
                attempt = Attempt(headers.get("Idempotency-Key", ""), headers, body)
                with desk._lock:
                    desk.attempts.append(attempt)
                answer = desk._answer(self.command, self.path, headers, body)
                attempt.status = answer.status
                if answer.delay_s:
                    threading.Event().wait(answer.delay_s)
                data = json.dumps(answer.body).encode()
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            do_GET = do_POST = do_PUT = _serve

        return _Handler
