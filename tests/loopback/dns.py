"""A real DNS server on 127.0.0.1 (UDP and TCP, one free port) whose answers each test sets.

Each name maps to a `Zone`: MX, NS and address records, an error rcode (NXDOMAIN, SERVFAIL…),
or `silent` (a black hole that never answers, to exercise timeouts). Names not listed get the
server's `default` zone (NXDOMAIN unless told otherwise). Addresses in answers are only data:
nothing ever connects to them.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field
from typing import Self

from dnslib import AAAA, MX, NS, QTYPE, RCODE, RR, A, DNSRecord


@dataclass
class Zone:
    """What the server says about one name."""

    mx: list[tuple[int, str]] = field(default_factory=list)
    a: list[str] = field(default_factory=list)
    aaaa: list[str] = field(default_factory=list)
    ns: list[str] = field(default_factory=list)
    rcode: str = "NOERROR"
    silent: bool = False


NULL_MX = Zone(mx=[(0, ".")])
# What a working resolver says about a top-level zone ("com"): it exists, here are its servers.
TLD = Zone(ns=["a.nic.example"])
NXDOMAIN = Zone(rcode="NXDOMAIN")
SERVFAIL = Zone(rcode="SERVFAIL")
BLACK_HOLE = Zone(silent=True)


class LoopbackDNSServer:
    """Serve `zones` on 127.0.0.1 over UDP and TCP; `address` is "127.0.0.1:PORT"."""

    def __init__(self, zones: dict[str, Zone], *, default: Zone = NXDOMAIN) -> None:
        self.zones = {self._key(k): v for k, v in zones.items()}
        self.default = default
        self.queries: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._tcp, self._udp = self._bind_pair()
        self.port: int = self._udp.getsockname()[1]
        self.address = f"127.0.0.1:{self.port}"
        self._threads = [
            threading.Thread(target=self._serve_udp, daemon=True),
            threading.Thread(target=self._serve_tcp, daemon=True),
        ]

    @staticmethod
    def _key(name: str) -> str:
        return name.lower().rstrip(".")

    @staticmethod
    def _bind_pair() -> tuple[socket.socket, socket.socket]:
        """A TCP and a UDP socket on the same free port (retried if UDP's half is taken)."""
        for _ in range(50):
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            tcp.bind(("127.0.0.1", 0))
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                udp.bind(("127.0.0.1", tcp.getsockname()[1]))
            except OSError:
                tcp.close()
                udp.close()
                continue
            tcp.listen(16)
            tcp.settimeout(0.05)
            udp.settimeout(0.05)
            return tcp, udp
        raise RuntimeError("no free port for the loopback DNS server")

    def answer(self, data: bytes) -> bytes | None:
        """The reply to one query packet, or None to stay silent."""
        try:
            request = DNSRecord.parse(data)
        except Exception:
            return None
        qname = str(request.q.qname)
        qtype = QTYPE.get(request.q.qtype)
        with self._lock:
            self.queries.append((self._key(qname), str(qtype)))
        zone = self.zones.get(self._key(qname), self.default)
        if zone.silent:
            return None
        reply = request.reply()
        if zone.rcode != "NOERROR":
            reply.header.rcode = getattr(RCODE, zone.rcode)
            return bytes(reply.pack())
        if qtype == "MX":
            for pref, host in zone.mx:
                reply.add_answer(RR(qname, QTYPE.MX, rdata=MX(host, pref), ttl=60))
        elif qtype == "A":
            for ip in zone.a:
                reply.add_answer(RR(qname, QTYPE.A, rdata=A(ip), ttl=60))
        elif qtype == "AAAA":
            for ip in zone.aaaa:
                reply.add_answer(RR(qname, QTYPE.AAAA, rdata=AAAA(ip), ttl=60))
        elif qtype == "NS":
            for host in zone.ns:
                reply.add_answer(RR(qname, QTYPE.NS, rdata=NS(host), ttl=60))
        return bytes(reply.pack())

    def _serve_udp(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self._udp.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            reply = self.answer(data)
            if reply is not None:
                with contextlib.suppress(OSError):
                    self._udp.sendto(reply, peer)

    def _serve_tcp(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._tcp.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve_conn, args=(conn,), daemon=True).start()

    def _serve_conn(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(2.0)
            try:
                head = self._read_exact(conn, 2)
                data = self._read_exact(conn, struct.unpack("!H", head)[0])
            except OSError:
                return
            reply = self.answer(data)
            if reply is None:
                self._stop.wait(5.0)  # a black hole holds the connection open
                return
            with contextlib.suppress(OSError):
                conn.sendall(struct.pack("!H", len(reply)) + reply)

    @staticmethod
    def _read_exact(conn: socket.socket, size: int) -> bytes:
        buf = b""
        while len(buf) < size:
            chunk = conn.recv(size - len(buf))
            if not chunk:
                raise OSError("closed")
            buf += chunk
        return buf

    def __enter__(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2.0)
        self._udp.close()
        self._tcp.close()
