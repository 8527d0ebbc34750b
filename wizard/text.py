"""safe_text(): the one sanitizer every foreign string passes before any output.

Text from people, pastes, servers and exceptions may carry terminal control sequences
(ESC/CSI/OSC, C1 controls) or bidi overrides that re-order what is shown. Every such string
goes through here before a widget, log, report or file sees it.
"""

from __future__ import annotations

import re
import unicodedata

DEFAULT_MAX_LEN = 4000

# Complete escape sequences first, so their parameters vanish with them rather than being
# left behind as visible junk ("[31m").
_CSI = r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
_OSC = r"(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
_STRINGS = r"(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?"
_ESC_OTHER = r"\x1b[ -/]*[0-~]?"
_SEQUENCE_RE = re.compile(f"{_CSI}|{_OSC}|{_STRINGS}|{_ESC_OTHER}")

# Bidi embeddings/overrides/isolates and marks that can disguise text, zero-width joiners
# used to hide content, and the BOM.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = "\u200b\u2060\ufeff"
_CONTROL_RE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}{_INVISIBLE}]")


def safe_text(value: object, *, max_len: int = DEFAULT_MAX_LEN, multiline: bool = True) -> str:
    """Return `value` as NFC text with every control/bidi sequence removed and length capped.

    Tabs become spaces; newlines survive only when `multiline` (else they become spaces);
    carriage returns are dropped so nothing can overwrite a line already shown.
    """
    text = value if isinstance(value, str) else str(value)
    text = _SEQUENCE_RE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    text = _CONTROL_RE.sub("", text)
    # NFC after the removals: taking a control out can leave a decomposed pair behind.
    text = unicodedata.normalize("NFC", text)
    # Lone surrogates cannot be encoded for a terminal or a file; replace them.
    text = text.encode("utf-8", "replace").decode("utf-8")
    if len(text) > max_len:
        text = cut_middle(text, max_len)
    return text


def cut_middle(text: str, max_len: int) -> str:
    """Shorten `text` to at most `max_len` characters keeping its head and tail."""
    if len(text) <= max_len:
        return text
    marker = " … "
    if max_len <= len(marker) + 2:
        return text[:max_len]
    keep = max_len - len(marker)
    head = keep - keep // 3
    tail = keep - head
    return text[:head] + marker + text[len(text) - tail :]


def one_line(value: object, *, max_len: int = 300) -> str:
    """A sanitized single line: for summaries, details and table cells."""
    return safe_text(value, max_len=max_len, multiline=False).strip()
