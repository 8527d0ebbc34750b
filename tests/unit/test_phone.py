"""validate_phone, phone_preview and check_phone: every phone code, with real numbers."""

from __future__ import annotations

import sys

import pytest

from wizard.checks.contact import check_phone, normalize_phone, phone_preview, validate_phone
from wizard.checks.context import CheckContext
from wizard.checks.model import Inputs, Status
from wizard.diagnosis import describe
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


def test_mobile_length_but_unassigned_number_is_only_a_warning() -> None:
    verdict = validate_phone("12000138000", "CN")  # 11 digits, but no mobile starts 120
    assert (verdict.status, verdict.code) == (Status.WARN, "phone_invalid")
    assert verdict.e164 == "+8612000138000"
    assert verdict.details["national"] == "12000138000"


@pytest.mark.parametrize(
    ("text", "code", "digits"),
    [
        ("1380013800", "phone_too_short", 10),  # one digit short: a landline's length
        ("138001380001", "phone_too_long", 12),  # one digit too many
        ("123", "phone_too_short", 3),
    ],
)
def test_chinese_mobile_lengths_are_judged_for_a_mobile_number(
    text: str, code: str, digits: int
) -> None:
    verdict = validate_phone(text, "CN")
    assert (verdict.status, verdict.code) == (Status.FAIL, code)
    assert verdict.details["digits"] == digits
    assert verdict.details["expected"] == "11"
    assert verdict.details["e164"] == f"+86{text}"
    assert verdict.details["national"] == text


def test_too_short_says_how_many_digits_were_typed_and_are_needed() -> None:
    verdict = validate_phone("123", "CN")
    en, _ = describe("phone", verdict.code, "en", verdict.details)
    zh, _ = describe("phone", verdict.code, "zh-CN", verdict.details)
    assert en == (
        "The number is too short: a mobile number in China mainland has 11 digits; you typed 3."
    )
    assert zh == "号码太短：中国大陆的手机号码是 11 位，您输入了 3 位。"


def test_a_typed_national_prefix_counts_on_both_sides() -> None:
    verdict = validate_phone("07400 12345", "GB")  # the 0 is typed, and on the SIM card
    assert verdict.code == "phone_too_short"
    assert (verdict.details["digits"], verdict.details["expected"]) == (10, "11")


def test_a_length_between_two_mobile_lengths_is_the_wrong_length() -> None:
    verdict = validate_phone("+376 3123453", "AD")  # Andorra: mobiles have 6 or 9 digits
    assert (verdict.status, verdict.code) == (Status.FAIL, "phone_wrong_length")
    summary, _ = describe("phone", verdict.code, "en", verdict.details)
    assert "has 6 or 9 digits; you typed 7." in summary


def test_length_text_without_known_lengths_reads_whole() -> None:
    verdict = validate_phone("+86 1", "CN")  # a parse error: no lengths to tell
    summary, _ = describe("phone", verdict.code, "en", verdict.details)
    assert summary == "The number is too short for a mobile number."


@pytest.mark.parametrize(
    "text",
    [
        "138-0013-8000 ext 5",
        "138-0013-8000 ext. 5",
        "138 0013 8000 x5",
        "138 0013 8000 #5",
        "138-0013-8000转5",
        "138-0013-8000 分机 5",
        "+86 138 0013 8000;ext=5",
    ],
)
def test_a_number_with_an_extension_fails_and_keeps_its_digits_apart(text: str) -> None:
    verdict = validate_phone(text, "CN")
    assert (verdict.status, verdict.code) == (Status.FAIL, "phone_has_extension")
    assert verdict.e164 == CN_MOBILE
    assert verdict.details["extension"] == "5"
    assert phone_preview(text, "CN").endswith("138 0013 8000 ext. 5")


def test_the_preview_never_runs_an_extension_into_the_number() -> None:
    assert phone_preview("138-0013-8000 ext 5", "CN") == "138 0013 8000 ext. 5"
    assert phone_preview("138-0013-8000 ext", "CN") == "138 0013 8000"


def test_a_landline_with_an_extension_is_not_mobile_first() -> None:
    verdict = validate_phone("010 1234 5678 ext 9", "CN")
    assert (verdict.status, verdict.code) == (Status.FAIL, "phone_not_mobile")
    assert verdict.details["extension"] == "9"


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
        ("+376 3123453", "AD", "phone_wrong_length"),  # between mobile lengths 6 and 9
        ("+501 62212346", "BZ", "phone_too_long"),  # a Belize mobile has 7 digits
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
    ctx = CheckContext(profile, inputs)
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


def test_calling_codes_are_phonenumbers_own_for_every_region() -> None:
    import phonenumbers

    from wizard.checks.contact import calling_codes

    codes = calling_codes()
    assert set(codes) == set(phonenumbers.SUPPORTED_REGIONS)
    for region in ("CN", "HK", "US", "CA", "GB", "SG", "KZ", "RU"):
        assert codes[region] == phonenumbers.country_code_for_region(region)


def test_listing_the_regions_loads_no_region_metadata() -> None:
    """Step 3's region list: its codes come from phonenumbers' table, not from each region's
    metadata module (245 of them: 80 ms and 1.4 MiB)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from wizard.ui.screens.contact import region_options\n"
        "options = region_options('en')\n"
        "loaded = [m for m in sys.modules if m.startswith('phonenumbers.data.region_')]\n"
        "import phonenumbers\n"
        "print(len(options), len(loaded), len(phonenumbers.SUPPORTED_REGIONS))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    listed, loaded, regions = map(int, done.stdout.split())
    assert listed == regions and loaded <= 2
