"""Which theme the wizard draws in: `--theme`, else a help station's `[kiosk] theme`."""

from __future__ import annotations

import argparse

import pytest

from wizard.cli import build_parser
from wizard.commands.common import ConfigError, theme_name
from wizard.profile import Profile, profile_from_dict
from wizard.vocabulary import THEMES, Mode

STATION = profile_from_dict({"kiosk": {"theme": "high-contrast"}})


def args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


@pytest.mark.parametrize(
    ("argv", "profile", "mode", "theme"),
    [
        ([], Profile(), "normal", "default"),
        (["--theme", "high-contrast"], Profile(), "normal", "high-contrast"),
        (["--theme", " High-Contrast "], Profile(), "staff", "high-contrast"),
        # The station's own setting, with --kiosk only: [kiosk] is the station's section.
        ([], STATION, "kiosk", "high-contrast"),
        ([], STATION, "normal", "default"),
        # The command line wins over the profile.
        (["--theme", "default"], STATION, "kiosk", "default"),
    ],
)
def test_the_theme_comes_from_the_flag_then_the_station(
    argv: list[str], profile: Profile, mode: Mode, theme: str
) -> None:
    assert theme_name(args(*argv), profile, mode) == theme


@pytest.mark.parametrize("given", ["neon", "", "high contrast", "\x1b[31mred"])
def test_an_unknown_theme_is_one_line_naming_the_choices(given: str) -> None:
    with pytest.raises(ConfigError) as info:
        theme_name(args("--theme", given), Profile(), "normal")
    message = str(info.value)
    assert message.startswith("--theme must be one of " + ", ".join(THEMES))
    assert "\n" not in message and "\x1b" not in message
