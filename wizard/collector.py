"""Python's garbage collector, held while the wizard starts (a leaf: it imports nothing).

Starting creates a few hundred thousand objects that live as long as the program (modules,
classes, Textual's parsed styles), and the collector went through them again and again on the
way: about 90 collections and 25 ms before the first screen (issue 10's start-up budget).
The `wallet-wizard` script (wizard.launch) holds it; it is released when the first screen is
shown (`WizardApp.on_ready`), or when a command other than the full-screen wizard starts
running. Then what is alive is set aside for good (`gc.freeze`: later collections, during
typing too, no longer walk through it) and the collector runs as usual.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Hold the garbage collector (the start-up only makes objects that stay)."""
    global _held
    gc.disable()
    _held = True


def release() -> None:
    """Set aside what is alive now and let the collector run again; nothing when it was not
    held (the wizard started by a test or another program: their collector is theirs)."""
    global _held
    if not _held:
        return
    _held = False
    gc.freeze()
    gc.enable()
