"""`wallet-wizard wallets [--json]`: the built-in catalog, what each entry checks, and sources.

Read from the package alone: listing the catalog never contacts a host.
"""

from __future__ import annotations

import argparse
import json
from urllib.parse import urlsplit

from wizard.catalog import (
    contact_lines,
    describe_entry,
    facts,
    live_checks,
    source_words,
    version_source,
    wallets,
)
from wizard.commands.common import choose_lang
from wizard.i18n import t
from wizard.profile import Profile, default_profile


def check_words(profile: Profile, lang: str) -> str:
    """What the entry checks live, in words ("its server (api-m.paypal.com), …")."""
    words = []
    for check in live_checks(profile):
        if check == "api":
            host = urlsplit(profile.network.api_url).hostname or ""
            words.append(t(lang, "wallets.check.api", host=host))
        elif check == "service_status":
            kind = t(lang, f"wallets.format.{profile.service.status_format}")
            words.append(t(lang, "wallets.check.service_status", format=kind))
        elif version_source(profile) == "manifest":
            words.append(t(lang, "wallets.check.app_version_manifest"))
        else:
            country = profile.appstore_country.upper()
            words.append(t(lang, "wallets.check.app_version", country=country))
    return t(lang, "wallets.list_sep").join(words)


def render_wallets(lang: str) -> str:
    """The catalog as text: each entry, what it checks, each fact with its source."""
    out = [t(lang, "wallets.title"), t(lang, "wallets.use"), ""]
    for profile in wallets():
        out.append(
            t(
                lang,
                "wallets.entry",
                id=profile.catalog_id,
                name=profile.wallet.name,
                region=profile.wallet.default_region,
            )
        )
        checks = check_words(profile, lang)
        out.append("  " + (t(lang, "wallets.checks", checks=checks) if checks else ""))
        for fact in facts(profile):
            if fact.is_contact:
                continue
            out.append("  " + t(lang, "wallets.fact", name=fact.key, value=fact.value))
            out.append("    " + source_words(fact.source, lang))
        out.extend("  " + line for line in contact_lines(profile, lang))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def run_wallets(args: argparse.Namespace) -> int:
    """Print the catalog (text in the chosen language, or JSON); always exit 0."""
    lang = choose_lang(args, default_profile())
    if getattr(args, "json", False):
        doc = {"schema": 1, "wallets": [describe_entry(p) for p in wallets()]}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(render_wallets(lang), end="")
    return 0
