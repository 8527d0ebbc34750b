"""Python's collector held while the wizard starts (wizard.collector): held by the script,
released at the first screen or when another command runs, never touched otherwise."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from wizard import collector


@pytest.fixture
def restored() -> Iterator[None]:
    """Whatever a test does, the test process's collector is as it was."""
    yield
    collector._held = False
    gc.unfreeze()
    gc.enable()


def test_hold_then_release_sets_what_is_alive_aside(restored: None) -> None:
    collector.hold()
    assert not gc.isenabled()
    collector.release()
    assert gc.isenabled() and gc.get_freeze_count() > 0
    collector.release()  # a second release changes nothing
    assert gc.isenabled()


def test_a_release_without_a_hold_leaves_the_collector_alone(restored: None) -> None:
    gc.disable()  # a program embedding the wizard chose this itself
    collector.release()
    assert not gc.isenabled() and gc.get_freeze_count() == 0


async def test_the_wizard_releases_it_once_its_first_screen_is_shown(restored: None) -> None:
    from wizard.profile import default_profile
    from wizard.ui.app import WizardApp

    collector.hold()
    app = WizardApp(default_profile(), lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()


@pytest.mark.parametrize(
    ("words", "enabled"),
    [(["wallets", "--json"], True), (["--version"], False)],
)
def test_a_command_runs_with_the_collector_on(words: list[str], enabled: bool) -> None:
    """Through the script's entry, as `wallet-wizard` starts (`--version` exits while the
    line is parsed: nothing has run yet)."""
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('collector', gc.isenabled(), file=sys.stderr))\n"
        "from wizard.launch import main\n"
        f"sys.argv = ['wallet-wizard', *{words!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert f"collector {enabled}" in done.stderr
