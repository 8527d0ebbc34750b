"""Every private Textual name the wizard uses, imported here and nowhere else.

Textual is pinned (snapshots depend on its exact drawing); on an upgrade,
tests/unit/test_private_apis.py fails first and names what to re-check here.
"""

from __future__ import annotations

# The footer's key widget: the wizard translates each key's description (LocalizedFooter).
from textual.widgets._footer import FooterKey

# The list a Select opens: tests pick an option from it with keys, as a person does.
from textual.widgets._select import SelectOverlay

__all__ = ["FooterKey", "SelectOverlay"]
