"""Profiles: valid files load into typed objects; every mistake is one line naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import trustme

from wizard.profile import (
    Profile,
    ProfileError,
    default_profile,
    load_profile,
    parse_dns_server,
    profile_from_dict,
)

FULL = """
[wallet]
name = "Demo Wallet"
default_region = "cn"
language = "en"

[network]
api_url = "https://api.example.com/health"
connectivity_urls = ["http://example.com/generate_204"]
dns_servers = ["127.0.0.1:5353", "::1", "[::1]:53"]
timeout_s = 2
slow_ms = 1500
ca_bundle = "ca.pem"

[service]
status_url = "https://status.example.com/api/v2/summary.json"

[app]
manifest_url = "https://example.com/app-version.json"

[support]
endpoint = "https://support.example.com/api/tickets"
token_env = "WALLET_SUPPORT_TOKEN"
email = "support@example.com"
phone = "95188"
hours = "08:00-22:00"

[kiosk]
idle_s = 60
warn_s = 10
exit_pin_sha256 = "03ac674216f3e15c761ee1a5e255f067953623c8b388b4459e13f978d7c846f4"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_full_profile_loads(tmp_path: Path) -> None:
    trustme.CA().cert_pem.write_to_path(str(tmp_path / "ca.pem"))  # a real certificate
    profile = load_profile(write(tmp_path, FULL))
    assert profile.wallet.default_region == "CN"
    assert profile.network.timeout_s == 2.0
    assert profile.network.dns_servers == ("127.0.0.1:5353", "::1", "[::1]:53")
    assert profile.network.ca_bundle == str(tmp_path / "ca.pem")  # relative to the file
    assert profile.kiosk.idle_s == 60.0


def test_empty_profile_is_all_defaults(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, ""))
    assert profile.network == Profile().network


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("[wallet]\ncolour = 'red'\n", "wallet.colour"),
        ("[walet]\nname = 'x'\n", "[walet]"),
        ("[network]\ntimeout_s = 'fast'\n", "network.timeout_s"),
        ("[network]\ntimeout_s = true\n", "network.timeout_s"),
        ("[network]\ntimeout_s = -1\n", "network.timeout_s"),
        ("[network]\ntimeout_s = nan\n", "network.timeout_s"),
        ("[network]\napi_url = 'ftp://x.example'\n", "network.api_url"),
        ("[network]\napi_url = 'https://'\n", "network.api_url"),
        ("[network]\napi_url = 'https://x.example:99999/'\n", "network.api_url"),
        ("[network]\nconnectivity_urls = 'http://x.example'\n", "network.connectivity_urls"),
        ("[network]\nconnectivity_urls = ['https://x.example']\n", "network.connectivity_urls"),
        ("[network]\ndns_servers = ['dns.example']\n", "network.dns_servers"),
        ("[network]\ndns_servers = ['127.0.0.1:0']\n", "network.dns_servers"),
        ("[network]\nca_bundle = 'missing.pem'\n", "network.ca_bundle"),
        ("[wallet]\nlanguage = 'fr'\n", "wallet.language"),
        ("[wallet]\ndefault_region = 'China'\n", "wallet.default_region"),
        ("[support]\ntoken_env = 'sk-live-123 abc'\n", "support.token_env"),
        ("[support]\ndesk = 'jira'\n", "support.desk"),
        ("[support]\ndesk = ''\n", "support.desk"),
        ("[support]\ndesk = 2\n", "support.desk"),
        ("[kiosk]\nexit_pin_sha256 = '1234'\n", "kiosk.exit_pin_sha256"),
        ("[kiosk]\ntheme = 'neon'\n", "kiosk.theme"),
        ("[kiosk]\ntheme = 1\n", "kiosk.theme"),
        ("wallet = 3\n", "[wallet]"),
        ("[wallet\n", "not valid TOML"),
    ],
)
def test_mistakes_name_the_file_and_key(tmp_path: Path, text: str, names: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    message = str(info.value)
    assert str(path) in message and names in message
    assert "\n" not in message


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such file"):
        load_profile(tmp_path / "nope.toml")
    with pytest.raises(ProfileError, match="is a directory"):
        load_profile(tmp_path)
    bad = tmp_path / "bin.toml"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ProfileError, match="UTF-8"):
        load_profile(bad)


def test_dns_server_forms() -> None:
    assert parse_dns_server("127.0.0.1") == ("127.0.0.1", 53)
    assert parse_dns_server("127.0.0.1:5353") == ("127.0.0.1", 5353)
    assert parse_dns_server("[::1]:5300") == ("::1", 5300)
    assert parse_dns_server("::1") == ("::1", 53)


def test_default_profile_avoids_google_only_probes() -> None:
    profile = default_profile()
    urls = profile.network.connectivity_urls
    assert len(urls) >= 3
    assert all(u.startswith("http://") for u in urls)
    assert not any("google" in u or "gstatic" in u for u in urls)
    # It must itself be a valid profile.
    assert (
        profile_from_dict({"network": {"connectivity_urls": list(urls)}}).network.connectivity_urls
        == urls
    )


@pytest.mark.parametrize("desk", ["webhook", "zendesk", "freshdesk", "email"])
def test_every_desk_of_contract_5_may_be_named(tmp_path: Path, desk: str) -> None:
    profile = load_profile(write(tmp_path, f"[support]\ndesk = '{desk}'\n"))
    assert profile.support.desk == desk


def test_the_desk_is_a_webhook_unless_said() -> None:
    assert default_profile().support.desk == "webhook"
    assert profile_from_dict({"support": {"endpoint": "https://x.example/t"}}).support.desk == (
        "webhook"
    )


@pytest.mark.parametrize("theme", ["high-contrast", "default", ""])
def test_a_station_may_name_its_theme(tmp_path: Path, theme: str) -> None:
    profile = load_profile(write(tmp_path, f"[kiosk]\ntheme = '{theme}'\n"))
    assert profile.kiosk.theme == theme
