"""The one exception classifier: an httpx (or socket, ssl, proxy) failure → a stable code.

Errors are classified by exception type, walking `__cause__`/`__context__` (and exception
groups) down to the socket or ssl error, never by message text, which differs between
platforms, libraries and languages. The codes are those of CONTRACT §3 (`api` check).
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Iterator
from typing import Any

import h11
import httpx

from wizard.text import one_line

# OpenSSL verify codes (X509_V_ERR_*), as ssl.SSLCertVerificationError.verify_code.
TLS_EXPIRED = frozenset({9, 10})  # not yet valid / expired: usually the device's clock
TLS_HOSTNAME = frozenset({62, 63, 64})  # hostname / email / IP address mismatch
TLS_UNTRUSTED = frozenset({2, 18, 19, 20, 21})  # unknown issuer, self-signed, cannot verify leaf
# errno values that mean "no route": the device is not on any network that reaches it.
NO_ROUTE = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EADDRNOTAVAIL})
# Every code classify_error can give.
CODES = (
    *("tls_expired", "tls_hostname_mismatch", "tls_untrusted", "tls_error"),
    *("redirect_loop", "connect_timeout", "read_timeout", "connection_refused", "dns_failure"),
    *("proxy_error", "no_network", "connection_reset", "http_error"),
)
# Failures to set up a connection: behind a proxy, they are the proxy's.
CONNECT_CODES = frozenset({"connection_refused", "connect_timeout", "dns_failure", "no_network"})

_Kind = type[BaseException] | tuple[type[BaseException], ...]


def exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and every exception behind it (causes, contexts, group members), each once."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        for nxt in (current.__cause__, current.__context__):
            if nxt is not None:
                stack.append(nxt)


def first_of(chain: list[BaseException], kind: _Kind) -> BaseException | None:
    """The first exception in `chain` that is a `kind`, or None."""
    return next((e for e in chain if isinstance(e, kind)), None)


def _no_route(chain: list[BaseException]) -> bool:
    return any(isinstance(e, OSError) and e.errno in NO_ROUTE for e in chain)


def _ssl_noise(exc: ssl.SSLError) -> bool:
    # Want-read/write are the normal non-blocking handshake states anyio leaves as context.
    return isinstance(exc, ssl.SSLWantReadError | ssl.SSLWantWriteError)


def _root(chain: list[BaseException]) -> BaseException:
    """The deepest meaningful exception (socket/ssl level), skipping library plumbing."""
    for exc in reversed(chain):
        if isinstance(exc, OSError) and not (isinstance(exc, ssl.SSLError) and _ssl_noise(exc)):
            return exc
    return chain[0]


def _tls_verify(cert: ssl.SSLCertVerificationError) -> tuple[str, dict[str, Any]]:
    code_num = cert.verify_code if isinstance(cert.verify_code, int) else -1
    details: dict[str, Any] = {"verify_code": code_num}
    if cert.verify_message:
        details["tls_reason"] = one_line(cert.verify_message, max_len=120)
    if code_num in TLS_EXPIRED:
        return "tls_expired", details
    if code_num in TLS_HOSTNAME:
        return "tls_hostname_mismatch", details
    if code_num in TLS_UNTRUSTED:
        return "tls_untrusted", details
    return "tls_error", details


def classify_error(exc: BaseException, *, answered: bool = False) -> tuple[str, dict[str, Any]]:
    """Map an httpx error to a code of CONTRACT §3 and a few safe details, by exception type.

    `answered`: the response head had arrived before the error (a cut-off body is a reset,
    not a malformed answer). Details: `verify_code` and `tls_reason` for certificate
    failures, else `error` (the type name of the socket/ssl-level cause) and, for an answer
    that is not HTTP, `reason="bad_http"`.
    """
    chain = list(exception_chain(exc))
    cert = first_of(chain, ssl.SSLCertVerificationError)
    if isinstance(cert, ssl.SSLCertVerificationError):
        return _tls_verify(cert)
    details: dict[str, Any] = {"error": one_line(type(_root(chain)).__name__, max_len=60)}
    checks: list[tuple[_Kind, str]] = [
        (httpx.TooManyRedirects, "redirect_loop"),
        (httpx.ConnectTimeout, "connect_timeout"),
        (httpx.TimeoutException, "read_timeout"),
        (ConnectionRefusedError, "connection_refused"),
        (socket.gaierror, "dns_failure"),
        (httpx.ProxyError, "proxy_error"),
    ]
    for kind, code in checks:
        if first_of(chain, kind) is not None:
            return code, details
    if _no_route(chain):
        return "no_network", details
    resets = (ConnectionResetError, ConnectionAbortedError, BrokenPipeError, ssl.SSLEOFError)
    if first_of(chain, resets) is not None:
        return "connection_reset", details
    if first_of(chain, h11.RemoteProtocolError) is not None and not answered:
        # The server answered something that is not HTTP.
        details["reason"] = "bad_http"
        return "http_error", details
    if first_of(chain, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)) is not None:
        return "connection_reset", details
    if any(isinstance(e, ssl.SSLError) and not _ssl_noise(e) for e in chain):
        return "tls_error", details
    if first_of(chain, httpx.ConnectError) is not None:
        return "connection_refused", details
    return "connection_reset", details


def proxy_failure(exc: BaseException) -> str:
    """Why talking to a proxy failed: refused, dns_failure, timeout, tls, unreachable, or
    connection_error (the `reason` of the proxy check's `proxy_error`)."""
    chain = list(exception_chain(exc))
    if first_of(chain, ConnectionRefusedError) is not None:
        return "refused"
    if first_of(chain, socket.gaierror) is not None:
        return "dns_failure"
    if first_of(chain, (TimeoutError, httpx.TimeoutException)) is not None:
        return "timeout"
    if first_of(chain, ssl.SSLError) is not None:
        return "tls"
    if _no_route(chain):
        return "unreachable"
    return "connection_error"
