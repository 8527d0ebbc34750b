"""A tiny authoritative DNS server for the demo, on 127.0.0.1 (UDP, and TCP on the same port).

It gives the email check something to ask offline, and answers as the internet would: the
common mail providers (and the demo's own domain) have an MX record (`mx.<domain>`); the
common top-level zones answer NS, so a "no such domain" can be believed; every other name
does not exist, so a mistyped or invented domain cannot receive mail. Names under `.invalid`
(RFC 2606) do not exist either, and the documentation domains example.com/.net/.org say "no
mail here" with a null MX (RFC 7505), as they really do. Names under `demo.wallet` point at
127.0.0.1. It serves on the sockets `wizard.demo.sockets.reserve` bound (importing dnspython
is most of the demo's start-up cost, so it waits until after the wizard's first paint).
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import struct
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from wizard.demo.sockets import adopt

TTL = 60
DEMO_ZONE = dns.name.from_text("demo.wallet.")
MISSING_ZONE = dns.name.from_text("invalid.")
NULL_MX_DOMAINS = frozenset(
    dns.name.from_text(d) for d in ("example.com.", "example.net.", "example.org.")
)
# Real providers most people in the wizard's audience use, and the demo's own domains.
MAIL_DOMAINS = frozenset(
    dns.name.from_text(f"{d}.")
    for d in (
        *("qq.com", "foxmail.com", "vip.qq.com", "163.com", "126.com", "yeah.net"),
        *("sina.com", "sina.cn", "sohu.com", "139.com", "189.cn", "wo.cn", "aliyun.com"),
        *("gmail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com"),
        *("icloud.com", "me.com", "proton.me", "protonmail.com"),
        *("demo-wallet.example", "demo.wallet"),
    )
)
# Top-level zones the demo resolver knows (answers NS for): the common ones, and the demo's.
TOP_LEVEL = frozenset(
    dns.name.from_text(f"{d}.")
    for d in (
        *("com", "net", "org", "edu", "gov", "info", "biz", "io", "me", "co"),
        *("cn", "hk", "mo", "tw", "jp", "kr", "sg", "my", "au", "ca", "us", "uk", "de", "fr"),
        *("xn--fiqs8s", "xn--fiqz9s", "example", "wallet"),
    )
)
_MX_LABEL = dns.name.Name([b"mx"])
_NS_LABEL = dns.name.Name([b"a", b"nic"])


def answer(wire: bytes) -> bytes | None:
    """The response to one DNS query in wire format (None when it is not even a query)."""
    try:
        query = dns.message.from_wire(wire)
    except Exception:  # any malformed packet: FORMERR when it has an id
        return _format_error(wire)
    if query.flags & dns.flags.QR:
        return None  # a response, not a query: never answer (no reflection loops)
    response = dns.message.make_response(query)
    response.flags |= dns.flags.AA
    if query.opcode() != dns.opcode.QUERY or len(query.question) != 1:
        response.set_rcode(dns.rcode.NOTIMP)
        return response.to_wire()
    question = query.question[0]
    try:
        _fill(response, question.name, question.rdclass, question.rdtype)
        return response.to_wire()
    except dns.exception.DNSException:
        response.answer.clear()
        response.set_rcode(dns.rcode.SERVFAIL)
        return response.to_wire()


def _fill(response: dns.message.Message, name: dns.name.Name, rdclass: int, rdtype: int) -> None:
    if name.is_subdomain(MISSING_ZONE):
        response.set_rcode(dns.rcode.NXDOMAIN)
        return
    if rdclass != dns.rdataclass.IN:
        return  # NOERROR with no answer: the name exists, not in that class
    if name in NULL_MX_DOMAINS:
        if rdtype == dns.rdatatype.MX:
            null_mx = dns.rdata.from_text("IN", "MX", "0 .")
            response.answer.append(dns.rrset.from_rdata(name, TTL, null_mx))
    elif name in MAIL_DOMAINS:
        if rdtype == dns.rdatatype.MX:
            exchange = _MX_LABEL.concatenate(name)
            mx = dns.rdata.from_text("IN", "MX", f"10 {exchange.to_text()}")
            response.answer.append(dns.rrset.from_rdata(name, TTL, mx))
    elif name in TOP_LEVEL:
        if rdtype == dns.rdatatype.NS:
            server = _NS_LABEL.concatenate(name)
            ns = dns.rdata.from_text("IN", "NS", server.to_text())
            response.answer.append(dns.rrset.from_rdata(name, TTL, ns))
    elif name.is_subdomain(DEMO_ZONE):
        if rdtype == dns.rdatatype.A:
            a = dns.rdata.from_text("IN", "A", "127.0.0.1")
            response.answer.append(dns.rrset.from_rdata(name, TTL, a))
    elif name != dns.name.root:
        response.set_rcode(dns.rcode.NXDOMAIN)


def _format_error(wire: bytes) -> bytes | None:
    if len(wire) < 12 or wire[2] & 0x80:
        return None
    # Header only: the query's id, QR set, opcode kept, rcode FORMERR, no records.
    flags = 0x8000 | (wire[2] & 0x78) << 8 | dns.rcode.FORMERR
    return wire[:2] + struct.pack("!H", flags) + bytes(8)


class _UDPHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        data, sock = self.request
        reply = answer(data)
        if reply is not None:
            with contextlib.suppress(OSError):
                sock.sendto(reply, self.client_address)


class _TCPHandler(socketserver.StreamRequestHandler):
    timeout = 10

    def handle(self) -> None:
        while True:
            head = self.rfile.read(2)
            if len(head) < 2:
                return
            (length,) = struct.unpack("!H", head)
            data = self.rfile.read(length)
            if len(data) < length:
                return
            reply = answer(data)
            if reply is None:
                return
            self.wfile.write(struct.pack("!H", len(reply)) + reply)


class _Quiet:
    """No tracebacks on stderr for broken clients."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore the error; the client gets no answer."""


class DNSUDPServer(_Quiet, socketserver.UDPServer):
    """The UDP side; answers inline (each answer takes microseconds)."""


class DNSTCPServer(_Quiet, socketserver.ThreadingTCPServer):
    """The TCP side, for resolvers that retry over TCP."""

    daemon_threads = True
    block_on_close = False


def dns_servers(udp: socket.socket, tcp: socket.socket | None) -> list[socketserver.TCPServer]:
    """The servers answering on the bound UDP socket and, when there is one, the TCP one."""
    udp_server = DNSUDPServer(udp.getsockname(), _UDPHandler, bind_and_activate=False)
    adopt(udp_server, udp)
    servers: list[socketserver.TCPServer] = [udp_server]
    if tcp is not None:
        tcp_server = DNSTCPServer(tcp.getsockname(), _TCPHandler, bind_and_activate=False)
        adopt(tcp_server, tcp)
        servers.append(tcp_server)
    return servers
