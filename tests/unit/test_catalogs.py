"""Both languages are complete: every code has a summary (and a fix when not passing)."""

from __future__ import annotations

import re

import pytest

from wizard.checks.model import CheckResult, Status
from wizard.checks.registry import REGISTRY
from wizard.diagnosis import describe
from wizard.i18n import catalog, normalize_lang, t
from wizard.vocabulary import LANGUAGES

PASSING = {"ok"}


def test_both_languages_have_the_same_keys() -> None:
    # Singular forms (`<key>_one`) are English's own: Chinese has no plural forms.
    en = {k for k in catalog("en") if not k.endswith("_one")}
    zh = set(catalog("zh-CN"))
    assert en - zh == set(), f"missing in zh-CN: {sorted(en - zh)}"
    assert zh - en == set(), f"missing in en: {sorted(zh - en)}"


def test_every_singular_form_has_its_plural() -> None:
    en = catalog("en")
    for key in en:
        if key.endswith("_one"):
            assert key.removesuffix("_one") in en, key


@pytest.mark.parametrize(
    ("count", "expected"), [(1, "Wrong PIN. 1 try left."), (2, "Wrong PIN. 2 tries left.")]
)
def test_english_plurals_follow_the_count(count: int, expected: str) -> None:
    assert t("en", "ui.kiosk.pin_wrong", count=count) == expected
    assert "_one" not in t("zh-CN", "ui.kiosk.pin_wrong", count=count)


def test_placeholders_exist_in_english_too() -> None:
    # A translation may leave a detail out (an English-only library message, say),
    # but must never ask for one English does not fill.
    en, zh = catalog("en"), catalog("zh-CN")
    field = re.compile(r"\{(\w+)\}")
    for key, text in zh.items():
        assert set(field.findall(text)) <= set(field.findall(en[key])), key


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    ("check_id", "code"),
    [(c, code) for c, codes in REGISTRY.codes_by_check().items() for code in codes],
)
def test_every_code_has_text(lang: str, check_id: str, code: str) -> None:
    summary, fix = describe(check_id, code, lang, {})
    assert summary and not summary.startswith("codes."), (check_id, code)
    if code not in PASSING and code not in ("not_configured", "not_provided"):
        assert fix and not fix.startswith("codes."), (check_id, code)
    assert t(lang, f"checks.{check_id}") != f"checks.{check_id}"


def test_check_specific_text_wins() -> None:
    dns_text, _ = describe("dns", "dns_failure", "en", {"host": "a.example"})
    api_text, _ = describe("api", "dns_failure", "en", {"host": "a.example"})
    assert dns_text != api_text
    assert "a.example" in dns_text and "a.example" in api_text


def test_placeholder_values_are_sanitized() -> None:
    hostile = "evil\x1b]52;c;ZXZpbA==\x07\x1b[2Jhost"
    summary, _ = describe("dns", "dns_failure", "en", {"host": hostile})
    assert "\x1b" not in summary and "\x07" not in summary
    assert "evilhost" in summary


def test_passing_results_have_no_fix() -> None:
    result = CheckResult("link", Status.PASS, "ok").explained("zh-CN")
    assert result.summary == "本设备已连接网络。" and result.fix == ""


@pytest.mark.parametrize(
    ("given", "expected"),
    [("zh", "zh-CN"), ("zh_CN", "zh-CN"), ("ZH-cn", "zh-CN"), ("en-US", "en"), ("fr", "")],
)
def test_language_names(given: str, expected: str) -> None:
    assert normalize_lang(given) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "No proxy is configured on this device for the wallet's servers "
            "(checked: the HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY settings).",
        ),
        (
            "zh-CN",
            "本设备没有为钱包服务器设置代理"
            "（已检查 HTTP_PROXY、HTTPS_PROXY、ALL_PROXY 和 NO_PROXY 设置）。",
        ),
    ],
)
def test_the_proxy_pass_says_what_was_checked(lang: str, expected: str) -> None:
    # It stands right above "A VPN, proxy … is intercepting" in the tls_intercept scenario:
    # it must not claim that nothing is in the way.
    summary, _ = describe("proxy", "ok", lang, {"proxy": "none"})
    assert summary == expected
    used, _ = describe(
        "proxy", "ok", "en", {"proxy": "http://127.0.0.1:3128", "target": "api.example.com"}
    )
    assert used == (
        "The proxy set on this device (http://127.0.0.1:3128) lets connections to "
        "api.example.com through."
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_callers_answer_reads_as_what_the_caller_said(lang: str) -> None:
    # Staff mode: the proxy "check" is a question on the phone; this machine's proxy
    # settings say nothing about the caller's phone.
    asked = {"source": "caller", "answer_vpn": "no"}
    summary, _ = describe("proxy", "ok", lang, asked)
    measured, _ = describe("proxy", "ok", lang, {"proxy": "none"})
    assert summary != measured
    assert summary == t(lang, "codes.proxy.ok.summary_caller")
    for check_id, code in (("link", "ok"), ("captive_portal", "captive_portal")):
        text, _ = describe(check_id, code, lang, asked)
        assert text.startswith({"en": "The caller says", "zh-CN": "来电者说"}[lang])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_probe_that_answered_is_not_said_to_be_unreachable(lang: str) -> None:
    answered, _ = describe(
        "captive_portal", "probe_unreachable", lang, {"reason": "http_status", "http_status": 200}
    )
    silent, _ = describe("captive_portal", "probe_unreachable", lang, {"reason": "read_timeout"})
    assert "200" in answered and "204" in answered
    assert answered != silent
