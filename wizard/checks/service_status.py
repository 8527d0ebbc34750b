"""Is the wallet itself down? Its status page, as its vendor publishes it (CONTRACT §2).

`service.status_format` says how the page is written (`auto`: told by its content): a
Statuspage v2 `summary.json`, of which only the subset the contract names is read
(`status.indicator` and `status.description`, `incidents[]` and `scheduled_maintenances[]`
with `name`, `status`, `impact`); an RSS or Atom feed of incidents; or Apple's system-status
JSONP (wizard.checks.status_formats). Everything from the page is sanitized before it reaches
`details`; a body of the wrong shape is `bad_response`, never a crash.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from wizard.checks.context import CheckContext
from wizard.checks.fetch import fetch_body, text_field
from wizard.checks.model import CheckResult, Status
from wizard.checks.status_formats import Unreadable, read_apple, read_feed, sniff

# What each format asks the server for.
_ACCEPT = {
    "statuspage": "application/json",
    "rss": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
    "apple": "text/javascript, application/javascript;q=0.9, */*;q=0.5",
    "auto": "application/json, application/rss+xml, application/atom+xml, */*;q=0.5",
}

CHECK_ID = "service_status"
MAX_LISTED = 5
_NAME_LEN = 200
_WORD_LEN = 40

# Worst first: an outage outranks degradation, which outranks planned maintenance.
_INDICATORS: dict[str, tuple[Status, str]] = {
    "critical": (Status.FAIL, "service_outage"),
    "major": (Status.FAIL, "service_outage"),
    "minor": (Status.WARN, "service_degraded"),
    "maintenance": (Status.WARN, "service_maintenance"),
    "none": (Status.PASS, "ok"),
}


class _Shape(Exception):
    """The page is JSON but not a Statuspage summary."""


def _items(data: dict[str, Any], key: str) -> list[dict[str, str]]:
    """Up to MAX_LISTED entries of a list of events, each field sanitized; bad entries skipped."""
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Shape(key)
    items: list[dict[str, str]] = []
    for raw in value:
        if not isinstance(raw, dict):
            continue
        items.append(
            {
                "name": text_field(raw.get("name"), max_len=_NAME_LEN),
                "status": text_field(raw.get("status"), max_len=_WORD_LEN).lower(),
                "impact": text_field(raw.get("impact"), max_len=_WORD_LEN).lower(),
            }
        )
        if len(items) >= MAX_LISTED:
            break
    return items


def _read(data: Any) -> tuple[str, str, list[dict[str, str]], list[dict[str, str]], bool]:
    if not isinstance(data, dict) or not isinstance(data.get("status"), dict):
        raise _Shape("status")
    status = data["status"]
    indicator = status.get("indicator")
    if not isinstance(indicator, str):
        raise _Shape("status.indicator")
    description = text_field(status.get("description"), max_len=_NAME_LEN)
    incidents = _items(data, "incidents")
    maintenances = _items(data, "scheduled_maintenances")
    # Counted over the whole list, not just the ones shown.
    raw = data.get("scheduled_maintenances") or []
    in_progress = any(
        isinstance(m, dict)
        and isinstance(m.get("status"), str)
        and m["status"].strip().lower() == "in_progress"
        for m in raw
    )
    return indicator.strip().lower(), description, incidents, maintenances, in_progress


def _quotable(text: str) -> str:
    """The page's words as the catalog quotes them: the quote's own closing stop is dropped,
    since the sentence around it ends with one ("…failing”." not "…failing.”.")."""
    return text.rstrip().rstrip(".。!！").rstrip()


def _current_maintenance(maintenances: list[dict[str, str]]) -> str:
    """The name of the maintenance going on now, else of the next one listed."""
    for item in maintenances:
        if item["status"] == "in_progress":
            return item["name"]
    return maintenances[0]["name"] if maintenances else ""


async def check_service_status(ctx: CheckContext) -> CheckResult:
    """The `service_status` check: what the wallet's own status page says right now."""
    url = ctx.profile.service.status_url
    if not url:
        return CheckResult(CHECK_ID, Status.SKIP, "not_configured")
    ctx.waiting(CHECK_ID, url)
    service = ctx.profile.service
    fetched = await fetch_body(ctx, url, accept=_ACCEPT.get(service.status_format, "*/*"))
    if fetched.problem == "unavailable":
        return CheckResult(CHECK_ID, Status.UNKNOWN, "status_unavailable", details=fetched.details)
    if fetched.problem:
        return CheckResult(CHECK_ID, Status.UNKNOWN, "bad_response", details=fetched.details)
    body: bytes = fetched.data
    kind = sniff(body) if service.status_format == "auto" else service.status_format
    if kind != "statuspage":
        try:
            if kind == "rss":
                verdict = read_feed(body, datetime.now(UTC))
            else:
                verdict = read_apple(body, service.components)
        except Unreadable as exc:
            return CheckResult(
                CHECK_ID, Status.UNKNOWN, "bad_response", details={"reason": exc.reason}
            )
        return CheckResult(CHECK_ID, verdict.status, verdict.code, details=verdict.details)
    return _statuspage(body)


def _statuspage(body: bytes) -> CheckResult:
    """The verdict of a Statuspage v2 summary."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        # RecursionError: deeply nested arrays are a way to crash naive parsers.
        return CheckResult(
            CHECK_ID, Status.UNKNOWN, "bad_response", details={"reason": "invalid_json"}
        )
    try:
        indicator, description, incidents, maintenances, in_progress = _read(data)
    except _Shape as exc:
        shape = {"reason": "wrong_shape", "field": str(exc)}
        return CheckResult(CHECK_ID, Status.UNKNOWN, "bad_response", details=shape)
    if indicator not in _INDICATORS:
        odd = {"reason": "unknown_indicator", "indicator": text_field(indicator, max_len=40)}
        return CheckResult(CHECK_ID, Status.UNKNOWN, "bad_response", details=odd)
    status, code = _INDICATORS[indicator]
    if in_progress and status is Status.PASS:
        status, code = Status.WARN, "service_maintenance"
    details: dict[str, Any] = {
        "indicator": indicator,
        "description": description,
        # Single strings for the catalogs' {incident}/{maintenance} placeholders.
        "incident": _quotable(incidents[0]["name"] if incidents else description),
        "maintenance": _quotable(_current_maintenance(maintenances) or description),
        "incidents": incidents,
        "maintenances": maintenances,
    }
    return CheckResult(CHECK_ID, status, code, details=details)
