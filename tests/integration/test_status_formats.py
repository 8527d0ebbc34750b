"""Status pages as vendors publish them (CONTRACT §2): RSS/Atom feeds and Apple's JSONP,
served on 127.0.0.1 and read through `wallet-wizard check --profile`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from tests.loopback.http import LoopbackHTTPServer, Reply
from wizard.checks.fetch import MAX_BODY_BYTES
from wizard.cli import main

NOW = datetime.now(UTC)


def rss(*items: tuple[str, datetime]) -> str:
    body = "".join(
        f"<item><title>{title}</title><pubDate>{format_datetime(when)}</pubDate>"
        f"<link>https://status.example.com/i/{n}</link></item>"
        for n, (title, when) in enumerate(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>S</title>{body}</channel></rss>'
    )


def atom(*entries: tuple[str, datetime]) -> str:
    body = "".join(
        f"<entry><title>{title}</title><updated>{when.isoformat().replace('+00:00', 'Z')}"
        f"</updated><id>urn:{n}</id></entry>"
        for n, (title, when) in enumerate(entries)
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>S</title>{body}</feed>'


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><item><title>&lol9;</title></item></channel></rss>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&secret;</title></item></channel></rss>"""


def apple(*services: tuple[str, list[dict[str, Any]]]) -> str:
    doc = {
        "drpost": None,
        "services": [
            {"redirectUrl": None, "events": events, "serviceName": name}
            for name, events in services
        ],
    }
    return f"jsonCallback({json.dumps(doc)});"


def event(status: str, kind: str = "Outage", message: str = "Some users are affected") -> Any:
    return {
        "eventStatus": status,
        "statusType": kind,
        "message": message,
        "usersAffected": "Some users",
        "epochStartDate": 1,
    }


@pytest.fixture(scope="module")
def shared_server() -> Iterator[LoopbackHTTPServer]:
    with LoopbackHTTPServer(lambda _req: Reply(500)) as server:
        yield server


@pytest.fixture
def page(shared_server: LoopbackHTTPServer) -> LoopbackHTTPServer:
    shared_server.requests.clear()
    return shared_server


def status_check(
    tmp_path: Path,
    server: LoopbackHTTPServer,
    body: str | bytes,
    capsys: pytest.CaptureFixture[str],
    *,
    service: str = "",
    lang: str = "en",
) -> dict[str, Any]:
    """`check --profile` against a page serving `body`; the service_status result."""
    server.handler = lambda _req: Reply(200, body, {"Content-Type": "application/xml"})
    profile = tmp_path / "p.toml"
    profile.write_text(f'[service]\nstatus_url = "{server.url("/status")}"\n{service}\n', "utf-8")
    capsys.readouterr()
    code = main(["check", "--profile", str(profile), "--json", "--lang", lang, "--timeout", "5"])
    assert code in (0, 1)
    report = json.loads(capsys.readouterr().out)
    network = next(s for s in report["steps"] if s["id"] == "network")
    result: dict[str, Any] = next(c for c in network["checks"] if c["id"] == "service_status")
    return result


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (rss(("Payments are delayed", NOW - timedelta(hours=1))), "warn", "service_degraded"),
        (rss(("Resolved: Payments are delayed", NOW - timedelta(hours=1))), "pass", "ok"),
        (rss(("[Completed] Maintenance", NOW - timedelta(hours=2))), "pass", "ok"),
        # Older than a day: history, whatever its title says.
        (rss(("Payments are delayed", NOW - timedelta(days=3))), "pass", "ok"),
        (atom(("Login errors", NOW - timedelta(hours=2))), "warn", "service_degraded"),
        (atom(("Login errors resolved", NOW - timedelta(hours=2))), "pass", "ok"),
        (rss(), "pass", "ok"),
    ],
    ids=[
        "rss-open",
        "rss-resolved",
        "rss-completed",
        "rss-old",
        "atom-open",
        "atom-resolved",
        "rss-empty",
    ],
)
@pytest.mark.parametrize("declared", ["", 'status_format = "rss"'])
def test_feeds(
    tmp_path: Path,
    page: LoopbackHTTPServer,
    capsys: pytest.CaptureFixture[str],
    body: str,
    status: str,
    code: str,
    declared: str,
) -> None:
    result = status_check(tmp_path, page, body, capsys, service=declared)
    assert (result["status"], result["code"]) == (status, code)
    assert result["details"]["format"] == "rss"
    if code == "service_degraded":
        assert result["side"] == "wallet"
        name = result["details"]["incidents"][0]["name"]
        assert f"“{name}”" in result["summary"]
    if declared:
        assert "application/rss+xml" in page.requests[0].headers["Accept"]


def test_an_open_incident_in_chinese(
    tmp_path: Path, page: LoopbackHTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    body = rss(("支付延迟", NOW - timedelta(minutes=5)), ("登录问题已解决", NOW))
    result = status_check(tmp_path, page, body, capsys, lang="zh-CN")
    assert result["code"] == "service_degraded"
    assert [i["name"] for i in result["details"]["incidents"]] == ["支付延迟"]
    assert "“支付延迟”" in result["summary"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (BOMB, "xml_forbidden"),
        (XXE, "xml_forbidden"),
        ("<rss><channel><item><title>cut off", "invalid_xml"),
        ("<html><body>Status</body></html>", "not_a_feed"),
        ("<rss>" + "x" * (MAX_BODY_BYTES + 10) + "</rss>", "too_large"),
    ],
    ids=["entity-bomb", "external-entity", "malformed", "html", "too-large"],
)
def test_hostile_or_broken_feeds_are_unknown(
    tmp_path: Path,
    page: LoopbackHTTPServer,
    capsys: pytest.CaptureFixture[str],
    body: str,
    reason: str,
) -> None:
    result = status_check(tmp_path, page, body, capsys, service='status_format = "rss"')
    assert (result["status"], result["code"]) == ("unknown", "bad_response")
    assert result["details"]["reason"] == reason
    assert "lol" not in json.dumps(result) and "root:" not in json.dumps(result)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (apple(("Apple Pay & Wallet", [event("ongoing", "Outage")])), "fail", "service_outage"),
        (apple(("Apple Pay & Wallet", [event("ongoing", "Issue")])), "warn", "service_degraded"),
        (
            apple(("Apple Pay & Wallet", [event("ongoing", "Maintenance")])),
            "warn",
            "service_maintenance",
        ),
        (apple(("Apple Pay & Wallet", [event("resolved", "Outage")])), "pass", "ok"),
        (apple(("Apple Pay & Wallet", [event("upcoming", "Maintenance")])), "pass", "ok"),
        # Another service's outage is not this wallet's.
        (
            apple(("Apple Pay & Wallet", []), ("iCloud Mail", [event("ongoing", "Outage")])),
            "pass",
            "ok",
        ),
    ],
    ids=[
        "ongoing-outage",
        "ongoing-issue",
        "ongoing-maintenance",
        "resolved",
        "upcoming",
        "other-service",
    ],
)
def test_apple_system_status(
    tmp_path: Path,
    page: LoopbackHTTPServer,
    capsys: pytest.CaptureFixture[str],
    body: str,
    status: str,
    code: str,
) -> None:
    result = status_check(tmp_path, page, body, capsys)  # auto: told by the content
    assert (result["status"], result["code"]) == (status, code)
    assert result["details"]["format"] == "apple"
    if status != "pass":
        assert "Some users are affected" in result["summary"]


def test_apple_components_choose_the_services(
    tmp_path: Path, page: LoopbackHTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    body = apple(("Apple Pay & Wallet", []), ("iCloud Mail", [event("ongoing", "Outage")]))
    service = 'status_format = "apple"\ncomponents = ["icloud mail"]'
    result = status_check(tmp_path, page, body, capsys, service=service)
    assert result["code"] == "service_outage"
    assert result["details"]["services"] == ["iCloud Mail"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("jsonCallback({not json});", "invalid_jsonp"),
        ('alert("x")', "wrong_shape"),
        ("<html>Apple</html>", "invalid_jsonp"),
        ('jsonCallback({"services": 3});', "wrong_shape"),
        (apple(("iCloud Mail", [])), "no_component"),
    ],
)
def test_broken_apple_pages_are_unknown(
    tmp_path: Path,
    page: LoopbackHTTPServer,
    capsys: pytest.CaptureFixture[str],
    body: str,
    reason: str,
) -> None:
    result = status_check(tmp_path, page, body, capsys, service='status_format = "apple"')
    assert (result["status"], result["code"]) == ("unknown", "bad_response")
    assert result["details"]["reason"] == reason


def test_a_statuspage_summary_still_reads_with_auto(
    tmp_path: Path, page: LoopbackHTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    body = json.dumps({"status": {"indicator": "minor", "description": "Slow"}, "incidents": []})
    result = status_check(tmp_path, page, body, capsys)
    assert result["code"] == "service_degraded" and result["details"]["indicator"] == "minor"
