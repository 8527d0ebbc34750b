"""Composition: subject, body and payload from the evidence, in both languages, nothing secret."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime

import pytest

from wizard.checks.model import CheckResult, Inputs, Report, Status, StepResult
from wizard.i18n import catalog
from wizard.profile import Profile, SupportSection, WalletSection
from wizard.support.message import Message, compose
from wizard.support.reference import ALPHABET, is_reference, new_reference
from wizard.vocabulary import LANGUAGES

CONTRACT_KEYS = {
    "reference",
    "subject",
    "body",
    "language",
    "what",
    "contact",
    "report",
    "created_at",
}
NOW = datetime(2026, 11, 25, 20, 0, 0, tzinfo=UTC)
PROFILE = Profile(
    wallet=WalletSection(name="Demo Wallet", default_region="CN", language="en"),
    support=SupportSection(endpoint="", phone="95188", email="help@example.com"),
)
INPUTS = Inputs(
    phone="138 0013 8000",
    region="CN",
    email="alice@qq.com",
    app_version="10.5.2",
    platform="android",
)


def sample_report(*, failing: bool = True, details: dict[str, object] | None = None) -> Report:
    """A report built from model objects: one failing API check unless `failing` is False."""
    api = (
        CheckResult(
            "api",
            Status.FAIL,
            "tls_untrusted",
            "The connection is intercepted.",
            "Use mobile data.",
            41.2,
            details or {"host": "api.example.com"},
        )
        if failing
        else CheckResult("api", Status.PASS, "ok", "The wallet's server answered.", "", 12.0)
    )
    return Report(
        profile="Demo Wallet",
        started_at="2026-11-25T19:59:58Z",
        duration_ms=812.5,
        steps=(
            StepResult("network", (CheckResult("link", Status.PASS, "ok", "Online."), api)),
            StepResult(
                "app",
                (CheckResult("app_version", Status.WARN, "update_available", "Update.", "Update"),),
            ),
            StepResult(
                "contact",
                (
                    CheckResult(
                        "phone", Status.PASS, "ok", "Valid.", details={"e164": "+8613800138000"}
                    ),
                    CheckResult("email", Status.SKIP, "not_provided", "Not checked."),
                ),
            ),
        ),
        language="en",
    )


def sample_message(lang: str = "en", **changes: object) -> Message:
    """A composed message for the handoff and outbox tests."""
    args: dict[str, object] = {
        "profile": PROFILE,
        "inputs": INPUTS,
        "lang": lang,
        "what": "phone",
        "note": "The app says 更新失败 after I type the code 482193.",
        "now": NOW,
    }
    args.update(changes)
    report = args.pop("report", None) or sample_report()
    return compose(report, **args)  # type: ignore[arg-type]


def test_reference_format_and_alphabet() -> None:
    refs = {new_reference() for _ in range(2000)}
    assert len(refs) == 2000
    for ref in refs:
        assert is_reference(ref)
        assert re.fullmatch(r"WU-[0-9A-Z]{4}-[0-9A-Z]{4}", ref)
        assert not set(ref[3:].replace("-", "")) & set("ILOU")
    assert set(ALPHABET) == set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert not is_reference("WU-7KQ2-9M4")
    assert not is_reference("WU-7KQ2-9MIU")
    assert not is_reference("wu-7kq2-9m4d")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_payload_holds_the_contract_keys(lang: str) -> None:
    message = sample_message(lang)
    payload = message.payload()
    assert set(payload) >= CONTRACT_KEYS
    assert payload["reference"] == message.reference and is_reference(message.reference)
    assert payload["language"] == lang
    assert payload["what"] == "phone"
    assert payload["created_at"] == "2026-11-25T20:00:00Z"
    assert payload["contact"] == {"phone": "+8613800138000", "email": "alice@qq.com"}
    assert payload["report"]["overall"] == "fail"
    assert payload["report"]["steps"][0]["checks"][1]["code"] == "tls_untrusted"
    assert json.loads(message.payload_json()) == payload
    assert uuid.UUID(message.idempotency_key).version == 4


@pytest.mark.parametrize("lang", LANGUAGES)
def test_body_an_agent_reads_in_seconds(lang: str) -> None:
    message = sample_message(lang, tried=[("captive_portal", "done"), ("network", "skipped")])
    body = message.body
    assert message.reference in message.subject and message.reference in body
    assert "2026-11-25 20:00:00Z" in body
    assert "+8613800138000" in body and "alice@qq.com" in body
    assert "10.5.2" in body and "android" in body
    assert "wallet-wizard 0.1.0" in body
    for check in ("network/link [ok]", "network/api [tls_untrusted]", "app/app_version"):
        assert check in body
    assert "✖" in body and "✔" in body and "⚠" in body
    assert "captive_portal" in body and "network" in body
    assert "(api)" in body  # unresolved
    assert message.unresolved == ("api",)
    # Every label came from the catalog: no raw key is left in the text.
    assert "message." not in body and "message." not in message.subject
    expected_words = {"en": ("Reference", "Unresolved"), "zh-CN": ("参考编号", "未解决")}[lang]
    for word in expected_words:
        assert word in body


def test_languages_differ_and_both_are_complete() -> None:
    en, zh = sample_message("en"), sample_message("zh-CN")
    assert en.subject != zh.subject and "无法" in zh.subject
    # English singulars (`_one`) have no Chinese twin: Chinese has no plural forms.
    keys = {k for k in catalog("en") if k.startswith("message.") and not k.endswith("_one")}
    assert keys and keys == {k for k in catalog("zh-CN") if k.startswith("message.")}


def test_note_is_masked_and_sanitized() -> None:
    note = (
        "验证码 482193 \x1b[31mred\x1b[0m card 4111 1111 1111 1111 on 2026-11-25 ¥1,280.50 \u202e"
    )
    message = sample_message(note=note)
    assert "482193" not in message.body and "4111 1111 1111 1111" not in message.body
    assert "2026-11-25" in message.note and "¥1,280.50" in message.note
    assert "\x1b" not in message.body and "\u202e" not in message.body
    assert "red" in message.note
    assert message.payload()["note"] == message.note


def test_report_is_scrubbed_of_identity_and_secrets() -> None:
    from wizard.support.mask import _identity

    home, _user, _host = _identity()
    details: dict[str, object] = {
        "proxy": "http://bob:hunter2@10.0.0.1:3128",
        "error": f"cannot read {home}/.config/ca.pem",
        "card": "4111-1111-1111-1111",
        "nested": {"list": ["code 123456", 3, 2.5, None, True]},
        "long": "A" * 2000 + "END",
    }
    message = sample_message(report=sample_report(details=details))
    text = json.dumps(message.payload(), ensure_ascii=False)
    assert "hunter2" not in text and "bob" not in text
    if len(home) > 1:
        assert home not in text
    assert "4111-1111-1111-1111" not in text and "123456" not in text
    api = message.report.all_checks()[1]
    assert len(api.details["long"]) <= 300 and api.details["long"].endswith("END")
    assert api.details["nested"]["list"][1:] == [3, 2.5, None, True]


def test_phone_falls_back_to_parsing_and_then_to_the_typed_text() -> None:
    report = Report("W", "2026-11-25T20:00:00Z", 1.0, ())
    parsed = compose(report, profile=PROFILE, inputs=INPUTS, lang="en", what="phone", now=NOW)
    assert parsed.contact["phone"] == "+8613800138000"
    odd = Inputs(phone="call me maybe")
    raw = compose(report, profile=PROFILE, inputs=odd, lang="en", what="phone", now=NOW)
    assert raw.contact["phone"] == "call me maybe"
    none = compose(report, profile=PROFILE, inputs=Inputs(), lang="en", what="other", now=NOW)
    assert none.contact == {"phone": "", "email": ""}
    assert "(no checks were run)" in none.body


def test_bad_values_fall_back_instead_of_raising() -> None:
    message = sample_message(
        "fr",
        what="password",
        addressed_to="space",
        reference="not-a-ref",
        tried=[("x", "weird"), ("only-one",), ("", "done")],
    )
    assert message.language == "en" and message.what == "other"
    assert message.addressed_to == "help_desk" and is_reference(message.reference)
    assert message.tried == (("x", "done"),)


def test_given_reference_and_staff_addressing() -> None:
    staff = sample_message(reference="WU-7KQ2-9M4D", addressed_to="ticket_system")
    user = sample_message(reference="WU-7KQ2-9M4D")
    assert staff.reference == "WU-7KQ2-9M4D"
    assert staff.body.splitlines()[0] != user.body.splitlines()[0]
    assert "caller" in staff.body.lower()


def test_passing_report_has_no_unresolved_line() -> None:
    message = sample_message(report=sample_report(failing=False))
    assert message.unresolved == ()
    assert "Unresolved" not in message.body
    assert "check(s) failed" not in message.subject


def _app_report(code: str, details: dict[str, object]) -> Report:
    status = Status.WARN if code == "version_not_given" else Status.SKIP
    app = CheckResult("app_version", status, code, "Version.", details=details)
    return Report("Demo Wallet", "2026-11-25T19:59:58Z", 1.0, (StepResult("app", (app,)),))


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "App version: not given (latest 11.2.0, minimum 11.0.0) · android"),
        ("zh-CN", "应用版本：未提供（最新 11.2.0，最低 11.0.0） · android"),
    ],
)
def test_a_version_not_given_still_says_what_the_manifest_told(lang: str, line: str) -> None:
    details: dict[str, object] = {"platform": "android", "latest": "11.2.0", "minimum": "11.0.0"}
    report = _app_report("version_not_given", details)
    inputs = Inputs(app_version="", platform="android")
    message = compose(report, profile=PROFILE, inputs=inputs, lang=lang, what="phone", now=NOW)
    assert line in message.body.splitlines()


def test_a_version_never_asked_with_nothing_known_is_not_given() -> None:
    report = _app_report("not_provided", {})
    message = compose(report, profile=PROFILE, inputs=Inputs(), lang="en", what="phone", now=NOW)
    assert "App version: (not given)" in message.body.splitlines()


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("en", ["Note:", "  (nothing yet — write here what happened)"]),
        ("zh-CN", ["备注：", "  （暂无——可在这里写下发生了什么）"]),
    ],
)
def test_an_empty_note_is_an_invitation_not_none(lang: str, lines: list[str]) -> None:
    body = sample_message(lang, note="").body.splitlines()
    at = body.index(lines[0])
    assert body[at : at + 2] == lines
    assert "(none)" not in "\n".join(body) and "（无）" not in "\n".join(body)


def _report_of(*statuses: Status) -> Report:
    checks = tuple(
        CheckResult(f"c{i}", s, "ok" if s is Status.PASS else "not_provided", "x")
        for i, s in enumerate(statuses)
    )
    return Report("W", "2026-11-25T20:00:00Z", 1.0, (StepResult("contact", checks),))


@pytest.mark.parametrize(
    ("statuses", "en", "zh"),
    [
        (
            (Status.PASS, Status.PASS, Status.SKIP, Status.SKIP, Status.SKIP),
            "Checks (overall: everything that was checked passed, 3 not checked)",
            "检查结果（总体：已检查的项目全部通过，3 项未检查）",
        ),
        (
            (Status.PASS, Status.PASS),
            "Checks (overall: everything passed)",
            "检查结果（总体：全部通过）",
        ),
        (
            (Status.SKIP, Status.SKIP),
            "Checks (overall: nothing checked)",
            "检查结果（总体：未检查）",
        ),
    ],
)
def test_the_overall_line_never_claims_more_than_was_checked(
    statuses: tuple[Status, ...], en: str, zh: str
) -> None:
    report = _report_of(*statuses)
    for lang, line in (("en", en), ("zh-CN", zh)):
        body = compose(report, profile=PROFILE, inputs=Inputs(), lang=lang, what="phone", now=NOW)
        assert line in body.body.splitlines()


def test_one_failing_check_is_singular_in_the_subject() -> None:
    one = sample_message()
    assert one.subject.endswith(" — 1 check failed")
    two = sample_report()
    steps = (*two.steps[:2], StepResult("contact", (CheckResult("phone", Status.FAIL, "x"),)))
    message = sample_message(report=Report("W", "t", 1.0, steps))
    assert message.subject.endswith(" — 2 checks failed")


def _staff_report() -> Report:
    asked = CheckResult(
        "proxy", Status.PASS, "ok", "The caller says no VPN or proxy is on.",
        details={"source": "caller", "answer_vpn": "no"},
    )  # fmt: skip
    live = CheckResult("api", Status.FAIL, "http_error", "HTTP 503.", details={"http_status": 503})
    status = CheckResult("service_status", Status.SKIP, "not_configured", "Not checked.")
    return Report("W", "t", 1.0, (StepResult("network", (asked, live, status)),))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_staff_ticket_claims_no_read_back_until_told(lang: str) -> None:
    said = {"en": "read back", "zh-CN": "复述"}[lang]
    staff = compose(
        _staff_report(), profile=PROFILE, inputs=Inputs(), lang=lang, what="phone",
        addressed_to="ticket_system", now=NOW,
    )  # fmt: skip
    assert said not in staff.body
    confirmed = compose(
        _staff_report(), profile=PROFILE, inputs=Inputs(), lang=lang, what="phone",
        addressed_to="ticket_system", now=NOW, read_back=True,
    )  # fmt: skip
    first = confirmed.body.splitlines()[0]
    assert first.endswith(catalog(lang)["message.field.read_back"])
    # Only a ticket filed by staff says so: a person's own message has no caller.
    own = compose(
        _staff_report(), profile=PROFILE, inputs=Inputs(), lang=lang, what="phone",
        read_back=True, now=NOW,
    )  # fmt: skip
    assert said not in own.body


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_staff_ticket_labels_the_agents_machine(lang: str) -> None:
    staff = compose(
        _staff_report(), profile=PROFILE, inputs=Inputs(), lang=lang, what="phone",
        addressed_to="ticket_system", now=NOW,
    )  # fmt: skip
    words = catalog(lang)
    lines = staff.body.splitlines()
    tool = next(line for line in lines if "wallet-wizard 0.1.0" in line)
    assert tool.startswith(words["message.field.tool_staff"])
    api = next(line for line in lines if "network/api" in line)
    assert api.endswith(words["message.field.agent_measured"])
    asked = next(line for line in lines if "network/proxy" in line)
    assert words["message.field.agent_measured"] not in asked
    skipped = next(line for line in lines if "network/service_status" in line)
    assert words["message.field.agent_measured"] not in skipped
    own = compose(
        _staff_report(), profile=PROFILE, inputs=Inputs(), lang=lang, what="phone", now=NOW
    )
    assert words["message.field.agent_measured"] not in own.body
    assert words["message.field.tool_staff"] not in own.body
