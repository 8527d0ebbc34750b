"""Whose side a result is on (CONTRACT §3 "Side"): the person's, the wallet's, or unknown.

The wizard never asks a person to fix a `wallet` result before contacting support, so this
table decides what gates a step. A result that passed or was skipped has no side.
"""

from __future__ import annotations

from typing import Any, Literal

Side = Literal["user", "wallet", "unknown", ""]

# (check, code) pairs that are the wallet's: its servers failing or its own status page.
_WALLET: frozenset[tuple[str, str]] = frozenset(
    {
        ("service_status", "service_degraded"),
        ("service_status", "service_maintenance"),
        ("service_status", "service_outage"),
    }
)
# Codes that say only that we could not tell, or where the fault may lie at either end: the
# wallet's server refusing or dropping a connection looks the same as a network eating it.
_UNKNOWN_CODES = frozenset(
    {
        "internal_error",
        "caller_unsure",
        "status_unavailable",
        "bad_response",
        "manifest_unavailable",
        "store_only",
        "email_unverified",
    }
)
_UNKNOWN: frozenset[tuple[str, str]] = frozenset(
    {
        ("api", "slow"),
        ("api", "connection_refused"),
        ("api", "connect_timeout"),
        ("api", "read_timeout"),
        ("api", "connection_reset"),
        ("api", "redirect_loop"),
    }
)


def side_of(check_id: str, code: str, status: str, details: dict[str, Any]) -> Side:
    """The side of one result; "" for results that passed or were skipped."""
    if status in ("pass", "skip"):
        return ""
    if check_id == "api" and code == "http_error":
        # 5xx is the wallet's server; a reply that is not HTTP at all may be anything between.
        return "unknown" if details.get("reason") == "bad_http" else "wallet"
    if (check_id, code) in _WALLET:
        return "wallet"
    if code in _UNKNOWN_CODES or (check_id, code) in _UNKNOWN:
        return "unknown"
    return "user"
