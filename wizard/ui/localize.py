"""Switching language: every widget that shows catalog text re-reads it in place."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual.dom import DOMNode


@runtime_checkable
class Localizable(Protocol):
    """A widget that can redraw its texts in another language."""

    def localize(self, lang: str) -> None:
        """Re-read every text in `lang`."""


def localize_tree(root: DOMNode, lang: str) -> None:
    """Call `localize(lang)` on every localizable widget under `root`."""
    for node in root.query("*"):
        if isinstance(node, Localizable):
            node.localize(lang)
