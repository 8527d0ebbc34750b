"""One thread that accepts on every listening socket of the demo service and stops at once.

`socketserver.serve_forever` polls for its shutdown flag (every 0.5 s by default), so
stopping four servers one after another could add a second or two to every `--demo` run.
Here a single selector also watches a wake-up socket: `stop()` returns as soon as the thread
has seen it. Requests themselves are handled by each server's own `process_request`
(a thread per connection for the TCP servers, inline for the UDP DNS server).
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import socketserver
import threading


class Reactor:
    """Accepts for a set of `socketserver` servers in one daemon thread."""

    def __init__(self, servers: list[socketserver.TCPServer]) -> None:
        self._servers = servers
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._thread = threading.Thread(target=self._loop, name="wallet-wizard-demo", daemon=True)

    def start(self) -> None:
        """Start accepting."""
        self._selector.register(self._wake_r, selectors.EVENT_READ, None)
        for server in self._servers:
            self._selector.register(server.fileno(), selectors.EVENT_READ, server)
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting and close every listening socket."""
        if self._thread.is_alive():
            with contextlib.suppress(OSError):
                self._wake_w.send(b"x")
            self._thread.join(timeout=5)
        self._selector.close()
        for sock in (self._wake_r, self._wake_w):
            sock.close()
        for server in self._servers:
            server.server_close()

    def _loop(self) -> None:
        while True:
            for key, _mask in self._selector.select():
                server = key.data
                if server is None:
                    return
                _handle_one(server)


def _handle_one(server: socketserver.TCPServer) -> None:
    """Accept (or receive) one request and hand it to the server, as serve_forever does."""
    try:
        request, address = server.get_request()
    except OSError:
        return
    try:
        if server.verify_request(request, address):
            server.process_request(request, address)
        else:
            server.shutdown_request(request)
    except Exception:
        server.handle_error(request, address)
        server.shutdown_request(request)
