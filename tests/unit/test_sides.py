"""CONTRACT §3 Side: whose problem a result is, from the registry, carried in the report JSON."""

from __future__ import annotations

import pytest

from wizard.checks.model import CheckResult, Status
from wizard.checks.registry import REGISTRY
from wizard.diagnosis import describe
from wizard.vocabulary import LANGUAGES


@pytest.mark.parametrize(
    ("check_id", "status", "code", "details", "side"),
    [
        ("service_status", Status.FAIL, "service_outage", {}, "wallet"),
        ("service_status", Status.WARN, "service_degraded", {}, "wallet"),
        ("service_status", Status.WARN, "service_maintenance", {}, "wallet"),
        ("api", Status.FAIL, "http_error", {"http_status": 503}, "wallet"),
        ("api", Status.FAIL, "http_error", {"reason": "bad_http"}, "unknown"),
        ("api", Status.FAIL, "tls_untrusted", {}, "user"),
        ("api", Status.FAIL, "connect_timeout", {}, "unknown"),
        ("captive_portal", Status.FAIL, "captive_portal", {}, "user"),
        ("phone", Status.FAIL, "phone_too_short", {}, "user"),
        ("service_status", Status.UNKNOWN, "status_unavailable", {}, "unknown"),
        ("app_version", Status.FAIL, "update_required", {}, "user"),
    ],
)
def test_side_of_each_kind_of_result(
    check_id: str, status: Status, code: str, details: dict[str, object], side: str
) -> None:
    result = REGISTRY.stamp(CheckResult(check_id, status, code, details=details))
    assert result.side == side
    assert result.to_json()["side"] == side


@pytest.mark.parametrize("status", [Status.PASS, Status.SKIP])
def test_passing_and_skipped_results_have_no_side(status: Status) -> None:
    result = REGISTRY.stamp(CheckResult("api", status, "ok"))
    assert result.side == ""
    assert "side" not in result.to_json()


def _wallet_side_codes() -> list[tuple[str, str, dict[str, object]]]:
    found = []
    for check_id, codes in REGISTRY.codes_by_check().items():
        for code in codes:
            details: dict[str, object] = {"http_status": 503} if code == "http_error" else {}
            result = REGISTRY.stamp(CheckResult(check_id, Status.FAIL, code, details=details))
            if result.side == "wallet":
                found.append((check_id, code, details))
    return found


def test_the_wallet_side_codes_are_the_contracts() -> None:
    assert {(c, code) for c, code, _ in _wallet_side_codes()} == {
        ("service_status", "service_degraded"),
        ("service_status", "service_maintenance"),
        ("service_status", "service_outage"),
        ("api", "http_error"),
    }


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("check_id", "code", "details"), _wallet_side_codes())
def test_wallet_side_fixes_never_send_to_step_4_nor_blame_the_person(
    lang: str, check_id: str, code: str, details: dict[str, object]
) -> None:
    _, fix = describe(check_id, code, lang, details)
    for blame in ("step 4", "第 4 步", "contact support", "联系客服", "Check the", "请检查"):
        assert blame not in fix, (code, fix)
    if lang == "en":
        assert fix.startswith("Nothing on your side needs fixing")
        assert "send support a message now" in fix and "both are fine" in fix
    else:
        assert fix.startswith("您这边没有需要修复的问题")
        assert "现在给客服发消息" in fix and "两种做法都可以" in fix


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "The wallet's status page reports: “Phone number and email changes failing”."),
        ("zh-CN", "钱包状态页显示：“Phone number and email changes failing”。"),
    ],
)
def test_the_status_page_words_are_quoted_as_the_wallets(lang: str, expected: str) -> None:
    details = {"incident": "Phone number and email changes failing"}
    summary, _ = describe("service_status", "service_outage", lang, details)
    assert summary.endswith(expected)
    bare, _ = describe("service_status", "service_outage", lang, {"incident": ""})
    assert "“" not in bare and bare.endswith((".", "。"))
