"""Private APIs and library quirks the wizard depends on: an upgrade fails here, loudly.

Each test names the workaround or shim to revisit when it fails.
"""

from __future__ import annotations

import importlib.metadata

import textual
from textual.widgets import Button

from wizard.ui.textual_private import FooterKey

PINNED_TEXTUAL = "8.2.8"


def test_textual_is_the_pinned_version() -> None:
    installed = importlib.metadata.version("textual")
    assert installed == PINNED_TEXTUAL, (
        f"Textual {installed} is installed, the wizard is built on {PINNED_TEXTUAL}: re-check "
        "wizard/ui/textual_private.py (FooterKey), the zero-second timer (StepScreen."
        "schedule_checks), Dialog.dismiss, ActionButton's relayout, then the snapshots."
    )
    assert textual.__name__ == "textual"


def test_footer_key_still_has_the_description_the_footer_translates() -> None:
    key = FooterKey("f1", "F1", "ui.keys.help", "help")
    assert key.description == "ui.keys.help", "LocalizedFooter relies on FooterKey.description"


def test_a_button_label_change_does_not_relayout_by_itself() -> None:
    # ActionButton refreshes the layout itself after a relabel (F2 cut labels otherwise);
    # when Textual does it, that refresh can go.
    label = Button.label
    assert not label._layout, "Button.label now relayouts: ActionButton._relabel's refresh is moot"
