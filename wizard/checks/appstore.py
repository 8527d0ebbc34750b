"""Apple's public App Store lookup: the latest iOS version of an app and its store link.

`GET <lookup_url>?id=<id>&country=<cc>&cb=<now>` answers `{"resultCount": N, "results":
[{"version", "trackViewUrl", "minimumOsVersion", …}]}` (CONTRACT §2). Apple allows about 20
calls a minute and answers throttled callers with 403, so answers are kept on disk for an
hour (`appstore-cache.json` in the data directory) and a help station asks at most once an
hour per app. The extra `cb` parameter gets past caches that can serve the previous version
for a day after a release. Only answers are kept: a 403 or a timeout is asked again next time.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from wizard.checks.context import CheckContext
from wizard.checks.fetch import Fetched, fetch_json, http_url, text_field
from wizard.locations import data_dir

CACHE_FILE = "appstore-cache.json"
CACHE_TTL_S = 3600.0
# The cache holds a few apps; anything bigger was not written by this module.
_CACHE_MAX_BYTES = 256 * 1024
_CACHE_MAX_ENTRIES = 64
_LOOKUP_MAX_BYTES = 256 * 1024


@dataclass(frozen=True)
class StoreVersion:
    """What the App Store says of an app: its latest version, link and minimum iOS."""

    version: str
    url: str = ""
    minimum_os: str = ""


@dataclass(frozen=True)
class Lookup:
    """The lookup's outcome: `found`, or `problem` (not_found, unavailable, bad_response)."""

    found: StoreVersion | None = None
    problem: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    cached: bool = False


def cache_key(lookup_url: str, app_id: str, country: str) -> str:
    """One cache entry per lookup address, app and storefront."""
    return f"{lookup_url}|{app_id}|{country}"


def _cache_path() -> Path | None:
    try:
        return data_dir() / CACHE_FILE
    except OSError:
        return None  # no usable data directory: ask Apple every time


def _read_cache(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            raw = handle.read(_CACHE_MAX_BYTES + 1)
        data = json.loads(raw) if len(raw) <= _CACHE_MAX_BYTES else {}
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def cached(key: str, now: float) -> Lookup | None:
    """The answer kept for `key` if it is less than an hour old."""
    path = _cache_path()
    if path is None:
        return None
    entry = _read_cache(path).get(key)
    if not isinstance(entry, dict):
        return None
    at = entry.get("at")
    if not isinstance(at, int | float) or not 0 <= now - at < CACHE_TTL_S:
        return None
    if entry.get("not_found") is True:
        return Lookup(problem="not_found", cached=True)
    found = entry.get("found")
    if not isinstance(found, dict) or not isinstance(found.get("version"), str):
        return None
    return Lookup(
        found=StoreVersion(
            version=text_field(found.get("version"), max_len=64),
            url=http_url(found.get("url")),
            minimum_os=text_field(found.get("minimum_os"), max_len=20),
        ),
        cached=True,
    )


def remember(key: str, lookup: Lookup, now: float) -> None:
    """Keep an answer (found, or not in the storefront) for an hour; never raises."""
    path = _cache_path()
    if path is None:
        return
    data = {
        k: v
        for k, v in _read_cache(path).items()
        if isinstance(v, dict)
        and isinstance(v.get("at"), int | float)
        and 0 <= now - v["at"] < CACHE_TTL_S
    }
    entry: dict[str, Any] = {"at": now}
    if lookup.found is not None:
        entry["found"] = asdict(lookup.found)
    else:
        entry["not_found"] = True
    data[key] = entry
    if len(data) > _CACHE_MAX_ENTRIES:
        newest = sorted(data, key=lambda k: data[k]["at"])[-_CACHE_MAX_ENTRIES:]
        data = {k: data[k] for k in newest}
    _write(path, data)


def _write(path: Path, data: dict[str, Any]) -> None:
    """Replace the cache file at once (a crash leaves the old one), owner-only."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".appstore-", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def lookup_address(lookup_url: str, app_id: str, country: str, now: float) -> str:
    """The lookup URL with `id`, `country` and the cache-busting `cb` parameter."""
    params = {"id": app_id, "country": country, "cb": str(int(now))}
    return str(httpx.URL(lookup_url).copy_merge_params(params))


def _read_answer(fetched: Fetched, country: str) -> Lookup:
    data = fetched.data
    if not isinstance(data, dict) or not isinstance(data.get("results", []), list):
        return Lookup(problem="bad_response", details={"reason": "wrong_shape"})
    results = [r for r in data.get("results") or [] if isinstance(r, dict)]
    count = data.get("resultCount")
    if count == 0 or not results:
        return Lookup(problem="not_found", details={"storefront": country})
    first = results[0]
    version = text_field(first.get("version"), max_len=64)
    if not version:
        return Lookup(problem="bad_response", details={"reason": "bad_version"})
    return Lookup(
        found=StoreVersion(
            version=version,
            url=http_url(first.get("trackViewUrl")),
            minimum_os=text_field(first.get("minimumOsVersion"), max_len=20),
        )
    )


async def look_up(
    ctx: CheckContext,
    app_id: str,
    country: str,
    lookup_url: str,
    *,
    clock: Callable[[], float] = time.time,
) -> Lookup:
    """The App Store's answer for `app_id` in `country`, from the hour-long cache or Apple."""
    now = clock()
    key = cache_key(lookup_url, app_id, country)
    kept = cached(key, now)
    if kept is not None:
        return kept
    address = lookup_address(lookup_url, app_id, country, now)
    ctx.waiting("app_version", httpx.URL(lookup_url).host)
    fetched = await fetch_json(ctx, address, max_bytes=_LOOKUP_MAX_BYTES)
    if fetched.problem == "unavailable":
        details = dict(fetched.details)
        if details.get("http_status") in (403, 429):
            # Apple's throttling answer (no Retry-After): wait, don't blame the network.
            details["reason"] = "throttled"
        return Lookup(problem="unavailable", details=details)
    if fetched.problem:
        return Lookup(problem="bad_response", details=fetched.details)
    answer = _read_answer(fetched, country)
    if answer.found is not None or answer.problem == "not_found":
        remember(key, answer, now)
    return answer
