"""The built-in wallet catalog (CONTRACT §6): real wallets as profiles, each fact sourced.

Each entry is a plain TOML profile in this folder (`ID.toml`), read and validated by the
profile loader (`wizard.profile.catalog_profile`), with a `[sources]` table citing the page or
code every fact was read on and the day it was checked. This module lists the entries and
says what each can check; nothing here contacts a host.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from wizard.i18n import t
from wizard.profile import (
    CONTACT_KEYS,
    FACT_KEYS,
    FactSource,
    Profile,
    catalog_ids,
    catalog_profile,
)


@dataclass(frozen=True)
class Fact:
    """One fact of an entry: its key, its value, and where it was read."""

    key: str
    value: str
    source: FactSource

    @property
    def is_contact(self) -> bool:
        """Whether it is a way to reach support (shown with its source and the warning)."""
        return self.key in CONTACT_KEYS

    def to_json(self) -> dict[str, str]:
        """As `wallets --json` lists it."""
        return {
            "key": self.key,
            "value": self.value,
            "source": self.source.url,
            "checked": self.source.checked.isoformat(),
            "evidence": self.source.evidence,
        }


@cache
def wallet(wallet_id: str) -> Profile:
    """One catalog entry as a validated profile (ProfileError for an unknown id)."""
    return catalog_profile(wallet_id)


def wallets() -> list[Profile]:
    """Every entry, in the order they are offered."""
    return [wallet(i) for i in catalog_ids()]


def facts(profile: Profile) -> list[Fact]:
    """The profile's sourced facts, in the order of FACT_KEYS."""
    found = []
    for key in FACT_KEYS:
        value = profile.value(key)
        source = profile.source_of(key)
        if value and source is not None:
            found.append(Fact(key, str(value), source))
    return found


def contacts(profile: Profile) -> list[Fact]:
    """The ways to reach support that the wallet itself published, with their sources."""
    return [f for f in facts(profile) if f.is_contact]


def version_source(profile: Profile) -> str:
    """Where the newest app version is read: "manifest", "appstore" or "" (nowhere)."""
    if profile.app.manifest_url:
        return "manifest"
    return "appstore" if profile.app.appstore_id else ""


def live_checks(profile: Profile) -> list[str]:
    """The checks that have something of this wallet's to aim at (beyond the person's device)."""
    checks = []
    if profile.network.api_url:
        checks.append("api")
    if profile.service.status_url:
        checks.append("service_status")
    if version_source(profile):
        checks.append("app_version")
    return checks


def describe_entry(profile: Profile) -> dict[str, Any]:
    """One entry as `wallets --json` lists it."""
    return {
        "id": profile.catalog_id,
        "name": profile.wallet.name,
        "region": profile.wallet.default_region,
        "checks": live_checks(profile),
        "version_source": version_source(profile),
        "appstore": (
            {"id": profile.app.appstore_id, "country": profile.appstore_country}
            if profile.app.appstore_id
            else None
        ),
        "status": (
            {"url": profile.service.status_url, "format": profile.service.status_format}
            if profile.service.status_url
            else None
        ),
        "api_url": profile.network.api_url,
        "contacts": [f.to_json() for f in contacts(profile)],
        "facts": [f.to_json() for f in facts(profile)],
    }


def source_words(source: FactSource, lang: str) -> str:
    """Where a fact was read, in words: "source: URL (the wallet's own page, checked …)"."""
    return t(
        lang,
        "wallets.source",
        url=source.url,
        evidence=t(lang, f"wallets.evidence.{source.evidence}"),
        checked=source.checked.isoformat(),
    )


def contact_lines(profile: Profile, lang: str) -> list[str]:
    """How to reach support: the wallet's own contacts, each with its source, then the
    warning that fake support numbers circulate; where it published none, where to look."""
    name = profile.wallet.name
    found = contacts(profile)
    if not found:
        return [t(lang, "wallets.no_contact", name=name), t(lang, "wallets.warning")]
    lines = []
    for fact in found:
        lines.append(t(lang, "wallets.contact", name=name, value=fact.value))
        lines.append("  " + source_words(fact.source, lang))
    lines.append(t(lang, "wallets.warning"))
    return lines
