"""Status pages as vendors publish them, beyond Statuspage (CONTRACT §2 `status_format`).

- `rss`: an RSS 2.0 or Atom feed of incidents (PayPal's). An item published in the last 24
  hours whose title does not say it is resolved or completed is an open incident. Parsed with
  defusedxml only: no DTD, no entities, no external fetches, so an entity-expansion bomb is
  refused instead of expanded (the body is already capped by the fetch).
- `apple`: Apple's system-status JSONP, `jsonCallback({"services": [{"serviceName",
  "events": [{"eventStatus", "statusType", "message"}]}]});`. An ongoing event on one of the
  profile's `components` (default "Apple Pay & Wallet") is an outage (statusType Outage),
  maintenance, or else a degradation.

Each reader returns a `Verdict` or raises `Unreadable` with a reason for `bad_response`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from wizard.checks.model import Status
from wizard.text import one_line

# How long a feed item stays news: older ones are history, whatever their title says.
OPEN_WINDOW = timedelta(hours=24)
# A feed's items or a page's services beyond these are not read (the newest come first).
MAX_ITEMS = 200
MAX_LISTED = 5
APPLE_DEFAULT_COMPONENTS = ("Apple Pay & Wallet",)
_NAME_LEN = 200
_WORD_LEN = 40
# Titles of a closed incident: "Resolved: …", "[Completed] …", "已解决".
_CLOSED_RE = re.compile(r"\b(?:resolved|completed)\b|已解决|已完成|已恢复", re.IGNORECASE)
_JSONP_RE = re.compile(rb"^\s*[A-Za-z_$][\w$.]*\s*\((.*)\)\s*;?\s*$", re.DOTALL)
_CALLBACK_RE = re.compile(rb"^\s*[A-Za-z_$][\w$.]*\s*\(")


class Unreadable(Exception):
    """The page is not what its format says; `reason` goes in `details.reason`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Verdict:
    """What a status page says: a status and code of the `service_status` check, with details."""

    status: Status
    code: str
    details: dict[str, object] = field(default_factory=dict)


def sniff(body: bytes) -> str:
    """The format a body is written in: "rss" (XML), "apple" (a JSONP call) or "statuspage"."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "rss"
    if _CALLBACK_RE.match(head):
        return "apple"
    return "statuspage"


def _local(tag: object) -> str:
    """An element's name without its namespace ("{http://www.w3.org/2005/Atom}entry" → entry)."""
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(item: Element, *names: str) -> str:
    for name in names:
        for child in item:
            if _local(child.tag) == name and (child.text or "").strip():
                return child.text or ""
    return ""


def _when(item: Element) -> datetime | None:
    """When an item was published: RSS pubDate (RFC 822), Atom/Dublin Core ISO 8601."""
    text = _child_text(item, "pubdate", "published", "updated", "date").strip()
    if not text:
        return None
    when: datetime | None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when


def _parse_xml(body: bytes) -> Element:
    try:
        return fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        # A DTD or entity: never expanded (an entity-expansion bomb ends here).
        raise Unreadable("xml_forbidden") from None
    except (ParseError, ValueError, RecursionError):
        raise Unreadable("invalid_xml") from None


def read_feed(body: bytes, now: datetime) -> Verdict:
    """An RSS or Atom feed of incidents: open ones in the last 24 hours are a degradation."""
    root = _parse_xml(body)
    if _local(root.tag) not in ("rss", "feed", "rdf"):
        raise Unreadable("not_a_feed")
    items = [e for e in root.iter() if _local(e.tag) in ("item", "entry")][:MAX_ITEMS]
    open_items: list[dict[str, str]] = []
    recent = 0
    for item in items:
        when = _when(item)
        if when is None or now - when > OPEN_WINDOW:
            continue
        recent += 1
        title = one_line(_child_text(item, "title"), max_len=_NAME_LEN)
        if _CLOSED_RE.search(title):
            continue
        open_items.append({"name": title, "status": "open", "impact": ""})
    details: dict[str, object] = {
        "format": "rss",
        "items": len(items),
        "recent": recent,
        "incidents": open_items[:MAX_LISTED],
    }
    if open_items:
        details["incident"] = _quotable(open_items[0]["name"])
        return Verdict(Status.WARN, "service_degraded", details)
    return Verdict(Status.PASS, "ok", details)


_APPLE_LEVELS: dict[str, tuple[Status, str, int]] = {
    "outage": (Status.FAIL, "service_outage", 3),
    "maintenance": (Status.WARN, "service_maintenance", 1),
}
_APPLE_OTHER = (Status.WARN, "service_degraded", 2)


def _apple_services(body: bytes) -> list[dict[str, object]]:
    """The `services` of Apple's `jsonCallback({...});`."""
    match = _JSONP_RE.match(body)
    if match is None:
        raise Unreadable("invalid_jsonp")
    try:
        data = json.loads(match.group(1))
    except (ValueError, RecursionError):
        raise Unreadable("invalid_jsonp") from None
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, list):
        raise Unreadable("wrong_shape")
    return [s for s in services[:MAX_ITEMS] if isinstance(s, dict)]


def _text(value: object, max_len: int) -> str:
    return one_line(value, max_len=max_len) if isinstance(value, str) else ""


def read_apple(body: bytes, components: Sequence[str]) -> Verdict:
    """Apple's system status: the worst ongoing event on a service named in `components`."""
    wanted = {c.casefold().strip() for c in (components or APPLE_DEFAULT_COMPONENTS)}
    services = _apple_services(body)
    mine = [s for s in services if _text(s.get("serviceName"), 100).casefold() in wanted]
    if not mine:
        # A page without the service named is no evidence that it is fine.
        raise Unreadable("no_component")
    worst: tuple[Status, str, int] = (Status.PASS, "ok", 0)
    worst_message = ""
    incidents: list[dict[str, str]] = []
    for service in mine:
        name = _text(service.get("serviceName"), 100)
        for event in _events(service.get("events")):
            if _text(event.get("eventStatus"), _WORD_LEN).lower() != "ongoing":
                continue
            kind = _text(event.get("statusType"), _WORD_LEN).lower()
            level = _APPLE_LEVELS.get(kind, _APPLE_OTHER)
            message = _text(event.get("message"), _NAME_LEN) or name
            incidents.append({"name": message, "status": "ongoing", "impact": kind})
            if level[2] > worst[2]:
                worst, worst_message = level, message
    status, code, _rank = worst
    details: dict[str, object] = {
        "format": "apple",
        "services": [_text(s.get("serviceName"), 100) for s in mine],
        "incidents": incidents[:MAX_LISTED],
    }
    if incidents:
        details["incident"] = details["maintenance"] = _quotable(worst_message)
    return Verdict(status, code, details)


def _events(value: object) -> Iterable[dict[str, object]]:
    if not isinstance(value, list):
        return []
    return [e for e in value[:MAX_ITEMS] if isinstance(e, dict)]


def _quotable(text: str) -> str:
    """The page's words as the catalog quotes them, without their own closing stop."""
    return text.rstrip().rstrip(".。!！").rstrip()
