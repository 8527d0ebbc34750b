"""The `app_version` check against real manifests served on 127.0.0.1 (HTTP and HTTPS)."""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from tests.loopback.http import LoopbackHTTPServer, Reply
from wizard.checks.app_version import check_app_version
from wizard.checks.context import CheckContext
from wizard.checks.fetch import MAX_BODY_BYTES
from wizard.checks.model import CheckResult, Inputs, Status
from wizard.checks.registry import REGISTRY
from wizard.diagnosis import describe
from wizard.profile import AppSection, NetworkSection, Profile

DOWNLOAD = "https://wallet.example.com/download/android"

MANIFEST: dict[str, Any] = {
    "platforms": {
        "android": {"latest": "10.6.20", "minimum": "10.5.0", "download_url": DOWNLOAD},
        "ios": {"latest": "10.7.0", "minimum": "10.6.0"},
        "default": {"latest": "10.6.0", "minimum": "10.0.0"},
    }
}


@pytest.fixture(scope="module")
def shared_server() -> Iterator[LoopbackHTTPServer]:
    """One server for the module (each shutdown costs half a second); tests set its handler."""
    with LoopbackHTTPServer(lambda _req: Reply(500)) as server:
        yield server


@pytest.fixture
def server(shared_server: LoopbackHTTPServer) -> LoopbackHTTPServer:
    """The shared server, serving MANIFEST until a test says otherwise."""
    shared_server.requests.clear()
    shared_server.handler = lambda _req: _json(MANIFEST)
    return shared_server


def _json(body: Any) -> Reply:
    return Reply(200, json.dumps(body), {"Content-Type": "application/json"})


async def _check(
    url: str,
    version: str | None,
    platform: str | None = "android",
    *,
    timeout_s: float = 1.0,
    ca_bundle: str = "",
) -> CheckResult:
    profile = Profile(
        network=NetworkSection(timeout_s=timeout_s, ca_bundle=ca_bundle),
        app=AppSection(manifest_url=url),
    )
    ctx = CheckContext(profile, Inputs(app_version=version, platform=platform))
    try:
        return await asyncio.wait_for(check_app_version(ctx), timeout=10)
    finally:
        await ctx.aclose()


async def _serve(
    server: LoopbackHTTPServer, reply: Reply, version: str = "10.6.20", platform: str = "android"
) -> CheckResult:
    server.handler = lambda _req: reply
    return await _check(server.url("/app-version.json"), version, platform)


@pytest.mark.parametrize(
    ("version", "status", "code"),
    [
        ("10.6.20", Status.PASS, "ok"),
        ("10.7", Status.PASS, "ok"),
        ("10.6.3", Status.WARN, "update_available"),
        ("10.5.0", Status.WARN, "update_available"),
        ("10.4.99", Status.FAIL, "update_required"),
        ("9", Status.FAIL, "update_required"),
    ],
)
async def test_version_against_android_entry(
    server: LoopbackHTTPServer, version: str, status: Status, code: str
) -> None:
    result = await _check(server.url("/app-version.json"), version)
    assert (result.status, result.code) == (status, code)
    assert result.details["latest"] == "10.6.20"
    assert result.details["minimum"] == "10.5.0"
    assert result.details["platform"] == "android"
    assert result.details["download_url"] == DOWNLOAD


async def test_request_asks_for_json(server: LoopbackHTTPServer) -> None:
    await _check(server.url("/app-version.json"), "10.6.20")
    assert server.requests[0].path == "/app-version.json"
    assert server.requests[0].headers["Accept"] == "application/json"


@pytest.mark.parametrize(
    "typed", ["v10.6.20", "V10.6.20", "版本 10.6.20", "版本：10.6.20", "１０.６.２０", " 10.6.20 "]
)
async def test_typed_forms_of_a_version_are_understood(
    server: LoopbackHTTPServer, typed: str
) -> None:
    result = await _check(server.url("/app-version.json"), typed)
    assert (result.code, result.details["current"]) == ("ok", "10.6.20")


async def test_platform_specific_entry_is_used(server: LoopbackHTTPServer) -> None:
    result = await _check(server.url("/app-version.json"), "10.6.20", "iOS")
    assert (result.status, result.code) == (Status.WARN, "update_available")
    assert result.details["latest"] == "10.7.0"
    assert result.details["manifest_platform"] == "ios"
    assert "download_url" not in result.details


@pytest.mark.parametrize("platform", ["harmonyos", None, "", "desktop"])
async def test_unlisted_platform_falls_back_to_default(
    server: LoopbackHTTPServer, platform: str | None
) -> None:
    result = await _check(server.url("/app-version.json"), "10.6.0", platform)
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert result.details["manifest_platform"] == "default"
    assert result.details["latest"] == "10.6.0"


async def test_unlisted_platform_without_default_is_bad_response(
    server: LoopbackHTTPServer,
) -> None:
    manifest = {"platforms": {"ios": MANIFEST["platforms"]["ios"]}}
    result = await _serve(server, _json(manifest), platform="android")
    assert (result.status, result.code) == (Status.UNKNOWN, "bad_response")
    assert result.details["reason"] == "no_platform"


async def test_minimum_is_optional(server: LoopbackHTTPServer) -> None:
    manifest = {"platforms": {"default": {"latest": "2.0"}}}
    result = await _serve(server, _json(manifest), version="1.0")
    assert (result.status, result.code) == (Status.WARN, "update_available")
    assert result.details["minimum"] == ""


@pytest.mark.parametrize(
    "typed", ["abc", "10..6", "ten point six", "1.2.3-banana!", "9" * 100, "v", "版本"]
)
async def test_unreadable_version_is_invalid(server: LoopbackHTTPServer, typed: str) -> None:
    result = await _check(server.url("/app-version.json"), typed)
    assert (result.status, result.code) == (Status.FAIL, "version_invalid")
    assert server.requests == []  # no point asking the server


async def test_invalid_version_detail_is_sanitized(server: LoopbackHTTPServer) -> None:
    result = await _check(server.url("/app-version.json"), "\x1b[31mten\x1b]0;x\x07")
    assert result.code == "version_invalid"
    assert result.details["current"] == "ten"


async def test_version_not_asked_is_not_provided(server: LoopbackHTTPServer) -> None:
    result = await _check(server.url("/app-version.json"), None)
    assert (result.status, result.code) == (Status.SKIP, "not_provided")
    assert server.requests == []


@pytest.mark.parametrize("version", ["", "   "])
async def test_version_asked_but_left_empty_still_reads_the_manifest(
    server: LoopbackHTTPServer, version: str
) -> None:
    result = await _check(server.url("/app-version.json"), version)
    assert (result.status, result.code) == (Status.WARN, "version_not_given")
    assert result.details == {
        "platform": "android",
        "manifest_platform": "android",
        "latest": "10.6.20",
        "minimum": "10.5.0",
        "download_url": DOWNLOAD,
    }
    assert len(server.requests) == 1
    assert REGISTRY.stamp(result).side == "user"


@pytest.mark.parametrize(
    ("lang", "summary", "where"),
    [
        (
            "en",
            "No app version was given. The latest is 10.6.20; at least 10.5.0 is needed to "
            "change your details.",
            "Open the wallet app → Me → Settings → About",
        ),
        (
            "zh-CN",
            "没有提供应用版本。最新版本是 10.6.20；修改信息至少需要 10.5.0。",
            "打开钱包应用 → 我的 → 设置 → 关于",
        ),
    ],
)
async def test_version_not_given_tells_the_versions_and_where_to_look(
    server: LoopbackHTTPServer, lang: str, summary: str, where: str
) -> None:
    result = await _check(server.url("/app-version.json"), "")
    text, fix = describe(result.id, result.code, lang, result.details)
    assert text == summary
    assert fix.startswith(where) and "10.5.0" in fix
    # The same wording as a version that could not be read: one place to look, everywhere.
    _, invalid_fix = describe(result.id, "version_invalid", lang, {})
    assert invalid_fix.startswith(where)


async def test_version_not_given_without_a_minimum_names_the_latest(
    server: LoopbackHTTPServer,
) -> None:
    server.handler = lambda _req: _json({"platforms": {"default": {"latest": "10.6.0"}}})
    result = await _check(server.url("/app-version.json"), "")
    assert (result.code, result.details["minimum"]) == ("version_not_given", "")
    text, fix = describe(result.id, result.code, "en", result.details)
    assert text == "No app version was given. The latest is 10.6.0."
    assert "older than 10.6.0" in fix and "  " not in fix


async def test_no_manifest_url_is_not_configured() -> None:
    result = await _check("", "10.6.20")
    assert (result.status, result.code) == (Status.SKIP, "not_configured")


@pytest.mark.parametrize(
    "body",
    [
        "not json at all",
        json.dumps([]),
        json.dumps({"platforms": []}),
        json.dumps({"platforms": {"android": "10.6.20"}}),
        json.dumps({"platforms": {"android": {"latest": 10.6}}}),
        json.dumps({"platforms": {"android": {"latest": "banana"}}}),
        json.dumps({"platforms": {"android": {"latest": "10.6", "minimum": None}}}),
        json.dumps({"platforms": {"android": {"minimum": "10.0"}}}),
        json.dumps({"versions": {}}),
        "{" * 50_000,
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=[
        "broken",
        "array",
        "platforms-list",
        "entry-string",
        "latest-number",
        "latest-garbage",
        "minimum-null",
        "latest-missing",
        "no-platforms",
        "unclosed",
        "deep",
    ],
)
async def test_broken_manifests_are_bad_response(server: LoopbackHTTPServer, body: str) -> None:
    result = await _serve(server, Reply(200, body))
    assert (result.status, result.code) == (Status.UNKNOWN, "bad_response")
    assert result.details["current"] == "10.6.20"


async def test_manifest_larger_than_the_cap_is_bad_response(server: LoopbackHTTPServer) -> None:
    huge = dict(MANIFEST, padding="x" * (MAX_BODY_BYTES + 1))
    result = await _serve(server, _json(huge))
    assert (result.status, result.code) == (Status.UNKNOWN, "bad_response")
    assert result.details["reason"] == "too_large"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://evil.example/\x1b]8;;x\x07",
        "https://ok.example/a b",
        "ftp://files.example/app.apk",
        "//no-scheme.example/app",
        12345,
    ],
)
async def test_unsafe_download_urls_are_dropped(server: LoopbackHTTPServer, url: Any) -> None:
    manifest = {"platforms": {"default": {"latest": "1.0", "download_url": url}}}
    result = await _serve(server, _json(manifest), version="1.0")
    assert result.code == "ok"
    assert "download_url" not in result.details


async def test_hostile_manifest_values_are_sanitized(server: LoopbackHTTPServer) -> None:
    manifest = {"platforms": {"\x1b[2Jandroid": {"latest": "\x1b[31m2.0"}, "default": {}}}
    result = await _serve(server, _json(manifest), version="1.0")
    # The hostile key matches no platform; the empty default has no "latest".
    assert (result.status, result.code) == (Status.UNKNOWN, "bad_response")
    assert "\x1b" not in json.dumps(result.details)


@pytest.mark.parametrize("status", [500, 502, 503, 404])
async def test_error_statuses_are_manifest_unavailable(
    server: LoopbackHTTPServer, status: int
) -> None:
    result = await _serve(server, Reply(status, "down"))
    assert (result.status, result.code) == (Status.UNKNOWN, "manifest_unavailable")
    assert result.details["http_status"] == status


async def test_refused_port_is_manifest_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = await _check(f"http://127.0.0.1:{port}/app-version.json", "10.6.20")
    assert (result.status, result.code) == (Status.UNKNOWN, "manifest_unavailable")
    assert result.details["error"] == "ConnectError"


async def test_slow_manifest_times_out(server: LoopbackHTTPServer) -> None:
    server.handler = lambda _r: Reply(200, json.dumps(MANIFEST), delay_s=2.0)
    result = await _check(server.url("/app-version.json"), "10.6.20", timeout_s=0.3)
    assert (result.status, result.code) == (Status.UNKNOWN, "manifest_unavailable")


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    """A private certificate authority for the HTTPS tests."""
    return trustme.CA()


def _https_server(ca: trustme.CA) -> LoopbackHTTPServer:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return LoopbackHTTPServer(lambda _req: _json(MANIFEST), ssl_context=context)


async def test_https_manifest_trusted_through_the_profile_ca_bundle(
    ca: trustme.CA, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    with _https_server(ca) as https:
        result = await _check(https.url("/app-version.json"), "10.6.20", ca_bundle=str(bundle))
    assert (result.status, result.code) == (Status.PASS, "ok")


async def test_https_manifest_with_untrusted_certificate_is_unavailable(ca: trustme.CA) -> None:
    with _https_server(ca) as https:
        result = await _check(https.url("/app-version.json"), "10.6.20")
    assert (result.status, result.code) == (Status.UNKNOWN, "manifest_unavailable")
    assert result.details["error"] == "ConnectError"
