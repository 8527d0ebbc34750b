"""The one exception classifier (wizard/net/classify.py), on exception chains built exactly as
httpx and httpcore raise them: by type, through causes, contexts and groups, never by text.

The same failures produced by real loopback servers are in tests/integration/test_net_layer.py
and, through the checks, in test_network_checks.py and test_fetch_reasons.py.
"""

from __future__ import annotations

import errno
import itertools
import socket
import ssl

import h11
import httpx
import pytest

from wizard.net.classify import CODES, classify_error, exception_chain, proxy_failure


def raised(outer: BaseException, *inner: BaseException) -> BaseException:
    """`outer` raised from `inner[0]`, itself raised from `inner[1]`, … (as libraries chain)."""
    chain = [outer, *inner]
    for upper, lower in itertools.pairwise(chain):
        upper.__cause__ = lower
    return outer


def cert_error(code: int, message: str) -> ssl.SSLCertVerificationError:
    exc = ssl.SSLCertVerificationError(1, "certificate verify failed")
    exc.verify_code = code
    exc.verify_message = message
    return exc


@pytest.mark.parametrize(
    ("verify_code", "code"),
    [
        (10, "tls_expired"),
        (9, "tls_expired"),
        (62, "tls_hostname_mismatch"),
        (64, "tls_hostname_mismatch"),
        (20, "tls_untrusted"),
        (19, "tls_untrusted"),
        (18, "tls_untrusted"),
        (23, "tls_error"),  # revoked: a certificate problem with no closer name
    ],
)
def test_certificate_failures_by_verify_code(verify_code: int, code: str) -> None:
    exc = raised(httpx.ConnectError("x"), cert_error(verify_code, "whatever"))
    found, details = classify_error(exc)
    assert (found, details["verify_code"]) == (code, verify_code)


def test_a_servers_certificate_message_is_sanitized() -> None:
    exc = raised(httpx.ConnectError("x"), cert_error(20, "bad\x1b[2J issuer\x07"))
    assert classify_error(exc)[1]["tls_reason"] == "bad issuer"


@pytest.mark.parametrize(
    ("exc", "code", "error"),
    [
        (raised(httpx.ConnectError("x"), ConnectionRefusedError()), "connection_refused", None),
        (raised(httpx.ConnectError("x"), socket.gaierror(-2, "x")), "dns_failure", "gaierror"),
        (httpx.ConnectTimeout("x"), "connect_timeout", None),
        (httpx.ReadTimeout("x"), "read_timeout", None),
        (httpx.TooManyRedirects("x"), "redirect_loop", None),
        (httpx.ProxyError("x"), "proxy_error", None),
        (
            raised(httpx.ConnectError("x"), OSError(errno.ENETUNREACH, "x")),
            "no_network",
            "OSError",
        ),
        (raised(httpx.ReadError("x"), ConnectionResetError()), "connection_reset", None),
        (raised(httpx.ConnectError("x"), ssl.SSLError(1, "x")), "tls_error", "SSLError"),
        (httpx.ConnectError("certificate has expired; timed out"), "connection_refused", None),
    ],
)
def test_failures_by_type(exc: BaseException, code: str, error: str | None) -> None:
    found, details = classify_error(exc)
    assert found == code
    if error is not None:
        # The deepest socket/ssl-level cause is named, not the library's wrapper.
        assert details["error"] == error


def test_an_answer_that_is_not_http_differs_from_a_body_cut_off() -> None:
    exc = raised(httpx.RemoteProtocolError("x"), h11.RemoteProtocolError("bad status line"))
    assert classify_error(exc) == (
        "http_error",
        {"error": "RemoteProtocolError", "reason": "bad_http"},
    )
    # Once the head had arrived, the same error means the body was cut off.
    assert classify_error(exc, answered=True)[0] == "connection_reset"


def test_the_cause_is_found_inside_an_exception_group_and_through_context() -> None:
    group = ExceptionGroup("several", [ValueError("noise"), ConnectionRefusedError()])
    outer = httpx.ConnectError("x")
    outer.__context__ = group
    assert classify_error(outer)[0] == "connection_refused"


def test_ssl_want_read_noise_is_not_a_tls_error() -> None:
    # anyio leaves SSLWantReadError as context of a plain connect failure.
    exc = raised(httpx.ConnectError("x"), ssl.SSLWantReadError())
    assert classify_error(exc)[0] == "connection_refused"


def test_exception_chain_visits_each_once_even_in_a_cycle() -> None:
    a, b, c = ValueError("a"), KeyError("b"), OSError("c")
    a.__cause__, b.__context__, c.__cause__ = b, c, a
    assert list(exception_chain(a)) == [a, b, c]


def test_every_code_is_listed() -> None:
    samples = [raised(httpx.ConnectError("x"), cert_error(n, "m")) for n in (10, 62, 20, 23)] + [
        httpx.TooManyRedirects("x"),
        httpx.ConnectTimeout("x"),
        httpx.ReadTimeout("x"),
        raised(httpx.ConnectError("x"), ConnectionRefusedError()),
        raised(httpx.ConnectError("x"), socket.gaierror(-2, "x")),
        httpx.ProxyError("x"),
        raised(httpx.ConnectError("x"), OSError(errno.EHOSTUNREACH, "x")),
        httpx.ReadError("x"),
        raised(httpx.RemoteProtocolError("x"), h11.RemoteProtocolError("x")),
    ]
    assert {classify_error(s)[0] for s in samples} == set(CODES)


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (ConnectionRefusedError(), "refused"),
        (socket.gaierror(-2, "x"), "dns_failure"),
        (TimeoutError(), "timeout"),
        (httpx.ConnectTimeout("x"), "timeout"),
        (ssl.SSLError(1, "x"), "tls"),
        (OSError(errno.ENETUNREACH, "x"), "unreachable"),
        (ConnectionResetError(), "connection_error"),
    ],
)
def test_proxy_failure_reasons(exc: BaseException, reason: str) -> None:
    assert proxy_failure(raised(httpx.ConnectError("x"), exc)) == reason
