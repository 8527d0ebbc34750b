"""Keys and clicks delivered as a terminal delivers them, at a person's pace, cheaply.

`Pilot.press` waits after every key until the whole process has been idle for 20 ms, and
`Pilot.click` bypasses `App.on_event` (where a kiosk notices activity). Here each event goes
to the App the way its terminal driver posts it, and the next follows as soon as no message
waits anywhere in the App or its screen — a few milliseconds, as between a person's keys,
and a third of Pilot's CPU time per key, which the monkey and the fold walks need (a
suite that must stay well under ten minutes types thousands of keys).
"""

from __future__ import annotations

import asyncio
import unicodedata
from typing import Any

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot

# The pause after each key or mouse event: a few milliseconds, as between a person's keys.
PAUSE_S = 0.005
# How often `quiet` looks at the message queues, and for how long at most.
POLL_S = 0.002
QUIET_LIMIT_S = 2.0


def busy(app: App[Any]) -> bool:
    """Whether a message waits in the queue of the App or of any widget of its screen."""
    if app.message_queue_size:
        return True
    try:
        screen = app.screen
    except Exception:  # no screen left: nothing of it can be busy
        return False
    return any(node.message_queue_size for node in screen.walk_children(with_self=True))


async def quiet(app: App[Any], limit: float = QUIET_LIMIT_S) -> None:
    """Wait a few milliseconds, then until no message waits anywhere (at most `limit`).

    `Pilot.pause()` does the same by sending every widget a callback and waiting for all of
    them: about 12 ms of CPU a call on a step screen. Looking at the queues costs next to
    nothing.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    await asyncio.sleep(PAUSE_S)
    while busy(app) and loop.time() < deadline and app.is_running:
        await asyncio.sleep(POLL_S)


def key_event(key: str) -> events.Key:
    """The Key event a terminal's driver would deliver for `key` (as Pilot builds it)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def send(app: App[Any], event: events.Event) -> None:
    """Hand `event` to the app as its terminal driver does (through `App.on_event`)."""
    event.set_sender(app)
    app.post_message(event)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Type `keys` one after another, each handled before the next arrives."""
    for key in keys:
        send(pilot.app, key_event(key))
        await quiet(pilot.app)


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Deliver `keys` in one go, as one `write()` from the terminal would: every key is
    queued before the app handles the first."""
    for key in keys:
        send(pilot.app, key_event(key))
    await quiet(pilot.app)


async def click(pilot: Pilot[Any], x: int, y: int) -> None:
    """Press and release the left button at (x, y) of the screen, as a terminal reports it
    (the App pairs the two into a Click itself)."""
    for event_class in (events.MouseDown, events.MouseUp):
        event = event_class(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y)
        send(pilot.app, event)
        await quiet(pilot.app)
