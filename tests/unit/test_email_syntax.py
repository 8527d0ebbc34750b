"""validate_email_syntax and the domain knowledge behind its typo and throwaway warnings."""

from __future__ import annotations

import pytest

from wizard.checks.contact import clean_email, validate_email_syntax
from wizard.checks.email_domains import (
    COMMON_DOMAINS,
    DISPOSABLE_DOMAINS,
    KNOWN_DOMAINS,
    is_disposable,
    osa_distance,
    suggest_domain,
)
from wizard.checks.model import Status
from wizard.diagnosis import describe
from wizard.i18n import catalog
from wizard.vocabulary import LANGUAGES


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("li.wei@qq.com", "li.wei@qq.com"),
        ("  Li.Wei@QQ.COM \n", "Li.Wei@qq.com"),
        ("li.wei＠ｑｑ．ｃｏｍ", "li.wei@qq.com"),  # full-width IME input
        ("li.wei@qq。com", "li.wei@qq.com"),  # ideographic full stop
        ("\u200bli.wei@qq.com\u200b", "li.wei@qq.com"),  # zero-width spaces from a paste
        ("li.wei@例子.广告", "li.wei@例子.广告"),  # internationalized domain
        ("someone@mail.example.com", "someone@mail.example.com"),
        ("a+tag@gmail.com", "a+tag@gmail.com"),
    ],
)
def test_good_addresses_pass_normalized(text: str, normalized: str) -> None:
    verdict = validate_email_syntax(text)
    assert (verdict.status, verdict.code) == (Status.PASS, "ok")
    assert verdict.normalized == normalized
    assert verdict.details["normalized"] == verdict.details["email"] == normalized
    assert verdict.suggestion is None


def test_domain_for_dns_is_ascii_and_display_domain_is_unicode() -> None:
    verdict = validate_email_syntax("li.wei@例子.广告")
    assert verdict.domain == "xn--fsqu00a.xn--4rr70v"
    assert verdict.details["domain"] == "例子.广告"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plainaddress",
        "@qq.com",
        "li wei@qq.com",
        "li.wei@",
        "li.wei@@qq.com",
        "li..wei@qq.com",
        "li.wei@localhost",
        "li.wei@example.test",
        "li.wei@[127.0.0.1]",
        "li.wei@" + "a" * 300 + ".com",
        "x" * 5000,
    ],
)
def test_bad_syntax_fails_with_a_reason(text: str) -> None:
    verdict = validate_email_syntax(text)
    assert (verdict.status, verdict.code) == (Status.FAIL, "email_syntax")
    assert verdict.domain is None
    assert verdict.details["reason"]


def test_syntax_reason_is_sanitized() -> None:
    verdict = validate_email_syntax("li\x1b]0;pwned\x07 wei\u202e@qq.com")
    assert verdict.code == "email_syntax"
    reason = verdict.details["reason"]
    assert "\x1b" not in reason and "\x07" not in reason and "\u202e" not in reason


REASONS = {
    "": "empty",
    "plainaddress": "no_at",
    "li.wei@@qq.com": "many_at",
    "@qq.com": "no_local",
    "li.wei@": "no_domain",
    "li wei@qq.com": "space",
    "li.wei@localhost": "domain_no_dot",
    "li..wei@qq.com": "dots",
    ".li@qq.com": "dots",
    "li,wei;x@qq.com": "local_chars",
    "li.wei@my_mail.com": "domain_chars",
    "li.wei@xn--zz.com": "domain_chars",
    "li.wei@my-.mail.com": "hyphen",
    "li.wei@example.test": "reserved_domain",
    "li.wei@1.2.3.4": "bad_tld",
    "li.wei@[127.0.0.1]": "ip_domain",
    "li.wei@" + "a" * 300 + ".com": "too_long",
    "x" * 5000: "too_long",
    'a"b"c@qq.com': "local_chars",
}


@pytest.mark.parametrize(("text", "reason"), list(REASONS.items()), ids=list(REASONS.values()))
def test_each_mistake_has_its_own_reason_code(text: str, reason: str) -> None:
    verdict = validate_email_syntax(text)
    assert (verdict.code, verdict.details["reason"]) == ("email_syntax", reason)


def test_bad_characters_are_named() -> None:
    verdict = validate_email_syntax("li,wei;x@qq.com")
    assert verdict.details["chars"] == ", ;"
    summary, _ = describe("email", verdict.code, "en", verdict.details)
    assert summary == (
        "That is not a valid email address: "
        "the part before @ has characters an address cannot have (“, ;”)."
    )


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("text", list(REASONS))
def test_syntax_texts_come_from_the_catalog_never_the_library(lang: str, text: str) -> None:
    verdict = validate_email_syntax(text)
    summary, fix = describe("email", verdict.code, lang, verdict.details)
    for library_words in ("@-sign", "It should", "must have", "cannot have two", "IDNA"):
        assert library_words not in summary
    assert ".)." not in summary and ".." not in summary.replace("li..wei", "")
    assert "。。" not in summary and "。）" not in summary
    assert summary.endswith("." if lang == "en" else "。")
    assert fix


def test_every_reason_is_worded_in_both_languages() -> None:
    for lang in LANGUAGES:
        words = {
            k.rsplit(".", 1)[1]
            for k in catalog(lang)
            if k.startswith("codes.email_syntax.reason.") and not k.endswith("_general")
        }
        assert set(REASONS.values()) <= words, lang


@pytest.mark.parametrize("text", ["张三@qq.com", "用户@例子.广告", "josé@gmail.com"])
def test_a_local_part_beyond_ascii_warns(text: str) -> None:
    verdict = validate_email_syntax(text)
    assert (verdict.status, verdict.code) == (Status.WARN, "email_unicode_local")
    assert verdict.domain is not None  # still looked up
    summary, fix = describe("email", verdict.code, "zh-CN", verdict.details)
    assert "很多钱包不接受" in summary and fix


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("li.wei@qq.con", "li.wei@qq.com"),
        ("li.wei@gmial.com", "li.wei@gmail.com"),
        ("li.wei@163.cm", "li.wei@163.com"),
        ("li.wei@hotmial.com", "li.wei@hotmail.com"),
        ("li.wei@gmail.co", "li.wei@gmail.com"),
        ("li.wei@foxmial.com", "li.wei@foxmail.com"),
        ("li.wei@outlok.com", "li.wei@outlook.com"),
        ("li.wei@126.cmo", "li.wei@126.com"),
        ("li.wei@sina.con", "li.wei@sina.com"),
        ("li.wei@icloud.cm", "li.wei@icloud.com"),
        ("li.wei@yahooo.com", "li.wei@yahoo.com"),
        ("li.wei@qq.cn", "li.wei@qq.com"),  # a wrong TLD that is no mail domain
        ("Li.Wei@QQ.CON", "Li.Wei@qq.com"),
    ],
)
def test_near_misses_suggest_the_whole_corrected_address(text: str, suggestion: str) -> None:
    verdict = validate_email_syntax(text)
    assert (verdict.status, verdict.code) == (Status.WARN, "email_typo")
    assert verdict.suggestion == suggestion
    assert verdict.details["suggestion"] == suggestion
    assert verdict.domain is not None  # syntactically fine: DNS still gets asked


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("li.wei@qqcom", "li.wei@qq.com"),  # missing dot
        ("li.wei@gmailcom", "li.wei@gmail.com"),
        ("li.wei@qq,com", "li.wei@qq.com"),  # comma from a Chinese keyboard
        ("li.wei@qq.com.", "li.wei@qq.com"),  # trailing dot
        ("li.wei@qq. com", "li.wei@qq.com"),
    ],
)
def test_near_misses_that_are_not_even_valid_still_get_a_suggestion(
    text: str, suggestion: str
) -> None:
    verdict = validate_email_syntax(text)
    assert (verdict.status, verdict.code) == (Status.WARN, "email_typo")
    assert verdict.suggestion == suggestion
    assert verdict.domain is None  # nothing to look up as typed


def test_no_suggestion_when_the_local_part_is_broken_too() -> None:
    verdict = validate_email_syntax("li wei@qq.con")
    assert verdict.code == "email_syntax"
    assert verdict.suggestion is None


@pytest.mark.parametrize(
    "domain",
    [*sorted(KNOWN_DOMAINS), "example.com", "company.cn", "a.com", "mail.example.com"],
)
def test_real_and_unrelated_domains_are_not_corrected(domain: str) -> None:
    assert suggest_domain(domain) is None
    assert validate_email_syntax(f"li.wei@{domain}").code in ("ok", "email_disposable")


def test_short_domains_tolerate_only_one_slip() -> None:
    assert suggest_domain("qq.co") == "qq.com"
    assert suggest_domain("qx.co") is None  # two edits from qq.com
    assert suggest_domain("gmai.co") == "gmail.com"  # two edits from a longer name
    assert suggest_domain("sina.cm") == "sina.com"
    assert suggest_domain("sian.cm") is None  # two edits from an 8-letter name


def test_two_slips_need_the_first_letter_right() -> None:
    assert suggest_domain("gamil.co") == "gmail.com"
    assert suggest_domain("yopmail.com") is None  # a real (throwaway) domain, not hotmail.com
    assert suggest_domain("botmial.com") is None


def test_ties_go_to_the_more_common_provider() -> None:
    # 136.com is one edit from both 163.com (swap) and 126.com (substitution).
    assert suggest_domain("136.com") == "163.com"


@pytest.mark.parametrize(
    "domain", ["mailinator.com", "YOPMAIL.COM", "x.guerrillamail.com", "10minutemail.com"]
)
def test_throwaway_domains_warn(domain: str) -> None:
    verdict = validate_email_syntax(f"someone@{domain}")
    assert (verdict.status, verdict.code) == (Status.WARN, "email_disposable")
    assert verdict.domain == domain.lower()
    assert is_disposable(domain)


def test_is_disposable_needs_a_whole_label_match() -> None:
    assert not is_disposable("notmailinator.com")
    assert not is_disposable("com")
    assert not is_disposable("")


def test_domain_lists_are_consistent() -> None:
    assert len(set(COMMON_DOMAINS)) == len(COMMON_DOMAINS)
    assert not (KNOWN_DOMAINS & DISPOSABLE_DOMAINS)
    assert all(d == d.lower().strip() and "." in d for d in KNOWN_DOMAINS | DISPOSABLE_DOMAINS)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("qq.com", "qq.com", 0),
        ("gmial.com", "gmail.com", 1),  # adjacent swap counts one
        ("qqcom", "qq.com", 1),
        ("qq.cn", "qq.com", 2),
        ("", "abc", 3),
        ("abc", "", 3),
        ("ca", "abc", 3),  # optimal string alignment, not unrestricted Damerau
    ],
)
def test_osa_distance(a: str, b: str, distance: int) -> None:
    assert osa_distance(a, b) == distance


def test_clean_email_keeps_meaningful_unicode() -> None:
    assert clean_email(" ｕｓｅｒ＠ｑｑ．ｃｏｍ ") == "user@qq.com"
    assert clean_email("ü@例子.广告") == "ü@例子.广告"
