"""`wallet-wizard wallets [--json]` and `--wallet ID` as whole processes (CONTRACT §1, §6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.vocabulary import WALLETS

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "WALLET_WIZARD_HOME": str(home)},
        timeout=60,
    )


def test_wallets_json_lists_every_entry_with_its_sources(tmp_path: Path) -> None:
    done = run("wallets", "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["schema"] == 1
    entries = {w["id"]: w for w in doc["wallets"]}
    assert list(entries) == list(WALLETS)
    for entry in entries.values():
        assert set(entry) >= {"id", "name", "region", "checks", "facts", "contacts"}
        for fact in entry["facts"]:
            assert fact["source"].startswith("https://") and fact["checked"] == "2026-11-25"
    paypal = entries["paypal"]
    assert paypal["checks"] == ["api", "service_status", "app_version"]
    assert paypal["appstore"] == {"id": "283646709", "country": "us"}
    assert paypal["status"]["format"] == "rss"
    assert [c["key"] for c in paypal["contacts"]] == ["support.help_url"]
    assert paypal["contacts"][0]["evidence"] == "own_page"
    assert entries["alipay"]["contacts"] == [] and entries["alipay"]["region"] == "CN"


@pytest.mark.parametrize(
    ("lang", "warning", "no_contact"),
    [
        ("en", "call only numbers shown inside your wallet app or on its own site", "Help"),
        ("zh-CN", "只拨打钱包 App 内或其官方网站上显示的号码", "“帮助”或“客服”入口"),
    ],
)
def test_wallets_text_shows_sources_and_the_warning(
    tmp_path: Path, lang: str, warning: str, no_contact: str
) -> None:
    done = run("wallets", "--lang", lang, home=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for wallet_id in WALLETS:
        assert f"\n{wallet_id} — " in out
    assert out.count(warning) == len(WALLETS)
    assert "https://cash.app/help/us/en-us/3130-access-old-account" in out
    assert "2026-11-25" in out
    alipay = out.split("\nalipay — ")[1].split("\nwechat — ")[0]
    assert no_contact in alipay


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["check", "--wallet", "bitwallet"], "unknown wallet 'bitwallet' (one of: alipay, wechat"),
        (["--wallet", "nope", "check"], "unknown wallet 'nope'"),
        (["message", "--wallet", "x\x1b[31m"], "unknown wallet"),
        (["check", "--wallet", "paypal", "--profile", "p.toml"], "cannot be used together"),
        (["check", "--wallet", "paypal", "--demo"], "--demo and --wallet"),
        (["serve", "--wallet", "paypal", "--demo", "ok"], "--demo and --wallet"),
        (["wallets", "--frobnicate"], "unrecognized arguments"),
    ],
)
def test_a_wallet_that_cannot_be_used_is_one_line_and_exit_2(
    tmp_path: Path, args: list[str], says: str
) -> None:
    done = run(*args, home=tmp_path)
    assert done.returncode == 2, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("wallet-wizard") and says in lines[0]
    assert "\x1b" not in done.stderr
