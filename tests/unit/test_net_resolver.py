"""The one resolver module (wizard/net/resolver.py): who is asked, with which budget.

Lookups against real loopback DNS servers are in tests/integration/test_net_layer.py and,
through the checks, in test_network_checks.py (dns) and test_email_dns.py (email).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from wizard.net.resolver import host_resolver, is_localhost, mail_resolver, profile_nameservers
from wizard.profile import ProfileError


def addresses(servers: Sequence[Any]) -> list[tuple[str, int]]:
    """(address, port) of each dnspython nameserver."""
    return [(s.address, s.port) for s in servers]


def test_profile_servers_with_and_without_a_port() -> None:
    servers = profile_nameservers(["127.0.0.1:5353", "::1"])
    assert addresses(servers) == [("127.0.0.1", 5353), ("::1", 53)]


def test_a_bad_entry_is_skipped_or_refused() -> None:
    assert addresses(profile_nameservers(["not an ip", "127.0.0.1"])) == [("127.0.0.1", 53)]
    with pytest.raises(ProfileError):
        profile_nameservers(["not an ip", "127.0.0.1"], strict=True)


def test_host_lookups_ask_the_system_when_the_profile_names_no_server() -> None:
    assert host_resolver([], timeout_s=2.0) is None
    assert host_resolver(["not an ip"], timeout_s=2.0) is None


def test_host_lookups_get_one_timeout_per_query() -> None:
    resolver = host_resolver(["127.0.0.1:5353"], timeout_s=2.5)
    assert resolver is not None
    assert (resolver.timeout, resolver.lifetime) == (2.5, 2.5)
    assert addresses(list(resolver.nameservers)) == [("127.0.0.1", 5353)]


@pytest.mark.parametrize(("budget", "attempt"), [(3.0, 1.5), (10.0, 2.0), (0.1, 0.1), (0.5, 0.25)])
def test_mail_lookups_fit_several_tries_in_the_budget(budget: float, attempt: float) -> None:
    resolver = mail_resolver(["127.0.0.1:5353"], budget_s=budget)
    assert (resolver.timeout, resolver.lifetime) == (attempt, budget)
    assert addresses(list(resolver.nameservers)) == [("127.0.0.1", 5353)]


def test_mail_lookups_refuse_a_bad_server_entry() -> None:
    with pytest.raises(ProfileError):
        mail_resolver(["300.1.1.1"], budget_s=1.0)


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("api.localhost", True),
        ("localhost.example.com", False),
        ("notlocalhost", False),
    ],
)
def test_localhost_names(host: str, local: bool) -> None:
    assert is_localhost(host) is local
