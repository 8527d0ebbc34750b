"""Where the wizard's stylesheets live, from a checkout and from an installed wheel.

The wheel carries `styles/` inside the package (`wizard/styles`, via hatch force-include);
a checkout (and an editable install) keeps it at the repository root. Both are looked up
here so `CSS_PATH` never depends on the current directory.
"""

from __future__ import annotations

from pathlib import Path

STYLESHEETS = (
    # What the first screen needs; the others are read once it is shown (start-up time).
    "app.tcss",
    "widgets.tcss",
    "welcome.tcss",
    "steps.tcss",
    "support.tcss",
    "done.tcss",
    "dialogs.tcss",
    "modes.tcss",
    # Last: the high-contrast theme's rules win over the layout's.
    "theme.tcss",
)


def styles_dir() -> Path:
    """The folder holding the wizard's `.tcss` files."""
    # The package is a folder on disk (never run from a zip), and importlib.resources
    # would cost the start-up its imports (zipfile, tempfile) for the same answer.
    packaged = Path(__file__).resolve().parents[1] / "styles"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "styles"


# How many of STYLESHEETS Welcome needs (its first paint waits for no other).
FIRST_SCREEN_SHEETS = 3


def stylesheets() -> list[Path]:
    """Every stylesheet of the wizard, in the order they are applied."""
    folder = styles_dir()
    return [folder / name for name in STYLESHEETS]


def first_screen_stylesheets() -> list[Path]:
    """The stylesheets Welcome is drawn with (the first of `stylesheets()`)."""
    return stylesheets()[:FIRST_SCREEN_SHEETS]


def later_stylesheets() -> list[Path]:
    """The stylesheets of the other screens and the dialogs, read after the first paint;
    they come after the first ones, so the order of every rule is the same as reading all."""
    return stylesheets()[FIRST_SCREEN_SHEETS:]
