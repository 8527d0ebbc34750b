"""The network checks against real misbehaving servers on 127.0.0.1 (nothing else is touched)."""

from __future__ import annotations

import asyncio
import datetime
import errno
import json
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from tests.loopback.faults import (
    FaultServer,
    FullBacklogServer,
    LoopbackDNS,
    LoopbackProxy,
    drip_body,
    drip_head,
    free_port,
    hang_up_after_request,
    never_speak,
    raw_reply,
    reset_after_request,
)
from tests.loopback.http import LoopbackHTTPServer, Reply, Request
from wizard.checks import network
from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Inputs, Status
from wizard.checks.runner import run_step
from wizard.diagnosis import describe
from wizard.profile import Profile, profile_from_dict

CheckFunc = Callable[[CheckContext], Awaitable[CheckResult]]
# A guard against a hanging check, far above any timeout used here: the check must end on
# its own, and a hang fails the test instead of stalling the suite.
GUARD_S = 10.0


# Fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    path.write_bytes(ca.cert_pem.bytes())
    return str(path)


def server_ctx(leaf: trustme.LeafCert) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    leaf.configure_cert(ctx)
    return ctx


@pytest.fixture
def https(ca: trustme.CA) -> Iterator[LoopbackHTTPServer]:
    """A trusted HTTPS server (when the profile's ca_bundle holds `ca`) answering 200."""
    with LoopbackHTTPServer(
        lambda r: Reply(200, "ok"), server_ctx(ca.issue_cert("127.0.0.1"))
    ) as s:
        yield s


def profile(**sections: dict[str, Any]) -> Profile:
    """A validated profile from TOML-like sections; timeouts default small."""
    data: dict[str, Any] = {k: dict(v) for k, v in sections.items()}
    data.setdefault("network", {}).setdefault("timeout_s", 1.0)
    return profile_from_dict(data)


def net(**network_keys: Any) -> Profile:
    return profile(network=network_keys)


def assert_clean(result: CheckResult) -> None:
    """Details are small, JSON-able, of plain types."""
    json.dumps(result.to_json())
    for value in result.details.values():
        assert isinstance(value, str | int | float | bool | list), value
        if isinstance(value, list):
            assert all(isinstance(v, str | int | float | bool) for v in value)


async def run_check(func: CheckFunc, prof: Profile) -> CheckResult:
    """One check on its own, with its run's clients closed afterwards (as the runner does)."""
    ctx = CheckContext(prof, Inputs())
    try:
        result = await asyncio.wait_for(func(ctx), GUARD_S)
    finally:
        await ctx.aclose()
    assert_clean(result)
    return result


# link -----------------------------------------------------------------------------------------


async def test_link_ok_with_a_route_to_the_targets() -> None:
    result = await run_check(network.check_link, net(api_url="http://127.0.0.1:9/health"))
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert result.details["routes_checked"] == 1


async def test_link_without_any_target_is_not_configured() -> None:
    result = await run_check(network.check_link, net())
    assert (result.status, result.code) == (Status.SKIP, "not_configured")


def test_link_no_network_only_when_every_route_is_missing() -> None:
    none = network.link_result([errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN])
    assert (none.status, none.code) == (Status.FAIL, "no_network")
    some = network.link_result([errno.ENETUNREACH, None])
    assert (some.status, some.code) == (Status.PASS, "ok")


# dns --------------------------------------------------------------------------------------------


async def test_dns_ok_through_the_profile_servers() -> None:
    with LoopbackDNS({"api.wallet.com": ["223.5.5.5"], "status.wallet.com": ["1.1.1.1"]}) as dns:
        prof = profile(
            network={"api_url": "https://api.wallet.com/h", "dns_servers": [dns.server]},
            service={"status_url": "https://status.wallet.com/s.json"},
        )
        result = await run_check(network.check_dns, prof)
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert result.details == {"names": 2, "resolver": "profile"}
    assert {q[0] for q in dns.queries} == {"api.wallet.com", "status.wallet.com"}


async def test_dns_ipv6_only_name_is_ok() -> None:
    with LoopbackDNS({"v6.wallet.com": ["2400:3200::1"]}) as dns:
        prof = net(api_url="https://v6.wallet.com/", dns_servers=[dns.server])
        result = await run_check(network.check_dns, prof)
    assert (result.status, result.code) == (Status.PASS, "ok")


async def test_dns_nxdomain_is_a_failure() -> None:
    with LoopbackDNS({"api.wallet.com": ["223.5.5.5"]}) as dns:
        prof = net(
            api_url="https://api.wallet.com/",
            connectivity_urls=["http://probe.wallet.com/generate_204"],
            dns_servers=[dns.server],
        )
        result = await run_check(network.check_dns, prof)
    assert (result.status, result.code) == (Status.FAIL, "dns_failure")
    assert result.details["host"] == "probe.wallet.com"
    assert result.details["reason"] == "nxdomain"
    assert result.details["failed"] == ["probe.wallet.com"]


async def test_dns_servfail_is_a_failure() -> None:
    with LoopbackDNS(servfail=("api.wallet.com",)) as dns:
        prof = net(api_url="https://api.wallet.com/", dns_servers=[dns.server])
        result = await run_check(network.check_dns, prof)
    assert (result.status, result.code) == (Status.FAIL, "dns_failure")
    assert result.details["reason"] == "servfail"


async def test_dns_server_that_never_answers_times_out() -> None:
    with LoopbackDNS(silent=True) as dns:
        prof = net(api_url="https://api.wallet.com/", dns_servers=[dns.server], timeout_s=0.5)
        result = await run_check(network.check_dns, prof)
    assert (result.status, result.code) == (Status.FAIL, "dns_timeout")
    assert result.details["host"] == "api.wallet.com"
    assert dns.queries  # it was asked, and kept silent


async def test_dns_private_answer_for_a_public_name_warns() -> None:
    with LoopbackDNS({"api.wallet.com": ["192.168.1.1"]}) as dns:
        prof = net(api_url="https://api.wallet.com/", dns_servers=[dns.server])
        result = await run_check(network.check_dns, prof)
    assert (result.status, result.code) == (Status.WARN, "dns_private_answer")
    assert result.details["host"] == "api.wallet.com"
    assert result.details["address"] == "192.168.1.1"


async def test_dns_private_answer_for_a_local_name_is_fine() -> None:
    with LoopbackDNS({"wallet.test": ["10.0.0.2"], "api.corp.internal": ["10.1.1.1"]}) as dns:
        prof = profile(
            network={"api_url": "https://wallet.test/", "dns_servers": [dns.server]},
            app={"manifest_url": "https://api.corp.internal/m.json"},
        )
        result = await run_check(network.check_dns, prof)
    assert (result.status, result.code) == (Status.PASS, "ok")


async def test_dns_with_only_ip_targets_has_nothing_to_resolve() -> None:
    # Not a pass with "names: 0": nothing was looked up, so nothing can be said.
    result = await run_check(network.check_dns, net(api_url="https://127.0.0.1:1/"))
    assert (result.status, result.code) == (Status.SKIP, "not_configured")
    assert result.details == {"reason": "ip_addresses"}
    assert describe("dns", result.code, "en", result.details)[0] == (
        "Not checked: the wallet's addresses in this profile are IP addresses, "
        "so there is no name to look up."
    )
    nothing = await run_check(network.check_dns, net())
    assert (nothing.status, nothing.code, nothing.details) == (Status.SKIP, "not_configured", {})


async def test_dns_system_resolver_answers_localhost() -> None:
    # "localhost" is answered from the hosts file: the system path, with no packet sent.
    result = await run_check(network.check_dns, net(api_url="http://localhost:1/"))
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert result.details["resolver"] == "system"


async def test_dns_localhost_is_never_asked_of_the_profile_servers() -> None:
    # A profile aimed at a DNS server that knows nothing (everything NXDOMAIN) must still
    # resolve localhost from the hosts file, as every resolver does.
    with LoopbackDNS({}) as dns:
        prof = net(api_url="http://localhost:1/", dns_servers=[dns.server])
        result = await run_check(network.check_dns, prof)
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert not dns.queries


# captive_portal ------------------------------------------------------------------------------


def probe_server(reply: Reply) -> LoopbackHTTPServer:
    return LoopbackHTTPServer(lambda r: reply)


async def test_portal_ok_on_204_with_no_cache_and_no_redirects() -> None:
    with probe_server(Reply(204)) as good:
        prof = net(connectivity_urls=[good.url("/generate_204")])
        result = await run_check(network.check_captive_portal, prof)
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert result.details == {"probes": 1, "passed": 1}
    (seen,) = good.requests
    assert (seen.method, seen.path) == ("GET", "/generate_204")
    assert seen.headers.get("Cache-Control") == "no-cache"


async def test_portal_redirect_to_a_login_page() -> None:
    login = Reply(302, headers={"Location": "http://login.hotel-wifi.example/portal?mac=aa"})
    with probe_server(login) as portal:
        prof = net(connectivity_urls=[portal.url("/generate_204")])
        result = await run_check(network.check_captive_portal, prof)
    assert (result.status, result.code) == (Status.FAIL, "captive_portal")
    assert result.details["portal_host"] == "login.hotel-wifi.example"
    assert result.details["http_status"] == 302
    assert len(portal.requests) == 1  # the redirect was not followed


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, "<html><form>Sign in to the Wi-Fi</form></html>"),
        Reply(511, "Network Authentication Required"),
        Reply(307, headers={"Location": "/login"}),
    ],
    ids=["login-page", "511", "relative-redirect"],
)
async def test_portal_pages(reply: Reply) -> None:
    with probe_server(reply) as portal:
        prof = net(connectivity_urls=[portal.url("/generate_204")])
        result = await run_check(network.check_captive_portal, prof)
    assert (result.status, result.code) == (Status.FAIL, "captive_portal")
    assert result.details["http_status"] == reply.status
    assert "portal_host" not in result.details


async def test_portal_wins_over_a_good_probe() -> None:
    with probe_server(Reply(204)) as good, probe_server(Reply(200, "login")) as portal:
        prof = net(connectivity_urls=[good.url("/generate_204"), portal.url("/gen")])
        result = await run_check(network.check_captive_portal, prof)
    assert result.code == "captive_portal"


async def test_portal_one_good_probe_of_several_is_enough() -> None:
    with probe_server(Reply(204)) as good:
        refused = f"http://127.0.0.1:{free_port()}/generate_204"
        prof = net(connectivity_urls=[refused, good.url("/generate_204")])
        result = await run_check(network.check_captive_portal, prof)
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert result.details == {"probes": 2, "passed": 1}


async def test_portal_probe_unreachable() -> None:
    prof = net(connectivity_urls=[f"http://127.0.0.1:{free_port()}/generate_204"])
    result = await run_check(network.check_captive_portal, prof)
    assert (result.status, result.code) == (Status.FAIL, "probe_unreachable")
    assert result.details["reason"] == "connection_refused"


async def test_portal_probe_that_never_answers() -> None:
    with FaultServer(never_speak) as silent:
        prof = net(connectivity_urls=[silent.url("/generate_204")], timeout_s=0.5)
        result = await run_check(network.check_captive_portal, prof)
    assert (result.status, result.code) == (Status.FAIL, "probe_unreachable")
    assert result.details["reason"] == "read_timeout"


async def test_portal_probe_dripping_a_body_ends_and_is_a_portal() -> None:
    with FaultServer(drip_body()) as drip:
        prof = net(connectivity_urls=[drip.url("/generate_204")], timeout_s=0.5)
        result = await run_check(network.check_captive_portal, prof)
    assert (result.status, result.code) == (Status.FAIL, "captive_portal")


async def test_portal_probe_with_an_error_status_is_not_a_pass() -> None:
    with probe_server(Reply(404, "not here")) as odd:
        prof = net(connectivity_urls=[odd.url("/generate_204")])
        result = await run_check(network.check_captive_portal, prof)
    assert (result.status, result.code) == (Status.FAIL, "probe_unreachable")
    assert result.details["http_status"] == 404


async def test_portal_without_probes_is_not_configured() -> None:
    result = await run_check(network.check_captive_portal, net())
    assert (result.status, result.code) == (Status.SKIP, "not_configured")


# proxy ------------------------------------------------------------------------------------------


def set_proxy(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY"):
        monkeypatch.setenv(name, url)


async def test_proxy_none_applies() -> None:
    result = await run_check(network.check_proxy, net(api_url="https://127.0.0.1:1/"))
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert result.details == {"proxy": "none"}


async def test_proxy_bypassed_by_no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    set_proxy(monkeypatch, f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    result = await run_check(network.check_proxy, net(api_url="https://127.0.0.1:1/"))
    assert result.details == {"proxy": "none"}


async def test_proxy_answering_407(monkeypatch: pytest.MonkeyPatch) -> None:
    with LoopbackProxy(always_407=True) as proxy:
        set_proxy(monkeypatch, proxy.url())
        prof = net(api_url="https://127.0.0.1:1/health")
        result = await run_check(network.check_proxy, prof)
    assert (result.status, result.code) == (Status.FAIL, "proxy_auth_required")
    assert result.details["proxy"] == f"http://127.0.0.1:{proxy.port}"
    assert result.details["http_status"] == 407
    assert proxy.seen.request_lines == ["CONNECT 127.0.0.1:1 HTTP/1.1"]


async def test_proxy_407_for_plain_http_probes(monkeypatch: pytest.MonkeyPatch) -> None:
    with LoopbackProxy(always_407=True) as proxy:
        monkeypatch.setenv("http_proxy", proxy.url())
        prof = net(connectivity_urls=["http://127.0.0.1:1/generate_204"])
        result = await run_check(network.check_proxy, prof)
    assert result.code == "proxy_auth_required"
    assert proxy.seen.request_lines == ["GET http://127.0.0.1:1/generate_204 HTTP/1.1"]


async def test_proxy_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    set_proxy(monkeypatch, f"http://127.0.0.1:{port}")
    result = await run_check(network.check_proxy, net(api_url="https://127.0.0.1:1/"))
    assert (result.status, result.code) == (Status.FAIL, "proxy_error")
    assert result.details["reason"] == "refused"
    assert result.details["proxy"] == f"http://127.0.0.1:{port}"
    # The API goes through the same proxy: its failure is the proxy's, not the wallet's.
    api = await run_check(network.check_api, net(api_url="https://127.0.0.1:1/"))
    assert (api.code, api.details["reason"]) == ("proxy_error", "connection_refused")
    assert api.details["proxy"] == f"http://127.0.0.1:{port}"


async def test_proxy_that_never_answers_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    with FaultServer(never_speak) as silent:
        set_proxy(monkeypatch, f"http://127.0.0.1:{silent.port}")
        prof = net(api_url="https://127.0.0.1:1/", timeout_s=0.5)
        result = await run_check(network.check_proxy, prof)
    assert (result.code, result.details["reason"]) == ("proxy_error", "timeout")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("http://user:s3cret@:bad", "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY"),
        ("ftp://user:s3cret@127.0.0.1:21", "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY"),
        ("socks5://user:s3cret@127.0.0.1:1", "socks5://127.0.0.1:1"),
    ],
)
async def test_proxy_invalid_or_unsupported(
    monkeypatch: pytest.MonkeyPatch, value: str, shown: str
) -> None:
    set_proxy(monkeypatch, value)
    monkeypatch.setenv("ALL_PROXY", value)
    result = await run_check(network.check_proxy, net(api_url="https://127.0.0.1:1/"))
    assert (result.status, result.code) == (Status.FAIL, "proxy_error")
    assert "s3cret" not in json.dumps(result.to_json())
    assert result.details["proxy"] == shown


async def test_proxy_credentials_are_used_and_never_shown(
    monkeypatch: pytest.MonkeyPatch, https: LoopbackHTTPServer, ca_file: str
) -> None:
    with LoopbackProxy(require_auth="alice:s3cret pass") as proxy:
        set_proxy(monkeypatch, proxy.url("alice:s3cret%20pass"))
        prof = net(api_url=https.url("/health"), ca_bundle=ca_file)
        step = await asyncio.wait_for(run_step("network", prof, Inputs()), GUARD_S)
    text = json.dumps(step.to_json(), ensure_ascii=False)
    assert "s3cret" not in text and "alice" not in text
    proxy_result, api = step.check("proxy"), step.check("api")
    assert proxy_result is not None and api is not None
    assert (proxy_result.code, proxy_result.details["proxy"]) == ("ok", proxy.url())
    assert (api.code, api.details["http_status"]) == ("ok", 200)  # tunnelled by the proxy
    assert "alice:s3cret pass" in proxy.seen.credentials


async def test_proxy_wrong_credentials_need_auth_and_stay_hidden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with LoopbackProxy(require_auth="alice:right") as proxy:
        set_proxy(monkeypatch, proxy.url("alice:wr0ng"))
        prof = net(api_url="https://127.0.0.1:1/", connectivity_urls=["http://127.0.0.1:1/g"])
        step = await asyncio.wait_for(run_step("network", prof, Inputs()), GUARD_S)
    result, api = step.check("proxy"), step.check("api")
    assert result is not None and result.code == "proxy_auth_required"
    assert api is not None and api.code == "proxy_error"  # the tunnel was refused
    assert "wr0ng" not in json.dumps(step.to_json(), ensure_ascii=False)


# api ---------------------------------------------------------------------------------------------


async def test_api_ok_over_trusted_https_with_timings(
    https: LoopbackHTTPServer, ca_file: str
) -> None:
    prof = net(api_url=https.url("/health?token=abc"), ca_bundle=ca_file)
    result = await run_check(network.check_api, prof)
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert result.details["http_status"] == 200
    assert result.details["host"] == "127.0.0.1"
    for key in ("connect_ms", "tls_ms", "first_byte_ms", "elapsed_ms"):
        assert result.details[key] >= 0
    assert "abc" not in json.dumps(result.details)


async def test_api_any_status_below_500_means_the_server_answered() -> None:
    with LoopbackHTTPServer(lambda r: Reply(404, "no such thing")) as srv:
        result = await run_check(network.check_api, net(api_url=srv.url("/health")))
    assert (result.status, result.code, result.details["http_status"]) == (Status.PASS, "ok", 404)


async def test_api_500_is_an_http_error() -> None:
    with LoopbackHTTPServer(lambda r: Reply(503, "down")) as srv:
        result = await run_check(network.check_api, net(api_url=srv.url("/health")))
    assert (result.status, result.code, result.details["http_status"]) == (
        Status.FAIL,
        "http_error",
        503,
    )


async def test_api_slow_answer_warns() -> None:
    with LoopbackHTTPServer(lambda r: Reply(200, "ok", delay_s=0.3)) as srv:
        prof = net(api_url=srv.url("/health"), slow_ms=100)
        result = await run_check(network.check_api, prof)
    assert (result.status, result.code) == (Status.WARN, "slow")
    assert result.details["elapsed_ms"] > result.details["slow_ms"] == 100


async def test_api_follows_a_few_redirects() -> None:
    def handler(req: Request) -> Reply:
        if req.path == "/final":
            return Reply(200, "ok")
        return Reply(302, headers={"Location": "/final"})

    with LoopbackHTTPServer(handler) as srv:
        result = await run_check(network.check_api, net(api_url=srv.url("/start")))
    assert (result.code, result.details["redirects"]) == ("ok", 1)


async def test_api_redirect_loop() -> None:
    with LoopbackHTTPServer(lambda r: Reply(302, headers={"Location": r.path})) as srv:
        result = await run_check(network.check_api, net(api_url=srv.url("/loop")))
    assert (result.status, result.code) == (Status.FAIL, "redirect_loop")
    assert len(srv.requests) == network.MAX_REDIRECTS + 1


@pytest.mark.parametrize(
    ("which", "code", "verify_code"),
    [
        ("untrusted", "tls_untrusted", 20),
        ("wrong_host", "tls_hostname_mismatch", 64),
        ("expired", "tls_expired", 10),
    ],
)
async def test_api_certificate_problems(
    ca: trustme.CA, ca_file: str, which: str, code: str, verify_code: int
) -> None:
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2)
    leaves = {
        "untrusted": lambda: trustme.CA().issue_cert("127.0.0.1"),
        "wrong_host": lambda: ca.issue_cert("wallet.example.com"),
        "expired": lambda: ca.issue_cert(
            "127.0.0.1", not_before=past - datetime.timedelta(days=30), not_after=past
        ),
    }
    with LoopbackHTTPServer(lambda r: Reply(200, "ok"), server_ctx(leaves[which]())) as srv:
        result = await run_check(network.check_api, net(api_url=srv.url(), ca_bundle=ca_file))
    assert (result.status, result.code) == (Status.FAIL, code)
    assert result.details["verify_code"] == verify_code
    assert result.details["host"] == "127.0.0.1"


async def test_api_tls_to_a_plain_http_server_is_a_tls_error() -> None:
    with LoopbackHTTPServer(lambda r: Reply(200, "plain")) as srv:
        url = f"https://127.0.0.1:{srv.port}/"
        result = await run_check(network.check_api, net(api_url=url))
    assert (result.status, result.code) == (Status.FAIL, "tls_error")


async def test_api_connection_refused() -> None:
    result = await run_check(network.check_api, net(api_url=f"http://127.0.0.1:{free_port()}/"))
    assert (result.status, result.code) == (Status.FAIL, "connection_refused")
    assert result.details["error"] == "ConnectionRefusedError"


async def test_api_full_backlog_is_a_connect_timeout() -> None:
    with FullBacklogServer() as busy:
        result = await run_check(network.check_api, net(api_url=busy.url(), timeout_s=0.5))
    assert (result.status, result.code) == (Status.FAIL, "connect_timeout")


async def test_api_listener_that_never_speaks_is_a_read_timeout() -> None:
    with FaultServer(never_speak) as silent:
        result = await run_check(network.check_api, net(api_url=silent.url(), timeout_s=0.5))
    assert (result.status, result.code) == (Status.FAIL, "read_timeout")
    assert "connect_ms" in result.details


async def test_api_tls_listener_that_never_handshakes_is_a_connect_timeout() -> None:
    with FaultServer(never_speak) as silent:
        url = f"https://127.0.0.1:{silent.port}/"
        result = await run_check(network.check_api, net(api_url=url, timeout_s=0.5))
    assert (result.status, result.code) == (Status.FAIL, "connect_timeout")


@pytest.mark.parametrize("behaviour", [drip_body(), drip_head()], ids=["body", "head"])
async def test_api_dripping_server_still_ends_by_the_timeout(behaviour: Any) -> None:
    # httpx's read timeout is per read; a byte every 50 ms would keep it alive for ever.
    with FaultServer(behaviour) as drip:
        result = await run_check(network.check_api, net(api_url=drip.url(), timeout_s=0.5))
    assert (result.status, result.code) == (Status.FAIL, "read_timeout")


@pytest.mark.parametrize(
    "behaviour", [hang_up_after_request, reset_after_request], ids=["close", "rst"]
)
async def test_api_hang_up_is_a_connection_reset(behaviour: Any) -> None:
    with FaultServer(behaviour) as rude:
        result = await run_check(network.check_api, net(api_url=rude.url()))
    assert (result.status, result.code) == (Status.FAIL, "connection_reset")


async def test_api_hang_up_after_the_tls_handshake(ca: trustme.CA, ca_file: str) -> None:
    tls = server_ctx(ca.issue_cert("127.0.0.1"))
    with FaultServer(hang_up_after_request, tls=tls) as rude:
        result = await run_check(network.check_api, net(api_url=rude.url(), ca_bundle=ca_file))
    assert (result.status, result.code) == (Status.FAIL, "connection_reset")


async def test_api_answer_that_is_not_http() -> None:
    with FaultServer(raw_reply(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")) as odd:
        result = await run_check(network.check_api, net(api_url=odd.url()))
    assert (result.status, result.code) == (Status.FAIL, "http_error")
    assert result.details["reason"] == "bad_http"


async def test_api_without_url_is_not_configured() -> None:
    result = await run_check(network.check_api, net())
    assert (result.status, result.code) == (Status.SKIP, "not_configured")


async def test_api_with_an_unusable_proxy_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    set_proxy(monkeypatch, "http://bob:s3cret@:bad")
    result = await run_check(network.check_api, net(api_url="http://127.0.0.1:1/"))
    assert (result.status, result.code) == (Status.FAIL, "proxy_error")
    assert "s3cret" not in json.dumps(result.to_json())
    assert result.details["proxy"] == "HTTPS_PROXY, HTTP_PROXY"  # names, never values


def test_classify_name_lookup_failure_by_type() -> None:
    # A real gaierror needs a resolver that fails, i.e. the internet; the chain is built here
    # exactly as httpx builds it (httpx error <- httpcore error <- socket.gaierror).
    try:
        try:
            raise socket.gaierror(socket.EAI_NONAME, "whatever the platform says")
        except socket.gaierror as inner:
            raise httpx.ConnectError("any text") from inner
    except httpx.ConnectError as exc:
        code, details = network.classify_error(exc)
    assert (code, details["error"]) == ("dns_failure", "gaierror")


def test_classify_ignores_message_text() -> None:
    misleading = httpx.ConnectError("certificate has expired; connection refused; timed out")
    assert network.classify_error(misleading)[0] == "connection_refused"


# Through the runner: localized, in order -----------------------------------------------------


async def test_network_step_in_order_and_explained(https: LoopbackHTTPServer, ca_file: str) -> None:
    with probe_server(Reply(204)) as good:
        prof = net(
            api_url=https.url("/health"), connectivity_urls=[good.url("/g")], ca_bundle=ca_file
        )
        step = await asyncio.wait_for(run_step("network", prof, Inputs()), GUARD_S)
    assert [c.id for c in step.checks] == [
        "link", "dns", "captive_portal", "proxy", "api", "service_status",
    ]  # fmt: skip
    codes = {c.id: c.code for c in step.checks}
    assert codes == {
        # IP addresses only: no name to look up.
        "link": "ok", "dns": "not_configured", "captive_portal": "ok", "proxy": "ok", "api": "ok",
        "service_status": "not_configured",
    }  # fmt: skip
    # Codes from the runner, words at the edge: every result explains itself.
    assert not any(c.summary for c in step.checks)
    for check in step.explained("en").checks:
        assert check.summary
        assert_clean(check)
