"""The courier: takes outbox rows to their help desk and keeps at it until the desk decides.

Deliver now; while a message stays queued, wait until the time its attempt gave (never less
than MIN_RETRY_S) and try again, until it is delivered or refused. At most one loop runs for a
row, whoever asks (a Send, the start-up drain of a help station). Every outcome goes to the
`on_result` callback. Every outbox call runs in a worker thread: a durable commit waits for
the disk, and the event loop it would hold up may be drawing a screen.

Core code, no Textual here: the App runs the courier in a worker and turns the results into
its own messages.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping

from wizard.support.desks import DESKS, HelpDesk
from wizard.support.outbox import Outbox, State
from wizard.support.pacing import Pacer
from wizard.support.send import ATTEMPT_LIMIT_S, Backoff, ClientFactory, DeliveryResult, deliver

# A queued message is retried at the time its attempt gave; never more often than this.
MIN_RETRY_S = 1.0

ResultCallback = Callable[[DeliveryResult], None]


class Courier:
    """Delivers the rows of one outbox, retrying each queued one until it is settled."""

    def __init__(
        self,
        outbox: Outbox,
        *,
        on_result: ResultCallback | None = None,
        desks: Mapping[str, HelpDesk] = DESKS,
        timeout_s: float = ATTEMPT_LIMIT_S,
        min_retry_s: float = MIN_RETRY_S,
        client_factory: ClientFactory | None = None,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.time,
        pacer: Pacer | None = None,
    ) -> None:
        """`on_result` hears every attempt's outcome; the rest tune the attempts (see
        `send.deliver`) and the waits between them (never below `min_retry_s`). One `pacer`
        spaces every loop's requests to each desk (a station draining its backlog at start
        shares one desk's limit among all its rows)."""
        self.outbox = outbox
        self._on_result = on_result
        self._desks = desks
        self._timeout_s = timeout_s
        self._min_retry_s = min_retry_s
        self._client_factory = client_factory
        self._backoff = backoff
        self._clock = clock
        self._pacer = pacer if pacer is not None else Pacer()
        # Rows a loop is taking care of (never two loops for one row).
        self._active: set[int] = set()

    @property
    def active(self) -> frozenset[int]:
        """The ids of the rows a loop is delivering right now."""
        return frozenset(self._active)

    async def send(self, entry_id: int) -> DeliveryResult | None:
        """Deliver the row now and retry while it is queued; its last outcome.

        None when another loop already has the row, or it is gone or no longer queued.
        """
        return await self._run(entry_id, due_at=None)

    async def drain_due(self) -> list[DeliveryResult]:
        """Every queued row, each tried when it is due (at once if it is) and then retried
        until settled; rows another loop already has are left to it. Their last outcomes."""
        entries = await asyncio.to_thread(self.outbox.queued)
        results = await asyncio.gather(
            *(self._run(e.id, due_at=e.next_attempt_at) for e in entries)
        )
        return [r for r in results if r is not None]

    async def _run(self, entry_id: int, *, due_at: float | None) -> DeliveryResult | None:
        if entry_id in self._active:
            return None
        self._active.add(entry_id)
        last: DeliveryResult | None = None
        try:
            if due_at is not None:
                # A desk's Retry-After holds across restarts: not before the row's due time.
                await asyncio.sleep(max(0.0, due_at - self._clock()))
            while True:
                entry = await asyncio.to_thread(self.outbox.get, entry_id)
                if entry is None or entry.state is not State.QUEUED:
                    return last
                last = await deliver(
                    entry,
                    self.outbox,
                    timeout_s=self._timeout_s,
                    client_factory=self._client_factory,
                    desks=self._desks,
                    backoff=self._backoff,
                    pacer=self._pacer,
                )
                if self._on_result is not None:
                    self._on_result(last)
                if last.state is not State.QUEUED:
                    return last
                retry_at = last.retry_at if last.retry_at is not None else self._clock()
                await asyncio.sleep(max(self._min_retry_s, retry_at - self._clock()))
        finally:
            self._active.discard(entry_id)
