"""The shared HTTP layer (wizard/net) on its own, against real servers on 127.0.0.1.

The capped read every body goes through, the classifier on real failures, and host lookups
through the one resolver module.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
import trustme

from tests.loopback.faults import FaultServer, LoopbackDNS, drip_body, free_port, raw_reply
from tests.loopback.http import LoopbackHTTPServer, Reply
from wizard.net.capped import BodyTooLarge, read_capped
from wizard.net.classify import classify_error
from wizard.net.resolver import host_resolver, lookup_host

GUARD_S = 10.0
Read = Callable[[httpx.Response], Awaitable[bytes]]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(trust_env=False, timeout=5.0) as http:
        yield http


async def fetch(client: httpx.AsyncClient, url: str, read: Read) -> bytes:
    """GET `url` and read its body with `read`, under a guard against a hanging test."""

    async def go() -> bytes:
        async with client.stream("GET", url) as response:
            return await read(response)

    return await asyncio.wait_for(go(), GUARD_S)


def stall_after(head: bytes) -> Callable[[socket.socket, FaultServer], None]:
    """Send `head` (and whatever body bytes it holds), then hold the connection open."""

    def behaviour(conn: socket.socket, server: FaultServer) -> None:
        conn.recv(65536)
        conn.sendall(head)
        server.wait(3600)

    return behaviour


def endless_chunks(conn: socket.socket, server: FaultServer) -> None:
    """A chunked body that never ends and declares no length."""
    conn.recv(65536)
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    frame = b"1000\r\n" + b"x" * 0x1000 + b"\r\n"
    while not server.stop.is_set():
        conn.sendall(frame)


# The capped read ---------------------------------------------------------------------------


async def test_never_more_than_the_cap(client: httpx.AsyncClient) -> None:
    with LoopbackHTTPServer(lambda _r: Reply(200, b"a" * 200_000)) as srv:
        body = await fetch(client, srv.url(), lambda r: read_capped(r, 1000))
    assert body == b"a" * 1000


async def test_a_body_of_exactly_the_cap_is_accepted(client: httpx.AsyncClient) -> None:
    with LoopbackHTTPServer(lambda _r: Reply(200, b"b" * 4096)) as srv:
        body = await fetch(client, srv.url(), lambda r: read_capped(r, 4096, refuse_larger=True))
    assert body == b"b" * 4096


async def test_a_declared_length_over_the_cap_is_refused_before_reading(
    client: httpx.AsyncClient,
) -> None:
    # The server promises 5 MB, sends 3 bytes and stalls: refusing must not wait for it.
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n\r\nabc"
    with FaultServer(stall_after(head)) as srv, pytest.raises(BodyTooLarge) as caught:
        await fetch(client, srv.url(), lambda r: read_capped(r, 1024, refuse_larger=True))
    assert caught.value.limit == 1024


async def test_an_undeclared_body_over_the_cap_is_refused(client: httpx.AsyncClient) -> None:
    with FaultServer(endless_chunks) as srv, pytest.raises(BodyTooLarge):
        await fetch(client, srv.url(), lambda r: read_capped(r, 50_000, refuse_larger=True))


async def test_what_arrived_is_kept_when_the_read_is_cut_off(client: httpx.AsyncClient) -> None:
    body = bytearray()

    async def read(response: httpx.Response) -> bytes:
        async with asyncio.timeout(0.4):
            return await read_capped(response, 64 * 1024, into=body)

    with FaultServer(drip_body(0.02)) as srv, pytest.raises(TimeoutError):
        await fetch(client, srv.url(), read)
    assert 0 < len(body) < 64 * 1024
    assert set(body) == {ord(".")}


async def test_raw_or_decoded(client: httpx.AsyncClient) -> None:
    packed = gzip.compress(b'{"ok": true}' * 100)
    reply = Reply(200, packed, {"Content-Encoding": "gzip"})
    with LoopbackHTTPServer(lambda _r: reply) as srv:
        raw = await fetch(client, srv.url(), lambda r: read_capped(r, 100_000))
        decoded = await fetch(client, srv.url(), lambda r: read_capped(r, 100_000, decoded=True))
    assert raw == packed  # what the server sent is what the cap counts
    assert decoded == b'{"ok": true}' * 100


# The classifier on real failures -----------------------------------------------------------


async def failure(client: httpx.AsyncClient, url: str) -> tuple[str, dict[str, object]]:
    with pytest.raises(httpx.HTTPError) as caught:
        await fetch(client, url, lambda r: read_capped(r, 1000))
    return classify_error(caught.value)


async def test_refused_port(client: httpx.AsyncClient) -> None:
    code, details = await failure(client, f"http://127.0.0.1:{free_port()}/")
    assert (code, details["error"]) == ("connection_refused", "ConnectionRefusedError")


async def test_an_answer_that_is_not_http(client: httpx.AsyncClient) -> None:
    with FaultServer(raw_reply(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")) as odd:
        code, details = await failure(client, odd.url())
    assert (code, details["reason"]) == ("http_error", "bad_http")


async def test_an_untrusted_certificate(client: httpx.AsyncClient) -> None:
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(tls)
    with LoopbackHTTPServer(lambda _r: Reply(200, "ok"), tls) as srv:
        code, details = await failure(client, srv.url())
    assert (code, details["verify_code"]) == ("tls_untrusted", 20)


# Host lookups ------------------------------------------------------------------------------


async def test_lookups_through_the_profile_servers() -> None:
    with LoopbackDNS({"api.wallet.com": ["223.5.5.5"]}) as dns:
        resolver = host_resolver([dns.server], timeout_s=1.0)
        found = await lookup_host(resolver, "api.wallet.com", timeout_s=1.0)
        missing = await lookup_host(resolver, "nope.wallet.com", timeout_s=1.0)
    assert (found.code, found.addresses) == ("ok", ["223.5.5.5"])
    assert (missing.code, missing.reason) == ("dns_failure", "nxdomain")


async def test_localhost_goes_to_the_system_and_a_silent_server_times_out() -> None:
    with LoopbackDNS(silent=True) as dns:
        resolver = host_resolver([dns.server], timeout_s=0.3)
        local = await asyncio.wait_for(lookup_host(resolver, "localhost", timeout_s=0.3), GUARD_S)
        asked = list(dns.queries)
        silent = await asyncio.wait_for(
            lookup_host(resolver, "api.wallet.com", timeout_s=0.3), GUARD_S
        )
    assert local.code == "ok" and local.addresses
    assert asked == []  # never sent to the profile's server
    assert (silent.code, silent.reason) == ("dns_timeout", "timeout")
