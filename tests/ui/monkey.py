"""A seeded monkey for the wizard: people mash keys, paste junk, click about and resize.

One run drives a WizardApp through `run_test(size=(80, 24))` with a seeded
`random.Random`: single keys (letters, digits, Chinese, full-width digits, Enter, Tab,
Escape, arrows, function keys…), bursts of keys delivered in one go (as a terminal delivers
one `write()` of several keys), typed values a person would type, hostile pastes, clicks on
visible widgets, Selects opened and picked with keys, F1/F2, resizes and, at a kiosk, idling
into the countdown and the wipe. After every action it lets the app settle and checks:

- the app still runs (no exit, no return code) and raised nothing (`app._exception`);
- no ErrorDialog is up (the wizard's catch-all for unexpected errors is a failure here);
- the screen stack is not empty;
- something has focus (a step may focus nothing only while its checks are running).

Quitting is legitimate, so the monkey never presses Ctrl+Q, Ctrl+C or Ctrl+\\ and never
clicks a footer key that quits. A failure names the combination, the seed and every action
so far, and can be replayed:

    .venv/bin/python -m tests.ui.monkey --seed 7 --scenario outage --lang en --mode kiosk

(the replay builds the same app on its own demo wallet; timing-dependent states, such as a
check finishing a little earlier, can make a replay diverge, so the printed actions are the
record of what happened).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import random
import sys
import tempfile
import traceback
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, RadioButton, Select, TextArea

from tests.ui.keystrokes import burst, click, press, quiet, send
from wizard.demo import SCENARIOS, DemoService
from wizard.kiosk import hash_pin
from wizard.profile import KioskSection, Profile
from wizard.support.outbox import Outbox
from wizard.ui.app import WizardApp
from wizard.ui.navigation import Navigate
from wizard.ui.screens.error import ErrorDialog
from wizard.ui.screens.kiosk import CountdownDialog
from wizard.ui.screens.step import StepScreen
from wizard.ui.textual_private import FooterKey, SelectOverlay
from wizard.ui.widgets.choice_row import ChoiceRow

LANGS = ("en", "zh-CN")
MODES = ("normal", "staff", "kiosk")
COMBINATIONS: tuple[tuple[str, str, str], ...] = tuple(
    (scenario, lang, mode) for scenario in SCENARIOS for lang in LANGS for mode in MODES
)
# Actions in one run of `make test`, tuned so the 36 runs cost about a minute of CPU
# (measured: 65 s; a run's start and a jump cost about 1 s, an action about 0.13 s on
# average: screen changes and F2 restyle the whole screen, up to a second each).
DEFAULT_ACTIONS = 8
# Where a run starts: Welcome half the time, else straight on a later screen.
START_SCREENS = ("welcome",) * 5 + ("network", "app", "contact", "support", "done")

# Kiosk settings of the station the monkey plays at (a fake clock: no real minutes pass).
KIOSK_IDLE_S = 120.0
KIOSK_WARN_S = 20.0
KIOSK_PIN = "2468"
KIOSK_TICK_S = 0.05

REFERENCE = "WU-MONK-EY42"
NOW = datetime(2026, 11, 25, 20, 0, 0, tzinfo=UTC)

CHINESE = "中文手机号码邮箱张三更新钱包"
FULL_WIDTH = "１２３４５６７８９０＠．"
SINGLE_KEYS: tuple[str, ...] = (
    *"abcdefghijklmnopqrstuvwxyz",
    *"0123456789",
    *"ABZ.-@+ ",
    *CHINESE,
    *FULL_WIDTH,
    "enter",
    "tab",
    "shift+tab",
    "escape",
    "space",
    "up",
    "down",
    "left",
    "right",
    "home",
    "end",
    "pageup",
    "pagedown",
    "backspace",
    "delete",
    *(f"f{n}" for n in range(1, 10)),
    "ctrl+y",
    "r",
    "ctrl+s",
    "ctrl+v",
)
# Never sent: quitting (or asking for the staff exit) is a legitimate way out, not a bug.
FORBIDDEN_KEYS = frozenset({"ctrl+q", "ctrl+c", "ctrl+backslash"})
# A dialog must close exactly once whatever arrives in the same write after its key.
DIALOG_BURSTS: tuple[tuple[str, ...], ...] = (
    ("enter", "tab", "f1"),
    ("enter", "tab", "escape"),
    ("escape", "escape"),
    ("enter", "enter"),
    ("escape", "enter", "f1", "escape"),
    ("f1", "f1", "f1"),
)
# Of those, the bursts that cannot navigate once the dialog has closed: after them, every
# screen that was under the dialog must still be there.
ONCE_BURSTS = frozenset(DIALOG_BURSTS[:3]) | {("f1", "f1", "f1")}
TYPED = (
    "10.6.20",
    "10.5.3",
    "11.2.0",
    "13800138000",
    "1380013800",
    "138001380001",
    "+86 138-0013-8000",
    "me@qq.com",
    "me@qq.con",
    "张三@qq.com",
    "nobody@nonexistent-domain.invalid",
)
HOSTILE_PASTES = (
    "\x1b[31mred\x1b[0m\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b[?1049l",
    "\u202eevil\u202c \u2066moc.qq@em\u2069 \u200f13800138000",
    "A" * 5000,
    "张三的新手机号码：一三八〇〇一三八〇〇〇",
    "１３８００１３８０００",
    "ｍｅ＠ｑｑ．ｃｏｍ",
    "[b]x[/b] [link=https://example.invalid/]click[/link] [@click=app.quit]bye[/] [/]",
    "me@qq.com\n10.6.20\r\n13800138000\n",
    "\x00\x07\x08\x7f\x9b31m\x85\ufeff",
    "",
)
SIZES = ((80, 24), (60, 20), (100, 30), (120, 40), (50, 15), (132, 43))
# Relative weights of the kinds of action (kiosk-only kinds are dropped elsewhere).
WEIGHTS: dict[str, int] = {
    "key": 40,
    "burst": 10,
    "dialog_burst": 4,
    "type": 8,
    "paste": 6,
    "click": 14,
    "select": 6,
    "language": 4,
    "help": 3,
    "resize": 2,
    "idle": 2,
    "wipe": 1,
}
KIOSK_ONLY = frozenset({"idle", "wipe"})
# How long the app may take to settle after an action before focus is judged.
SETTLE_S = 0.5


class MonkeyFailure(AssertionError):
    """An invariant broke: the message says which, and how to replay the run."""


class FakeClock:
    """A monotonic clock for the kiosk's idle timer that moves only when told."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass."""
        self.now += seconds


@dataclass(frozen=True)
class Combination:
    """What one run plays: a demo scenario, a language and a mode."""

    scenario: str
    lang: str
    mode: str

    def __str__(self) -> str:
        return f"scenario={self.scenario} lang={self.lang} mode={self.mode}"


@dataclass
class Run:
    """One seeded run and the record of what it did."""

    combination: Combination
    seed: int
    actions: int
    log: list[str] = field(default_factory=list)

    def replay_command(self) -> str:
        """The command line that replays this run."""
        c = self.combination
        return (
            f".venv/bin/python -m tests.ui.monkey --seed {self.seed} --scenario {c.scenario} "
            f"--lang {c.lang} --mode {c.mode} --actions {self.actions}"
        )

    def failure(
        self, problem: str, app: WizardApp | None = None, error: BaseException | None = None
    ) -> MonkeyFailure:
        """The failure to raise for `problem`, with everything needed to replay it (and the
        traceback of `error`, the exception that broke the app, if there is one)."""
        lines = [
            f"monkey: {problem}",
            f"  {self.combination} seed={self.seed}, at the last of the actions below",
            f"  replay: {self.replay_command()}",
        ]
        if app is not None:
            lines.append(f"  screen stack: {describe_stack(app)}")
        lines.append("  actions:")
        lines.extend(f"  {n:4d}. {action}" for n, action in enumerate(self.log, 1))
        if error is None and app is not None:
            error = app._exception
        if error is not None:
            lines.append("  traceback:")
            trace = "".join(traceback.format_exception(error)).rstrip()
            lines.extend(f"    {line}" for line in trace.splitlines())
        return MonkeyFailure("\n".join(lines))


def seeds_for(combination_index: int, total: int, start: int = 1) -> list[int]:
    """The seeds one combination runs when `total` runs are spread over every combination.

    Seed `start + i` belongs to combination `i % 36`, so each seed is run once, by one
    combination, and a seed names its run.
    """
    count = len(COMBINATIONS)
    return [start + i for i in range(combination_index, total, count)]


def kiosk_profile(profile: Profile) -> Profile:
    """The demo profile with a help station's settings: idle wipe and a staff PIN."""
    kiosk = KioskSection(
        idle_s=KIOSK_IDLE_S, warn_s=KIOSK_WARN_S, exit_pin_sha256=hash_pin(KIOSK_PIN)
    )
    return dataclasses.replace(profile, kiosk=kiosk)


def build_app(
    demo: DemoService, outbox: Outbox, save_dir: Path, combination: Combination
) -> tuple[WizardApp, FakeClock | None]:
    """The app the monkey plays with (the kiosk's on a fake clock, which is returned too)."""
    demo.scenario = combination.scenario
    options: dict[str, Any] = {
        "lang": combination.lang,
        "mode": combination.mode,
        "demo_scenario": combination.scenario,
        "outbox": outbox,
        "now": lambda: NOW,
        "reference": REFERENCE,
        "save_dir": save_dir,
    }
    profile = demo.profile()
    clock: FakeClock | None = None
    if combination.mode == "kiosk":
        clock = FakeClock()
        profile = kiosk_profile(profile)
        options.update(clock=clock, tick_s=KIOSK_TICK_S)
    return WizardApp(profile, **options), clock


# -- looking at the app ------------------------------------------------------------------


def describe_stack(app: WizardApp) -> str:
    """The screen stack as class names, bottom first."""
    try:
        return " > ".join(type(screen).__name__ for screen in app.screen_stack) or "(empty)"
    except Exception as exc:  # the stack itself may be what broke
        return f"(unreadable: {type(exc).__name__})"


def _running_step(app: WizardApp) -> bool:
    """Whether the current screen is a step whose checks are still running."""
    screen = app.screen
    return isinstance(screen, StepScreen) and screen.gate == "running"


def crash(app: WizardApp) -> str | None:
    """What says the app is broken or gone: an exception, an exit, no screen, the error
    dialog. None while it is fine."""
    if app._exception is not None:
        error = app._exception
        return f"unhandled exception {type(error).__name__}: {error}"
    if app.return_code is not None:
        return f"the app exited (return code {app.return_code})"
    if not app.is_running:
        return "the app is no longer running"
    stack = app.screen_stack
    if not stack:
        return "the screen stack is empty"
    for screen in stack:
        if isinstance(screen, ErrorDialog):
            return f"the error dialog is up: {screen.detail}"
    return None


def problem(app: WizardApp) -> str | None:
    """The first invariant that does not hold, in words; None when all hold."""
    broken = crash(app)
    if broken is not None:
        return broken
    if app.focused is None and not _running_step(app):
        return f"nothing has focus on {type(app.screen).__name__}"
    return None


async def settle(app: WizardApp, *, patience: float = SETTLE_S) -> str | None:
    """Let the app process what the action caused, then judge it (see `problem`).

    A crash is final at once. Focus may lag a screen change by a few refreshes, so a missing
    focus is judged only after `patience` seconds of it still missing.
    """
    await quiet(app)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while True:
        found = problem(app)
        if found is None or crash(app) is not None or loop.time() > deadline:
            return found
        await quiet(app)


def visible(app: WizardApp, kinds: tuple[type[Widget], ...]) -> list[tuple[Widget, int, int]]:
    """Widgets of `kinds` drawn on the current screen, each with a cell inside it to click."""
    screen = app.screen
    found: list[tuple[Widget, int, int]] = []
    for widget, (region, clip) in screen._compositor.visible_widgets.items():
        if not isinstance(widget, kinds):
            continue
        if isinstance(widget, FooterKey) and _quits(widget.action):
            continue
        shown = region.intersection(clip).intersection(screen.region)
        if shown.area == 0:
            continue
        if isinstance(widget, ChoiceRow):
            # Each choice is a place to click (the row's middle may be a gap between two).
            for x, y in widget.choice_offsets().values():
                if shown.contains(region.x + x, region.y + y):
                    found.append((widget, region.x + x, region.y + y))
            continue
        found.append((widget, shown.x + shown.width // 2, shown.y + shown.height // 2))
    # A stable order (the compositor's is by paint order, which ties can reorder).
    found.sort(key=lambda item: (item[2], item[1]))
    return found


def _names(screens: Sequence[object]) -> str:
    return " > ".join(type(screen).__name__ for screen in screens) or "nothing"


def _quits(action: str) -> bool:
    name = action.rsplit(".", 1)[-1]
    return name.split("(", 1)[0] in {"quit", "help_quit", "staff_exit", "suspend_process"}


def _name(widget: Widget) -> str:
    label = f"#{widget.id}" if widget.id else type(widget).__name__
    if isinstance(widget, Button):
        label += f" ({str(widget.label)!r})"
    elif isinstance(widget, FooterKey):
        label += f" ({widget.key})"
    return label


# -- acting ------------------------------------------------------------------------------


class Monkey:
    """Chooses and performs the actions of one run (see the module docstring)."""

    def __init__(self, pilot: Pilot[None], run: Run, clock: FakeClock | None) -> None:
        self.pilot = pilot
        app = pilot.app
        assert isinstance(app, WizardApp)
        self.app = app
        self.run = run
        self.clock = clock
        self.rng = random.Random(run.seed)
        pool = {*SINGLE_KEYS, *(k for keys in DIALOG_BURSTS for k in keys)}
        assert not FORBIDDEN_KEYS & pool, "the monkey must never quit"
        kinds = [k for k in WEIGHTS if clock is not None or k not in KIOSK_ONLY]
        self.kinds = kinds
        self.weights = [WEIGHTS[k] for k in kinds]
        self.size = (80, 24)

    async def start(self) -> None:
        """Half the runs start on Welcome; the others jump straight to a later screen.

        A jump (the App's own Navigate message, as `pilot_helpers.go` sends) spends none of
        a short run's actions on getting there, so the fixed seeds of `make test` reach every
        screen; the checks of the steps skipped are simply not there, a state the screens
        show as "not checked".
        """
        target = self.rng.choice(START_SCREENS)
        if target == "welcome":
            return
        self.note(f"jump to {target}")
        self.app.post_message(Navigate(target))
        await quiet(self.app)

    def note(self, action: str) -> None:
        """Record an action before it is performed (a crash inside it is then on record)."""
        self.run.log.append(f"{action}   [on {describe_stack(self.app)}]")

    async def step(self) -> str | None:
        """Choose one action and perform it; what the action itself found wrong, if anything.

        (The invariants every action must keep are checked by `settle`, after it.)
        """
        kind = self.rng.choices(self.kinds, self.weights)[0]
        act: Callable[[], Awaitable[str | None]] = getattr(self, f"do_{kind}")
        return await act()

    async def do_key(self) -> str | None:
        key = self.rng.choice(SINGLE_KEYS)
        self.note(f"press {key!r}")
        await press(self.pilot, key)
        return None

    async def do_burst(self) -> str | None:
        keys = [self.rng.choice(SINGLE_KEYS) for _ in range(self.rng.randint(2, 6))]
        self.note(f"burst {keys!r}")
        await burst(self.pilot, *keys)
        return None

    async def do_dialog_burst(self) -> str | None:
        """F1 (usually), then a burst on the dialog: it must close once, never twice."""
        opener = self.rng.choice(("f1", "f1", "f1", "escape"))
        keys = self.rng.choice(DIALOG_BURSTS)
        self.note(f"press {opener!r}, then burst {list(keys)!r}")
        await press(self.pilot, opener)
        stack = self.app.screen_stack
        # The screens of the flow under the dialog must all still be there after a burst
        # that cannot navigate once the dialog is gone (no second Enter for a button
        # beneath). A dialog under it (a QR code) may rightly take a stray Escape.
        beneath = []
        dialog = type(stack[-1]).__name__ if stack else ""
        if stack and isinstance(stack[-1], ModalScreen):
            beneath = [s for s in stack[:-1] if not isinstance(s, ModalScreen)]
        await burst(self.pilot, *keys)
        if beneath and keys in ONCE_BURSTS and crash(self.app) is None:
            await quiet(self.app)
            after = [s for s in self.app.screen_stack if not isinstance(s, ModalScreen)]
            if len(after) < len(beneath) or any(
                a is not b for a, b in zip(after, beneath, strict=False)
            ):
                return (
                    f"a burst on {dialog} closed more than the dialog: {_names(beneath)} was "
                    f"beneath it, {_names(after)} is left"
                )
        return None

    async def do_type(self) -> str | None:
        text = self.rng.choice(TYPED)
        self.note(f"type {text!r}")
        await press(self.pilot, *text)
        return None

    async def do_paste(self) -> str | None:
        text = self.rng.choice(HOSTILE_PASTES)
        shown = text if len(text) <= 60 else f"{text[:20]}…({len(text)} characters)"
        self.note(f"paste {shown!r}")
        send(self.app, events.Paste(text))
        await quiet(self.app)
        return None

    async def do_click(self) -> str | None:
        kinds = (Button, RadioButton, ChoiceRow, Select, Input, TextArea, FooterKey, SelectOverlay)
        targets = visible(self.app, kinds)
        if not targets:
            self.note("click (nothing to click)")
            return None
        widget, x, y = self.rng.choice(targets)
        self.note(f"click {_name(widget)} at ({x}, {y})")
        await click(self.pilot, x, y)
        return None

    async def do_select(self) -> str | None:
        targets = [t for t in visible(self.app, (Select,)) if not t[0].disabled]
        if not targets:
            return await self.do_key()
        widget, x, y = self.rng.choice(targets)
        moves = [self.rng.choice(("down", "down", "up")) for _ in range(self.rng.randint(1, 4))]
        self.note(f"open {_name(widget)} with a click at ({x}, {y}), then {[*moves, 'enter']!r}")
        await click(self.pilot, x, y)
        await press(self.pilot, *moves, "enter")
        return None

    async def do_language(self) -> str | None:
        self.note("press 'f2'")
        await press(self.pilot, "f2")
        return None

    async def do_help(self) -> str | None:
        self.note("press 'f1'")
        await press(self.pilot, "f1")
        return None

    async def do_resize(self) -> str | None:
        width, height = self.rng.choice(SIZES)
        self.note(f"resize to {width}×{height}")
        self.size = (width, height)
        await self.pilot.resize_terminal(width, height)
        return None

    async def do_idle(self) -> str | None:
        """Kiosk: walk away until the "still there?" countdown shows."""
        assert self.clock is not None
        self.note(f"idle {KIOSK_IDLE_S - KIOSK_WARN_S + 1:.0f} s (the countdown)")
        self.clock.advance(KIOSK_IDLE_S - KIOSK_WARN_S + 1)
        await self._wait(lambda: isinstance(self.app.screen, CountdownDialog))
        return None

    async def do_wipe(self) -> str | None:
        """Kiosk: walk away for good; the session is wiped."""
        assert self.clock is not None
        before = self.app.session
        self.note(f"idle {KIOSK_IDLE_S + 1:.0f} s (the wipe)")
        self.clock.advance(KIOSK_IDLE_S + 1)
        await self._wait(lambda: self.app.session is not before)
        return None

    async def _wait(self, condition: Callable[[], bool], limit: float = 1.0) -> None:
        """Give the kiosk's ticks time to act; an untouched station may rightly not."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while not condition() and loop.time() < deadline and crash(self.app) is None:
            await asyncio.sleep(KIOSK_TICK_S)

    async def finish(self) -> None:
        """Back to 80×24 (if resized): the last size every run is judged at."""
        if self.size != (80, 24):
            self.note("resize to 80×24")
            self.size = (80, 24)
            await self.pilot.resize_terminal(80, 24)


async def play(app: WizardApp, run: Run, clock: FakeClock | None) -> None:
    """Run the monkey on `app`; raise MonkeyFailure at the first broken invariant."""
    failure: MonkeyFailure | None = None
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            failure = await _drive(pilot, app, run, clock)
    except Exception as exc:
        # Textual re-raises, on leaving run_test, the first exception that killed the app
        # (some surface only then: a timer's error is raised when its screen is removed).
        if failure is None:
            failure = run.failure(f"unhandled exception {type(exc).__name__}: {exc}", app, exc)
    if failure is not None:
        raise failure


async def _drive(
    pilot: Pilot[None], app: WizardApp, run: Run, clock: FakeClock | None
) -> MonkeyFailure | None:
    """The actions of one run, each followed by the invariants; the first failure."""
    monkey = Monkey(pilot, run, clock)
    await monkey.start()
    found = await settle(app)
    for _ in range(run.actions):
        if found is not None:
            break
        try:
            found = await monkey.step()
        except Exception as exc:
            return run.failure(f"the action raised {type(exc).__name__}: {exc}", app, exc)
        if found is None:
            found = await settle(app)
    if found is None:
        await monkey.finish()
        found = await settle(app)
    return None if found is None else run.failure(found, app)


async def replay(combination: Combination, seed: int, actions: int) -> Run:
    """One run on a fresh demo wallet and outbox (what the command line does)."""
    run = Run(combination, seed, actions)
    with tempfile.TemporaryDirectory(prefix="monkey-") as folder:
        root = Path(folder)
        os.environ["WALLET_WIZARD_HOME"] = str(root / "home")
        with DemoService(combination.scenario) as demo:
            outbox = Outbox.open(root / "outbox.sqlite3")
            try:
                app, clock = build_app(demo, outbox, root / "saved", combination)
                await play(app, run, clock)
            finally:
                outbox.close()
    return run


def main(argv: Sequence[str] | None = None) -> int:
    """Replay one run: `python -m tests.ui.monkey --seed N --scenario S --lang L --mode M`."""
    parser = argparse.ArgumentParser(prog="python -m tests.ui.monkey", description=__doc__)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--scenario", choices=SCENARIOS, required=True)
    parser.add_argument("--lang", choices=LANGS, required=True)
    parser.add_argument("--mode", choices=MODES, required=True)
    parser.add_argument("--actions", type=int, default=DEFAULT_ACTIONS)
    args = parser.parse_args(argv)
    combination = Combination(args.scenario, args.lang, args.mode)
    try:
        run = asyncio.run(replay(combination, args.seed, args.actions))
    except MonkeyFailure as failure:
        print(failure, file=sys.stderr)
        return 1
    print(f"ok: {combination} seed={args.seed}, {len(run.log)} actions")
    for number, action in enumerate(run.log, 1):
        print(f"{number:4d}. {action}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
