"""Hand-offs: files (0600), clipboard text, a mailto: link, a QR code that fits a terminal."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import segno

from tests.unit.test_message import PROFILE, sample_message
from wizard.checks.model import CheckResult, Report, Status, StepResult
from wizard.profile import SupportSection
from wizard.support.handoff import (
    MAILTO_MAX,
    clipboard_text,
    mailto_url,
    qr_payload,
    qr_text,
    save_files,
    to_json_text,
    to_markdown,
)
from wizard.vocabulary import LANGUAGES


def test_clipboard_text_is_subject_and_body() -> None:
    message = sample_message()
    text = clipboard_text(message)
    assert text.startswith(message.subject + "\n\n") and text.endswith(message.body)


def test_markdown_fence_survives_backticks_in_the_note() -> None:
    message = sample_message(note="it showed ```` weird ``` text")
    markdown = to_markdown(message)
    assert markdown.startswith(f"# {message.subject}")
    fence = markdown.splitlines()[2].removesuffix("text")
    assert len(fence) >= 5 and set(fence) == {"`"}
    assert markdown.rstrip().endswith(fence)
    assert message.body.rstrip() in markdown


def test_json_text_is_the_payload() -> None:
    message = sample_message("zh-CN")
    text = to_json_text(message)
    assert json.loads(text) == message.payload()
    assert "参考编号" in text  # readable, not \u-escaped


def test_saved_files_are_private_and_named_after_the_reference(tmp_path: Path) -> None:
    message = sample_message()
    folder = tmp_path / "new" / "folder"
    markdown, data = save_files(message, folder)
    assert message.reference in markdown.name and markdown.suffix == ".md"
    assert message.reference in data.name and data.suffix == ".json"
    for path in (markdown, data):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert json.loads(data.read_text("utf-8")) == message.payload()
    assert markdown.read_text("utf-8") == to_markdown(message)
    assert sorted(p.name for p in folder.iterdir()) == sorted([markdown.name, data.name])
    # Saving again replaces the files, still 0600.
    data.chmod(0o644)
    save_files(message, folder)
    assert stat.S_IMODE(data.stat().st_mode) == 0o600


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mailto_round_trips_subject_and_body(lang: str) -> None:
    # One check: a short message, whose whole body fits a mailto link even in Chinese
    # (nine URL characters a Chinese character).
    phone = CheckResult("phone", Status.PASS, "ok", details={"e164": "+8613800138000"})
    report = Report("Demo", "2026-11-25T20:00:00Z", 0.0, (StepResult("contact", (phone,)),))
    message = sample_message(lang, note="short", report=report)
    url = mailto_url(message, "help@example.com")
    assert len(url) <= MAILTO_MAX
    parts = urlsplit(url)
    assert parts.scheme == "mailto" and parts.path == "help@example.com"
    assert " " not in url and "\n" not in url and "%0D%0A" in url
    query = parse_qs(parts.query)
    assert query["subject"] == [message.subject]
    assert query["body"] == [message.body.replace("\n", "\r\n")]


def test_mailto_falls_back_when_too_long() -> None:
    message = sample_message(note="x " * 1500)
    url = mailto_url(message, "help@example.com")
    assert len(url) <= MAILTO_MAX
    body = parse_qs(urlsplit(url).query)["body"][0]
    assert message.reference in body and len(body) < 300


def test_mailto_encodes_a_hostile_address() -> None:
    url = mailto_url(sample_message(), "a@b.example?cc=evil@x.example&body=hi")
    assert unquote(urlsplit(url).path) == "a@b.example?cc=evil@x.example&body=hi"
    assert "cc" not in parse_qs(urlsplit(url).query)


def test_qr_payload_is_reference_and_contact_only() -> None:
    message = sample_message()
    payload = qr_payload(message, PROFILE.support)
    assert payload.splitlines() == [message.reference, "TEL:95188", "help@example.com"]
    assert message.body not in payload and "+8613800138000" not in payload
    long_email = SupportSection(phone="95188", email="x" * 110 + "@example.com")
    shorter = qr_payload(message, long_email)
    assert shorter.splitlines() == [message.reference, "TEL:95188"]
    assert qr_payload(message, SupportSection()) == message.reference


def _matrix_from_text(text: str) -> list[list[bool]]:
    top = {"█": (True, True), "▀": (True, False), "▄": (False, True), " ": (False, False)}
    rows: list[list[bool]] = []
    for line in text.splitlines():
        pairs = [top[ch] for ch in line]
        rows.append([a for a, _ in pairs])
        rows.append([b for _, b in pairs])
    return rows


@pytest.mark.parametrize(
    "support",
    [
        PROFILE.support,
        SupportSection(phone="+86 400 123 4567", email="customer.support@wallet.example.com"),
    ],
)
def test_qr_fits_a_terminal_and_draws_the_code_faithfully(support: SupportSection) -> None:
    payload = qr_payload(sample_message(), support)
    text = qr_text(payload, invert=False)
    lines = text.splitlines()
    assert len(lines) <= 20 and max(len(line) for line in lines) <= 80
    code = segno.make(payload, error="l", micro=False, boost_error=False)
    expected = [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=2)]
    drawn = _matrix_from_text(text)[: len(expected)]
    assert drawn == expected
    inverted = _matrix_from_text(qr_text(payload))[: len(expected)]
    assert inverted == [[not m for m in row] for row in expected]
