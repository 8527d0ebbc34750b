"""Services: what the wizard's screens use, handed in through constructors (never patched).

Tests build one pointing at a loopback demo service, with a fixed clock and reference, so
every screen is deterministic.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.checks.registry import REGISTRY, Registry
from wizard.profile import Profile
from wizard.ui.flow import Flow
from wizard.vocabulary import Mode

if TYPE_CHECKING:
    from wizard.support.outbox import Outbox


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    """The profile and the injectable parts of the wizard's world."""

    profile: Profile
    mode: Mode = "normal"
    demo_scenario: str | None = None
    # When the message is written (`now`), which reference it gets (None: a fresh random one),
    # and whether elapsed times are shown: tests fix all three for byte-stable snapshots.
    now: Callable[[], datetime] = field(default=_utc_now)
    reference: str | None = None
    show_timing: bool = True
    # A check still running after this long says what it is waiting for.
    waiting_after_s: float = 3.0
    # Where Save writes the message; None: the person's Documents folder (else home).
    save_dir: Path | None = None
    # The outbox Send writes to; None: the default one, opened on the first Send.
    outbox: Outbox | None = None
    # Kiosk: the clock of the idle timer and the PIN lockout (tests advance a fake one), and
    # how often the idle timer is looked at.
    clock: Callable[[], float] = field(default=time.monotonic)
    tick_s: float = 1.0
    # The steps and their checks (tests add a check to prove one line is enough).
    registry: Registry = REGISTRY
    # Welcome asks which wallet (the built-in catalog, or another one): only when the wizard
    # was started with neither a profile, a catalog wallet nor the demo.
    pick_wallet: bool = False

    @property
    def flow(self) -> Flow:
        """The screens of the wizard, from the registry's steps."""
        return Flow.of(self.registry)
