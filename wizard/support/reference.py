"""The reference a person can read aloud: `WU-` and 8 Crockford base32 characters."""

from __future__ import annotations

import os
import re

# Crockford base32 leaves out I, L, O and U, so nothing read aloud is mistaken for 1, 0 or V.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "WU-"
_REFERENCE_RE = re.compile(rf"^{PREFIX}[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def new_reference() -> str:
    """A fresh random reference such as `WU-7KQ2-9M4D` (40 bits from the system's CSPRNG).

    Each character is 5 bits of a random byte: 32 divides 256, so every character is
    equally likely. (`secrets` gives the same from the same source, but its imports cost the
    wizard's start-up about 10 ms.)"""
    chars = "".join(ALPHABET[byte % len(ALPHABET)] for byte in os.urandom(8))
    return f"{PREFIX}{chars[:4]}-{chars[4:]}"


def is_reference(value: str) -> bool:
    """Whether `value` is exactly a reference in its canonical form."""
    return isinstance(value, str) and bool(_REFERENCE_RE.match(value))


def readback(reference: str, separator: str = " · ") -> str:
    """A reference spaced for reading aloud: `WU-7KQ2-9M4D` → `W U · 7 K Q 2 · 9 M 4 D`.

    A screen reader says "middle dot" for `·` or nothing at all; the plain wizard passes a
    comma (`W U, 7 K Q 2, 9 M 4 D`), where a reader pauses between the groups.
    """
    groups = [g for g in reference.strip().upper().split("-") if g]
    return separator.join(" ".join(group) for group in groups)
