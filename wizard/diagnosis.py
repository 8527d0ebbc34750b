"""Code → plain-language summary and fix, in the person's language.

One table (the `codes` section of each catalog) serves the CLI, the wizard and the message.
A check-specific entry `codes.<check>.<code>` wins over the shared `codes.<code>`, so e.g.
`dns_failure` reads differently for the DNS check and for the API check.
"""

from __future__ import annotations

from typing import Any

from wizard.checks.model import CheckResult, Status
from wizard.i18n import has, t

# Every code of CONTRACT §3 and the codes every check may give; a test checks both
# catalogs hold a summary (and, where not passing, a fix) for each.
CODES_BY_CHECK: dict[str, tuple[str, ...]] = {
    "link": ("ok", "no_network"),
    "dns": ("ok", "dns_failure", "dns_timeout", "dns_private_answer"),
    "captive_portal": ("ok", "captive_portal", "probe_unreachable"),
    "proxy": ("ok", "proxy_error", "proxy_auth_required"),
    "api": (
        "ok",
        "slow",
        "dns_failure",
        "connection_refused",
        "connect_timeout",
        "read_timeout",
        "tls_untrusted",
        "tls_hostname_mismatch",
        "tls_expired",
        "tls_error",
        "connection_reset",
        "redirect_loop",
        "http_error",
        # The request's own route can show what the link/proxy checks show.
        "proxy_error",
        "proxy_auth_required",
        "no_network",
    ),
    "service_status": (
        "ok",
        "service_degraded",
        "service_maintenance",
        "service_outage",
        "status_unavailable",
        "bad_response",
    ),
    "app_version": (
        "ok",
        "update_available",
        "update_required",
        "version_invalid",
        "manifest_unavailable",
        "bad_response",
    ),
    "phone": (
        "ok",
        "phone_invalid",
        "phone_not_a_number",
        "phone_invalid_country",
        "phone_too_short",
        "phone_too_long",
        "phone_not_mobile",
    ),
    "email": (
        "ok",
        "email_typo",
        "email_disposable",
        "email_syntax",
        "email_undeliverable",
        "email_unverified",
    ),
}
COMMON_CODES = ("not_configured", "not_provided", "internal_error")
# Codes of staff mode, where the caller answers instead of a live check.
STAFF_CODES = ("caller_unsure",)


def _key(check_id: str, code: str, part: str, lang: str) -> str:
    specific = f"codes.{check_id}.{code}.{part}"
    return specific if has(lang, specific) or has("en", specific) else f"codes.{code}.{part}"


def _shown(value: str | int | float) -> str | int | float:
    """Numbers as people read them: 146.2 ms → 146, but 0.4 stays 0.4."""
    if isinstance(value, float) and not isinstance(value, bool):
        return f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}"
    return value


def describe(check_id: str, code: str, lang: str, details: dict[str, Any]) -> tuple[str, str]:
    """The (summary, fix) of a code in `lang`; the fix is empty for passing results."""
    params = {k: _shown(v) for k, v in details.items() if isinstance(v, str | int | float)}
    params.setdefault("check", t(lang, f"checks.{check_id}"))
    # Strip: an empty trailing placeholder ("… outage. {incident}") must not leave a space.
    summary = t(lang, _key(check_id, code, "summary", lang), **params).strip()
    fix_key = _key(check_id, code, "fix", lang)
    fix = t(lang, fix_key, **params) if has("en", fix_key) else ""
    return summary, fix


def localize(result: CheckResult, lang: str) -> CheckResult:
    """Fill in summary and fix of a result for `lang` (passing results get no fix)."""
    summary, fix = describe(result.id, result.code, lang, result.details)
    if result.status in (Status.PASS, Status.SKIP):
        fix = ""
    return result.with_(summary=summary, fix=fix)
