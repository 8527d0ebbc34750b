"""Which certificates are trusted: one rule for the checks and for delivery, built once.

httpx's default trust (certifi, or `SSL_CERT_FILE` / `SSL_CERT_DIR` when set, as CONTRACT §1
says) plus the CAs of the profile's `ca_bundle`. Loading a trust store blocks for 40–80 ms,
and the wizard runs checks on its UI loop at every step and Re-check, so a context is built
once per process for each (bundle, environment) and shared: an `ssl.SSLContext` may serve
many connections at once, and nothing here changes it after it is built.
"""

from __future__ import annotations

import os
import ssl
import threading
from pathlib import Path

_lock = threading.Lock()
_contexts: dict[tuple[object, ...], ssl.SSLContext] = {}


def _key(ca_bundle: str) -> tuple[object, ...]:
    """What the context depends on: the bundle's identity and contents' stamp, and the
    environment variables httpx reads (a changed file or variable gets a new context)."""
    stamp: tuple[int, int] | None = None
    if ca_bundle:
        try:
            info = Path(ca_bundle).stat()
            stamp = (info.st_mtime_ns, info.st_size)
        except OSError:
            stamp = None  # unreadable: never cached, loading it raises below
    return (
        ca_bundle,
        stamp,
        os.environ.get("SSL_CERT_FILE", ""),
        os.environ.get("SSL_CERT_DIR", ""),
    )


def trust_context(ca_bundle: str = "") -> ssl.SSLContext:
    """The client context trusting httpx's defaults plus the CAs of `ca_bundle` (if any).

    Raises OSError or ssl.SSLError when `ca_bundle` cannot be read as certificates.
    """
    key = _key(ca_bundle)
    with _lock:
        cached = _contexts.get(key)
    if cached is not None:
        return cached
    import httpx  # ~50 ms to import: only when a connection is about to be made

    context = httpx.create_ssl_context()
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    with _lock:
        if key[1] is not None or not ca_bundle:
            _contexts[key] = context
    return context
