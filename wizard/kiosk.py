"""Help-station rules that do not depend on the UI: the idle countdown and the staff PIN.

Kept free of Textual so the rules are tested as plain Python and the screen only shows them.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from wizard.i18n import t
from wizard.profile import KioskSection

ENV_PIN_SHA256 = "WALLET_WIZARD_EXIT_PIN_SHA256"
MAX_TRIES = 3
LOCKOUT_S = 60.0


class IdleState(Enum):
    """Where a kiosk session stands on the idle timer."""

    ACTIVE = "active"
    WARNING = "warning"
    EXPIRED = "expired"


@dataclass
class IdleTimer:
    """Tracks the last activity; after `idle_s` a `warn_s` countdown, then expiry.

    Any key, mouse event or paste calls `touch()`; typing therefore never lets it fire.
    """

    idle_s: float
    warn_s: float
    clock: Callable[[], float] = time.monotonic
    last_activity: float = 0.0

    def __post_init__(self) -> None:
        self.last_activity = self.clock()

    def touch(self) -> None:
        """Record activity now: cancels a running countdown."""
        self.last_activity = self.clock()

    def idle_for(self) -> float:
        """Seconds since the last activity."""
        return max(0.0, self.clock() - self.last_activity)

    def state(self) -> IdleState:
        """Active, in the countdown, or expired (time to wipe the session)."""
        idle = self.idle_for()
        if idle < self.idle_s:
            return IdleState.ACTIVE
        if idle < self.idle_s + self.warn_s:
            return IdleState.WARNING
        return IdleState.EXPIRED

    def countdown(self) -> int:
        """Whole seconds left before the wipe, rounded up: never 0 while still in WARNING."""
        left = self.idle_s + self.warn_s - self.idle_for()
        return max(0, math.ceil(left))


class PinResult(Enum):
    """What a PIN attempt achieved."""

    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    NOT_SET = "not_set"


def hash_pin(pin: str) -> str:
    """The hex SHA-256 of a PIN, as `kiosk.exit_pin_sha256` stores it."""
    return hashlib.sha256(pin.strip().encode("utf-8")).hexdigest()


@dataclass
class PinGate:
    """The staff exit: a PIN checked against its SHA-256; three wrong tries lock it a minute."""

    pin_sha256: str
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    locked_until: float = 0.0

    @classmethod
    def from_settings(
        cls, kiosk: KioskSection, clock: Callable[[], float] = time.monotonic
    ) -> PinGate:
        """The PIN of the profile, else of WALLET_WIZARD_EXIT_PIN_SHA256."""
        digest = kiosk.exit_pin_sha256 or os.environ.get(ENV_PIN_SHA256, "").strip()
        return cls(digest.lower(), clock)

    @property
    def configured(self) -> bool:
        """Whether a PIN is set at all (without one, the kiosk cannot be left from inside)."""
        return len(self.pin_sha256) == 64

    @property
    def tries_left(self) -> int:
        """Wrong tries still allowed before the exit locks."""
        return MAX_TRIES - self.failures

    def locked_for(self) -> float:
        """Seconds until another try is allowed (0 when not locked)."""
        return max(0.0, self.locked_until - self.clock())

    def attempt(self, pin: str) -> PinResult:
        """Check a PIN; constant-time comparison, lockout after MAX_TRIES wrong ones."""
        if not self.configured:
            return PinResult.NOT_SET
        if self.locked_for() > 0:
            return PinResult.LOCKED
        if hmac.compare_digest(hash_pin(pin), self.pin_sha256):
            self.failures = 0
            return PinResult.OK
        self.failures += 1
        if self.failures >= MAX_TRIES:
            self.failures = 0
            self.locked_until = self.clock() + LOCKOUT_S
            return PinResult.LOCKED
        return PinResult.WRONG


def idle_words(idle_s: float, lang: str) -> str:
    """The idle period as people say it: "2 minutes", or "45 seconds" below a minute."""
    if idle_s >= 60:
        return t(lang, "ui.kiosk.minutes", count=max(1, round(idle_s / 60)))
    return t(lang, "ui.kiosk.seconds", count=max(1, round(idle_s)))
