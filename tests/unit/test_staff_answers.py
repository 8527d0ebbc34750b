"""Staff mode: a caller's answers become the same codes the live checks give."""

from __future__ import annotations

from wizard.checks.caller import QUESTIONS, results_from_answers
from wizard.checks.model import Status
from wizard.checks.registry import REGISTRY
from wizard.i18n import t


def by_id(answers: dict[str, str]) -> dict[str, tuple[Status, str]]:
    return {r.id: (r.status, r.code) for r in results_from_answers(answers)}


def test_all_good() -> None:
    got = by_id(
        {
            "connection": "wifi",
            "airplane": "no",
            "vpn": "no",
            "other_apps": "yes",
            "web_page": "loads",
        }
    )
    assert all(status is Status.PASS for status, _ in got.values())


def test_sign_in_page_is_a_captive_portal() -> None:
    got = by_id({"web_page": "signin", "airplane": "no", "vpn": "no", "other_apps": "no"})
    assert got["captive_portal"] == (Status.FAIL, "captive_portal")


def test_airplane_mode_is_no_network() -> None:
    assert by_id({"airplane": "yes"})["link"] == (Status.FAIL, "no_network")


def test_vpn_is_a_proxy_problem() -> None:
    assert by_id({"vpn": "yes"})["proxy"] == (Status.FAIL, "proxy_error")


def test_nothing_loads_is_unreachable() -> None:
    got = by_id({"airplane": "no", "other_apps": "no", "web_page": "nothing"})
    assert got["captive_portal"] == (Status.FAIL, "probe_unreachable")


def test_unsure_is_unknown_not_fail() -> None:
    got = by_id({})
    assert got["proxy"] == (Status.UNKNOWN, "caller_unsure")


def test_every_question_and_option_has_text_in_both_languages() -> None:
    for lang in ("en", "zh-CN"):
        for q in QUESTIONS:
            assert t(lang, f"staff.{q.id}.question") != f"staff.{q.id}.question"
            assert t(lang, f"staff.{q.id}.script") != f"staff.{q.id}.script"
            for option in q.options:
                assert t(lang, f"staff.options.{option}") != f"staff.options.{option}"


def test_answers_localize() -> None:
    for result in results_from_answers({"vpn": "yes"}):
        text = result.explained("zh-CN")
        assert text.summary


def test_the_answers_stand_for_exactly_the_registrys_asked_checks() -> None:
    asked = REGISTRY.step("network").with_role("asked")
    assert tuple(r.id for r in results_from_answers({})) == asked
