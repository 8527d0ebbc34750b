"""safe_text(): no terminal control sequence or bidi trick survives, text otherwise kept."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.text import cut_middle, one_line, safe_text

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def test_sequences_vanish_whole() -> None:
    text = "a\x1b[31mred\x1b[0m b\x1b]52;c;ZXZpbA==\x07c\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\d"
    assert safe_text(text) == "ared bclinkd"


def test_c1_and_bidi_removed() -> None:
    assert safe_text("x\x9b31my\u202egnp.exe\u2066z") == "xygnp.exez"


def test_newlines_and_tabs() -> None:
    assert safe_text("a\r\nb\rc\td") == "a\nb\nc d"
    assert one_line("a\nb") == "a b"


def test_nfc_and_cjk_kept() -> None:
    assert safe_text("e\u0301 手机号码 ＡＢＣ") == "é 手机号码 ＡＢＣ"


def test_length_cap_keeps_head_and_tail() -> None:
    long = "HEAD" + "x" * 10_000 + "TAIL"
    out = safe_text(long, max_len=100)
    assert len(out) <= 100 and out.startswith("HEAD") and out.endswith("TAIL")
    assert cut_middle("short", 100) == "short"


def test_lone_surrogates_do_not_break_output() -> None:
    safe_text("a\ud800b").encode("utf-8")


@settings(max_examples=3000)
@given(st.text(alphabet=st.characters(codec=None), max_size=200))
def test_no_control_survives(text: str) -> None:
    out = safe_text(text)
    assert not FORBIDDEN.search(out)
    assert "\x1b" not in out
    assert unicodedata.is_normalized("NFC", out) or len(out) >= 4000
    out.encode("utf-8")


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["\x1b[", "\x1b]", "\x07", "\x1b\\", "\x9b", "31m", "a", "漢"])))
def test_fragments_of_sequences(parts: list[str]) -> None:
    assert "\x1b" not in safe_text("".join(parts))
