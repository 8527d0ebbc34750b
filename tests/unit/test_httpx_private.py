"""What this project relies on from httpx's private `httpx._utils` (wizard/net/httpx_private.py).

httpx may change private names in any release. These tests pin exactly what the proxy check
uses, so an httpx upgrade that breaks it fails here, loudly and with the version, instead of
quietly misreporting which proxy the wallet's requests go through.
"""

from __future__ import annotations

import httpx
import pytest

from wizard.net import httpx_private
from wizard.net.proxy import proxy_for

UPGRADE = (
    f"httpx {httpx.__version__} changed the private httpx._utils API that "
    "wizard/net/httpx_private.py relies on; update wizard/net/proxy.py for it"
)


def test_the_private_names_exist() -> None:
    assert callable(getattr(httpx_private, "URLPattern", None)), UPGRADE
    assert callable(getattr(httpx_private, "get_environment_proxies", None)), UPGRADE


def test_environment_proxies_are_read_as_mounts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("http_proxy", "127.0.0.1:8080")  # no scheme: httpx adds http://
    monkeypatch.setenv("NO_PROXY", "wallet.example,10.0.0.1")
    mounts = httpx_private.get_environment_proxies()
    assert mounts == {
        "http://": "http://127.0.0.1:8080",
        "https://": "http://127.0.0.1:3128",
        "all://*wallet.example": None,
        "all://10.0.0.1": None,
    }, UPGRADE


def test_url_patterns_match_and_sort_most_specific_first() -> None:
    general = httpx_private.URLPattern("all://")
    scheme = httpx_private.URLPattern("https://")
    host = httpx_private.URLPattern("all://*wallet.example")
    url = httpx.URL("https://api.wallet.example/health")
    assert all(p.matches(url) for p in (general, scheme, host)), UPGRADE
    assert not scheme.matches(httpx.URL("http://api.wallet.example/")), UPGRADE
    assert not host.matches(httpx.URL("https://other.example/")), UPGRADE
    assert sorted([general, scheme, host]) == [host, scheme, general], UPGRADE


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.wallet.example/health", None),  # NO_PROXY wins
        ("https://wallet.example/", None),
        ("https://status.other.example/summary.json", "http://127.0.0.1:3128"),
        ("http://probe.other.example/generate_204", "http://127.0.0.1:8080"),
    ],
)
def test_proxy_for_follows_httpx_matching(
    monkeypatch: pytest.MonkeyPatch, url: str, expected: str | None
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:8080")
    monkeypatch.setenv("no_proxy", "wallet.example")
    assert proxy_for(url) == expected, UPGRADE


def test_no_proxy_star_turns_every_proxy_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("NO_PROXY", "*")
    assert httpx_private.get_environment_proxies() == {}, UPGRADE
    assert proxy_for("https://api.wallet.example/") is None, UPGRADE
