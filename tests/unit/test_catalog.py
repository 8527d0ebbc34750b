"""The built-in wallet catalog (CONTRACT §6): every entry loads, every fact is sourced."""

from __future__ import annotations

import argparse
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from wizard.catalog import contacts, facts, live_checks, wallet, wallets
from wizard.commands.common import ConfigError, load_profile_arg
from wizard.profile import (
    CONTACT_KEYS,
    FACT_KEYS,
    OWN_EVIDENCE,
    FactSource,
    ProfileError,
    check_catalog_facts,
    load_profile,
    profile_from_dict,
)
from wizard.vocabulary import WALLETS

CATALOG = Path(__file__).resolve().parents[2] / "wizard" / "catalog"
CHECKED = date(2026, 11, 25)
# Captive-portal probes that answer from inside mainland China (DESIGN.md: no Google-only host).
MAINLAND_PROBES = {
    "connect.rom.miui.com",
    "connectivitycheck.platform.hicloud.com",
    "wifi.vivo.com.cn",
}


def test_the_catalog_holds_the_six_wallets_of_contract_6() -> None:
    assert set(WALLETS) == {"alipay", "wechat", "unionpay", "paypal", "venmo", "cashapp"}
    assert sorted(p.stem for p in CATALOG.glob("*.toml")) == sorted(WALLETS)
    assert [p.catalog_id for p in wallets()] == list(WALLETS)


@pytest.mark.parametrize("wallet_id", WALLETS)
def test_every_fact_cites_an_https_source_and_a_date(wallet_id: str) -> None:
    profile = wallet(wallet_id)
    assert profile.catalog_id == wallet_id
    for key in FACT_KEYS:
        if not profile.value(key):
            continue
        source = profile.source_of(key)
        assert source is not None, f"{wallet_id}: {key} has no source"
        assert urlsplit(source.url).scheme == "https" and urlsplit(source.url).hostname
        assert source.checked == CHECKED
    for fact in contacts(profile):
        assert fact.source.evidence in OWN_EVIDENCE, f"{wallet_id}: {fact.key}"
        assert urlsplit(fact.value).scheme == "https" or fact.key != "support.help_url"


@pytest.mark.parametrize("wallet_id", WALLETS)
def test_every_entry_can_check_something_of_its_own(wallet_id: str) -> None:
    profile = wallet(wallet_id)
    assert "app_version" in live_checks(profile)  # every one is in the App Store
    assert profile.app.appstore_id.isdigit()


def test_no_unsourced_number_is_shipped() -> None:
    # WALLETS.md: 95188, 95516, 95017, 1-888-221-1161 and Cash App's line are secondary.
    for profile in wallets():
        assert profile.support.phone == "" and profile.support.email == ""
    texts = "".join(p.read_text("utf-8") for p in CATALOG.glob("*.toml"))
    for number in ("95188", "95055", "221-1161", "969-1940"):
        assert number not in texts


@pytest.mark.parametrize("wallet_id", ["alipay", "wechat", "unionpay"])
def test_chinese_wallets_probe_from_inside_mainland_china(wallet_id: str) -> None:
    profile = wallet(wallet_id)
    hosts = {urlsplit(u).hostname for u in profile.network.connectivity_urls}
    assert hosts and hosts <= MAINLAND_PROBES
    assert profile.wallet.default_region == "CN" and profile.appstore_country == "cn"


@pytest.mark.parametrize("wallet_id", WALLETS)
def test_every_wallet_has_a_probe_that_answers_from_mainland_china(wallet_id: str) -> None:
    # Chinese-speaking people come first, at home and abroad: a PayPal user in Shanghai must
    # not wait out a probe to a host that never answers there (no Google host at all).
    urls = wallet(wallet_id).network.connectivity_urls
    hosts = {urlsplit(u).hostname or "" for u in urls}
    assert hosts & MAINLAND_PROBES, f"{wallet_id}: {sorted(hosts)}"
    assert not any("google" in h or "gstatic" in h for h in hosts), f"{wallet_id}: {hosts}"


@pytest.mark.parametrize(
    ("wallet_id", "host"),
    [
        ("alipay", "openapi.alipay.com"),
        ("wechat", "api.mch.weixin.qq.com"),
        ("unionpay", "gateway.95516.com"),
        ("paypal", "api-m.paypal.com"),
        ("venmo", None),
        ("cashapp", None),
    ],
)
def test_the_api_check_aims_at_the_documented_host(wallet_id: str, host: str | None) -> None:
    assert urlsplit(wallet(wallet_id).network.api_url).hostname == host


def test_status_pages_as_their_vendors_publish_them() -> None:
    assert wallet("cashapp").service.status_format == "statuspage"
    assert wallet("paypal").service.status_format == "rss"
    assert [p.catalog_id for p in wallets() if p.service.status_url] == ["paypal", "cashapp"]


def _fact(key: str, evidence: str) -> dict[str, object]:
    return {key: {"url": "https://example.com/page", "checked": CHECKED, "evidence": evidence}}


def test_a_contact_from_third_party_pages_is_refused() -> None:
    doc = {"support": {"phone": "95188"}, "sources": _fact("support.phone", "secondary")}
    profile = profile_from_dict(doc, where="catalog/x.toml")
    with pytest.raises(ProfileError, match=r"support\.phone is a contact"):
        check_catalog_facts(profile, where="catalog/x.toml")
    own = profile_from_dict(
        {"support": {"phone": "95188"}, "sources": _fact("support.phone", "own_page")}
    )
    check_catalog_facts(own, where="catalog/x.toml")
    assert set(CONTACT_KEYS) >= {"support.phone", "support.email", "support.help_url"}


def test_a_fact_without_a_source_is_refused() -> None:
    profile = profile_from_dict({"app": {"appstore_id": "1"}})
    with pytest.raises(ProfileError, match=r"app\.appstore_id is a fact .* cites no source"):
        check_catalog_facts(profile, where="catalog/x.toml")


def _cited(url: str = "https://a.example", checked: object = CHECKED, **more: object) -> object:
    return {"url": url, "checked": checked, "evidence": "docs", **more}


@pytest.mark.parametrize(
    ("sources", "names"),
    [
        ({"app.nothing": {}}, 'sources."app.nothing"'),
        ({"app.appstore_id": _cited("http://a.example")}, "url must be an https"),
        ({"app.appstore_id": _cited(checked="2026-11-25")}, "checked must be a date"),
        ({"app.appstore_id": _cited(evidence="blog")}, "evidence must be one of"),
        ({"app.appstore_id": _cited(by="me")}, '"app.appstore_id".by'),
        ({"network.api_url": _cited()}, "network.api_url, unset"),
    ],
)
def test_sources_are_validated(sources: dict[str, object], names: str) -> None:
    with pytest.raises(ProfileError, match=None) as caught:
        profile_from_dict({"app": {"appstore_id": "1"}, "sources": sources}, where="p.toml")
    assert names in str(caught.value) and str(caught.value).startswith("p.toml: ")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def test_extends_starts_from_the_entry_and_own_keys_win(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        extends = "paypal"
        [wallet]
        name = "PayPal (our desk)"
        [network]
        api_url = "http://127.0.0.1:9/health"
        """,
    )
    profile = load_profile(path)
    assert profile.catalog_id == "paypal"
    assert profile.source == str(path)
    assert profile.wallet.name == "PayPal (our desk)"
    assert profile.wallet.default_region == "US"  # from the entry
    assert profile.app.appstore_id == "283646709"
    assert profile.source_of("app.appstore_id") == wallet("paypal").source_of("app.appstore_id")
    # A replaced fact is the profile's own: the entry's source no longer vouches for it.
    assert profile.network.api_url == "http://127.0.0.1:9/health"
    assert profile.source_of("network.api_url") is None


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('extends = "bitwallet"', 'extends names no wallet of the catalog: "bitwallet"'),
        ("extends = 3", "extends must be the id of a wallet"),
        ('[extends]\nid = "paypal"', "extends must be the id of a wallet"),
    ],
)
def test_extends_names_a_catalog_entry(tmp_path: Path, text: str, names: str) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(write(tmp_path, text))
    assert names in str(caught.value)
    assert "alipay, wechat, unionpay, paypal, venmo, cashapp" in str(caught.value) or (
        "must be the id" in names
    )


def test_wallet_flag_gives_the_entry() -> None:
    args = argparse.Namespace(wallet="PayPal", profile=None)
    assert load_profile_arg(args) == wallet("paypal")
    with pytest.raises(ConfigError, match=r"unknown wallet 'bitwallet' \(one of: alipay, "):
        load_profile_arg(argparse.Namespace(wallet="bitwallet", profile=None))


def test_facts_follow_the_fact_keys_order() -> None:
    keys = [f.key for f in facts(wallet("paypal"))]
    assert keys == [k for k in FACT_KEYS if k in keys]
    assert "support.help_url" in keys
    changed = replace(wallet("paypal"), sources=(FactSource("x.y", "https://a", CHECKED, "docs"),))
    assert facts(changed) == []


_GUARD = """
import socket, sys
def refuse(*args, **kwargs):
    print("CONTACTED", args[:1], file=sys.stderr)
    raise OSError("no network in this test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
import wizard.cli, wizard.catalog, wizard.ui.app
from wizard.commands.common import load_profile_arg
import argparse
for wallet_id in wizard.catalog.WALLETS:
    load_profile_arg(argparse.Namespace(wallet=wallet_id, profile=None))
sys.exit(wizard.cli.main(["wallets", "--json"]) + wizard.cli.main(["wallets", "--lang", "en"]))
"""


def test_nothing_contacts_a_host_at_import_or_start_up() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _GUARD.replace("wizard.catalog.WALLETS", repr(WALLETS))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "CONTACTED" not in done.stderr
    assert '"id": "paypal"' in done.stdout
