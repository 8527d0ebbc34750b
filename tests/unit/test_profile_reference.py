"""docs/profile.md is generated from the profile's field documentation: it cannot drift."""

from __future__ import annotations

from pathlib import Path

from wizard.profile_reference import render, undocumented

DOC = Path(__file__).resolve().parents[2] / "docs" / "profile.md"


def test_every_profile_key_is_documented() -> None:
    assert undocumented() == []


def test_docs_profile_md_is_the_generated_reference() -> None:
    assert DOC.read_text("utf-8") == render(), (
        "docs/profile.md is stale: run `python -m wizard.profile_reference > docs/profile.md`"
    )
