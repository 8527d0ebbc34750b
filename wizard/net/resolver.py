"""The one resolver module: DNS through the profile's servers, or the system's, on a budget.

A profile may name DNS servers (`network.dns_servers`, "ip" or "ip:port"); they are asked
with dnspython under the caller's budget. Without them, host names go to the system
resolver (getaddrinfo: the hosts file, the OS's own DNS settings) and mail lookups, which
getaddrinfo cannot do, to a dnspython resolver configured from the system.
"localhost" is always answered by the system, never by a DNS server (RFC 6761).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field

import dns.asyncresolver
import dns.exception
import dns.nameserver
import dns.resolver

from wizard.profile import ProfileError, parse_dns_server

Resolver = dns.asyncresolver.Resolver
# getaddrinfo has no timeout of its own; a profile resolver gets this long past its own
# lifetime before it is cut off (its lifetime should end it first).
_GRACE_S = 0.2


def profile_nameservers(
    dns_servers: Sequence[str], *, strict: bool = False
) -> list[dns.nameserver.Nameserver]:
    """The profile's DNS servers as dnspython nameservers.

    `strict`: an entry that is not "ip" or "ip:port" raises ProfileError; otherwise it is
    skipped (the profile loader already refuses such entries; this is the second line).
    """
    servers: list[dns.nameserver.Nameserver] = []
    for text in dns_servers:
        try:
            address, port = parse_dns_server(text)
        except ProfileError:
            if strict:
                raise
            continue
        servers.append(dns.nameserver.Do53Nameserver(address, port))
    return servers


def _resolver(
    servers: list[dns.nameserver.Nameserver] | None, *, attempt_s: float, lifetime: float
) -> Resolver:
    """A dnspython resolver aimed at `servers` (None: the system's configuration)."""
    resolver = Resolver(configure=servers is None)
    if servers is not None:
        resolver.nameservers = servers
    resolver.timeout = attempt_s
    resolver.lifetime = lifetime
    return resolver


def host_resolver(dns_servers: Sequence[str], *, timeout_s: float) -> Resolver | None:
    """For address lookups: the profile's servers with one `timeout_s` per query, or None
    when the profile names none (then `lookup_host` asks the system)."""
    servers = profile_nameservers(dns_servers)
    if not servers:
        return None
    return _resolver(servers, attempt_s=timeout_s, lifetime=timeout_s)


def mail_resolver(dns_servers: Sequence[str], *, budget_s: float) -> Resolver:
    """For MX lookups: the profile's servers (a bad entry raises ProfileError), else the
    system's, with several tries inside `budget_s` so one lost UDP packet is not "no answer".
    """
    servers = profile_nameservers(dns_servers, strict=True)
    attempt_s = max(0.1, min(2.0, budget_s / 2))
    return _resolver(servers or None, attempt_s=attempt_s, lifetime=budget_s)


def is_localhost(host: str) -> bool:
    """Whether `host` is "localhost" or a name under it (RFC 6761: never sent to DNS)."""
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(".localhost")


@dataclass
class HostLookup:
    """The addresses of a host name, or why there are none.

    `code` is ok, dns_failure or dns_timeout (CONTRACT §3); `reason` is nxdomain, servfail,
    no_answer, not_found, bad_name or timeout.
    """

    host: str
    code: str = "ok"
    reason: str = ""
    addresses: list[str] = field(default_factory=list)


async def _lookup_dnspython(resolver: Resolver, host: str) -> HostLookup:
    result = HostLookup(host)
    try:
        for rdtype in ("A", "AAAA"):
            try:
                answer = await resolver.resolve(host, rdtype, search=False)
            except dns.resolver.NoAnswer:
                continue
            result.addresses = [r.to_text() for r in answer]
            return result
        result.code, result.reason = "dns_failure", "no_answer"
    except dns.resolver.NXDOMAIN:
        result.code, result.reason = "dns_failure", "nxdomain"
    except dns.exception.Timeout:
        result.code, result.reason = "dns_timeout", "timeout"
    except dns.resolver.NoNameservers:
        result.code, result.reason = "dns_failure", "servfail"
    except (dns.exception.DNSException, UnicodeError, ValueError):
        result.code, result.reason = "dns_failure", "bad_name"
    return result


async def _lookup_system(host: str) -> HostLookup:
    result = HostLookup(host)
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        # EAI_AGAIN is "temporary failure": the resolver did not answer in time.
        timeout = exc.errno == socket.EAI_AGAIN
        result.code = "dns_timeout" if timeout else "dns_failure"
        result.reason = "timeout" if timeout else "not_found"
        return result
    except (UnicodeError, ValueError, OSError):
        result.code, result.reason = "dns_failure", "bad_name"
        return result
    result.addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not result.addresses:
        result.code, result.reason = "dns_failure", "no_answer"
    return result


async def lookup_host(resolver: Resolver | None, host: str, *, timeout_s: float) -> HostLookup:
    """The A (else AAAA) addresses of `host` via `resolver`, or the system's; never raises
    and never takes much longer than `timeout_s`."""
    try:
        # dnspython's lifetime already bounds its own query; this also bounds getaddrinfo,
        # which has no timeout of its own.
        async with asyncio.timeout(timeout_s + (_GRACE_S if resolver else 0.0)):
            if resolver is not None and not is_localhost(host):
                return await _lookup_dnspython(resolver, host)
            return await _lookup_system(host)
    except TimeoutError:
        return HostLookup(host, "dns_timeout", "timeout")
