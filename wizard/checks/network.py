"""The network step: link, DNS, captive portal, proxy and the wallet's API (CONTRACT §3).

Every check catches what the network can throw at it and maps it to a stable code; errors
are classified by exception type (walking `__cause__`/`__context__` down to the socket or
ssl error), never by message text, which differs between platforms and languages. Each
request is bounded as a whole by `timeout_s`, because httpx's read timeout is per read and a
server dripping one byte at a time would otherwise never time out.
"""

from __future__ import annotations

import asyncio
import base64
import errno
import ipaddress
import os
import socket
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import dns.asyncresolver
import dns.exception
import dns.nameserver
import dns.resolver
import h11
import httpx
from httpx._utils import URLPattern, get_environment_proxies

from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Status
from wizard.profile import ProfileError, parse_dns_server
from wizard.text import one_line

BODY_CAP = 64 * 1024
MAX_REDIRECTS = 5
# A public resolver reachable from mainland China: used only for a route lookup when no
# target is an IP literal; connect() on a UDP socket sends no packet.
FALLBACK_ROUTE = "223.5.5.5"
_NO_ROUTE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EADDRNOTAVAIL}
# What httpx.AsyncClient() raises for proxy settings it cannot use.
_CLIENT_ERRORS = (ImportError, ValueError, httpx.InvalidURL)
# Failures to set up a connection: behind a proxy, they are the proxy's.
_CONNECT_CODES = {"connection_refused", "connect_timeout", "dns_failure", "no_network"}
_PROXY_VARS = tuple(
    v for n in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY") for v in (n, n.lower())
)
_NO_CACHE = {"Cache-Control": "no-cache", "Pragma": "no-cache"}
# Names that legitimately resolve to private addresses (RFC 6761, 6762, 8375 and habit).
_LOCAL_SUFFIXES = (
    *(".localhost", ".local", ".test", ".internal", ".lan", ".home", ".home.arpa"),
    *(".corp", ".intranet", ".example", ".invalid", ".localdomain"),
)


def _result(check_id: str, status: Status, code: str, **details: Any) -> CheckResult:
    return CheckResult(check_id, status, code, details=details)


def _host(text: str) -> str:
    """A target's host as shown in details: sanitized, lower-case, never a path or query."""
    return one_line(text.lower(), max_len=120)


# Targets ----------------------------------------------------------------------------------


def target_urls(ctx: CheckContext) -> list[str]:
    """Every URL of the profile the wallet depends on, in a fixed order, without repeats."""
    p = ctx.profile
    urls = [p.network.api_url, *p.network.connectivity_urls, p.service.status_url]
    urls.append(p.app.manifest_url)
    return list(dict.fromkeys(u for u in urls if u))


def _hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _default_port(url: str) -> int:
    try:
        parts = urlsplit(url)
        return parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return 443


# link -------------------------------------------------------------------------------------


def _route_error(address: str, port: int) -> int | None:
    """The errno of looking up a route to `address` (None: a route exists). Sends nothing."""
    ip = _ip(address)
    family = socket.AF_INET6 if ip is not None and ip.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.connect((address, port))
    except OSError as exc:
        return exc.errno if exc.errno is not None else -1
    return None


def link_result(outcomes: list[int | None]) -> CheckResult:
    """`no_network` when every route lookup failed for lack of a route, else `ok`."""
    missing = sum(1 for e in outcomes if e in _NO_ROUTE)
    details = {"routes_checked": len(outcomes), "routes_missing": missing}
    if outcomes and missing == len(outcomes):
        return _result("link", Status.FAIL, "no_network", **details)
    return _result("link", Status.PASS, "ok", **details)


async def check_link(ctx: CheckContext) -> CheckResult:
    """Is there a route at all: route lookups to the IP targets (or a public resolver)."""
    lookups: list[tuple[str, int]] = []
    named = False
    for url in target_urls(ctx):
        host = _hostname(url)
        if host is None:
            continue
        if _ip(host) is None:
            named = True
        else:
            lookups.append((host, _default_port(url)))
    for server in ctx.profile.network.dns_servers:
        try:
            lookups.append(parse_dns_server(server))
        except ProfileError:
            continue
    if not lookups and not named:
        return _result("link", Status.SKIP, "not_configured")
    if not lookups:
        lookups.append((FALLBACK_ROUTE, 53))
    return link_result([_route_error(a, p) for a, p in dict.fromkeys(lookups)])


# dns --------------------------------------------------------------------------------------


@dataclass
class _Lookup:
    host: str
    code: str = "ok"
    reason: str = ""
    addresses: list[str] = field(default_factory=list)


def _is_local_name(host: str) -> bool:
    name = host.lower().rstrip(".")
    return "." not in name or name == "localhost" or name.endswith(_LOCAL_SUFFIXES)


def _is_localhost(host: str) -> bool:
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(".localhost")


def _is_private(address: str) -> bool:
    ip = _ip(address.split("%", 1)[0])
    if ip is None:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified


def _resolver(ctx: CheckContext) -> dns.asyncresolver.Resolver | None:
    """A resolver aimed at the profile's DNS servers, or None for the system resolver."""
    servers: list[dns.nameserver.Nameserver] = []
    for text in ctx.profile.network.dns_servers:
        try:
            address, port = parse_dns_server(text)
        except ProfileError:
            continue
        servers.append(dns.nameserver.Do53Nameserver(address, port))
    if not servers:
        return None
    resolver = dns.asyncresolver.Resolver(configure=False)
    resolver.nameservers = servers
    resolver.timeout = ctx.timeout_s
    resolver.lifetime = ctx.timeout_s
    return resolver


async def _lookup_dnspython(resolver: dns.asyncresolver.Resolver, host: str) -> _Lookup:
    result = _Lookup(host)
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


async def _lookup_system(host: str) -> _Lookup:
    result = _Lookup(host)
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


async def _lookup(
    ctx: CheckContext, resolver: dns.asyncresolver.Resolver | None, host: str
) -> _Lookup:
    ctx.waiting("dns", host)
    try:
        # dnspython's lifetime already bounds its own query; this also bounds getaddrinfo,
        # which has no timeout of its own.
        async with asyncio.timeout(ctx.timeout_s + (0.2 if resolver else 0.0)):
            # "localhost" is answered by the hosts file, never by a DNS server (RFC 6761),
            # so it goes to the system resolver even when the profile names DNS servers.
            if resolver is not None and not _is_localhost(host):
                return await _lookup_dnspython(resolver, host)
            return await _lookup_system(host)
    except TimeoutError:
        return _Lookup(host, "dns_timeout", "timeout")


async def check_dns(ctx: CheckContext) -> CheckResult:
    """Resolve every target host name; spot failures, timeouts and hijacked (private) answers."""
    hosts: list[str] = []
    for url in target_urls(ctx):
        host = _hostname(url)
        if host is not None and _ip(host) is None:
            hosts.append(host)
    hosts = list(dict.fromkeys(hosts))
    if not hosts:
        # Nothing to look up, so nothing to vouch for (not a pass with "0 names").
        if target_urls(ctx):
            return _result("dns", Status.SKIP, "not_configured", reason="ip_addresses")
        return _result("dns", Status.SKIP, "not_configured")
    resolver = _resolver(ctx)
    which = "profile" if resolver is not None else "system"
    lookups = await asyncio.gather(*(_lookup(ctx, resolver, h) for h in hosts))
    failed = [lk for lk in lookups if lk.code != "ok"]
    if failed:
        first = failed[0]
        return _result(
            "dns",
            Status.FAIL,
            first.code,
            host=_host(first.host),
            reason=first.reason,
            failed=[_host(lk.host) for lk in failed],
            names=len(hosts),
            resolver=which,
        )
    for lk in lookups:
        if not _is_local_name(lk.host) and all(_is_private(a) for a in lk.addresses):
            return _result(
                "dns",
                Status.WARN,
                "dns_private_answer",
                host=_host(lk.host),
                address=one_line(lk.addresses[0], max_len=60),
                names=len(hosts),
                resolver=which,
            )
    return _result("dns", Status.PASS, "ok", names=len(hosts), resolver=which)


# Error classification ---------------------------------------------------------------------

_TLS_EXPIRED = {9, 10}  # not yet valid / expired: usually the device's clock
_TLS_HOSTNAME = {62, 63, 64}  # hostname / email / IP address mismatch
_TLS_UNTRUSTED = {2, 18, 19, 20, 21}  # unknown issuer, self-signed, cannot verify leaf


def exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and every exception behind it (causes, contexts, group members), each once."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        for nxt in (current.__cause__, current.__context__):
            if nxt is not None:
                stack.append(nxt)


def _first(
    chain: list[BaseException], kind: type[BaseException] | tuple[type[BaseException], ...]
) -> BaseException | None:
    return next((e for e in chain if isinstance(e, kind)), None)


def classify_error(exc: BaseException, *, answered: bool = False) -> tuple[str, dict[str, Any]]:
    """Map an httpx error to a code of CONTRACT §3 and a few safe details, by exception type.

    `answered`: the response head had arrived before the error (a cut-off body is a reset,
    not a malformed answer).
    """
    chain = list(exception_chain(exc))
    details: dict[str, Any] = {}
    cert = _first(chain, ssl.SSLCertVerificationError)
    if isinstance(cert, ssl.SSLCertVerificationError):
        code_num = cert.verify_code if isinstance(cert.verify_code, int) else -1
        details["verify_code"] = code_num
        if cert.verify_message:
            details["tls_reason"] = one_line(cert.verify_message, max_len=120)
        if code_num in _TLS_EXPIRED:
            return "tls_expired", details
        if code_num in _TLS_HOSTNAME:
            return "tls_hostname_mismatch", details
        if code_num in _TLS_UNTRUSTED:
            return "tls_untrusted", details
        return "tls_error", details
    details["error"] = one_line(type(_root(chain)).__name__, max_len=60)
    checks: list[tuple[type[BaseException] | tuple[type[BaseException], ...], str]] = [
        (httpx.TooManyRedirects, "redirect_loop"),
        (httpx.ConnectTimeout, "connect_timeout"),
        (httpx.TimeoutException, "read_timeout"),
        (ConnectionRefusedError, "connection_refused"),
        (socket.gaierror, "dns_failure"),
        (httpx.ProxyError, "proxy_error"),
    ]
    for kind, code in checks:
        if _first(chain, kind) is not None:
            return code, details
    if any(isinstance(e, OSError) and e.errno in _NO_ROUTE for e in chain):
        return "no_network", details
    resets = (ConnectionResetError, ConnectionAbortedError, BrokenPipeError, ssl.SSLEOFError)
    if _first(chain, resets) is not None:
        return "connection_reset", details
    if _first(chain, h11.RemoteProtocolError) is not None and not answered:
        # The server answered something that is not HTTP.
        details["reason"] = "bad_http"
        return "http_error", details
    if _first(chain, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)) is not None:
        return "connection_reset", details
    tls = [e for e in chain if isinstance(e, ssl.SSLError) and not _ssl_noise(e)]
    if tls:
        return "tls_error", details
    if _first(chain, httpx.ConnectError) is not None:
        return "connection_refused", details
    return "connection_reset", details


def _ssl_noise(exc: ssl.SSLError) -> bool:
    # Want-read/write are the normal non-blocking handshake states anyio leaves as context.
    return isinstance(exc, ssl.SSLWantReadError | ssl.SSLWantWriteError)


def _root(chain: list[BaseException]) -> BaseException:
    """The deepest meaningful exception (socket/ssl level), skipping library plumbing."""
    for exc in reversed(chain):
        if isinstance(exc, OSError) and not (isinstance(exc, ssl.SSLError) and _ssl_noise(exc)):
            return exc
    return chain[0]


# HTTP helpers -----------------------------------------------------------------------------


class _Trace:
    """Collects httpcore's trace events into phase timings (ms)."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.marks: dict[str, float] = {}

    async def __call__(self, name: str, info: dict[str, Any]) -> None:
        self.marks[name] = time.perf_counter()

    def _span(self, start: str, end: str) -> float | None:
        a, b = self.marks.get(start), self.marks.get(end)
        return None if a is None or b is None else round((b - a) * 1000, 1)

    @property
    def connected(self) -> bool:
        """Whether the last connection finished its TCP (and TLS, when started) setup."""
        tcp = "connection.connect_tcp.complete" in self.marks
        tls_started = "connection.start_tls.started" in self.marks
        return tcp and (not tls_started or "connection.start_tls.complete" in self.marks)

    def timings(self) -> dict[str, float]:
        """connect_ms (name lookup + TCP), tls_ms, first_byte_ms, where they happened."""
        spans = {
            "connect_ms": self._span(
                "connection.connect_tcp.started", "connection.connect_tcp.complete"
            ),
            "tls_ms": self._span("connection.start_tls.started", "connection.start_tls.complete"),
            "first_byte_ms": self._span(
                "http11.send_request_headers.started", "http11.receive_response_headers.complete"
            ),
        }
        return {k: v for k, v in spans.items() if v is not None}


async def _read_capped(response: httpx.Response, into: bytearray, cap: int = BODY_CAP) -> None:
    """Append at most `cap` bytes of the (still encoded) body to `into`; never the rest.

    Appending as it goes keeps what arrived when a dripping body is cut off by the timeout.
    """
    async for chunk in response.aiter_raw():
        into += chunk[: cap - len(into)]
        if len(into) >= cap:
            break


def _proxy_map() -> list[tuple[URLPattern, str | None]]:
    """The proxies httpx would take from the environment, most specific first."""
    mounts = [(URLPattern(k), v) for k, v in get_environment_proxies().items()]
    return sorted(mounts, key=lambda item: item[0])


def proxy_for(url: str) -> str | None:
    """The proxy URL httpx would use for `url` from the environment (None: direct).

    Mirrors httpx's own matching (HTTP(S)_PROXY, ALL_PROXY, NO_PROXY, lower-case too) so the
    check tests exactly what the API request goes through.
    """
    target = httpx.URL(url)
    for pattern, proxy in _proxy_map():
        if pattern.matches(target):
            return proxy
    return None


def _proxy_shown_for(url: str) -> str | None:
    """The proxy the environment applies to `url`, as shown (None: direct or cannot tell)."""
    try:
        proxy = proxy_for(url)
        return None if proxy is None else show_proxy(httpx.URL(proxy))
    except (httpx.InvalidURL, ValueError):
        return None


def proxy_variables() -> str:
    """The names (never the values) of the proxy variables that are set, e.g. "HTTPS_PROXY"."""
    names = [n for n in _PROXY_VARS if os.environ.get(n, "").strip()]
    return ", ".join(names) or "-"


def show_proxy(proxy: httpx.URL) -> str:
    """scheme://host:port of a proxy, never its credentials."""
    host = proxy.host if ":" not in proxy.host else f"[{proxy.host}]"
    port = proxy.port or (443 if proxy.scheme == "https" else 80)
    return one_line(f"{proxy.scheme}://{host}:{port}", max_len=160)


# captive_portal ---------------------------------------------------------------------------


@dataclass
class _Probe:
    host: str
    kind: str  # "ok" | "portal" | "unreachable" | "odd"
    status: int | None = None
    portal_host: str | None = None
    code: str = ""


async def _probe(ctx: CheckContext, client: httpx.AsyncClient, url: str) -> _Probe:
    host = _host(_hostname(url) or "")
    ctx.waiting("captive_portal", host)
    head: httpx.Response | None = None
    body = bytearray()
    try:
        async with asyncio.timeout(ctx.timeout_s):
            async with client.stream("GET", url, headers=_NO_CACHE) as response:
                head = response
                await _read_capped(response, body)
    except TimeoutError:
        if head is None:
            return _Probe(host, "unreachable", code="read_timeout")
    except httpx.HTTPError as exc:
        if head is None:
            return _Probe(host, "unreachable", code=classify_error(exc)[0])
    if head is None:  # pragma: no cover - the stream either yields a response or raises
        return _Probe(host, "unreachable", code="connection_reset")
    return _judge(host, head, bytes(body))


def _judge(host: str, response: httpx.Response, body: bytes) -> _Probe:
    """A probe's verdict from its status, Location and (possibly partial) body."""
    status = response.status_code
    if 300 <= status < 400 or status == 511:
        location = response.headers.get("location", "")
        portal = _hostname(location) if location else None
        return _Probe(host, "portal", status, _host(portal) if portal else None)
    if status == 204 and not body:
        return _Probe(host, "ok", status)
    if 200 <= status < 300 and body:
        return _Probe(host, "portal", status)
    return _Probe(host, "odd", status, code="http_status")


async def check_captive_portal(ctx: CheckContext) -> CheckResult:
    """Plain-HTTP probes that must answer 204 with an empty body; anything else is a portal."""
    urls = list(dict.fromkeys(ctx.profile.network.connectivity_urls))
    if not urls:
        return _result("captive_portal", Status.SKIP, "not_configured")
    try:
        client = ctx.http(follow_redirects=False)
    except _CLIENT_ERRORS:
        # httpx refuses the environment's proxy settings (bad URL, SOCKS without socksio).
        return _result(
            "captive_portal",
            Status.FAIL,
            "probe_unreachable",
            reason="proxy_error",
            proxy=proxy_variables(),
        )
    probes = await asyncio.gather(*(_probe(ctx, client, u) for u in urls))
    portal = next((p for p in probes if p.kind == "portal"), None)
    if portal is not None:
        details: dict[str, Any] = {"probe": portal.host, "http_status": portal.status}
        if portal.portal_host:
            details["portal_host"] = portal.portal_host
        return _result("captive_portal", Status.FAIL, "captive_portal", **details)
    passed = sum(1 for p in probes if p.kind == "ok")
    if passed:
        return _result("captive_portal", Status.PASS, "ok", probes=len(probes), passed=passed)
    first = probes[0]
    details = {"probes": len(probes), "probe": first.host, "reason": first.code}
    if first.status is not None:
        details["http_status"] = first.status
    return _result("captive_portal", Status.FAIL, "probe_unreachable", **details)


# proxy ------------------------------------------------------------------------------------


async def _talk_to_proxy(ctx: CheckContext, proxy: httpx.URL, target: httpx.URL) -> int:
    """Ask the proxy for `target` (CONNECT for https, a GET otherwise); its status code."""
    port = proxy.port or (443 if proxy.scheme == "https" else 80)
    tls = ctx.ssl_context() if proxy.scheme == "https" else None
    reader, writer = await asyncio.open_connection(
        proxy.host, port, ssl=tls, server_hostname=proxy.host if tls else None, limit=BODY_CAP
    )
    try:
        authority = target.netloc
        if target.port is None:
            authority += b":443" if target.scheme == "https" else b":80"
        if target.scheme == "https":
            lines = [b"CONNECT " + authority + b" HTTP/1.1", b"Host: " + authority]
        else:
            absolute = target.scheme.encode("ascii") + b"://" + target.netloc + target.raw_path
            lines = [b"GET " + absolute + b" HTTP/1.1"]
            lines += [b"Host: " + target.netloc, b"Connection: close"]
        if proxy.username or proxy.password:
            pair = f"{unquote(proxy.username)}:{unquote(proxy.password)}".encode()
            lines.append(b"Proxy-Authorization: Basic " + base64.b64encode(pair))
        writer.write(b"\r\n".join(lines) + b"\r\n\r\n")
        await writer.drain()
        status_line = await reader.readline()
    finally:
        writer.close()
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise _BadAnswer
    return int(parts[1])


class _BadAnswer(Exception):
    """The proxy's answer is not HTTP."""


def _proxy_failure(exc: BaseException) -> str:
    chain = list(exception_chain(exc))
    if _first(chain, ConnectionRefusedError) is not None:
        return "refused"
    if _first(chain, socket.gaierror) is not None:
        return "dns_failure"
    if _first(chain, (TimeoutError, httpx.TimeoutException)) is not None:
        return "timeout"
    if _first(chain, ssl.SSLError) is not None:
        return "tls"
    if any(isinstance(e, OSError) and e.errno in _NO_ROUTE for e in chain):
        return "unreachable"
    return "connection_error"


async def _via_httpx(ctx: CheckContext, proxy_text: str, target: str) -> int:
    """A request through a proxy kind we do not speak ourselves (SOCKS); its status code."""
    client = ctx.http(proxy=proxy_text, trust_env=False, verify=ctx.ssl_context())
    async with client.stream("GET", target, headers=_NO_CACHE) as response:
        return response.status_code


async def check_proxy(ctx: CheckContext) -> CheckResult:
    """Which proxy the environment applies to the wallet, and whether it lets us through."""
    urls = [ctx.profile.network.api_url, *ctx.profile.network.connectivity_urls]
    try:
        chosen = next(((u, p) for u in urls if u and (p := proxy_for(u)) is not None), None)
    except (httpx.InvalidURL, ValueError):
        return _result(
            "proxy", Status.FAIL, "proxy_error", reason="invalid_url", proxy=proxy_variables()
        )
    if chosen is None:
        # No `target`: the catalog's general wording says what was checked (the settings).
        return _result("proxy", Status.PASS, "ok", proxy="none")
    target_text, proxy_text = chosen
    try:
        proxy = httpx.URL(proxy_text)
        if not proxy.host:
            raise httpx.InvalidURL("no host")
    except (httpx.InvalidURL, ValueError):
        return _result(
            "proxy", Status.FAIL, "proxy_error", reason="invalid_url", proxy=proxy_variables()
        )
    if proxy.scheme not in ("http", "https", "socks5", "socks5h"):
        return _result(
            "proxy", Status.FAIL, "proxy_error", reason="unsupported", proxy=proxy_variables()
        )
    details: dict[str, Any] = {"proxy": show_proxy(proxy)}
    details["target"] = _host(_hostname(target_text) or "")
    ctx.waiting("proxy", details["proxy"])
    try:
        async with asyncio.timeout(ctx.timeout_s):
            if proxy.scheme in ("http", "https"):
                status = await _talk_to_proxy(ctx, proxy, httpx.URL(target_text))
            else:
                status = await _via_httpx(ctx, proxy_text, target_text)
    except _BadAnswer:
        return _result("proxy", Status.FAIL, "proxy_error", reason="bad_answer", **details)
    except ImportError:
        return _result("proxy", Status.FAIL, "proxy_error", reason="unsupported", **details)
    except (OSError, TimeoutError, httpx.HTTPError, ValueError, UnicodeError) as exc:
        return _result("proxy", Status.FAIL, "proxy_error", reason=_proxy_failure(exc), **details)
    details["http_status"] = status
    if status == 407:
        return _result("proxy", Status.FAIL, "proxy_auth_required", **details)
    if httpx.URL(target_text).scheme == "https" and not 200 <= status < 300:
        # The proxy refused to open a tunnel to the wallet.
        return _result("proxy", Status.FAIL, "proxy_error", reason="refused_tunnel", **details)
    return _result("proxy", Status.PASS, "ok", **details)


# api --------------------------------------------------------------------------------------


async def check_api(ctx: CheckContext) -> CheckResult:
    """GET the wallet's API: did its server answer, how fast, and if not, why exactly."""
    url = ctx.profile.network.api_url
    if not url:
        return _result("api", Status.SKIP, "not_configured")
    host = _host(_hostname(url) or "")
    try:
        verify = ctx.ssl_context()
    except (ssl.SSLError, OSError):
        return _result("api", Status.FAIL, "tls_error", host=host, reason="ca_bundle")
    try:
        client = ctx.http(verify=verify, follow_redirects=True, max_redirects=MAX_REDIRECTS)
    except _CLIENT_ERRORS:
        # httpx refuses the environment's proxy settings (bad URL, SOCKS without socksio).
        return _result(
            "api",
            Status.FAIL,
            "proxy_error",
            host=host,
            reason="invalid_proxy",
            proxy=proxy_variables(),
        )
    trace = _Trace()
    head: httpx.Response | None = None
    ctx.waiting("api", host)
    try:
        async with asyncio.timeout(ctx.timeout_s):
            request = client.build_request("GET", url, extensions={"trace": trace})
            response = await client.send(request, stream=True)
            head = response
            try:
                await _read_capped(response, bytearray())
            finally:
                await response.aclose()
        return _judge_api(ctx, url, host, response, trace)
    except TimeoutError:
        code = "read_timeout" if trace.connected else "connect_timeout"
        extra: dict[str, Any] = {"timeout_s": ctx.timeout_s}
    except httpx.HTTPError as exc:
        code, extra = classify_error(exc, answered=head is not None)
    shown = _proxy_shown_for(url) if code in _CONNECT_CODES and not trace.connected else None
    if shown is not None:
        # The connection that failed was the one to the proxy, not to the wallet.
        extra.update(reason=code, proxy=shown)
        code = "proxy_error"
    return _result("api", Status.FAIL, code, host=host, **extra, **trace.timings())


def _judge_api(
    ctx: CheckContext, url: str, host: str, response: httpx.Response, trace: _Trace
) -> CheckResult:
    """The verdict on an answer: any status below 500 means the wallet's server answered."""
    status = response.status_code
    total_ms = round((time.perf_counter() - trace.t0) * 1000, 1)
    details: dict[str, Any] = {"host": host, "http_status": status, "elapsed_ms": total_ms}
    details.update(trace.timings())
    if response.history:
        details["redirects"] = len(response.history)
    if status == 407 and _proxy_shown_for(url) is not None:
        return _result("api", Status.FAIL, "proxy_auth_required", **details)
    if status >= 500:
        return _result("api", Status.FAIL, "http_error", **details)
    if total_ms > ctx.profile.network.slow_ms:
        details["slow_ms"] = ctx.profile.network.slow_ms
        return _result("api", Status.WARN, "slow", **details)
    return _result("api", Status.PASS, "ok", **details)
