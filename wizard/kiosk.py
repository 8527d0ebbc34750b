"""Help-station rules that do not depend on the UI: the idle countdown and the staff PIN.

Kept free of Textual so the rules are tested as plain Python and the screen only shows them.

The PIN lockout is kept on disk (a 0600 file in the data directory), in wall-clock time: a
crash, a `kill` or a restart under systemd must not hand a stranger three fresh tries. A record
that cannot be read or makes no sense locks the exit for the lockout period (it fails safe).
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from wizard.i18n import t
from wizard.locations import pin_state_path
from wizard.profile import KioskSection

ENV_PIN_SHA256 = "WALLET_WIZARD_EXIT_PIN_SHA256"
MAX_TRIES = 3
LOCKOUT_S = 60.0
STATE_FILE_MODE = 0o600
STATE_MAX_BYTES = 4096
# Read failures are remembered by this marker, so one unreadable record locks once per run
# instead of on every look.
_UNREADABLE = b"\0unreadable"


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
    import hashlib  # kiosk mode only: not on every start-up

    return hashlib.sha256(pin.strip().encode("utf-8")).hexdigest()


@dataclass
class PinGate:
    """The staff exit: a PIN checked against its SHA-256; three wrong tries lock it a minute.

    `clock` measures time within this run (the App's, a fake one in tests); `wall` is the
    calendar clock the record on disk is written in. With `state_path`, failures and the lock
    are read from and written to that file, so they survive a restart and are shared with any
    other gate using it.
    """

    pin_sha256: str
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    locked_until: float = 0.0
    state_path: Path | None = None
    wall: Callable[[], float] = time.time
    _seen: bytes | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_settings(
        cls,
        kiosk: KioskSection,
        clock: Callable[[], float] = time.monotonic,
        *,
        state_path: Path | None = None,
        wall: Callable[[], float] = time.time,
    ) -> PinGate:
        """The PIN of the profile, else of WALLET_WIZARD_EXIT_PIN_SHA256.

        The lockout is kept in `state_path`, by default the record in the data directory.
        """
        digest = kiosk.exit_pin_sha256 or os.environ.get(ENV_PIN_SHA256, "").strip()
        path = state_path if state_path is not None else pin_state_path()
        return cls(digest.lower(), clock, state_path=path, wall=wall)

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
        self._load()
        return max(0.0, self.locked_until - self.clock())

    def attempt(self, pin: str) -> PinResult:
        """Check a PIN; constant-time comparison, lockout after MAX_TRIES wrong ones."""
        if not self.configured:
            return PinResult.NOT_SET
        if self.locked_for() > 0:
            return PinResult.LOCKED
        import hmac

        if hmac.compare_digest(hash_pin(pin), self.pin_sha256):
            self.failures = 0
            self.locked_until = 0.0
            self._save()
            return PinResult.OK
        self.failures += 1
        if self.failures >= MAX_TRIES:
            self.failures = 0
            self.locked_until = self.clock() + LOCKOUT_S
            self._save()
            return PinResult.LOCKED
        self._save()
        return PinResult.WRONG

    # -- the record on disk ------------------------------------------------------------------

    def _read(self) -> bytes:
        assert self.state_path is not None
        try:
            with self.state_path.open("rb") as handle:
                return handle.read(STATE_MAX_BYTES + 1)
        except FileNotFoundError:
            return b""
        except OSError:
            return _UNREADABLE

    def _load(self) -> None:
        """Take in what another run (or gate) wrote since this one last read or wrote."""
        if self.state_path is None:
            return
        raw = self._read()
        if raw == self._seen:
            return
        self._seen = raw
        if not raw:
            return  # no record: nothing has failed yet
        record = _parse_record(raw)
        if record is None:
            # Unreadable or tampered with: locked for the lockout period, never unlocked.
            self.locked_until = max(self.locked_until, self.clock() + LOCKOUT_S)
            return
        failures, until_wall = record
        # The stricter of what this run knows and what the record says.
        self.failures = max(self.failures, failures)
        # Never longer than a lockout, even if the calendar clock was set back meanwhile.
        left = min(LOCKOUT_S, until_wall - self.wall())
        if left > 0:
            self.locked_until = max(self.locked_until, self.clock() + left)

    def _save(self) -> None:
        """Write the record atomically, readable by its owner alone.

        A station whose data directory cannot be written keeps the lockout in memory only.
        """
        if self.state_path is None:
            return
        left = max(0.0, self.locked_until - self.clock())
        record = {
            "failures": self.failures,
            "locked_until": self.wall() + left if left > 0 else 0.0,
            "updated_at": self.wall(),
        }
        import json

        data = json.dumps(record, sort_keys=True).encode("utf-8")
        temp = self.state_path.with_name(f".{self.state_path.name}.tmp")
        try:
            self.state_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(temp, flags, STATE_FILE_MODE)
            try:
                os.fchmod(fd, STATE_FILE_MODE)
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, self.state_path)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()
            return
        self._seen = data


def _parse_record(raw: bytes) -> tuple[int, float] | None:
    """(failures, locked until in wall-clock seconds) from a record, or None when it is bad."""
    if len(raw) > STATE_MAX_BYTES:
        return None
    import json

    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(doc, dict):
        return None
    failures, until = doc.get("failures"), doc.get("locked_until")
    if isinstance(failures, bool) or not isinstance(failures, int):
        return None
    if isinstance(until, bool) or not isinstance(until, int | float):
        return None
    if not 0 <= failures < MAX_TRIES or not math.isfinite(until) or until < 0:
        return None
    return failures, float(until)


def idle_words(idle_s: float, lang: str) -> str:
    """The idle period as people say it: "2 minutes", or "45 seconds" below a minute."""
    if idle_s >= 60:
        return t(lang, "ui.kiosk.minutes", count=max(1, round(idle_s / 60)))
    return t(lang, "ui.kiosk.seconds", count=max(1, round(idle_s)))
