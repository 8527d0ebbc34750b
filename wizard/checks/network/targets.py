"""What the network checks look at: the profile's URLs, their hosts, and a result helper."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Status
from wizard.text import one_line

# The most of any body a network check reads (the API's answer, a probe's page).
BODY_CAP = 64 * 1024
MAX_REDIRECTS = 5
NO_CACHE = {"Cache-Control": "no-cache", "Pragma": "no-cache"}


def result(check_id: str, status: Status, code: str, **details: Any) -> CheckResult:
    """A CheckResult with `details` given as keywords."""
    return CheckResult(check_id, status, code, details=details)


def shown_host(text: str) -> str:
    """A target's host as shown in details: sanitized, lower-case, never a path or query."""
    return one_line(text.lower(), max_len=120)


def target_urls(ctx: CheckContext) -> list[str]:
    """Every URL of the profile the wallet depends on, in a fixed order, without repeats."""
    p = ctx.profile
    urls = [p.network.api_url, *p.network.connectivity_urls, p.service.status_url]
    urls.append(p.app.manifest_url)
    return list(dict.fromkeys(u for u in urls if u))


def hostname(url: str) -> str | None:
    """The host of `url`, or None when it has none or is not a URL."""
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


def ip_of(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """`host` as an IP address, or None when it is a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def default_port(url: str) -> int:
    """The port `url` connects to (its own, else 443 for https and 80 otherwise)."""
    try:
        parts = urlsplit(url)
        return parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return 443
