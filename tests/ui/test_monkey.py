"""The monkey (tests/ui/monkey.py) in `make test`: every demo scenario × language × mode.

Fixed seeds: `make test` runs one seed per combination (36 runs). `make monkey SEEDS=500`
runs 500 seeds in total, spread evenly over the combinations (about 14 each); the
environment carries the numbers:

- MONKEY_SEEDS: how many runs in total (default: one per combination);
- MONKEY_FIRST_SEED: the first seed (default 1; seed `first + i` is combination `i % 36`'s);
- MONKEY_ACTIONS: actions per run (default `monkey.DEFAULT_ACTIONS`).

A failing run prints the seed, the actions and the command that replays it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import burst, press
from tests.ui.monkey import (
    COMBINATIONS,
    DEFAULT_ACTIONS,
    Combination,
    MonkeyFailure,
    Run,
    build_app,
    play,
    seeds_for,
)
from tests.ui.pilot_helpers import on_screen
from wizard.demo import DemoService
from wizard.support.outbox import Outbox

SEEDS = int(os.environ.get("MONKEY_SEEDS", len(COMBINATIONS)))
FIRST_SEED = int(os.environ.get("MONKEY_FIRST_SEED", "1"))
ACTIONS = int(os.environ.get("MONKEY_ACTIONS", DEFAULT_ACTIONS))
# A long run goes on after a failure (to find others), up to this many per combination.
MAX_FAILURES = 3


@pytest.mark.parametrize(
    ("scenario", "lang", "mode"), COMBINATIONS, ids=["-".join(c) for c in COMBINATIONS]
)
async def test_the_monkey_cannot_break_the_wizard(
    demo: DemoService, tmp_path: Path, scenario: str, lang: str, mode: str
) -> None:
    combination = Combination(scenario, lang, mode)
    index = COMBINATIONS.index((scenario, lang, mode))
    failures: list[str] = []
    for seed in seeds_for(index, SEEDS, FIRST_SEED):
        folder = tmp_path / f"seed-{seed}"
        folder.mkdir()
        outbox = Outbox.open(folder / "outbox.sqlite3")
        try:
            app, clock = build_app(demo, outbox, folder / "saved", combination)
            await play(app, Run(combination, seed, ACTIONS), clock)
        except MonkeyFailure as failure:
            failures.append(str(failure))
            if len(failures) >= MAX_FAILURES:
                break
        finally:
            outbox.close()
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


@pytest.mark.parametrize("keys", [("enter", "tab", "f1"), ("enter", "tab", "escape")])
@pytest.mark.parametrize("screen", ["WelcomeScreen", "NetworkScreen"])
async def test_a_burst_on_the_help_closes_it_exactly_once(
    make_app: AppFactory, screen: str, keys: tuple[str, ...]
) -> None:
    """The monkey's dialog bursts, fixed: F1, then three keys in one write (issue 8, #2)."""
    async with make_app().run_test(size=(80, 24)) as pilot:
        if screen == "NetworkScreen":
            await press(pilot, "enter")  # Start
            await on_screen(pilot, screen)
        beneath = pilot.app.screen_stack
        await press(pilot, "f1")
        await on_screen(pilot, "HelpDialog")
        await burst(pilot, *keys)
        await pilot.pause()
        assert pilot.app.return_code is None and pilot.app._exception is None
        stack = pilot.app.screen_stack
        assert stack[: len(beneath)] == beneath, f"{beneath} was beneath the help, {stack} is left"
        # Enter closed it, Tab moved on; Escape then has nothing to close, and F1 may open the
        # help again (or be taken by the closing dialog): never a second close.
        above = [type(s).__name__ for s in stack[len(beneath) :]]
        assert above in ([], ["HelpDialog"] if keys[-1] == "f1" else [])
