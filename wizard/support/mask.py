"""Masking of what must never reach a help desk: codes, card numbers, and who the device is.

`mask_secrets` hides verification codes (4–8 digits near a word such as 验证码, code, OTP,
PIN, 密码, password, also written in groups such as `12 34 56` or `1 2 3 4 5 6`, and further
along the same sentence as the word), card security codes (3–4 digits after CVV/CVC/安全码),
Luhn-valid card numbers (13–19 digits, also grouped with spaces, dashes, dots or slashes) and
Chinese resident identity numbers (18 characters, GB 11643 checksum), while ordinary numbers —
amounts, dates, times, order numbers and the phone number being updated — stay readable,
because the agent needs them.

`redact_private` replaces the home folder, the login name, the host name and proxy
credentials, so a report copied from an error message does not identify the machine.
"""

from __future__ import annotations

import getpass
import re
import socket
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from wizard.text import safe_text

MASK_CHAR = "•"
CODE_MAX_GAP = 12  # characters allowed between a keyword and its code ("验证码是：", "code is ")
# Further along the same sentence, after the keyword ("the OTP I got was sent earlier: 123456").
CODE_FAR_GAP = 48
CARD_KEEP_LAST = 4
ID_KEEP_LAST = 4

_CJK_KEYWORDS = (
    "验证码",
    "校验码",
    "动态码",
    "短信码",
    "确认码",
    "安全码",
    "动态密码",
    "密码",
    "口令",
)
_EN_KEYWORDS = (
    "verification code",
    "security code",
    "passcode",
    "password",
    "passwd",
    "pwd",
    "codes",
    "code",
    "otp",
    "pins",
    "pin",
)
# English words need a letter boundary ("pin" must not match inside "shopping"); ASCII letters
# only, so "输入code" (CJK right before the word) still counts.
# The code printed on the back of a card is three digits (four on American Express).
_CARD_CODE_CJK = ("安全码", "后三位", "背面三位")
_CARD_CODE_EN = ("security code", "cvv2", "cvc2", "cvv", "cvc", "cvn", "csc")


def _keyword_re(cjk: Iterable[str], english: Iterable[str]) -> re.Pattern[str]:
    return re.compile(
        "|".join(
            [*map(re.escape, cjk)] + [rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])" for w in english]
        ),
        re.IGNORECASE,
    )


_KEYWORD_RE = _keyword_re(_CJK_KEYWORDS, _EN_KEYWORDS)
_CARD_CODE_RE = _keyword_re(_CARD_CODE_CJK, _CARD_CODE_EN)
# Words that say a number is something else (an order, a ticket): after such a word, a number
# further along the sentence is that thing, not the code mentioned earlier.
_OTHER_NUMBER_RE = _keyword_re(
    ("订单", "单号", "编号", "工单", "账号", "金额", "快递", "流水号"),
    ("order", "ticket", "invoice", "ref", "reference", "account", "amount", "tracking"),
)
_SENTENCE_END_RE = re.compile(r"[.!?。！？;；\n]")
# A code: one block of digits, or groups of 1–4 digits joined by one and the same separator
# ("12 34 56", "1 2 3 4 5 6", "123-456").
_CODE_RE = re.compile(r"(?<!\d)(?:\d{1,4}(?:([ \-])\d{1,4})(?:\1\d{1,4}){0,6}|\d{3,8})(?!\d)")
_RUN_RE = re.compile(r"\d+(?:[ \-]\d+)*")
_CARD_RUN_RE = re.compile(r"\d+(?:[ \-./]\d+)*")
_GROUP_RE = re.compile(r"\d+")
# GB 11643: six digits of region, eight of birth date, three of sequence, one check character
# (a digit or X), written in one block or as 6-8-4 with spaces or dashes.
_RESIDENT_ID_RE = re.compile(
    r"(?<![0-9A-Za-z])(\d{6})([ \-]?)((?:19|20)\d{6})\2(\d{3}[0-9Xx])(?![0-9A-Za-z])"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_NUMBER_JOINERS = "-/.:,"
_CURRENCY = "¥￥$€£"
# A number followed by one of these is an amount, a date, a time or a count, not a code.
_UNIT_AFTER = ("元", "块", "%", "％", "年", "月", "日", "号", "时", "点", "分", "秒", "次", "天")


def _digits(text: str) -> str:
    """The ASCII digits of `text`; full-width digits (typed with a Chinese IME) count too."""
    return "".join(str(int(ch)) for ch in text if ch.isdecimal())


def luhn_valid(digits: str) -> bool:
    """Whether a string of ASCII digits passes the Luhn checksum used by card numbers."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _protected_spans(text: str, keep: Iterable[str]) -> list[tuple[int, int]]:
    """Where the numbers to keep (the phone being updated) appear, however they are spaced."""
    wanted = [d for d in (_digits(k) for k in keep) if len(d) >= 5]
    if not wanted:
        return []
    spans: list[tuple[int, int]] = []
    for run in _RUN_RE.finditer(text):
        positions = [run.start() + i for i, ch in enumerate(run.group()) if ch.isdecimal()]
        run_digits = _digits(run.group())
        for k in wanted:
            at = run_digits.find(k)
            while at >= 0:
                spans.append((positions[at], positions[at + len(k) - 1] + 1))
                at = run_digits.find(k, at + 1)
            # "138 0013 8000" written without the +86 of the kept "+8613800138000".
            if len(run_digits) >= 7 and k.endswith(run_digits):
                spans.append((run.start(), run.end()))
    return spans


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def _card_windows(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of Luhn-valid 13–19 digit numbers: one block, or groups of 3–6 digits."""
    found: list[tuple[int, int]] = []
    for run in _CARD_RUN_RE.finditer(text):
        groups = [
            (m.start() + run.start(), m.end() + run.start())
            for m in _GROUP_RE.finditer(run.group())
        ]
        for i, (g_start, g_end) in enumerate(groups):
            if _overlaps(g_start, g_end, protected):
                continue
            if 13 <= g_end - g_start <= 19 and luhn_valid(_digits(text[g_start:g_end])):
                found.append((g_start, g_end))
            if not 3 <= g_end - g_start <= 6:
                continue
            # Grow a window of groups joined by one and the same separator (all spaces, all
            # dashes, dots or slashes): that is how card numbers are written, dates and lists
            # are not.
            separator = ""
            count = g_end - g_start
            for j in range(i + 1, len(groups)):
                s, e = groups[j]
                sep = text[groups[j - 1][1]]
                if separator and sep != separator:
                    break
                separator = sep
                if not 3 <= e - s <= 6 or _overlaps(s, e, protected):
                    break
                count += e - s
                if count > 19:
                    break
                if count >= 13 and luhn_valid(_digits(text[g_start:e])):
                    found.append((g_start, e))
    return found


def _is_standalone(text: str, start: int, end: int) -> bool:
    """A code stands alone: not a part of a date, time, amount or longer number."""
    if start >= 2 and text[start - 1] in _NUMBER_JOINERS and text[start - 2].isdecimal():
        return False
    if end + 1 < len(text) and text[end] in _NUMBER_JOINERS and text[end + 1].isdecimal():
        return False
    before = text[:start].rstrip()
    if before and before[-1] in _CURRENCY:
        return False
    return not text[end:].lstrip().startswith(_UNIT_AFTER)


def _is_date(groups: list[str]) -> bool:
    """Whether digit groups read as a date: year-month-day or day-month-year."""
    if len(groups) != 3:
        return False
    for year, month, day in ((groups[0], groups[1], groups[2]), (groups[2], groups[1], groups[0])):
        shaped = len(year) == 4 and len(month) <= 2 and len(day) <= 2
        if shaped and 1900 <= int(year) <= 2099 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            return True
    return False


def _near(start: int, end: int, keywords: list[tuple[int, int]]) -> bool:
    return any(
        0 <= start - k_end <= CODE_MAX_GAP or 0 <= k_start - end <= CODE_MAX_GAP
        for k_start, k_end in keywords
    )


def _further_along(text: str, start: int, keywords: list[tuple[int, int]]) -> bool:
    """A keyword earlier in the same sentence, with no word between that names another number."""
    for _k_start, k_end in keywords:
        if not 0 <= start - k_end <= CODE_FAR_GAP:
            continue
        between = text[k_end:start]
        if not _SENTENCE_END_RE.search(between) and not _OTHER_NUMBER_RE.search(between):
            return True
    return False


def _code_spans(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of codes: 4–8 digits near a keyword (either side, or further along the sentence
    after it), and 3–8 digits near a card security keyword such as CVV or 安全码."""
    keywords = [(m.start(), m.end()) for m in _KEYWORD_RE.finditer(text)]
    card_codes = [(m.start(), m.end()) for m in _CARD_CODE_RE.finditer(text)]
    if not keywords and not card_codes:
        return []
    # A digit inside a keyword ("CVV2") is no part of the code after it.
    scan = list(text)
    for k_start, k_end in keywords + card_codes:
        scan[k_start:k_end] = "K" * (k_end - k_start)
    found: list[tuple[int, int]] = []
    for m in _CODE_RE.finditer("".join(scan)):
        start, end = m.span()
        if _overlaps(start, end, protected) or not _is_standalone(text, start, end):
            continue
        groups = _GROUP_RE.findall(m.group())
        count = sum(len(g) for g in groups)
        if count > 8 or _is_date(groups):
            continue
        code = count >= 4 and (_near(start, end, keywords) or _further_along(text, start, keywords))
        card_code = count >= 3 and _near(start, end, card_codes)
        if code or card_code:
            found.append((start, end))
    return found


def resident_id_valid(text: str) -> bool:
    """Whether 18 characters (17 digits and a digit or X) pass the GB 11643 checksum."""
    if len(text) != 18 or not text[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == text[17].upper()


def _resident_id_spans(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of Chinese resident identity numbers whose birth date and checksum are valid."""
    found: list[tuple[int, int]] = []
    for m in _RESIDENT_ID_RE.finditer(text):
        region, _sep, birth, tail = m.groups()
        check = tail[3].upper() if tail[3] in "Xx" else _digits(tail[3])
        number = _digits(region + birth + tail[:3]) + check
        month, day = int(_digits(birth[4:6])), int(_digits(birth[6:8]))
        if not (1 <= month <= 12 and 1 <= day <= 31) or not resident_id_valid(number):
            continue
        if not _overlaps(m.start(), m.end(), protected):
            found.append(m.span())
    return found


def mask_secrets(text: str, keep: Iterable[str] = ()) -> str:
    """Sanitize `text` and mask codes, card numbers and identity numbers; keep ordinary ones.

    `keep` lists numbers that must stay readable (the phone being updated), compared by
    digits, so "+86 138 0013 8000" is kept for "13800138000".
    """
    clean = safe_text(text)
    protected = _protected_spans(clean, keep)
    hidden = [False] * len(clean)
    for start, end in _card_windows(clean, protected):
        digit_positions = [i for i in range(start, end) if clean[i].isdecimal()]
        for i in digit_positions[:-CARD_KEEP_LAST]:
            hidden[i] = True
    for start, end in _resident_id_spans(clean, protected):
        for i in range(start, end - ID_KEEP_LAST):
            hidden[i] = hidden[i] or clean[i].isalnum()
    for start, end in _code_spans(clean, protected):
        for i in range(start, end):
            hidden[i] = hidden[i] or clean[i].isdecimal()
    if not any(hidden):
        return clean
    return "".join(MASK_CHAR if h else ch for ch, h in zip(clean, hidden, strict=True))


# Generic account names identify no one, and replacing them would garble ordinary words
# ("root certificate").
_GENERIC_USERS = frozenset(
    {"root", "admin", "user", "users", "guest", "ubuntu", "runner", "vagrant", "nobody", "pi"}
)
_GENERIC_HOSTS = frozenset({"localhost", "localhost.localdomain"})
_PROXY_CRED_RE = re.compile(r"\b([A-Za-z][A-Za-z0-9+.\-]*://)[^\s/@]+@")


@cache
def _identity() -> tuple[str, str, str]:
    """This machine's home folder, login name and host name ('' when unknown)."""
    try:
        home = str(Path.home())
    except (RuntimeError, KeyError, OSError):
        home = ""
    try:
        user = getpass.getuser()
    except (KeyError, OSError, ImportError):
        user = ""
    try:
        host = socket.gethostname()
    except OSError:
        host = ""
    return home, user, host


def _replace_word(text: str, word: str, replacement: str) -> str:
    if len(word) < 3:
        return text
    pattern = rf"(?<![A-Za-z0-9_.\-]){re.escape(word)}(?![A-Za-z0-9_\-])"
    return re.sub(pattern, replacement, text, flags=re.IGNORECASE)


def _redact_part(text: str, home: str, user: str, host: str) -> str:
    text = _PROXY_CRED_RE.sub(r"\1***@", text)
    if len(home) > 1:
        text = text.replace(home, "~")
    if host and host.lower() not in _GENERIC_HOSTS:
        text = _replace_word(text, host, "<host>")
        short = host.split(".", 1)[0]
        if short != host:
            text = _replace_word(text, short, "<host>")
    if user and user.lower() not in _GENERIC_USERS:
        text = _replace_word(text, user, "<user>")
    return text


def redact_private(
    text: str,
    *,
    keep: Iterable[str] = (),
    home: str | None = None,
    user: str | None = None,
    host: str | None = None,
) -> str:
    """Sanitize `text` and replace home path, login, host name and proxy credentials.

    Occurrences of the strings in `keep` (the email being updated) are left untouched; the
    identity defaults to this machine's and can be given explicitly.
    """
    my_home, my_user, my_host = _identity()
    home = my_home if home is None else home
    user = my_user if user is None else user
    host = my_host if host is None else host
    clean = safe_text(text)
    kept = sorted({k for k in keep if k and len(k) >= 3}, key=len, reverse=True)
    if not kept:
        return _redact_part(clean, home, user, host)
    pieces = re.split(f"({'|'.join(map(re.escape, kept))})", clean)
    return "".join(
        piece if i % 2 else _redact_part(piece, home, user, host) for i, piece in enumerate(pieces)
    )
