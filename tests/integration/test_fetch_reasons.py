"""Why a manifest or status page could not be read: `details.reason` from the shared HTTP
layer's classifier, and summaries that say it (against real servers on 127.0.0.1).

The codes stay `manifest_unavailable` / `status_unavailable` (unknown); the reason is the code
the network step's `api` check would give for the same failure.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import ssl
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
import trustme

from tests.loopback.faults import FaultServer, FullBacklogServer, free_port, raw_reply
from tests.loopback.http import LoopbackHTTPServer, Reply
from wizard.checks.app_version import check_app_version
from wizard.checks.context import CheckContext
from wizard.checks.fetch import UNAVAILABLE_REASONS
from wizard.checks.model import CheckResult, Inputs, Status
from wizard.checks.service_status import check_service_status
from wizard.diagnosis import describe
from wizard.i18n import has
from wizard.profile import AppSection, NetworkSection, Profile, ServiceSection
from wizard.vocabulary import LANGUAGES

CheckFunc = Callable[[CheckContext], Awaitable[CheckResult]]
GUARD_S = 10.0
# (check id, check, the code for "could not be read")
STATUS = ("service_status", check_service_status, "status_unavailable")
MANIFEST = ("app_version", check_app_version, "manifest_unavailable")
BOTH = pytest.mark.parametrize("which", [STATUS, MANIFEST], ids=["status", "manifest"])
Which = tuple[str, CheckFunc, str]


async def run(
    which: Which, url: str, *, timeout_s: float = 1.0, ca_bundle: str = ""
) -> CheckResult:
    """The check of `which` reading `url`, its run's clients closed afterwards."""
    _, func, _ = which
    profile = Profile(
        network=NetworkSection(timeout_s=timeout_s, ca_bundle=ca_bundle),
        service=ServiceSection(status_url=url),
        app=AppSection(manifest_url=url),
    )
    ctx = CheckContext(profile, Inputs(app_version="10.6.20", platform="android"))
    try:
        result = await asyncio.wait_for(func(ctx), GUARD_S)
    finally:
        await ctx.aclose()
    json.dumps(result.to_json())
    return result


def unavailable(which: Which, result: CheckResult, reason: str) -> None:
    """`result` is the check's "could not be read", for `reason`."""
    assert (result.status, result.code) == (Status.UNKNOWN, which[2])
    assert result.details["reason"] == reason


def summary(which: Which, result: CheckResult, lang: str = "en") -> str:
    return describe(which[0], result.code, lang, result.details)[0]


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    path.write_bytes(ca.cert_pem.bytes())
    return str(path)


def https(leaf: trustme.LeafCert) -> LoopbackHTTPServer:
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    leaf.configure_cert(tls)
    return LoopbackHTTPServer(lambda _r: Reply(200, "{}"), tls)


@pytest.fixture(scope="module")
def shared() -> Iterator[LoopbackHTTPServer]:
    with LoopbackHTTPServer(lambda _r: Reply(500)) as server:
        yield server


@BOTH
async def test_an_untrusted_certificate_says_the_connection_was_intercepted(
    which: Which, ca: trustme.CA
) -> None:
    with https(ca.issue_cert("127.0.0.1")) as srv:  # `ca` is not in this profile's trust
        result = await run(which, srv.url("/x.json"))
    unavailable(which, result, "tls_untrusted")
    assert result.details["error"] == "ConnectError"  # as before: the request's error
    assert result.details["verify_code"] == 20
    assert "the secure connection was intercepted (TLS)." in summary(which, result)
    assert "安全连接被拦截（TLS）。" in summary(which, result, "zh-CN")


@BOTH
async def test_certificate_problems_by_name(which: Which, ca: trustme.CA, ca_file: str) -> None:
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2)
    expired = ca.issue_cert(
        "127.0.0.1", not_before=past - datetime.timedelta(days=30), not_after=past
    )
    with https(expired) as srv:
        old = await run(which, srv.url("/x.json"), ca_bundle=ca_file)
    with https(ca.issue_cert("wallet.example.com")) as srv:
        elsewhere = await run(which, srv.url("/x.json"), ca_bundle=ca_file)
    unavailable(which, old, "tls_expired")
    unavailable(which, elsewhere, "tls_hostname_mismatch")
    assert "date and time" in summary(which, old)


@BOTH
async def test_a_refused_port(which: Which) -> None:
    result = await run(which, f"http://127.0.0.1:{free_port()}/x.json")
    unavailable(which, result, "connection_refused")
    assert result.details["error"] == "ConnectError"
    assert summary(which, result).endswith(": the server refused the connection.")


@BOTH
async def test_an_error_status_names_it(which: Which, shared: LoopbackHTTPServer) -> None:
    shared.handler = lambda _r: Reply(503, "down")
    result = await run(which, shared.url("/x.json"))
    unavailable(which, result, "http_error")
    assert (result.details["http_status"], result.details["error"]) == (503, "HTTP 503")
    assert summary(which, result).endswith("an error (HTTP 503).")
    assert summary(which, result, "zh-CN").endswith("（HTTP 503）。")


@BOTH
async def test_an_answer_that_is_not_http(which: Which) -> None:
    with FaultServer(raw_reply(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")) as odd:
        result = await run(which, odd.url("/x.json"))
    unavailable(which, result, "http_error")
    assert "http_status" not in result.details
    assert summary(which, result).endswith(": the server's answer was not valid HTTP.")


@BOTH
async def test_a_redirect_loop(which: Which, shared: LoopbackHTTPServer) -> None:
    shared.handler = lambda r: Reply(302, "", {"Location": r.path})
    result = await run(which, shared.url("/loop"))
    unavailable(which, result, "redirect_loop")


@BOTH
async def test_timeouts_tell_connecting_from_waiting(
    which: Which, shared: LoopbackHTTPServer
) -> None:
    shared.handler = lambda _r: Reply(200, "{}", delay_s=2.0)
    slow = await run(which, shared.url("/x.json"), timeout_s=0.3)
    with FullBacklogServer() as busy:
        stuck = await run(which, busy.url("/x.json"), timeout_s=0.3)
    unavailable(which, slow, "read_timeout")
    unavailable(which, stuck, "connect_timeout")


@BOTH
async def test_a_dead_proxy_is_blamed_not_the_server(
    which: Which, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setenv("HTTP_PROXY", f"http://alice:s3cret@127.0.0.1:{port}")
    result = await run(which, f"http://127.0.0.1:{free_port()}/x.json")
    unavailable(which, result, "proxy_error")
    assert result.details["proxy"] == f"http://127.0.0.1:{port}"
    assert "s3cret" not in json.dumps(result.to_json())
    assert f"(http://127.0.0.1:{port}) could not be reached." in summary(which, result)


@BOTH
async def test_unusable_proxy_settings(which: Which, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://bob:s3cret@:bad")
    result = await run(which, f"http://127.0.0.1:{free_port()}/x.json")
    unavailable(which, result, "invalid_proxy")
    assert result.details["proxy"] == "HTTPS_PROXY"  # the name, never the value
    assert "s3cret" not in json.dumps(result.to_json())


@BOTH
async def test_an_unreadable_ca_bundle(which: Which, tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate")
    result = await run(which, f"http://127.0.0.1:{free_port()}/x.json", ca_bundle=str(bundle))
    unavailable(which, result, "ca_bundle")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("code", ["status_unavailable", "manifest_unavailable"])
def test_every_reason_is_worded_in_both_languages(lang: str, code: str) -> None:
    for reason in UNAVAILABLE_REASONS:
        assert has(lang, f"codes.{code}.reason.{reason}"), (lang, code, reason)
