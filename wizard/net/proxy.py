"""Which proxy the environment applies to a URL, exactly as httpx would choose it.

Mirrors httpx's own matching (HTTP(S)_PROXY, ALL_PROXY, NO_PROXY, lower-case too) so a check
tests what its request really goes through. A proxy is only ever shown as scheme://host:port:
its URL may carry credentials, and the report carries none (CONTRACT §3).
"""

from __future__ import annotations

import os

import httpx

from wizard.net.classify import CONNECT_CODES
from wizard.net.httpx_private import URLPattern, get_environment_proxies
from wizard.text import one_line

# What httpx.AsyncClient() raises for proxy settings it cannot use (a bad URL, SOCKS
# without socksio installed).
CLIENT_ERRORS: tuple[type[Exception], ...] = (ImportError, ValueError, httpx.InvalidURL)
PROXY_VARS = tuple(
    v for n in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY") for v in (n, n.lower())
)


def _proxy_map() -> list[tuple[URLPattern, str | None]]:
    """The proxies httpx would take from the environment, most specific first."""
    mounts = [(URLPattern(k), v) for k, v in get_environment_proxies().items()]
    return sorted(mounts, key=lambda item: item[0])


def proxy_for(url: str) -> str | None:
    """The proxy URL httpx would use for `url` from the environment (None: direct).

    Raises httpx.InvalidURL or ValueError for a URL (or a proxy setting) httpx cannot parse.
    """
    target = httpx.URL(url)
    for pattern, proxy in _proxy_map():
        if pattern.matches(target):
            return proxy
    return None


def show_proxy(proxy: httpx.URL) -> str:
    """scheme://host:port of a proxy, never its credentials."""
    host = proxy.host if ":" not in proxy.host else f"[{proxy.host}]"
    port = proxy.port or (443 if proxy.scheme == "https" else 80)
    return one_line(f"{proxy.scheme}://{host}:{port}", max_len=160)


def proxy_shown_for(url: str) -> str | None:
    """The proxy the environment applies to `url`, as shown (None: direct or cannot tell)."""
    try:
        proxy = proxy_for(url)
        return None if proxy is None else show_proxy(httpx.URL(proxy))
    except (httpx.InvalidURL, ValueError):
        return None


def proxy_variables() -> str:
    """The names (never the values) of the proxy variables that are set, e.g. "HTTPS_PROXY"."""
    names = [n for n in PROXY_VARS if os.environ.get(n, "").strip()]
    return ", ".join(names) or "-"


def proxy_to_blame(url: str, code: str, *, connected: bool) -> str | None:
    """The proxy (as shown) a failure to connect to `url` belongs to, or None.

    A connection that was never set up (`code` in CONNECT_CODES, `connected` False) while
    the environment sends `url` through a proxy failed on the way to the proxy, not to the
    server behind it.
    """
    if code not in CONNECT_CODES or connected:
        return None
    return proxy_shown_for(url)
