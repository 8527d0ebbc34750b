"""CONTRACT §3 Side: whose problem a result is, carried in the report JSON."""

from __future__ import annotations

import pytest

from wizard.checks.model import CheckResult, Status


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
    result = CheckResult(check_id, status, code, details=details)
    assert result.side == side
    assert result.to_json()["side"] == side


@pytest.mark.parametrize("status", [Status.PASS, Status.SKIP])
def test_passing_and_skipped_results_have_no_side(status: Status) -> None:
    result = CheckResult("api", status, "ok")
    assert result.side == ""
    assert "side" not in result.to_json()
