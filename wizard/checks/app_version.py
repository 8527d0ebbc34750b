"""Step 2: is the wallet app new enough? The version typed, against the newest one known.

The newest version comes from the wallet's manifest when the profile names one (CONTRACT §2:
{"platforms": {"android": {"latest": "10.6.20", "minimum": "10.5.0", "download_url": "…"},
"default": {…}}}; `default` serves any platform not listed), else from Apple's App Store
lookup (`app.appstore_id`), which knows the latest iOS version only: no minimum, and no
public version list exists for Google Play or Huawei AppGallery (`store_only`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from packaging.version import InvalidVersion, Version

from wizard.checks.appstore import look_up
from wizard.checks.context import CheckContext
from wizard.checks.fetch import fetch_json, http_url
from wizard.checks.model import CheckResult, Status
from wizard.text import one_line, safe_text

CHECK_ID = "app_version"
DEFAULT_PLATFORM = "default"
# Real version strings are short; a pasted paragraph is not a version.
_MAX_VERSION_LEN = 64
# What app "About" screens print before the number: "v10.6", "版本 10.6", "Version: 10.6".
_PREFIX_RE = re.compile(r"^(?:版本号?|version|ver\.?|v)\s*[:：]?\s*", re.IGNORECASE)
# …and after it: "10.6.20 (1234)" carries a build number that is not part of the version.
_BUILD_RE = re.compile(r"\s*\([^()]*\)$")


def parse_app_version(text: str) -> Version | None:
    """The version a person typed ("v10.6.20", "版本 10.6.20", full-width digits), or None."""
    if len(text) > 4 * _MAX_VERSION_LEN:
        return None
    cleaned = safe_text(unicodedata.normalize("NFKC", text), multiline=False).strip()
    cleaned = _BUILD_RE.sub("", _PREFIX_RE.sub("", cleaned, count=1)).strip()
    if not cleaned or len(cleaned) > _MAX_VERSION_LEN:
        return None
    try:
        return Version(cleaned)
    except InvalidVersion:
        return None


def _platform(text: str | None) -> str:
    if text is None:
        return DEFAULT_PLATFORM
    name = one_line(unicodedata.normalize("NFKC", text), max_len=40).lower()
    return name or DEFAULT_PLATFORM


def _entry(data: Any, platform: str) -> tuple[str, dict[str, Any]] | None:
    """The manifest entry serving `platform` (or `default`), or None if there is none."""
    if not isinstance(data, dict):
        return None
    platforms = data.get("platforms")
    if not isinstance(platforms, dict):
        return None
    by_name = {k.strip().lower(): v for k, v in platforms.items() if isinstance(k, str)}
    for name in (platform, DEFAULT_PLATFORM):
        entry = by_name.get(name)
        if isinstance(entry, dict):
            return name, entry
    return None


def _manifest_version(value: Any) -> Version | None:
    return parse_app_version(value) if isinstance(value, str) else None


async def check_app_version(ctx: CheckContext) -> CheckResult:
    """The `app_version` check: up to date, update available, or update required.

    `Inputs.app_version` None means not asked (skip, `not_provided`); "" means the person was
    asked and left it empty: the manifest is still read, so they learn the latest and the
    minimum version (`version_not_given`).
    """
    url = ctx.profile.app.manifest_url
    if not url and not ctx.profile.app.appstore_id:
        return CheckResult(CHECK_ID, Status.SKIP, "not_configured")
    typed = ctx.inputs.app_version
    if typed is None:
        return CheckResult(CHECK_ID, Status.SKIP, "not_provided")
    platform = _platform(ctx.inputs.platform)
    details: dict[str, Any] = {"platform": platform}
    current: Version | None = None
    if typed.strip():
        current = parse_app_version(typed)
        if current is None:
            shown = one_line(typed, max_len=_MAX_VERSION_LEN)
            return CheckResult(
                CHECK_ID,
                Status.FAIL,
                "version_invalid",
                details={"current": shown, "platform": platform},
            )
        details = {"current": str(current), "platform": platform}
    if not url:
        return await _from_app_store(ctx, current, details)
    ctx.waiting(CHECK_ID, url)
    fetched = await fetch_json(ctx, url)
    if fetched.problem == "unavailable":
        return CheckResult(
            CHECK_ID, Status.UNKNOWN, "manifest_unavailable", details={**details, **fetched.details}
        )
    if fetched.problem:
        return CheckResult(
            CHECK_ID, Status.UNKNOWN, "bad_response", details={**details, **fetched.details}
        )
    found = _entry(fetched.data, platform)
    if found is None:
        details["reason"] = "no_platform"
        return CheckResult(CHECK_ID, Status.UNKNOWN, "bad_response", details=details)
    manifest_platform, entry = found
    latest = _manifest_version(entry.get("latest"))
    minimum = _manifest_version(entry.get("minimum")) if "minimum" in entry else None
    if latest is None or ("minimum" in entry and minimum is None):
        details["reason"] = "bad_version"
        return CheckResult(CHECK_ID, Status.UNKNOWN, "bad_response", details=details)
    details["manifest_platform"] = manifest_platform
    details["latest"] = str(latest)
    details["minimum"] = str(minimum) if minimum is not None else ""
    download_url = http_url(entry.get("download_url"))
    if download_url:
        details["download_url"] = download_url
    if current is None:
        return CheckResult(CHECK_ID, Status.WARN, "version_not_given", details=details)
    if minimum is not None and current < minimum:
        return CheckResult(CHECK_ID, Status.FAIL, "update_required", details=details)
    if current < latest:
        return CheckResult(CHECK_ID, Status.WARN, "update_available", details=details)
    return CheckResult(CHECK_ID, Status.PASS, "ok", details=details)


# Platforms whose stores publish no version list: the person looks in the store themselves.
STORE_ONLY_PLATFORMS = ("android", "harmonyos", "desktop")


async def _from_app_store(
    ctx: CheckContext, current: Version | None, details: dict[str, Any]
) -> CheckResult:
    """The verdict against the App Store's latest iOS version (CONTRACT §2 "App Store").

    At or above it is fine: the lookup can lag a release by a day, so a person who already
    has the newest version is never told to update. A 403 or a timeout is unknown, never a
    failure: Apple being busy says nothing about the person's app.
    """
    app = ctx.profile.app
    country = ctx.profile.appstore_country
    platform = details["platform"]
    details = {**details, "version_source": "appstore", "storefront": country}
    if platform in STORE_ONLY_PLATFORMS:
        details["reason"] = platform
        return CheckResult(CHECK_ID, Status.UNKNOWN, "store_only", details=details)
    found = await look_up(ctx, app.appstore_id, country, app.appstore_lookup_url)
    if found.problem == "not_found":
        details["reason"] = "not_in_storefront"
        return CheckResult(CHECK_ID, Status.UNKNOWN, "manifest_unavailable", details=details)
    if found.problem == "unavailable":
        details.update(found.details)
        return CheckResult(CHECK_ID, Status.UNKNOWN, "manifest_unavailable", details=details)
    store = found.found
    latest = parse_app_version(store.version) if store is not None else None
    if store is None or latest is None:
        details.update(found.details)
        details.setdefault("reason", "bad_version")
        return CheckResult(CHECK_ID, Status.UNKNOWN, "bad_response", details=details)
    details["latest"] = str(latest)
    details["minimum"] = ""
    if store.url:
        details["download_url"] = store.url
    if store.minimum_os:
        details["minimum_os"] = store.minimum_os
    if found.cached:
        details["cached"] = True
    if current is None:
        return CheckResult(CHECK_ID, Status.WARN, "version_not_given", details=details)
    if current < latest:
        return CheckResult(CHECK_ID, Status.WARN, "update_available", details=details)
    return CheckResult(CHECK_ID, Status.PASS, "ok", details=details)
