"""A small threaded HTTP/1.1 server (optionally TLS) that hands each request to an `app`.

TLS is negotiated in the connection's own thread rather than in `accept()`, so a client that
connects and never speaks cannot stall the other connections, and the certificate presented
is chosen per connection (the scenario can change while the service runs). It serves on a
socket `wizard.demo.sockets.reserve` bound, possibly well before this module was imported.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

from wizard.demo.answers import App, Log, Request, Response, json_response
from wizard.demo.sockets import adopt

MAX_BODY = 1024 * 1024
HANDSHAKE_TIMEOUT_S = 10.0
IDLE_TIMEOUT_S = 30.0


class DemoHTTPServer(ThreadingHTTPServer):
    """HTTP or HTTPS on one listening socket; answers come from `app`."""

    daemon_threads = True
    block_on_close = False  # a slow answer must not hold up stop()

    def __init__(
        self,
        sock: socket.socket,
        app: App,
        *,
        stopping: threading.Event,
        tls: Callable[[], ssl.SSLContext] | None = None,
        log: Log | None = None,
    ) -> None:
        self.app = app
        self.stopping = stopping
        self.tls = tls
        self.log = log
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        super().__init__(sock.getsockname(), _Handler, bind_and_activate=False)
        adopt(self, sock)
        # What HTTPServer.server_bind would have set, without its reverse DNS lookup of the
        # host (slow on some systems).
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Serve one connection, after the TLS handshake when this is the HTTPS server."""
        conn = cast(socket.socket, request)
        if self.tls is not None:
            conn.settimeout(HANDSHAKE_TIMEOUT_S)
            try:
                conn = self.tls().wrap_socket(conn, server_side=True)
            except (OSError, ValueError):
                return  # the client refused our certificate, or was not speaking TLS
        with self._lock:
            self._connections.add(conn)
        try:
            _Handler(conn, client_address, self)
        finally:
            with self._lock:
                self._connections.discard(conn)
            if conn is not request:
                conn.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Drop the connection quietly: a demo must not print tracebacks for broken clients."""

    def close_connections(self) -> None:
        """End every open connection (keep-alive ones would otherwise idle on)."""
        with self._lock:
            conns = list(self._connections)
        for conn in conns:
            with contextlib.suppress(OSError):
                # The plain socket's shutdown, even for TLS: it only wakes the reader.
                socket.socket.shutdown(conn, socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "wallet-wizard-demo"
    sys_version = ""
    timeout = IDLE_TIMEOUT_S

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request log on stderr (the `log` callback replaces it)."""

    def _serve(self) -> None:
        server = cast(DemoHTTPServer, self.server)
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self._answer(json_response(411, {"error": "send a Content-Length"}), close=True)
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self._answer(json_response(413, {"error": "body too large or bad length"}), close=True)
            return
        body = self.rfile.read(length) if length else b""
        target = self.path.split("#", 1)[0]
        path, _, query = target.partition("?")
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = Request(self.command, path, headers, body, query)
        response = server.app(request)
        if response.delay_s > 0 and server.stopping.wait(response.delay_s):
            self.close_connection = True
            return
        self._answer(response)
        if server.log is not None:
            server.log(f"{self.command} {path} {response.status}")

    def _answer(self, response: Response, *, close: bool = False) -> None:
        no_body = response.status in (204, 304) or response.status < 200
        try:
            self.send_response(response.status)
            if not no_body:
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in response.headers.items():
                self.send_header(name, value)
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if not no_body and self.command != "HEAD":
                self.wfile.write(response.body)
        except OSError:
            self.close_connection = True

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve
