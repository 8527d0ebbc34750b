"""The CLI text report: sides in words, the language's colon, singulars, and wrapping."""

from __future__ import annotations

import pytest

from wizard.checks.model import CheckResult, Report, Status, StepResult
from wizard.checks.registry import REGISTRY
from wizard.report_text import display_width, render_report, wrap

INCIDENT = "Phone number and email changes failing"


def _report(lang: str, *checks: tuple[str, str, CheckResult]) -> Report:
    steps: dict[str, list[CheckResult]] = {}
    for step_id, _, result in checks:
        # As the runner gives them: the side stamped from the registry (words come later).
        steps.setdefault(step_id, []).append(REGISTRY.stamp(result))
    return Report(
        "Demo Wallet",
        "2026-11-25T20:00:00Z",
        1234.0,
        tuple(StepResult(s, tuple(c)) for s, c in steps.items()),
    )


def _outage_report(lang: str) -> Report:
    return _report(
        lang,
        ("network", "link", CheckResult("link", Status.PASS, "ok", duration_ms=3.0)),
        (
            "network",
            "service_status",
            CheckResult(
                "service_status",
                Status.FAIL,
                "service_outage",
                duration_ms=30.0,
                details={"incident": INCIDENT},
            ),
        ),
        (
            "contact",
            "phone",
            CheckResult(
                "phone",
                Status.WARN,
                "phone_invalid",
                details={"region": "CN", "e164": "+8612000138000"},
            ),
        ),
    )


def test_a_result_that_did_not_pass_names_its_side_in_words() -> None:
    text = render_report(_outage_report("en"), "en")
    outage = next(line for line in text.splitlines() if "outage" in line)
    assert outage.endswith(f"“{INCIDENT}”. (on the wallet's side)")
    phone = next(line for line in text.splitlines() if "+8612000138000" in line)
    assert phone.endswith("(on your side)")
    passed = next(line for line in text.splitlines() if "network route" in line)
    assert "side" not in passed


def test_a_wallet_side_fix_is_what_the_person_may_do_not_a_repair() -> None:
    lines = render_report(_outage_report("en"), "en").splitlines()
    advice = lines[lines.index(next(x for x in lines if "outage" in x)) + 1]
    assert advice.strip().startswith("→ What you can do: Nothing on your side needs fixing")
    assert "step 4" not in advice and "contact support" not in advice
    zh = render_report(_outage_report("zh-CN"), "zh-CN")
    assert "→ 您可以：您这边没有需要修复的问题" in zh
    assert "（钱包一方）" in zh and "。（钱包一方）" in zh


def test_chinese_report_uses_full_width_colons() -> None:
    text = render_report(_outage_report("zh-CN"), "zh-CN")
    assert "✖ 网络：未通过" in text
    assert "汇总：" in text and "解决方法：请对照" in text
    assert ": " not in text.replace("wallet-wizard", "")


def test_one_warning_is_singular_in_english() -> None:
    text = render_report(_outage_report("en"), "en")
    assert "1 failed, 1 warning, 0 unknown, 1 passed, 0 skipped" in text
    assert "1 warnings" not in text


def test_without_a_width_every_line_stays_whole() -> None:
    text = render_report(_outage_report("en"), "en")
    assert any(
        INCIDENT in line and "The wallet reports an outage" in line for line in text.split("\n")
    )


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_with_a_width_long_lines_wrap_under_their_text(lang: str) -> None:
    text = render_report(_outage_report(lang), lang, width=72)
    lines = text.splitlines()
    assert all(display_width(line) <= 72 for line in lines), text
    first = next(i for i, line in enumerate(lines) if "30 ms" in line)
    # The summary starts after the time column; its continuation starts in the same column.
    column = display_width(lines[first].split("30 ms  ")[0] + "30 ms  ")
    follow = lines[first + 1]
    assert follow[:column].strip() == "" and follow[column] != " "


def test_wrap_keeps_closing_marks_off_the_start_of_a_line() -> None:
    lines = wrap("钱包报告服务中断。钱包状态页显示：“服务故障”。", 12, 0)
    assert all(display_width(line) <= 12 for line in lines)
    assert not any(line[:1] in "。：”，" for line in lines)
    assert "".join(lines) == "钱包报告服务中断。钱包状态页显示：“服务故障”。"


def test_wrap_cuts_a_word_longer_than_the_line() -> None:
    lines = wrap("x" * 30, 10, 0)
    assert lines == ["x" * 10, "x" * 10, "x" * 10]
