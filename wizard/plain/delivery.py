"""Send, for the plain wizard: the outbox first, then the help desk through a Courier.

The same rules as the full-screen wizard's Send: the message is committed to the outbox
before anything says "saved"; the first answer of the desk is awaited and said; a queued
message is retried in the background while the conversation goes on (each later outcome is
one more line), and when the helper ends with it still queued, the person is told how to
send it later. Nothing here imports Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from wizard.i18n import t
from wizard.profile import Profile
from wizard.text import one_line
from wizard.ui.session import Delivery, DeliveryState, Session

if TYPE_CHECKING:
    from wizard.support.message import Message
    from wizard.support.outbox import Outbox
    from wizard.support.send import DeliveryResult


class PlainDelivery:
    """The outbox (opened on the first Send) and the deliveries under way."""

    def __init__(
        self,
        profile: Profile,
        say: Callable[[str], None],
        *,
        outbox: Outbox | None = None,
        current: Callable[[], Session],
    ) -> None:
        """`say` writes a line; `current` is the session being shown now (a later outcome
        of an earlier session's message is kept in the outbox, not said to the next person)."""
        self._profile = profile
        self._say = say
        self._outbox = outbox
        self._opened = False
        self._current = current
        self._tasks: list[asyncio.Task[object]] = []
        self._sessions: list[Session] = []

    def use_profile(self, profile: Profile) -> None:
        """Deliver to `profile`'s help desk from now on (the person chose another wallet)."""
        self._profile = profile

    async def _outbox_ready(self) -> Outbox:
        if self._outbox is None:
            from wizard.support.outbox import Outbox

            keep_days = self._profile.support.keep_days
            self._outbox = await asyncio.to_thread(Outbox.open, keep_days=keep_days)
            self._opened = True
        return self._outbox

    async def send(self, session: Session, message: Message) -> Delivery:
        """Save, then deliver until the desk's first answer; the delivery as it stands."""
        from wizard.support.courier import Courier
        from wizard.support.desks import DeskUnavailable, destination_for
        from wizard.support.outbox import OutboxError, State

        lang = session.lang
        try:
            destination = destination_for(self._profile)
            outbox = await self._outbox_ready()
            entry = await asyncio.to_thread(outbox.save_to, message, destination)
        except (OutboxError, DeskUnavailable) as exc:
            session.delivery = Delivery(message.reference, "failed", error=one_line(exc))
            self._say(session.delivery.line(lang))
            return session.delivery
        session.delivery = Delivery(entry.reference, "saved")
        self._say(session.delivery.line(lang))
        first = asyncio.Event()

        def heard(result: DeliveryResult) -> None:
            state: DeliveryState = "rejected"
            if result.state is State.DELIVERED:
                state = "delivered"
            elif result.state is State.QUEUED:
                state = "queued"
            session.delivery = Delivery(result.reference, state, result)
            if first.is_set() and session is self._current():
                # A retry's outcome, while the person is still here: one more line.
                self._say(session.delivery.line(session.lang))
            first.set()

        courier = Courier(outbox, on_result=heard)
        task: asyncio.Task[object] = asyncio.create_task(courier.send(entry.id))
        self._tasks.append(task)
        self._sessions.append(session)
        waiting = asyncio.create_task(first.wait())
        await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        self._say(session.delivery.line(lang))
        return session.delivery

    async def close(self, lang: str) -> None:
        """Stop retrying (the outbox keeps what is queued) and say how to send it later."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if any(s.delivery is not None and s.delivery.state == "queued" for s in self._sessions):
            self._say(t(lang, "message.hint.retry"))
        if self._opened and self._outbox is not None:
            await asyncio.to_thread(self._outbox.close)
