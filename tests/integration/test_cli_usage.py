"""Usage and configuration errors: exit 2, one line on stderr, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        timeout=60,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--profile", "/nonexistent/profile.toml"],
        ["check", "--lang", "fr"],
        ["check", "--timeout", "soon"],
        ["check", "--timeout", "-3"],
        ["check", "--platform", "symbian"],
        ["check", "--frobnicate"],
        ["check", "--demo", "no_such_scenario"],
        ["nonsense-command"],
        ["message", "--what", "password"],
        ["message", "--format", "xml"],
        ["demo", "--scenario", "volcano"],
        ["demo", "--port", "http"],
    ],
)
def test_usage_errors_are_one_line(args: list[str], tmp_path: Path) -> None:
    result = run(*args, env={"WALLET_WIZARD_HOME": str(tmp_path)})
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("wallet-wizard")


def test_bad_profile_key_is_named(tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text("[network]\napi_url = 42\n")
    result = run("check", "--profile", str(profile))
    assert result.returncode == 2
    assert "network.api_url" in result.stderr and str(profile) in result.stderr


def test_check_with_nothing_configured_skips_everything(tmp_path: Path) -> None:
    profile = tmp_path / "empty.toml"
    profile.write_text("[wallet]\nname = 'Empty'\n")
    result = run("check", "--profile", str(profile), "--json")
    assert result.returncode == 0, result.stderr
    import json

    report = json.loads(result.stdout)
    assert report["schema"] == 1 and report["profile"] == "Empty"
    statuses = {c["code"] for s in report["steps"] for c in s["checks"]}
    assert statuses <= {"not_configured", "not_provided", "ok"}
