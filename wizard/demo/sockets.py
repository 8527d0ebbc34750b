"""The demo service's listening sockets, bound with the plain `socket` module.

Binding is cheap; importing the servers is not (dnspython, `http.server`, `email`: about
0.1 s). So `DemoService.reserve()` binds every socket here before the wizard's first paint,
which makes the profile complete (real ports), and `DemoService.serve()` hands the same
sockets to the servers afterwards. A client that connects in between is not refused: the
kernel holds its connection in the listen backlog (its datagram, for DNS over UDP) until the
servers accept it.
"""

from __future__ import annotations

import contextlib
import os
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import socketserver

# SO_REUSEADDR lets a restarted demo take its port back at once; on Windows it would also let
# two processes share a port, so it is off there.
REUSE_ADDRESS = os.name != "nt"
# Room for every connection the wizard's first checks open at once, while serving starts.
HTTP_BACKLOG = 64
# socketserver's own default, as the DNS-over-TCP and SMTP servers had.
SMALL_BACKLOG = 5


@dataclass
class Listeners:
    """The bound sockets and their ports (`dns_tcp`: None when its port was taken for TCP;
    `smtp`: only when the service plays the email desk)."""

    http: socket.socket
    https: socket.socket
    dns_udp: socket.socket
    dns_tcp: socket.socket | None
    smtp: socket.socket | None

    @property
    def port(self) -> int:
        """The plain-HTTP port."""
        return _port(self.http)

    @property
    def tls_port(self) -> int:
        """The HTTPS port."""
        return _port(self.https)

    @property
    def dns_port(self) -> int:
        """The DNS port (UDP, and TCP too when `dns_tcp` is set)."""
        return _port(self.dns_udp)

    @property
    def smtp_port(self) -> int:
        """The SMTP port (0 when there is no mailbox)."""
        return _port(self.smtp) if self.smtp is not None else 0

    def close(self) -> None:
        """Close every socket (a client waiting in a backlog is then refused, not left hanging)."""
        for sock in (self.http, self.https, self.dns_udp, self.dns_tcp, self.smtp):
            if sock is not None:
                sock.close()


def reserve(host: str, port: int, *, smtp: bool) -> Listeners:
    """Bind and listen on `host`: HTTP on `port` (0: any free port), HTTPS, DNS and, with
    `smtp`, a mailbox, each on a free port. Raises OSError (with nothing left open)."""
    opened: list[socket.socket] = []

    def keep(sock: socket.socket) -> socket.socket:
        opened.append(sock)
        return sock

    try:
        http = keep(tcp_listener(host, port, backlog=HTTP_BACKLOG))
        https = keep(tcp_listener(host, 0, backlog=HTTP_BACKLOG))
        dns_udp = keep(udp_socket(host, 0))
        try:
            # TCP on the same port as UDP, for resolvers that retry over TCP; UDP alone is
            # enough when it is taken (the answers are far below 512 bytes).
            dns_tcp: socket.socket | None = keep(
                tcp_listener(host, _port(dns_udp), backlog=SMALL_BACKLOG)
            )
        except OSError:
            dns_tcp = None
        mailbox = keep(tcp_listener(host, 0, backlog=SMALL_BACKLOG, reuse=True)) if smtp else None
    except BaseException:
        for sock in opened:
            sock.close()
        raise
    return Listeners(http, https, dns_udp, dns_tcp, mailbox)


def tcp_listener(
    host: str, port: int, *, backlog: int, reuse: bool = REUSE_ADDRESS
) -> socket.socket:
    """A TCP socket bound to (host, port) and listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if reuse:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except BaseException:
        sock.close()
        raise
    return sock


def udp_socket(host: str, port: int) -> socket.socket:
    """A UDP socket bound to (host, port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


def adopt(server: socketserver.TCPServer, sock: socket.socket) -> None:
    """Make `server` (made with `bind_and_activate=False`) serve on `sock`, already bound."""
    with contextlib.suppress(OSError):
        server.socket.close()  # the unbound socket socketserver made for itself
    server.socket = sock
    server.server_address = sock.getsockname()


def _port(sock: socket.socket) -> int:
    return int(sock.getsockname()[1])
