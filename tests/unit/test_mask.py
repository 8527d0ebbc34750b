"""Masking: codes and card numbers never reach a help desk; ordinary numbers stay readable."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.support.mask import MASK_CHAR, luhn_valid, mask_secrets, redact_private
from wizard.text import safe_text

PHONE = "+8613800138000"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("验证码是 123456", "123456"),
        ("校验码：4821", "4821"),
        ("动态码 99887766", "99887766"),
        ("短信码123456收到了", "123456"),
        ("123456 is your OTP", "123456"),
        ("Your verification CODE: 482193", "482193"),
        ("my PIN is 1234", "1234"),
        ("密码123456", "123456"),
        ("password = 20261125", "20261125"),
        ("passcode 0000", "0000"),
        ("输入code 5512后失败", "5512"),
        ("验证码 １２３４５６", "１２３４５６"),
    ],
)
def test_codes_near_keywords_are_masked(text: str, code: str) -> None:
    masked = mask_secrets(text)
    assert code not in masked
    assert MASK_CHAR * len(code) in masked


@pytest.mark.parametrize(
    "text",
    [
        "paid ¥1,280.50 on 2026-11-25 at 12:30, code arrived 2026-11-25",
        "the code cost ¥12800 yesterday",
        "验证码发了 5000元 的账单",
        "order 20261125123456 (no code)",
        "shopping 12345 and ping 1234",
        "code sent at 20:15:33 on 2026/11/25",
        "app 10.6.20, build 4821 — no keyword nearby at all, just a long sentence",
    ],
)
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert mask_secrets(text) == text


@pytest.mark.parametrize(
    ("text", "card"),
    [
        ("card 4111 1111 1111 1111 ok", "4111 1111 1111 1111"),
        ("卡号4111-1111-1111-1111。", "4111-1111-1111-1111"),
        ("4111111111111111", "4111111111111111"),
        ("amex 3782 822463 10005", "3782 822463 10005"),
        ("银联 6212 2602 0000 0000 006", "6212 2602 0000 0000 006"),
        ("全角 ４１１１１１１１１１１１１１１１", "４１１１１１１１１１１１１１１１"),
    ],
)
def test_card_numbers_are_masked_keeping_the_last_four(text: str, card: str) -> None:
    digits = "".join(str(int(c)) for c in card if c.isdecimal())
    assert luhn_valid(digits)
    masked = mask_secrets(text)
    assert card not in masked
    assert masked.replace(" ", "").replace("-", "").count(MASK_CHAR) == len(digits) - 4


def test_a_number_failing_luhn_is_kept() -> None:
    assert not luhn_valid("4111111111111112")
    assert mask_secrets("order 4111 1111 1111 1112") == "order 4111 1111 1111 1112"


@pytest.mark.parametrize(
    "shown",
    ["+86 138 0013 8000", "13800138000", "138-0013-8000", "+8613800138000", "86 1380 0138 000"],
)
def test_the_phone_being_updated_is_kept(shown: str) -> None:
    text = f"new number {shown}, code 5512"
    masked = mask_secrets(text, keep=[PHONE])
    assert shown in masked
    assert "5512" not in masked


def test_luhn() -> None:
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
    assert not luhn_valid("")
    assert not luhn_valid("12a4")


def test_redact_private_identity_and_proxy_credentials() -> None:
    text = (
        "cannot read /home/alice/.config/x.pem on alice-laptop.local "
        "via http://bob:s3cret@proxy.corp:8080 (alice)"
    )
    out = redact_private(text, home="/home/alice", user="alice", host="alice-laptop.local")
    assert "/home/alice" not in out and "~/.config/x.pem" in out
    assert "alice" not in out and "<host>" in out and "(<user>)" in out
    assert "s3cret" not in out and "bob" not in out and "http://***@proxy.corp:8080" in out


def test_redact_private_keeps_the_email_being_updated() -> None:
    out = redact_private(
        "set alice@qq.com for alice", keep=["alice@qq.com"], user="alice", home="/h/a", host="box"
    )
    assert out == "set alice@qq.com for <user>"


def test_generic_account_names_are_not_replaced() -> None:
    out = redact_private("root certificate missing", user="root", home="/root", host="vm")
    assert out == "root certificate missing"


# Property tests ---------------------------------------------------------------------------

# Random text never holds a decimal digit, so the card's digits are bounded by it.
_noise = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=30)


@st.composite
def _card(draw: st.DrawFn) -> str:
    """A Luhn-valid 13–19 digit number, written in one block or in groups of 3–6 digits."""
    length = draw(st.integers(13, 19))
    body = draw(st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1))
    check = next(d for d in "0123456789" if luhn_valid(body + d))
    digits = body + check
    if draw(st.booleans()):
        return digits
    groups: list[str] = []
    rest = digits
    while rest:
        size = len(rest) if len(rest) <= 6 else draw(st.integers(3, min(6, len(rest) - 3)))
        groups.append(rest[:size])
        rest = rest[size:]
    return draw(st.sampled_from([" ", "-"])).join(groups)


@settings(max_examples=300, deadline=None)
@given(card=_card(), before=_noise, after=_noise)
def test_luhn_valid_numbers_never_survive(card: str, before: str, after: str) -> None:
    digits = re.sub(r"\D", "", card)
    masked = mask_secrets(f"{before}{card}{after}")
    assert digits not in re.sub(r"[ \-]", "", masked)
    assert card not in masked


_date = st.builds(
    lambda y, m, d, sep: f"{y}{sep}{m:02d}{sep}{d:02d}",
    st.integers(1990, 2099),
    st.integers(1, 12),
    st.integers(1, 28),
    st.sampled_from(["-", "/", "."]),
)
_time = st.builds(
    lambda h, m, s: f"{h:02d}:{m:02d}:{s:02d}",
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
)
_amount = st.one_of(
    st.builds(lambda n, c: f"¥{n:,}.{c:02d}", st.integers(0, 10**7), st.integers(0, 99)),
    st.builds(lambda n: f"{n}元", st.integers(0, 10**7)),
    st.builds(lambda n, c: f"${n}.{c:02d}", st.integers(0, 10**7), st.integers(0, 99)),
)
_mobile = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)


def _shown(number: str, style: int) -> str:
    if style == 1:
        return f"+86 {number[:3]} {number[3:7]} {number[7:]}"
    if style == 2:
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    return number


@settings(max_examples=300, deadline=None)
@given(
    date=_date,
    clock=_time,
    amount=_amount,
    mobile=_mobile,
    style=st.integers(0, 2),
    keyword=st.sampled_from(["验证码", "code", "OTP", "密码", "PIN", "备注"]),
    noise=st.lists(_noise, min_size=5, max_size=5),
)
def test_dates_amounts_and_the_phone_survive(
    date: str, clock: str, amount: str, mobile: str, style: int, keyword: str, noise: list[str]
) -> None:
    phone = _shown(mobile, style)
    a, b, c, d, e = (safe_text(n) for n in noise)
    text = safe_text(f"{a}{keyword} {date} {b}{clock} {c}{amount} {d}{phone} {e}")
    masked = mask_secrets(text, keep=[f"+86{mobile}"])
    for kept in (date, clock, amount, phone):
        assert kept in masked


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_hostile = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=5),
        st.sampled_from(["\x1b", "\x9b", "\x9d", "\x07", "\x1b[31m", "\x1b]52;c;", "\u202e"]),
    ),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_hostile)
def test_no_control_sequence_survives(text: str) -> None:
    for out in (safe_text(text), mask_secrets(text), redact_private(text)):
        assert not _CONTROL.search(out), repr(out)
        assert "\x1b" not in out
