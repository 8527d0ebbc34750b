"""`wallet-wizard check` as a whole process against the demo service (CONTRACT §1 and §3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ORDER = {
    "network": ["link", "dns", "captive_portal", "proxy", "api", "service_status"],
    "app": ["app_version"],
    "contact": ["phone", "email"],
}
INPUTS = ["--phone", "138 0013 8000", "--email", "user@qq.com", "--app-version", "10.6.20",
          "--platform", "android"]  # fmt: skip


def check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", "check", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_ok_scenario_json_is_the_contract() -> None:
    result = check("--demo", "ok", "--json", "--lang", "en", *INPUTS)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema"] == 1
    assert report["tool"]["name"] == "wallet-wizard"
    assert report["overall"] == "pass"
    assert report["started_at"].endswith("Z")
    assert [s["id"] for s in report["steps"]] == list(ORDER)
    for step in report["steps"]:
        assert [c["id"] for c in step["checks"]] == ORDER[step["id"]]
        for c in step["checks"]:
            assert set(c) >= {"id", "status", "code", "summary", "fix", "duration_ms", "details"}
            assert c["status"] == "pass" and c["code"] == "ok" and c["fix"] == ""
    contact = report["steps"][2]["checks"]
    assert contact[0]["details"]["e164"] == "+8613800138000"


@pytest.mark.parametrize(
    ("scenario", "code"),
    [
        ("outage", "service_outage"),
        ("tls_intercept", "tls_untrusted"),
        ("old_app", "update_required"),
    ],
)
def test_failing_scenarios_exit_1_with_their_code(scenario: str, code: str) -> None:
    result = check("--demo", scenario, "--json", *INPUTS)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["overall"] == "fail"
    codes = {c["code"] for s in report["steps"] for c in s["checks"]}
    assert code in codes


def test_text_report_in_chinese_without_colour_when_piped() -> None:
    result = check("--demo", "old_app", "--lang", "zh-CN", *INPUTS)
    assert result.returncode == 1
    assert "\x1b[" not in result.stdout
    assert "✖" in result.stdout and "解决方法" in result.stdout and "官方应用商店" in result.stdout


def test_report_holds_no_home_path_or_user() -> None:
    result = check("--demo", "ok", "--json", *INPUTS)
    home = str(Path.home())
    assert home not in result.stdout or home == "/"
    assert "ca_bundle" not in result.stdout


def test_missing_inputs_are_skipped_not_provided() -> None:
    result = check("--demo", "ok", "--json")
    report = json.loads(result.stdout)
    skipped = {
        c["id"]: c["code"] for s in report["steps"] for c in s["checks"] if c["status"] == "skip"
    }
    assert skipped == {
        "app_version": "not_provided", "phone": "not_provided", "email": "not_provided"
    }  # fmt: skip
    assert result.returncode == 0
