"""Code → plain-language summary and fix, in the person's language.

One table (the `codes` section of each catalog) serves the CLI, the wizard and the message.
A check-specific entry `codes.<check>.<code>` wins over the shared `codes.<code>`, so e.g.
`dns_failure` reads differently for the DNS check and for the API check.

A leaf, like the catalogs: it knows codes and details as plain values, never the checks
(the registry in wizard.checks lists which codes each check gives).
"""

from __future__ import annotations

import string
from typing import Any

from wizard.i18n import has, t

# Where a person finds the app's version: one wording for the CLI, the codes and the UI.
VERSION_WHERE_KEY = "codes.words.version_where"


def _key(check_id: str, code: str, part: str, lang: str) -> str:
    specific = f"codes.{check_id}.{code}.{part}"
    return specific if has(lang, specific) or has("en", specific) else f"codes.{code}.{part}"


def _shown(value: str | int | float) -> str | int | float:
    """Numbers as people read them: 146.2 ms → 146, but 0.4 stays 0.4."""
    if isinstance(value, float) and not isinstance(value, bool):
        return f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}"
    return value


def region_name(lang: str, region: str, country_code: object = None) -> str:
    """A region as people read it ("China mainland", "中国大陆"), else "DE (+49)"."""
    key = f"ui.region.{region}"
    if has(lang, key) or has("en", key):
        return t(lang, key)
    if isinstance(country_code, int) and not isinstance(country_code, bool) and country_code:
        return f"{region} (+{country_code})"
    return region


def lengths_words(lang: str, lengths: list[int]) -> str:
    """Digit counts as words: [11] → "11", [10, 11] → "10–11", [6, 9] → "6 or 9"."""
    runs: list[list[int]] = []
    for n in sorted(set(lengths)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    if len(parts) < 2:
        return "".join(parts)
    head = t(lang, "codes.words.list_sep").join(parts[:-1])
    return f"{head}{t(lang, 'codes.words.or')}{parts[-1]}"


def _filled(template: str, params: dict[str, object]) -> bool:
    """Whether every placeholder of `template` has a non-empty value in `params`."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return all(str(params.get(name, "")).strip() for name in names)


def _text(lang: str, key: str, params: dict[str, object]) -> str:
    """`key` filled from `params`; its `_general` wording when a detail it names is missing.

    So "a mobile number in China has 11 digits; you typed 3" reads as "The number is too
    short" when the lengths are not known, instead of leaving gaps in a sentence.
    """
    general = f"{key}_general"
    if has("en", general) and not _filled(t("en", key), params):
        key = general
    return t(lang, key, **params)


def describe(check_id: str, code: str, lang: str, details: dict[str, Any]) -> tuple[str, str]:
    """The (summary, fix) of a code in `lang`; the fix is empty for passing results."""
    params: dict[str, object] = {
        k: _shown(v) for k, v in details.items() if isinstance(v, str | int | float)
    }
    params.setdefault("check", t(lang, f"checks.{check_id}"))
    # One wording of where the version is shown, for every text that needs it (and the UI).
    params.setdefault("version_where", t(lang, VERSION_WHERE_KEY))
    lengths = details.get("expected_lengths")
    if isinstance(lengths, list) and lengths and all(type(n) is int for n in lengths):
        params["expected"] = lengths_words(lang, lengths)
    region = details.get("region")
    if isinstance(region, str) and region:
        params.setdefault("region_name", region_name(lang, region, details.get("country_code")))
    reason = details.get("reason")
    if isinstance(reason, str) and reason:
        # A reason code the catalog words itself (`codes.<code>.reason.<reason>`).
        reason_key = f"codes.{code}.reason.{reason}"
        if has("en", reason_key):
            params["reason_text"] = _text(lang, reason_key, params)
    summary_key = _key(check_id, code, "summary", lang)
    if details.get("source") == "caller" and has("en", f"{summary_key}_caller"):
        # Staff mode: what the caller said on the phone, not what this machine measured.
        summary_key = f"{summary_key}_caller"
    # Strip: an empty trailing placeholder ("… outage. {incident}") must not leave a space.
    summary = _text(lang, summary_key, params).strip()
    fix_key = _key(check_id, code, "fix", lang)
    fix = _text(lang, fix_key, params) if has("en", fix_key) else ""
    return summary, fix
