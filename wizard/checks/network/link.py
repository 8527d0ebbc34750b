"""The `link` check: is there a route at all? Route lookups only; nothing is sent."""

from __future__ import annotations

import socket

from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Status
from wizard.checks.network.targets import default_port, hostname, ip_of, result, target_urls
from wizard.net.classify import NO_ROUTE
from wizard.profile import ProfileError, parse_dns_server

# A public resolver reachable from mainland China: used only for a route lookup when no
# target is an IP literal; connect() on a UDP socket sends no packet.
FALLBACK_ROUTE = "223.5.5.5"


def _route_error(address: str, port: int) -> int | None:
    """The errno of looking up a route to `address` (None: a route exists). Sends nothing."""
    ip = ip_of(address)
    family = socket.AF_INET6 if ip is not None and ip.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.connect((address, port))
    except OSError as exc:
        return exc.errno if exc.errno is not None else -1
    return None


def link_result(outcomes: list[int | None]) -> CheckResult:
    """`no_network` when every route lookup failed for lack of a route, else `ok`."""
    missing = sum(1 for e in outcomes if e in NO_ROUTE)
    details = {"routes_checked": len(outcomes), "routes_missing": missing}
    if outcomes and missing == len(outcomes):
        return result("link", Status.FAIL, "no_network", **details)
    return result("link", Status.PASS, "ok", **details)


async def check_link(ctx: CheckContext) -> CheckResult:
    """Is there a route at all: route lookups to the IP targets (or a public resolver)."""
    lookups: list[tuple[str, int]] = []
    named = False
    for url in target_urls(ctx):
        host = hostname(url)
        if host is None:
            continue
        if ip_of(host) is None:
            named = True
        else:
            lookups.append((host, default_port(url)))
    for server in ctx.profile.network.dns_servers:
        try:
            lookups.append(parse_dns_server(server))
        except ProfileError:
            continue
    if not lookups and not named:
        return result("link", Status.SKIP, "not_configured")
    if not lookups:
        lookups.append((FALLBACK_ROUTE, 53))
    return link_result([_route_error(a, p) for a, p in dict.fromkeys(lookups)])
