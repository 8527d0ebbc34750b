"""Usage and configuration errors: exit 2, one line on stderr, never a traceback."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.cli import build_parser

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
        ["--theme", "neon"],
        ["--plain", "--theme", "neon"],
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


def test_a_stations_bad_theme_is_named(tmp_path: Path) -> None:
    profile = tmp_path / "station.toml"
    profile.write_text("[kiosk]\ntheme = 'neon'\n")
    result = run("--kiosk", "--profile", str(profile), env={"WALLET_WIZARD_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert "kiosk.theme" in result.stderr and len(result.stderr.strip().splitlines()) == 1


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


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--nope"], "wallet-wizard: unrecognized arguments: --nope"),
        (
            ["check", "--json=3"],
            "wallet-wizard check: argument --json: ignored explicit argument '3'",
        ),
        (
            ["outbox", "frob"],
            "wallet-wizard outbox: argument {list,send}: invalid choice: 'frob' "
            "(choose from 'list', 'send')",
        ),
        (
            ["frob"],
            "wallet-wizard: argument {check,message,outbox,desk,demo,serve,wallets}: invalid "
            "choice: 'frob' (choose from 'check', 'message', 'outbox', 'desk', 'demo', 'serve', "
            "'wallets')",
        ),
    ],
)
def test_usage_errors_name_the_program_once_and_no_internal_name(
    args: list[str], line: str, tmp_path: Path
) -> None:
    result = run(*args, env={"WALLET_WIZARD_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.splitlines() == [line]
    assert "outbox_command" not in result.stderr and "wallet-wizard: wallet-wizard" not in line
    assert result.stdout == ""


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                found += _parsers(child)
    return found


def test_every_option_of_every_command_has_help() -> None:
    missing = [
        f"{parser.prog} {'/'.join(action.option_strings) or action.dest}"
        for parser in _parsers(build_parser())
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction)
        and (not action.help or action.help == argparse.SUPPRESS)
    ]
    assert missing == []


@pytest.mark.parametrize("args", [["check", "--help"], ["outbox", "list", "--help"]])
def test_help_describes_json_and_lang(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "--json print the" in text and "--lang LANG language: zh-CN or en" in text
