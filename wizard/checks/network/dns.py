"""The `dns` check: do the names of the wallet's servers resolve, and to public addresses?"""

from __future__ import annotations

import asyncio

from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Status
from wizard.checks.network.targets import hostname, ip_of, result, shown_host, target_urls
from wizard.net.resolver import HostLookup, Resolver, host_resolver, lookup_host
from wizard.text import one_line

# Names that legitimately resolve to private addresses (RFC 6761, 6762, 8375 and habit).
_LOCAL_SUFFIXES = (
    *(".localhost", ".local", ".test", ".internal", ".lan", ".home", ".home.arpa"),
    *(".corp", ".intranet", ".example", ".invalid", ".localdomain"),
)


def _is_local_name(host: str) -> bool:
    name = host.lower().rstrip(".")
    return "." not in name or name == "localhost" or name.endswith(_LOCAL_SUFFIXES)


def _is_private(address: str) -> bool:
    ip = ip_of(address.split("%", 1)[0])
    if ip is None:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified


async def _lookup(ctx: CheckContext, resolver: Resolver | None, host: str) -> HostLookup:
    ctx.waiting("dns", host)
    return await lookup_host(resolver, host, timeout_s=ctx.timeout_s)


async def check_dns(ctx: CheckContext) -> CheckResult:
    """Resolve every target host name; spot failures, timeouts and hijacked (private) answers."""
    hosts: list[str] = []
    for url in target_urls(ctx):
        host = hostname(url)
        if host is not None and ip_of(host) is None:
            hosts.append(host)
    hosts = list(dict.fromkeys(hosts))
    if not hosts:
        # Nothing to look up, so nothing to vouch for (not a pass with "0 names").
        if target_urls(ctx):
            return result("dns", Status.SKIP, "not_configured", reason="ip_addresses")
        return result("dns", Status.SKIP, "not_configured")
    resolver = host_resolver(ctx.profile.network.dns_servers, timeout_s=ctx.timeout_s)
    which = "profile" if resolver is not None else "system"
    lookups = await asyncio.gather(*(_lookup(ctx, resolver, h) for h in hosts))
    failed = [lk for lk in lookups if lk.code != "ok"]
    if failed:
        first = failed[0]
        return result(
            "dns",
            Status.FAIL,
            first.code,
            host=shown_host(first.host),
            reason=first.reason,
            failed=[shown_host(lk.host) for lk in failed],
            names=len(hosts),
            resolver=which,
        )
    for lk in lookups:
        if not _is_local_name(lk.host) and all(_is_private(a) for a in lk.addresses):
            return result(
                "dns",
                Status.WARN,
                "dns_private_answer",
                host=shown_host(lk.host),
                address=one_line(lk.addresses[0], max_len=60),
                names=len(hosts),
                resolver=which,
            )
    return result("dns", Status.PASS, "ok", names=len(hosts), resolver=which)
