"""Masking (SECURITY.md, "what reaches a help desk"): the ways people really write secrets.

Each form found missed in the review has an example test and a property test that generates it;
the property tests on the other side prove that amounts, dates, times and the phone number
being updated survive next to the very keywords that trigger masking.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wizard.support.mask import MASK_CHAR, luhn_valid, mask_secrets

CODE_WORDS = [
    "验证码",
    "验证码是",
    "校验码：",
    "code:",
    "code is",
    "OTP",
    "密码",
    "PIN",
    "passcode",
]
CARD_CODE_WORDS = ["CVV", "CVV:", "cvc", "CVV2", "安全码", "安全码是", "security code"]
# Words that make a later number something else: generated filler must not hold them.
OTHER_NUMBER_WORDS = re.compile(
    r"(?<![a-z])(order|ticket|invoice|ref|reference|account|amount|tracking)(?![a-z])"
)


def gb11643_check(body: str) -> str:
    """The check character of a 17-digit resident identity number body (GB 11643-1999)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def digits_left(text: str) -> str:
    return re.sub(r"\D", "", text)


# Examples from the review ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("card 4111.1111.1111.1111 declined", "411111111111"),
        ("卡号 4111/1111/1111/1111", "411111111111"),
        ("验证码是 1 2 3 4 5 6", "123456"),
        ("code: 12 34 56", "123456"),
        ("the OTP I got was sent earlier: 123456", "123456"),
        ("CVV: 123", "123"),
        ("安全码 123", "123"),
        ("身份证 11010519491231002X 无法验证", "11010519491231"),
        ("ID 110105 19491231 002x", "11010519491231"),
    ],
)
def test_forms_missed_before_are_masked(text: str, secret: str) -> None:
    masked = mask_secrets(text)
    assert secret not in digits_left(masked), masked
    assert MASK_CHAR in masked


@pytest.mark.parametrize(
    "text",
    [
        "验证码 paid ¥1234.56 and 100元",
        "code sent 2026-11-25 at 12:30",
        "验证码 2026年11月25日 发送",
        "the OTP came on 2026/11/25 10:15:00 — still ¥1234.56 owed",
        "the code never arrived for order 12345678",
        "身份证号不对 11010519491231002Y",  # checksum wrong: not an identity number
    ],
)
def test_ordinary_numbers_next_to_keywords_are_kept(text: str) -> None:
    assert mask_secrets(text) == text


def test_the_phone_being_updated_is_kept_next_to_a_keyword() -> None:
    text = "验证码没收到 138 0013 8000，OTP 5512"
    masked = mask_secrets(text, keep=["+8613800138000"])
    assert "138 0013 8000" in masked and "5512" not in masked


# Property tests: secrets -------------------------------------------------------------------

_filler = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz ,:'") + list("我的收到了短信")),
    min_size=13,
    max_size=40,
)


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    """A Luhn-valid 16-digit number in groups of four, joined by a space, dash, dot or slash."""
    body = draw(st.text(alphabet="0123456789", min_size=15, max_size=15))
    digits = body + next(d for d in "0123456789" if luhn_valid(body + d))
    separator = draw(st.sampled_from([" ", "-", ".", "/"]))
    return separator.join(digits[i : i + 4] for i in range(0, 16, 4))


@settings(max_examples=200)
@given(card=card_numbers(), word=st.sampled_from(["card", "卡号", "paid with", ""]))
def test_cards_with_any_separator_keep_only_the_last_four(card: str, word: str) -> None:
    masked = mask_secrets(f"{word} {card} thanks")
    assert digits_left(masked) == digits_left(card)[-4:]


@st.composite
def spaced_codes(draw: st.DrawFn) -> tuple[str, str]:
    """4–8 digits written in groups of 1–3 joined by one separator: "1 2 3 4 5 6", "12 34 56"."""
    digits = draw(st.text(alphabet="0123456789", min_size=4, max_size=8))
    size = draw(st.integers(1, 3))
    separator = draw(st.sampled_from([" ", "-"]))
    return digits, separator.join(digits[i : i + size] for i in range(0, len(digits), size))


@settings(max_examples=200)
@given(code=spaced_codes(), word=st.sampled_from(CODE_WORDS), glue=st.sampled_from([" ", "：", ""]))
def test_spaced_codes_are_masked(code: tuple[str, str], word: str, glue: str) -> None:
    _digits, written = code
    masked = mask_secrets(f"{word}{glue}{written}")
    assert digits_left(masked) == "", masked


@settings(max_examples=200)
@given(
    code=st.text(alphabet="0123456789", min_size=4, max_size=8),
    word=st.sampled_from(CODE_WORDS),
    filler=_filler,
)
def test_a_code_further_along_the_sentence_is_masked(code: str, word: str, filler: str) -> None:
    assume(not OTHER_NUMBER_WORDS.search(filler))
    masked = mask_secrets(f"the {word} {filler}: {code}")
    assert code not in masked and digits_left(masked) == "", masked


@settings(max_examples=200)
@given(
    code=st.text(alphabet="0123456789", min_size=3, max_size=4),
    word=st.sampled_from(CARD_CODE_WORDS),
    glue=st.sampled_from([" ", ": ", "：", "是"]),
)
def test_card_security_codes_are_masked(code: str, word: str, glue: str) -> None:
    masked = mask_secrets(f"{word}{glue}{code}")
    assert digits_left(masked) == re.sub(r"\D", "", word), masked


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    """An 18-character GB 11643 number with a real birth date and a valid check character."""
    region = draw(st.integers(110000, 659999))
    born = date(1930, 1, 1) + timedelta(days=draw(st.integers(0, 365 * 90)))
    sequence = draw(st.integers(0, 999))
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    check = gb11643_check(body)
    if check == "X" and draw(st.booleans()):
        check = "x"
    spaced = draw(st.booleans())
    return f"{body[:6]} {body[6:14]} {body[14:]}{check}" if spaced else body + check


@settings(max_examples=200)
@given(number=resident_ids(), word=st.sampled_from(["身份证", "ID", "证件号码：", ""]))
def test_resident_identity_numbers_keep_only_the_last_four(number: str, word: str) -> None:
    masked = mask_secrets(f"{word} {number} 。")
    written = number.replace(" ", "")
    assert written[:14] not in digits_left(masked)
    assert masked.rstrip(" 。").endswith(written[-4:])


# Property tests: what must survive ---------------------------------------------------------

_amounts = st.one_of(
    st.builds(lambda n, c: f"¥{n}.{c:02d}", st.integers(0, 10**7), st.integers(0, 99)),
    st.builds(lambda n: f"{n}元", st.integers(0, 10**7)),
    st.builds(lambda n: f"{n} 元", st.integers(0, 10**7)),
)
_days = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
_dates = st.one_of(
    st.builds(lambda d, sep: d.strftime(f"%Y{sep}%m{sep}%d"), _days, st.sampled_from("-/.")),
    st.builds(lambda d: f"{d.year}年{d.month}月{d.day}日", _days),
)
_times = st.builds(
    lambda h, m, s, sec: f"{h:02d}:{m:02d}" + (f":{s:02d}" if sec else ""),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
    st.booleans(),
)
_mobiles = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)


@settings(max_examples=300)
@given(
    value=st.one_of(_amounts, _dates, _times),
    word=st.sampled_from(CODE_WORDS + CARD_CODE_WORDS),
    glue=st.sampled_from([" ", "：", " was sent on ", "发送于"]),
)
def test_amounts_dates_and_times_survive_next_to_keywords(value: str, word: str, glue: str) -> None:
    text = f"{word}{glue}{value}"
    assert mask_secrets(text) == text


@settings(max_examples=200)
@given(mobile=_mobiles, style=st.integers(0, 2), word=st.sampled_from(CODE_WORDS))
def test_the_phone_being_updated_survives_next_to_keywords(
    mobile: str, style: int, word: str
) -> None:
    shown = [
        mobile,
        f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}",
        f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}",
    ][style]
    text = f"{word} {shown}"
    assert mask_secrets(text, keep=[f"+86{mobile}"]) == text
