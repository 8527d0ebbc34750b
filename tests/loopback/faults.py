"""Misbehaving servers on 127.0.0.1 for tests: raw sockets that stall, drip, hang up or lie.

Each server runs in daemon threads, binds a free port on 127.0.0.1 and is used as a context
manager; leaving the `with` block closes every socket it opened, so a check blocked on one of
them is released.
"""

from __future__ import annotations

import base64
import contextlib
import select
import socket
import ssl
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from dnslib import AAAA, QTYPE, RCODE, RR, A, DNSRecord

LOOPBACK = "127.0.0.1"

Behaviour = Callable[[socket.socket, "FaultServer"], None]


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released): connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        port: int = s.getsockname()[1]
    return port


def read_request_head(conn: socket.socket, limit: int = 65536) -> bytes:
    """Read up to the blank line that ends an HTTP request head (or EOF / `limit` bytes)."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < limit:
        try:
            chunk = conn.recv(4096)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


class FaultServer:
    """A TCP server on 127.0.0.1 whose every connection is handed to `behaviour`.

    With `tls`, the connection is wrapped (server side) before the behaviour sees it, so a
    behaviour runs "after the handshake". `stop` is set when the server closes: behaviours
    that stall wait on it instead of sleeping forever.
    """

    def __init__(self, behaviour: Behaviour, tls: ssl.SSLContext | None = None) -> None:
        self.behaviour = behaviour
        self.tls = tls
        self.stop = threading.Event()
        self.connections = 0
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((LOOPBACK, 0))
        self._listener.listen(64)
        # A blocked accept() is not woken by close() from another thread; poll instead.
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    def url(self, path: str = "/") -> str:
        """The URL of `path` on this server."""
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{LOOPBACK}:{self.port}{path}"

    def _accept_loop(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            with self._lock:
                self.connections += 1
                self._conns.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        sock = conn
        try:
            if self.tls is not None:
                conn.settimeout(5)
                sock = self.tls.wrap_socket(conn, server_side=True)
                sock.settimeout(None)
                with self._lock:
                    self._conns.append(sock)
            self.behaviour(sock, self)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sock.close()

    def wait(self, seconds: float) -> bool:
        """Sleep `seconds` unless the server stops first; True when it stopped."""
        return self.stop.wait(seconds)

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                conn.close()
        self._thread.join(timeout=2)


# Behaviours ------------------------------------------------------------------------------


def never_speak(conn: socket.socket, server: FaultServer) -> None:
    """Accept, read nothing useful, never answer: the client waits until it gives up."""
    server.wait(3600)


def hang_up_after_request(conn: socket.socket, server: FaultServer) -> None:
    """Read the request, then close without a word (a server or middlebox dropping it)."""
    read_request_head(conn)


def reset_after_request(conn: socket.socket, server: FaultServer) -> None:
    """Read the request, then abort the connection with a TCP RST (SO_LINGER 0)."""
    read_request_head(conn)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def drip_body(interval_s: float = 0.05) -> Behaviour:
    """Answer 200 promising a large body, then send it one byte every `interval_s`."""

    def behaviour(conn: socket.socket, server: FaultServer) -> None:
        read_request_head(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
        while not server.wait(interval_s):
            conn.sendall(b".")

    return behaviour


def drip_head(interval_s: float = 0.05) -> Behaviour:
    """Send the status line and then endless header bytes, one every `interval_s`."""

    def behaviour(conn: socket.socket, server: FaultServer) -> None:
        read_request_head(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Drip: ")
        while not server.wait(interval_s):
            conn.sendall(b"a")

    return behaviour


def raw_reply(data: bytes) -> Behaviour:
    """Answer every request with exactly `data`, then close."""

    def behaviour(conn: socket.socket, server: FaultServer) -> None:
        read_request_head(conn)
        conn.sendall(data)

    return behaviour


# A full backlog -----------------------------------------------------------------------------


class FullBacklogServer:
    """A listener with listen(0) that never accepts, its queue filled by idle connections.

    Linux drops a SYN when the accept queue is full, so a new client's connect() hangs until
    its own timeout: the shape of a server too overloaded to take connections.
    """

    def __init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind((LOOPBACK, 0))
        self._listener.listen(0)
        self.port: int = self._listener.getsockname()[1]
        self._fillers: list[socket.socket] = []

    def url(self, path: str = "/") -> str:
        """The URL of `path` on this listener."""
        return f"http://{LOOPBACK}:{self.port}{path}"

    def _fill(self) -> None:
        # Connect until a connection does not complete: from then on the queue is full.
        for _ in range(64):
            client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            client.setblocking(False)
            self._fillers.append(client)
            with contextlib.suppress(BlockingIOError):
                client.connect((LOOPBACK, self.port))
            _, writable, _ = select.select([], [client], [], 0.2)
            if not writable:
                return
        raise RuntimeError("could not fill the accept queue")

    def __enter__(self) -> FullBacklogServer:
        self._fill()
        return self

    def __exit__(self, *exc: object) -> None:
        for sock in [*self._fillers, self._listener]:
            with contextlib.suppress(OSError):
                sock.close()


# A tiny HTTP proxy --------------------------------------------------------------------------


@dataclass
class ProxySeen:
    """What the proxy received: request lines and Proxy-Authorization credentials."""

    request_lines: list[str] = field(default_factory=list)
    credentials: list[str] = field(default_factory=list)


class LoopbackProxy:
    """An HTTP proxy on 127.0.0.1.

    `require_auth`: answer 407 to every request (CONNECT or absolute-form GET) without
    matching credentials ("user:pass"); None means answer 407 to everything. Otherwise
    CONNECT is tunnelled (to 127.0.0.1 only) and a GET is answered by the proxy itself.
    """

    def __init__(self, *, require_auth: str | None = None, always_407: bool = False) -> None:
        self.require_auth = require_auth
        self.always_407 = always_407
        self.seen = ProxySeen()
        self._server = FaultServer(self._serve)
        self.port = self._server.port

    def url(self, userinfo: str = "") -> str:
        """The proxy URL, optionally with `user:pass@`."""
        at = f"{userinfo}@" if userinfo else ""
        return f"http://{at}{LOOPBACK}:{self.port}"

    def _authorized(self, head: str) -> bool:
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "proxy-authorization":
                scheme, _, token = value.strip().partition(" ")
                creds = base64.b64decode(token).decode() if scheme.lower() == "basic" else ""
                self.seen.credentials.append(creds)
                return creds == self.require_auth
        return False

    def _serve(self, conn: socket.socket, server: FaultServer) -> None:
        head = read_request_head(conn).decode("latin-1")
        request_line = head.split("\r\n", 1)[0]
        self.seen.request_lines.append(request_line)
        authorized = self._authorized(head)
        if self.always_407 or (self.require_auth is not None and not authorized):
            conn.sendall(
                b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n'
            )
            return
        method, _, rest = request_line.partition(" ")
        if method != "CONNECT":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nproxied")
            return
        host, _, port = rest.split(" ", 1)[0].rpartition(":")
        if host != LOOPBACK:
            conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        upstream = socket.create_connection((LOOPBACK, int(port)), timeout=5)
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        _pipe(conn, upstream, server)

    def __enter__(self) -> LoopbackProxy:
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.__exit__(*exc)


def _pipe(a: socket.socket, b: socket.socket, server: FaultServer) -> None:
    """Copy bytes both ways until either side closes or the server stops."""
    try:
        while not server.stop.is_set():
            readable, _, _ = select.select([a, b], [], [], 0.1)
            for src in readable:
                data = src.recv(65536)
                if not data:
                    return
                (b if src is a else a).sendall(data)
    finally:
        b.close()


# A tiny DNS server ---------------------------------------------------------------------------


class LoopbackDNS:
    """A UDP DNS server on 127.0.0.1.

    `records` maps a name (no trailing dot) to its addresses; a name not listed is NXDOMAIN.
    `servfail` names answer SERVFAIL; with `silent`, no query is ever answered.
    """

    def __init__(
        self,
        records: dict[str, list[str]] | None = None,
        *,
        servfail: tuple[str, ...] = (),
        silent: bool = False,
    ) -> None:
        self.records = {k.lower().rstrip("."): v for k, v in (records or {}).items()}
        self.servfail = {n.lower().rstrip(".") for n in servfail}
        self.silent = silent
        self.queries: list[tuple[str, str]] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind((LOOPBACK, 0))
        self._sock.settimeout(0.1)
        self.port: int = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    @property
    def server(self) -> str:
        """The "IP:PORT" form a profile's `network.dns_servers` takes."""
        return f"{LOOPBACK}:{self.port}"

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self._sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            with contextlib.suppress(Exception):
                reply = self._answer(data)
                if reply is not None:
                    self._sock.sendto(reply, peer)

    def _answer(self, data: bytes) -> bytes | None:
        request = DNSRecord.parse(data)
        name = str(request.q.qname).lower().rstrip(".")
        qtype = QTYPE[request.q.qtype]
        self.queries.append((name, qtype))
        if self.silent:
            return None
        reply = request.reply()
        if name in self.servfail:
            reply.header.rcode = RCODE.SERVFAIL
        elif name not in self.records:
            reply.header.rcode = RCODE.NXDOMAIN
        else:
            for address in self.records[name]:
                if ":" in address and qtype == "AAAA":
                    reply.add_answer(RR(request.q.qname, QTYPE.AAAA, rdata=AAAA(address), ttl=60))
                elif ":" not in address and qtype == "A":
                    reply.add_answer(RR(request.q.qname, QTYPE.A, rdata=A(address), ttl=60))
        packed: bytes = reply.pack()
        return packed

    def __enter__(self) -> LoopbackDNS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()
