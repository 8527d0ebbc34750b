"""Helpers for Pilot tests: wait for a condition (never for a fixed time), walk the flow."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widget import Widget

from wizard.ui.app import WizardApp
from wizard.ui.navigation import Navigate
from wizard.ui.screens.step import StepScreen

# Only a wedged test waits this long; a passing one returns as soon as the condition holds.
TIMEOUT_S = 20.0
# How often `until` looks at its condition.
POLL_S = 0.01


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until `condition()` holds; fail (naming `what`) if it never does.

    Between looks the test only sleeps: the app runs on the same loop and refreshes on its
    own timer. (`Pilot.pause` would post a callback to every widget and force a layout and
    a render of the screen at each look: most of the suite's CPU time went there.) Once the
    condition holds, one `pause` lets the app settle before the test looks at the screen.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT_S
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(POLL_S)
    await pilot.pause()


def wizard(pilot: Pilot[None]) -> WizardApp:
    """The app under test, typed."""
    assert isinstance(pilot.app, WizardApp)
    return pilot.app


async def on_screen(pilot: Pilot[None], name: str) -> None:
    """Wait until the current screen is the class called `name`."""
    await until(pilot, lambda: type(pilot.app.screen).__name__ == name, f"screen {name}")


async def checked(pilot: Pilot[None]) -> StepScreen:
    """Wait until the current step screen's checks are done; return the screen."""
    await until(
        pilot,
        lambda: isinstance(pilot.app.screen, StepScreen) and pilot.app.screen.gate != "running",
        "the step's checks",
    )
    screen = pilot.app.screen
    assert isinstance(screen, StepScreen)
    return screen


async def go(pilot: Pilot[None], target: str) -> None:
    """Jump to a screen of the flow (as the App's own navigation does)."""
    pilot.app.post_message(Navigate(target))
    names = {
        "welcome": "WelcomeScreen",
        "network": "NetworkScreen",
        "app": "AppUpdateScreen",
        "contact": "ContactScreen",
        "support": "SupportScreen",
        "done": "DoneScreen",
    }
    await on_screen(pilot, names[target])


def text_of(widget: Widget) -> str:
    """The plain text a Static-like widget shows (before wrapping)."""
    visual = widget.render()
    visual = getattr(visual, "content", visual)  # Prose wraps its Content
    return str(getattr(visual, "plain", visual))


def screen_text(pilot: Pilot[None]) -> str:
    """All text of the current screen's Static widgets and choice rows, joined (for
    assertions on wording)."""
    from textual.widgets import Static

    from wizard.ui.widgets.choice_row import ChoiceRow

    widgets = pilot.app.screen.query("*").results()
    return "\n".join(text_of(w) for w in widgets if isinstance(w, Static | ChoiceRow))


_DRAWN_CHOICE = re.compile(r"▐(.)▌ (.+?)(?= {2,}▐|$)", re.MULTILINE)


def drawn_choices(pilot: Pilot[None], selector: str) -> dict[str, bool]:
    """A choice row as drawn: each label, and whether its button shows the dot."""
    row = pilot.app.screen.query_one(selector)
    return {label.strip(): dot == "●" for dot, label in _DRAWN_CHOICE.findall(text_of(row))}


def focused_id(pilot: Pilot[None]) -> str | None:
    """The id of the focused widget."""
    focused = pilot.app.screen.focused
    return focused.id if focused is not None else None
