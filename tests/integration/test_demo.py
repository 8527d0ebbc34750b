"""The embedded demo wallet service: every scenario's endpoints, its DNS, its help desk, its
profile, and the `wallet-wizard demo` command (all on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import ssl
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import dns.resolver
import httpx
import pytest
from packaging.version import Version

from wizard.checks.model import Inputs, Report
from wizard.checks.runner import run_report
from wizard.demo import SCENARIOS, DemoError, DemoService
from wizard.profile import Profile, load_profile

ROOT = Path(__file__).resolve().parents[2]
PLATFORMS = ("android", "ios", "harmonyos", "default")


@pytest.fixture
def demo(request: pytest.FixtureRequest) -> Iterator[DemoService]:
    """A running demo service; the scenario comes from `@pytest.mark.parametrize(indirect)`."""
    scenario = getattr(request, "param", "ok")
    with DemoService(scenario) as service:
        yield service


def client(profile: Profile, **kwargs: object) -> httpx.Client:
    """A client trusting the profile's CA bundle, as the checks do."""
    verify = ssl.create_default_context(cafile=profile.network.ca_bundle)
    return httpx.Client(verify=verify, timeout=10, **kwargs)  # type: ignore[arg-type]


def ssl_verify_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate error under an httpx exception, found by walking the causes."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


# -- scenarios ----------------------------------------------------------------------------


def test_ok_serves_every_endpoint(demo: DemoService) -> None:
    profile = demo.profile()
    with client(profile) as http:
        for url in profile.network.connectivity_urls:
            probe = http.get(url)
            assert (probe.status_code, probe.content) == (204, b"")
        health = http.get(profile.network.api_url)
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        summary = http.get(profile.service.status_url).json()
        assert summary["status"] == {"indicator": "none", "description": "All Systems Operational"}
        assert summary["incidents"] == [] and summary["scheduled_maintenances"] == []
        assert summary["page"]["name"] and summary["components"]
        platforms = http.get(profile.app.manifest_url).json()["platforms"]
    assert set(platforms) == set(PLATFORMS)
    for entry in platforms.values():
        assert Version(entry["minimum"]) <= Version("10.5.3") < Version(entry["latest"])
        assert entry["download_url"].startswith("https://")


@pytest.mark.parametrize("demo", ["captive_portal"], indirect=True)
def test_captive_portal_intercepts_until_signed_in(demo: DemoService) -> None:
    profile = demo.profile()
    with client(profile) as http:
        for url in (*profile.network.connectivity_urls, profile.service.status_url):
            probe = http.get(url)
            assert probe.status_code == 302
            assert probe.headers["location"] == f"{demo.base_url}/login"
        login = http.get(profile.network.connectivity_urls[0], follow_redirects=True)
        assert login.status_code == 200 and "Sign in to Wi-Fi" in login.text
        # HTTPS is answered with the portal's own certificate, which nobody trusts.
        with pytest.raises(httpx.ConnectError) as caught:
            http.get(profile.network.api_url)
        assert ssl_verify_error(caught.value) is not None
        # Accepting the terms ends the interception.
        assert http.post(f"{demo.base_url}/login").status_code == 200
        assert demo.scenario == "ok"
        assert http.get(profile.network.connectivity_urls[0]).status_code == 204
        assert http.get(profile.network.api_url).json() == {"status": "ok"}


@pytest.mark.parametrize("demo", ["outage"], indirect=True)
def test_outage_fails_the_api_and_shows_an_incident(demo: DemoService) -> None:
    profile = demo.profile()
    with client(profile) as http:
        assert http.get(profile.network.api_url).status_code == 503
        summary = http.get(profile.service.status_url).json()
        assert http.get(profile.network.connectivity_urls[0]).status_code == 204
    assert summary["status"]["indicator"] == "major"
    assert summary["incidents"] == [
        {
            **summary["incidents"][0],
            "name": "Phone number and email changes failing",
            "status": "investigating",
            "impact": "major",
        }
    ]


@pytest.mark.parametrize("demo", ["old_app"], indirect=True)
def test_old_app_requires_an_update(demo: DemoService) -> None:
    profile = demo.profile()
    with client(profile) as http:
        platforms = http.get(profile.app.manifest_url).json()["platforms"]
        assert http.get(profile.network.api_url).status_code == 200
    assert set(platforms) == set(PLATFORMS)
    for entry in platforms.values():
        assert Version("10.5.3") < Version("10.99") < Version(entry["minimum"])
        assert Version(entry["minimum"]) <= Version(entry["latest"])


@pytest.mark.parametrize("demo", ["tls_intercept"], indirect=True)
def test_tls_intercept_presents_an_untrusted_certificate(demo: DemoService) -> None:
    profile = demo.profile()
    with client(profile) as http:
        with pytest.raises(httpx.ConnectError) as caught:
            http.get(profile.network.api_url)
        assert http.get(profile.network.connectivity_urls[0]).status_code == 204
    error = ssl_verify_error(caught.value)
    assert error is not None and error.verify_code in (18, 19, 20)
    # Only the certificate is wrong: the proxy passes the wallet's answer through.
    with httpx.Client(verify=False, timeout=10) as insecure:
        assert insecure.get(profile.network.api_url).json() == {"status": "ok"}


@pytest.mark.parametrize("demo", ["slow"], indirect=True)
def test_slow_answers_after_slow_ms_but_before_the_timeout(demo: DemoService) -> None:
    profile = demo.profile()
    with client(profile) as http:
        http.get(profile.network.connectivity_urls[0])
        started = time.perf_counter()
        health = http.get(profile.network.api_url)
        elapsed_ms = (time.perf_counter() - started) * 1000
    assert health.json() == {"status": "ok"}
    # A lower bound only: the server waits 2 s, it cannot answer sooner.
    assert elapsed_ms > profile.network.slow_ms
    assert profile.network.slow_ms < 2000 < profile.network.timeout_s * 1000


def test_every_scenario_starts_and_stops() -> None:
    for scenario in SCENARIOS:
        with DemoService(scenario) as service:
            assert service.scenario == scenario
            with httpx.Client(timeout=10) as http:
                index = http.get(f"{service.base_url}/")
            if scenario == "captive_portal":
                assert index.status_code == 302
            else:
                assert index.json()["scenario"] == scenario


async def test_serves_while_an_event_loop_runs_in_the_same_thread() -> None:
    with DemoService("ok") as service:
        profile = service.profile()
        verify = ssl.create_default_context(cafile=profile.network.ca_bundle)
        async with httpx.AsyncClient(verify=verify, timeout=10) as http:
            answers = await asyncio.gather(
                http.get(profile.network.api_url),
                *(http.get(url) for url in profile.network.connectivity_urls),
                http.get(profile.service.status_url),
            )
    assert [a.status_code for a in answers] == [200, 204, 204, 200]


# -- profile ------------------------------------------------------------------------------


def test_profile_toml_loads_as_the_same_profile(demo: DemoService, tmp_path: Path) -> None:
    path = tmp_path / "demo.toml"
    path.write_text(demo.profile_toml(), encoding="utf-8")
    loaded = load_profile(path)
    assert replace(loaded, source=None) == replace(demo.profile(), source=None)
    net = loaded.network
    assert net.timeout_s == 3.0 and net.slow_ms == 1500.0
    assert net.api_url.startswith("https://127.0.0.1:")
    assert all(url.startswith(demo.base_url) for url in net.connectivity_urls)
    assert net.dns_servers == (f"127.0.0.1:{demo.dns_port}",)
    assert loaded.support.endpoint == f"{demo.base_url}/api/tickets"
    assert (loaded.support.phone, loaded.support.hours) == ("95188", "08:00-22:00")
    assert (loaded.wallet.language, loaded.wallet.default_region) == ("", "CN")
    ca = Path(net.ca_bundle)
    assert ca.is_absolute() and "BEGIN CERTIFICATE" in ca.read_text()
    if os.name == "posix":
        assert stat.S_IMODE(ca.stat().st_mode) == 0o600
        assert stat.S_IMODE(ca.parent.stat().st_mode) == 0o700


def test_certificates_are_reused_and_a_damaged_cache_is_replaced() -> None:
    with DemoService() as first:
        ca = Path(first.ca_path)
    with DemoService() as second:
        assert second.ca_path == str(ca)
    (ca.parent / "bundle.json").write_text("{not json")
    with DemoService() as third:
        profile = third.profile()
        assert third.ca_path != str(ca)
        with client(profile) as http:
            assert http.get(profile.network.api_url).status_code == 200


def test_a_warm_start_does_not_import_trustme(tmp_path: Path) -> None:
    code = (
        "import sys; from wizard.demo import DemoService\n"
        "with DemoService(): pass\n"
        "print('trustme' in sys.modules)\n"
    )
    env = {**os.environ, "WALLET_WIZARD_HOME": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs == ["True", "False"]


def test_bad_arguments_and_states_are_clear_errors() -> None:
    with pytest.raises(DemoError, match="volcano"):
        DemoService("volcano")
    with pytest.raises(DemoError, match="65535"):
        DemoService(port=70000)
    with pytest.raises(DemoError, match="IPv4"):
        DemoService(host="localhost")
    service = DemoService()
    with pytest.raises(DemoError, match="not running"):
        service.profile()
    service.stop()  # stopping what never started is harmless


def test_a_taken_port_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(DemoError, match=f"127.0.0.1:{port}"):
            DemoService(port=port).start()


def test_a_fixed_port_is_the_http_port() -> None:
    with DemoService() as first:
        port = first.port
    with DemoService(port=port) as service:
        assert service.base_url == f"http://127.0.0.1:{port}"
        assert service.profile().service.status_url.startswith(f"http://127.0.0.1:{port}/")


# -- DNS ----------------------------------------------------------------------------------


def test_dns_answers_as_the_internet_would(demo: DemoService) -> None:
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = demo.dns_port
    resolver.lifetime = 5
    for domain in ("qq.com", "163.com", "gmail.com", "outlook.com", "demo-wallet.example"):
        answer = resolver.resolve(domain, "MX")
        assert [r.exchange.to_text() for r in answer] == [f"mx.{answer.qname.to_text()}"]
    # No mail server is invented: a domain nobody registered does not exist…
    for domain in ("no-such-mail-provider.com", "邮件.中国", "qq.com.cn"):
        with pytest.raises(dns.resolver.NXDOMAIN):
            resolver.resolve(domain, "MX")
    # …and the resolver is seen to know the top-level zones, so that answer can be believed.
    for tld in ("com", "cn", "net", "org"):
        assert [r.target.to_text() for r in resolver.resolve(tld, "NS")] == [f"a.nic.{tld}."]
    with pytest.raises(dns.resolver.NXDOMAIN):
        resolver.resolve("nobody.invalid", "MX")
    null_mx = resolver.resolve("example.com", "MX")
    assert [(r.preference, r.exchange.to_text()) for r in null_mx] == [(0, ".")]
    with pytest.raises(dns.resolver.NoAnswer):
        resolver.resolve("qq.com", "TXT")
    assert [r.address for r in resolver.resolve("api.demo.wallet", "A")] == ["127.0.0.1"]
    over_tcp = dns.query.tcp(dns.message.make_query("163.com", "MX"), "127.0.0.1", 5, demo.dns_port)
    assert over_tcp.answer[0][0].exchange.to_text() == "mx.163.com."


def test_dns_answers_garbage_with_formerr(demo: DemoService) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(5)
        sock.sendto(b"\x12\x34" + b"\x01\x00" + b"\xff" * 20, ("127.0.0.1", demo.dns_port))
        data = sock.recv(512)
    assert data[:2] == b"\x12\x34" and data[2] & 0x80 and data[3] & 0x0F == dns.rcode.FORMERR


# -- help desk ----------------------------------------------------------------------------


def message(reference: str = "WU-7KQ2-9M4D") -> dict[str, object]:
    """A support message as `--send` posts it (CONTRACT §4)."""
    return {"reference": reference, "subject": "Cannot change phone", "body": "…", "what": "phone"}


def test_help_desk_opens_one_ticket_per_idempotency_key(demo: DemoService) -> None:
    url = demo.profile().support.endpoint
    with httpx.Client(timeout=10) as http:
        first = http.post(url, json=message(), headers={"Idempotency-Key": "key-1"})
        again = http.post(url, json=message(), headers={"Idempotency-Key": "key-1"})
        other = http.post(url, json=message("WU-0000-0001"), headers={"Idempotency-Key": "key-2"})
        listed = http.get(url).json()["tickets"]
    assert first.status_code == 201 and again.status_code in (200, 201)
    assert first.json()["ticket_id"] == again.json()["ticket_id"]
    assert first.json()["ticket_id"].startswith("T-")
    assert other.json()["ticket_id"] != first.json()["ticket_id"]
    assert [t.reference for t in demo.tickets] == ["WU-7KQ2-9M4D", "WU-0000-0001"]
    assert [t.idempotency_key for t in demo.tickets] == ["key-1", "key-2"]
    assert demo.tickets[0].payload["what"] == "phone"
    assert [t["ticket_id"] for t in listed] == [t.ticket_id for t in demo.tickets]
    assert demo.ticket_attempts == 3


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "object"),
        (json.dumps({"subject": "no reference"}).encode(), "reference"),
        (json.dumps({"reference": "   "}).encode(), "reference"),
    ],
)
def test_help_desk_rejects_bad_messages(demo: DemoService, body: bytes, reason: str) -> None:
    with httpx.Client(timeout=10) as http:
        answer = http.post(
            demo.profile().support.endpoint,
            content=body,
            headers={"Content-Type": "application/json", "Idempotency-Key": "k"},
        )
    assert answer.status_code == 400 and reason in answer.json()["error"]
    assert demo.tickets == []


def test_help_desk_checks_the_bearer_token_only_when_it_has_one() -> None:
    with DemoService(token="s3cret") as service, httpx.Client(timeout=10) as http:
        url = service.profile().support.endpoint
        missing = http.post(url, json=message())
        wrong = http.post(url, json=message(), headers={"Authorization": "Bearer nope"})
        right = http.post(url, json=message(), headers={"Authorization": "Bearer s3cret"})
        assert (missing.status_code, wrong.status_code, right.status_code) == (401, 401, 201)
        assert len(service.tickets) == 1


# -- end to end: the real checks against each scenario -----------------------------------

INPUTS = Inputs(
    phone="13800138000",
    region="CN",
    email="user@qq.com",
    app_version="10.6.20",
    platform="android",
)
EXPECTED = {
    "ok": {},
    "captive_portal": {"captive_portal": "captive_portal", "api": "tls_untrusted"},
    "outage": {"api": "http_error", "service_status": "service_outage"},
    "old_app": {"app_version": "update_required"},
    "tls_intercept": {"api": "tls_untrusted"},
    "slow": {"api": "slow"},
}
OVERALL = {"ok": "pass", "slow": "warn"}


def codes(report: Report) -> dict[str, str]:
    return {c.id: c.code for step in report.steps for c in step.checks}


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_each_scenario_gives_its_diagnosis(scenario: str) -> None:
    with DemoService(scenario) as service:
        report = await run_report(service.profile(), INPUTS)
    found = codes(report)
    assert {k: found[k] for k in EXPECTED[scenario]} == EXPECTED[scenario]
    assert report.overall.value == OVERALL.get(scenario, "fail")
    if scenario in ("ok", "slow"):
        # The demo's addresses are IP addresses: the DNS check has no name to look up.
        assert found["dns"] == "not_configured"
        unexpected = {k: v for k, v in found.items() if v not in ("ok", "not_configured")}
        assert unexpected == EXPECTED[scenario]


@pytest.mark.parametrize(
    ("email", "code"),
    [
        ("user@example.com", "email_undeliverable"),  # a null MX, as on the internet
        ("user@no-such-mail-provider.com", "email_undeliverable"),  # nobody's domain
        ("user@163.com", "ok"),
    ],
)
async def test_the_demo_dns_serves_the_email_check(email: str, code: str) -> None:
    inputs = replace(INPUTS, email=email)
    with DemoService() as service:
        report = await run_report(service.profile(), inputs, steps=("contact",))
    assert codes(report)["email"] == code


# -- the command --------------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=60,
    )


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_demo_command_prints_a_profile_then_serves_until_stopped(
    stop: signal.Signals, tmp_path: Path
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "wizard", "demo", "--scenario", "ok", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "WALLET_WIZARD_HOME": str(tmp_path / "home")},
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        while not lines or not lines[-1].startswith("hours = "):
            line = proc.stdout.readline()
            assert line, f"the demo ended early: {lines}"
            lines.append(line)
        assert lines[0] == "# wallet-wizard demo service, scenario ok\n"
        profile_file = tmp_path / "demo.toml"
        profile_file.write_text("".join(lines), encoding="utf-8")
        profile = load_profile(profile_file)
        with client(profile) as http:
            assert http.get(profile.network.connectivity_urls[0]).status_code == 204
            assert http.get(profile.network.api_url).json() == {"status": "ok"}
        proc.send_signal(stop)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert err == ""


def test_demo_command_refuses_a_taken_port(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = run_cli("demo", "--port", port, env={"WALLET_WIZARD_HOME": str(tmp_path)})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and port in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args", [["--scenario", "volcano"], ["--scenario", ""], ["--port", "70000"], ["--port", "-1"]]
)
def test_demo_command_bad_arguments_are_one_line(args: list[str], tmp_path: Path) -> None:
    result = run_cli("demo", *args, env={"WALLET_WIZARD_HOME": str(tmp_path)})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("wallet-wizard: ") and result.stderr.count("\n") == 1
