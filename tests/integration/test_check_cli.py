"""`wallet-wizard check` as a whole process against the demo service (CONTRACT §1 and §3)."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
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
            if c["id"] == "dns":  # the demo's addresses are IP addresses: no name to look up
                assert (c["status"], c["code"]) == ("skip", "not_configured")
                continue
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
        "dns": "not_configured",
        "app_version": "not_provided", "phone": "not_provided", "email": "not_provided",
    }  # fmt: skip
    assert result.returncode == 0


def test_outage_text_names_the_wallets_side_one_line_each_when_piped() -> None:
    result = check("--demo", "outage", "--lang", "en", *INPUTS)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    outage = next(line for line in lines if "The wallet reports an outage" in line)
    assert outage.endswith(
        "The wallet's status page reports: “Phone number and email changes failing”."
        " (on the wallet's side)"
    )
    advice = lines[lines.index(outage) + 1]
    assert advice.strip().startswith("→ What you can do: Nothing on your side needs fixing")
    assert "step 4" not in result.stdout


def test_chinese_text_report_uses_full_width_colons() -> None:
    result = check("--demo", "outage", "--lang", "zh-CN", *INPUTS)
    assert "✖ 网络：未通过" in result.stdout
    assert "汇总：" in result.stdout and "网络: " not in result.stdout
    assert "（钱包一方）" in result.stdout


def _check_on_a_terminal(columns: int, *args: str) -> str:
    """`check` with stdout on a pseudo-terminal `columns` wide; everything it wrote."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "wizard", "check", *args],
        stdout=child,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )
    os.close(child)
    out = bytearray()
    try:
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: the child closed its side
                break
            if not chunk:
                break
            out.extend(chunk)
    finally:
        proc.wait(timeout=60)
        os.close(main)
    return out.decode("utf-8").replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")
def test_on_a_terminal_long_lines_wrap_under_their_text() -> None:
    text = _check_on_a_terminal(80, "--demo", "outage", "--lang", "en", *INPUTS)
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines), text
    start = next(i for i, line in enumerate(lines) if "The wallet reports an" in line)
    column = lines[start].index("The wallet reports an")
    follow = lines[start + 1]
    assert follow[:column].strip() == "" and follow[column] != " ", text
    assert "(on the wallet's side)" in " ".join(x.strip() for x in lines[start : start + 6])


def test_an_empty_app_version_is_not_given_with_the_versions() -> None:
    result = check("--demo", "old_app", "--json", "--app-version", "", "--platform", "android")
    report = json.loads(result.stdout)
    app = report["steps"][1]["checks"][0]
    assert (app["status"], app["code"], app["side"]) == ("warn", "version_not_given", "user")
    assert (app["details"]["latest"], app["details"]["minimum"]) == ("11.2.0", "11.0.0")
    assert app["details"]["download_url"].startswith("https://")
    assert result.returncode == 0


@pytest.mark.parametrize(
    ("env", "title"),
    [
        ({"LANG": "en_US.UTF-8"}, "Demo Wallet — wallet-wizard check"),
        ({"LANG": "zh_CN.UTF-8"}, "Demo Wallet — wallet-wizard 检查"),
        ({"LANG": "C.UTF-8"}, "Demo Wallet — wallet-wizard 检查"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "Demo Wallet — wallet-wizard check"),
    ],
)
def test_the_demo_speaks_the_locales_language(env: dict[str, str], title: str) -> None:
    result = check("--demo", "ok", env=env)
    assert result.stdout.splitlines()[0] == title
