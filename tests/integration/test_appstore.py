"""The App Store's version (CONTRACT §2): a fake lookup on 127.0.0.1, through `check --profile`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.loopback.http import LoopbackHTTPServer, Reply, Request
from wizard.checks.app_version import check_app_version
from wizard.checks.appstore import CACHE_FILE, CACHE_TTL_S, cache_key, look_up
from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Inputs, Status
from wizard.diagnosis import describe
from wizard.profile import AppSection, NetworkSection, Profile

ROOT = Path(__file__).resolve().parents[2]
STORE_URL = "https://apps.apple.com/us/app/paypal/id283646709"


def answer(version: str = "8.90.0", count: int = 1) -> Reply:
    results = [{"version": version, "trackViewUrl": STORE_URL, "minimumOsVersion": "16.0"}]
    body = {"resultCount": count, "results": results if count else []}
    return Reply(200, json.dumps(body), {"Content-Type": "text/javascript; charset=utf-8"})


@pytest.fixture(scope="module")
def shared_server() -> Iterator[LoopbackHTTPServer]:
    with LoopbackHTTPServer(lambda _req: answer()) as server:
        yield server


@pytest.fixture
def store(shared_server: LoopbackHTTPServer) -> LoopbackHTTPServer:
    """The fake lookup, answering 8.90.0 until a test says otherwise."""
    shared_server.requests.clear()
    shared_server.handler = lambda _req: answer()
    return shared_server


def write_profile(tmp_path: Path, store: LoopbackHTTPServer, extra: str = "") -> Path:
    path = tmp_path / "wallet.toml"
    path.write_text(
        f"""
extends = "paypal"
[network]
api_url = ""
connectivity_urls = []
[service]
status_url = ""
[app]
appstore_lookup_url = "{store.url("/lookup")}"
{extra}
""",
        "utf-8",
    )
    return path


def check(profile: Path, home: Path, *args: str, timeout: str = "5") -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "check", "--profile", str(profile), "--json",
         "--lang", "en", "--timeout", timeout, *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={**os.environ, "WALLET_WIZARD_HOME": str(home)},
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    app = next(s for s in report["steps"] if s["id"] == "app")
    result: dict[str, Any] = app["checks"][0]
    return result


def query(request: Request) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.path).query)


def test_found_an_older_app_is_update_available(tmp_path: Path, store: LoopbackHTTPServer) -> None:
    result = check(write_profile(tmp_path, store), tmp_path / "home",
                   "--app-version", "8.89.1", "--platform", "ios")  # fmt: skip
    assert (result["status"], result["code"]) == ("warn", "update_available")
    details = result["details"]
    assert details["latest"] == "8.90.0" and details["version_source"] == "appstore"
    assert details["download_url"] == STORE_URL
    assert details["minimum_os"] == "16.0" and details["storefront"] == "us"
    sent = query(store.requests[0])
    assert sent["id"] == ["283646709"] and sent["country"] == ["us"]
    assert sent["cb"][0].isdigit()  # the cache-busting parameter


def test_result_count_zero_is_unknown_naming_the_storefront(
    tmp_path: Path, store: LoopbackHTTPServer
) -> None:
    store.handler = lambda _req: answer(count=0)
    profile = write_profile(tmp_path, store, 'appstore_country = "cn"')
    result = check(profile, tmp_path / "home", "--app-version", "8.0", "--platform", "ios")
    assert (result["status"], result["code"]) == ("unknown", "manifest_unavailable")
    assert result["details"]["reason"] == "not_in_storefront"
    assert "“cn”" in result["summary"]
    assert query(store.requests[0])["country"] == ["cn"]


def test_throttled_403_is_unknown_never_fail(tmp_path: Path, store: LoopbackHTTPServer) -> None:
    store.handler = lambda _req: Reply(403, "Forbidden")
    result = check(write_profile(tmp_path, store), tmp_path / "home",
                   "--app-version", "8.0", "--platform", "ios")  # fmt: skip
    assert (result["status"], result["code"]) == ("unknown", "manifest_unavailable")
    assert result["details"]["reason"] == "throttled"
    assert "busy" in result["summary"]


def test_a_slow_lookup_is_unknown_never_fail(tmp_path: Path, store: LoopbackHTTPServer) -> None:
    store.handler = lambda _req: Reply(200, "{}", delay_s=4)
    result = check(write_profile(tmp_path, store), tmp_path / "home",
                   "--app-version", "8.0", "--platform", "ios", timeout="1")  # fmt: skip
    assert (result["status"], result["code"]) == ("unknown", "manifest_unavailable")
    # Cut off by the probe timeout (read_timeout), or on a loaded machine by the step's
    # deadline (the registry's timeout result): unknown either way, never a failure.
    assert result["details"].get("reason", "deadline") in ("read_timeout", "deadline")


def test_answers_are_kept_on_disk_for_an_hour(tmp_path: Path, store: LoopbackHTTPServer) -> None:
    profile = write_profile(tmp_path, store)
    first = check(profile, tmp_path / "home", "--app-version", "8.0", "--platform", "ios")
    second = check(profile, tmp_path / "home", "--app-version", "8.0", "--platform", "ios")
    assert first["code"] == second["code"] == "update_available"
    assert len(store.requests) == 1, "the second run must come from the cache"
    assert second["details"]["cached"] is True
    cache = tmp_path / "home" / CACHE_FILE
    assert cache.stat().st_mode & 0o777 == 0o600


def test_android_without_a_manifest_is_store_only(
    tmp_path: Path, store: LoopbackHTTPServer
) -> None:
    result = check(write_profile(tmp_path, store), tmp_path / "home",
                   "--app-version", "8.0", "--platform", "android")  # fmt: skip
    assert (result["status"], result["code"]) == ("unknown", "store_only")
    assert result["side"] == "user"
    assert "Google Play" in result["fix"]
    assert store.requests == []  # no public API to ask


# In-process: the same check, quicker, and the cache's hour against a clock the test moves.


async def _app_version(
    store: LoopbackHTTPServer, typed: str, platform: str, **app: str
) -> CheckResult:
    profile = Profile(
        network=NetworkSection(timeout_s=5.0),
        app=AppSection(appstore_id="1", appstore_lookup_url=store.url("/lookup"), **app),
    )
    ctx = CheckContext(profile, Inputs(app_version=typed, platform=platform))
    try:
        return await asyncio.wait_for(check_app_version(ctx), 10)
    finally:
        await ctx.aclose()


@pytest.mark.parametrize(
    ("typed", "status", "code"),
    [
        ("8.89.1", Status.WARN, "update_available"),
        ("8.90.0", Status.PASS, "ok"),
        # The lookup can lag a release by a day: a newer app is not "update available".
        ("8.91.0", Status.PASS, "ok"),
        ("版本 8.89", Status.WARN, "update_available"),
    ],
)
async def test_at_or_above_the_latest_is_fine(
    store: LoopbackHTTPServer, typed: str, status: Status, code: str
) -> None:
    result = await _app_version(store, typed, "ios")
    assert (result.status, result.code) == (status, code)


async def test_harmonyos_without_a_manifest_is_store_only(store: LoopbackHTTPServer) -> None:
    result = await _app_version(store, "8.0", "harmonyos")
    assert (result.status, result.code) == (Status.UNKNOWN, "store_only")
    _summary, fix = describe(result.id, result.code, "zh-CN", result.details)
    assert "华为应用市场" in fix
    assert store.requests == []


async def test_a_manifest_wins_over_the_app_store(store: LoopbackHTTPServer) -> None:
    manifest = {"platforms": {"default": {"latest": "9.0.0", "minimum": "8.0.0"}}}
    store.handler = lambda req: (
        Reply(200, json.dumps(manifest)) if req.path.startswith("/manifest") else answer()
    )
    result = await _app_version(store, "8.5", "ios", manifest_url=store.url("/manifest.json"))
    assert result.code == "update_available" and result.details["latest"] == "9.0.0"
    assert [r.path for r in store.requests] == ["/manifest.json"]


async def _look_up(store: LoopbackHTTPServer, now: float) -> bool:
    profile = Profile(network=NetworkSection(timeout_s=1.0))
    ctx = CheckContext(profile, Inputs())
    try:
        found = await look_up(ctx, "1", "us", store.url("/lookup"), clock=lambda: now)
    finally:
        await ctx.aclose()
    return found.cached


async def test_the_cache_expires_after_an_hour(store: LoopbackHTTPServer) -> None:
    assert await _look_up(store, 1000.0) is False
    assert await _look_up(store, 1000.0 + CACHE_TTL_S - 1) is True
    assert await _look_up(store, 1000.0 + CACHE_TTL_S + 1) is False
    assert len(store.requests) == 2
    assert cache_key(store.url("/lookup"), "1", "us").endswith("|1|us")


async def test_a_refusal_is_not_kept(store: LoopbackHTTPServer) -> None:
    store.handler = lambda _req: Reply(403, "Forbidden")
    assert await _look_up(store, 1000.0) is False
    store.handler = lambda _req: answer()
    assert await _look_up(store, 1001.0) is False  # asked again, not read from the cache
    assert await _look_up(store, 1002.0) is True
    assert len(store.requests) == 2


async def test_version_not_given_still_names_the_latest(store: LoopbackHTTPServer) -> None:
    profile = Profile(
        network=NetworkSection(timeout_s=1.0),
        app=AppSection(appstore_id="1", appstore_lookup_url=store.url("/lookup")),
    )
    ctx = CheckContext(profile, Inputs(app_version="", platform="ios"))
    try:
        result: CheckResult = await asyncio.wait_for(check_app_version(ctx), 10)
    finally:
        await ctx.aclose()
    assert (result.status, result.code) == (Status.WARN, "version_not_given")
    summary, _fix = describe(result.id, result.code, "zh-CN", result.details)
    assert "8.90.0" in summary
