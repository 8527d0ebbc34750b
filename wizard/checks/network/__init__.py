"""The network step: link, DNS, captive portal, proxy and the wallet's API (CONTRACT §3).

One module a check (`link`, `dns`, `captive_portal`, `proxy`, `api`) over `targets` (the
profile's URLs) and the shared HTTP layer in `wizard.net` (classifier, capped read,
resolver, proxy matching). Every check catches what the network can throw at it and maps it
to a stable code; errors are classified by exception type, never by message text.

The names below are this package's public face (the runner and the tests use them).
"""

from __future__ import annotations

from wizard.checks.network.api import check_api
from wizard.checks.network.captive_portal import check_captive_portal
from wizard.checks.network.dns import check_dns
from wizard.checks.network.link import FALLBACK_ROUTE, check_link, link_result
from wizard.checks.network.proxy import check_proxy
from wizard.checks.network.targets import BODY_CAP, MAX_REDIRECTS, target_urls
from wizard.net.classify import classify_error, exception_chain
from wizard.net.proxy import proxy_for, proxy_variables, show_proxy

__all__ = [
    "BODY_CAP",
    "FALLBACK_ROUTE",
    "MAX_REDIRECTS",
    "check_api",
    "check_captive_portal",
    "check_dns",
    "check_link",
    "check_proxy",
    "classify_error",
    "exception_chain",
    "link_result",
    "proxy_for",
    "proxy_variables",
    "show_proxy",
    "target_urls",
]
