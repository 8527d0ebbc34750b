"""validate_phone, phone_preview and check_phone: every phone code, with real numbers."""

from __future__ import annotations

import sys

import pytest

from wizard.checks.contact import check_phone, normalize_phone, phone_preview, validate_phone
from wizard.checks.context import CheckContext, Inputs
from wizard.checks.model import Status
from wizard.profile import Profile, WalletSection

CN_MOBILE = "+8613800138000"


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("+86 138 0013 8000", "CN"),
        ("13800138000", "CN"),
        ("138-0013-8000", "CN"),
        ("138.0013.8000", "CN"),
        ("(138) 0013 8000", "CN"),
        ("１３８００１３８０００", "CN"),  # full-width digits from a Chinese IME
        ("＋８６ １３８ ００１３ ８０００", "US"),
        ("0086 138 0013 8000", "CN"),
        ("+8613800138000", "ZZ"),  # a bad region does not matter with +country
        ("13800138000", "cn"),  # region upper-cased
        (" 13800138000\u200b", " cn "),  # zero-width space from a paste
        ("138\x1b[31m0013 8000", "CN"),  # an escape sequence leaves no digits behind
    ],
)
def test_cn_mobile_in_many_spellings_is_ok(text: str, region: str) -> None:
    verdict = validate_phone(text, region)
    assert (verdict.status, verdict.code) == (Status.PASS, "ok")
    assert verdict.e164 == CN_MOBILE
    assert verdict.number_type == "MOBILE"
    assert verdict.national == "138 0013 8000"
    assert verdict.international == "+86 138 0013 8000"
    assert verdict.details == {
        "region": "CN",
        "e164": CN_MOBILE,
        "national": "138 0013 8000",
        "number_type": "MOBILE",
    }


def test_us_number_fixed_line_or_mobile_counts_as_mobile() -> None:
    verdict = validate_phone("(650) 253-0000", "US")
    assert (verdict.status, verdict.code) == (Status.PASS, "ok")
    assert verdict.e164 == "+16502530000"
    assert verdict.number_type == "FIXED_LINE_OR_MOBILE"


@pytest.mark.parametrize(
    ("text", "region", "number_type"),
    [
        ("010 12345678", "CN", "FIXED_LINE"),  # a Beijing landline
        ("+86 10 1234 5678", "US", "FIXED_LINE"),
        ("800 810 8888", "CN", "TOLL_FREE"),
        ("400 810 8888", "CN", "SHARED_COST"),
        ("+1 800 555 0199", "US", "TOLL_FREE"),
    ],
)
def test_valid_numbers_that_get_no_sms_are_not_mobile(
    text: str, region: str, number_type: str
) -> None:
    verdict = validate_phone(text, region)
    assert (verdict.status, verdict.code) == (Status.FAIL, "phone_not_mobile")
    assert verdict.number_type == number_type
    assert verdict.details["number_type"] == number_type
    assert verdict.e164 is not None


def test_possible_but_unassigned_number_is_only_a_warning() -> None:
    verdict = validate_phone("1380013800", "CN")  # one digit short of a mobile
    assert (verdict.status, verdict.code) == (Status.WARN, "phone_invalid")
    assert verdict.e164 == "+861380013800"


@pytest.mark.parametrize(
    ("text", "region", "code"),
    [
        ("abc", "CN", "phone_not_a_number"),
        ("hello world", "US", "phone_not_a_number"),
        ("", "CN", "phone_not_a_number"),
        ("---", "CN", "phone_not_a_number"),
        ("1", "CN", "phone_not_a_number"),
        ("12", "CN", "phone_too_short"),  # TOO_SHORT (possible-number reason)
        ("+86 1", "CN", "phone_too_short"),  # TOO_SHORT_NSN (parse error)
        ("0086", "CN", "phone_too_short"),  # TOO_SHORT_AFTER_IDD (parse error)
        ("+1 555 0100", "US", "phone_too_short"),  # IS_POSSIBLE_LOCAL_ONLY: no area code
        ("+376 3123453", "AD", "phone_too_short"),  # INVALID_LENGTH, nearer the longer one
        ("+501 62212346", "BZ", "phone_too_long"),  # INVALID_LENGTH, nearer the shorter one
        ("+86 123456789012345678", "CN", "phone_too_long"),  # TOO_LONG (reason)
        ("1" * 260, "CN", "phone_too_long"),  # TOO_LONG (parse error)
        ("+999 123456", "CN", "phone_invalid_country"),  # INVALID_COUNTRY_CODE (parse error)
        ("13800138000", "ZZ", "phone_invalid_country"),  # unknown region, no +country
        ("13800138000", "", "phone_invalid_country"),
        ("13800138000", "China", "phone_invalid_country"),
    ],
)
def test_failing_numbers_get_their_own_code(text: str, region: str, code: str) -> None:
    verdict = validate_phone(text, region)
    assert (verdict.status, verdict.code) == (Status.FAIL, code)


def test_failure_details_name_the_region_sanitized() -> None:
    verdict = validate_phone("13800138000", "\x1b[31mZZ")
    assert verdict.code == "phone_invalid_country"
    assert "\x1b" not in verdict.details["region"]


def test_normalize_phone_strips_separators_and_widths() -> None:
    assert normalize_phone("＋８６ (138)-0013.8000\u3000") == "+8613800138000"
    assert normalize_phone("\u202e138\u00a00013\t8000\n") == "13800138000"


@pytest.mark.parametrize(
    ("text", "region", "preview"),
    [
        ("13800138000", "CN", "138 0013 8000"),
        ("1380", "CN", "138 0"),
        ("１３８００１３８０００", "cn", "138 0013 8000"),
        ("+8613800138000", "US", "+86 138 0013 8000"),
        ("6502530000", "US", "(650) 253-0000"),
        ("", "CN", ""),
        ("abc", "CN", ""),
    ],
)
def test_phone_preview_formats_as_typed(text: str, region: str, preview: str) -> None:
    assert phone_preview(text, region) == preview


def test_phone_preview_with_unknown_region_keeps_the_digits() -> None:
    assert phone_preview("13800138000", "??") == "13800138000"


def test_geocoder_carrier_and_timezone_data_are_never_loaded() -> None:
    validate_phone("+86 138 0013 8000", "CN")
    phone_preview("+86 138 0013 8000", "CN")
    heavy = [
        m for m in sys.modules if m.startswith(("phonenumbers.geo", "phonenumbers.carrier"))
    ] + [m for m in sys.modules if m.startswith(("phonenumbers.timezone", "phonenumbers.tzdata"))]
    assert heavy == []


async def _check(profile: Profile, inputs: Inputs) -> tuple[Status, str, dict[str, object]]:
    ctx = CheckContext(profile, inputs, lang="en")
    result = await check_phone(ctx)
    await ctx.aclose()
    assert result.id == "phone"
    return result.status, result.code, result.details


async def test_check_phone_uses_the_profile_region_when_none_given() -> None:
    us = Profile(wallet=WalletSection(default_region="US"))
    status, code, details = await _check(us, Inputs(phone="650 253 0000"))
    assert (status, code, details["e164"]) == (Status.PASS, "ok", "+16502530000")
    status, code, _ = await _check(us, Inputs(phone="650 253 0000", region="  "))
    assert code == "ok"


async def test_check_phone_given_region_wins() -> None:
    us = Profile(wallet=WalletSection(default_region="US"))
    status, code, details = await _check(us, Inputs(phone="13800138000", region="cn"))
    assert (status, code, details["e164"]) == (Status.PASS, "ok", CN_MOBILE)


@pytest.mark.parametrize("phone", [None, "", "   "])
async def test_check_phone_without_a_number_is_skipped(phone: str | None) -> None:
    status, code, _ = await _check(Profile(), Inputs(phone=phone))
    assert (status, code) == (Status.SKIP, "not_provided")


async def test_check_phone_landline_fails() -> None:
    status, code, details = await _check(Profile(), Inputs(phone="010 12345678"))
    assert (status, code, details["number_type"]) == (Status.FAIL, "phone_not_mobile", "FIXED_LINE")
