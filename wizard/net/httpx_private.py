"""The one module that imports httpx's private helpers (`httpx._utils`).

httpx has no public API for "which proxy would you use for this URL", and the proxy check
must test exactly what the API request goes through, so it reuses httpx's own matching.
Private names may change in any httpx release: tests/unit/test_httpx_private.py pins what is
relied on here and fails with the httpx version in its message when it changes.
"""

from __future__ import annotations

from httpx._utils import URLPattern, get_environment_proxies

__all__ = ["URLPattern", "get_environment_proxies"]
