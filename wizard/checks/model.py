"""Result types of the checks and their JSON form (CONTRACT §3)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from wizard import TOOL_NAME, __version__
from wizard.diagnosis import describe

SCHEMA_VERSION = 1

# Whose problem a result is (CONTRACT §3 "Side"); "" for results that passed or were skipped.
Side = Literal["user", "wallet", "unknown", ""]
SIDES: tuple[Side, ...] = ("user", "wallet", "unknown")


@dataclass(frozen=True)
class Inputs:
    """What the person typed; None means "not given" (that check is `skip`/`not_provided`).

    The app version is asked for on step 2 of the wizard: there `""` means "asked and left
    empty", which the check answers with the versions the person should have.
    """

    phone: str | None = None
    region: str | None = None
    email: str | None = None
    app_version: str | None = None
    platform: str | None = None


class Status(enum.StrEnum):
    """The outcome of one check; `unknown` (could not tell) is kept apart from `fail`."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    UNKNOWN = "unknown"
    SKIP = "skip"

    @property
    def rank(self) -> int:
        """How bad the status is: a step takes the status of its worst check."""
        return _RANK[self]

    @property
    def icon(self) -> str:
        """The symbol shown next to a check (always beside a word, never colour alone)."""
        return _ICON[self]


_RANK = {Status.SKIP: 0, Status.PASS: 1, Status.WARN: 2, Status.UNKNOWN: 3, Status.FAIL: 4}
_ICON = {
    Status.PASS: "✔",
    Status.WARN: "⚠",
    Status.FAIL: "✖",
    Status.UNKNOWN: "?",
    Status.SKIP: "–",
}


@dataclass(frozen=True)
class CheckResult:
    """What one check found: status, stable code, timing and details.

    Checks leave `summary` and `fix` empty: words are added at the edge that shows the
    result (`explained(lang)`), in the language of whoever reads it. `side` is filled in
    by the registry (the runner stamps every result).
    """

    id: str
    status: Status
    code: str
    summary: str = ""
    fix: str = ""
    duration_ms: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)
    side: Side = ""

    def with_(self, **changes: Any) -> CheckResult:
        """A copy with some fields replaced."""
        return replace(self, **changes)

    def explained(self, lang: str) -> CheckResult:
        """The result with its summary and fix in `lang` (passing results get no fix)."""
        summary, fix = describe(self.id, self.code, lang, self.details)
        if self.status in (Status.PASS, Status.SKIP):
            fix = ""
        return replace(self, summary=summary, fix=fix)

    def to_json(self) -> dict[str, Any]:
        """The CONTRACT §3 form of one check (`side` only for results that did not pass)."""
        data: dict[str, Any] = {
            "id": self.id,
            "status": self.status.value,
            "code": self.code,
            "summary": self.summary,
            "fix": self.fix,
            "duration_ms": round(self.duration_ms, 1),
            "details": self.details,
        }
        if self.side and self.status not in (Status.PASS, Status.SKIP):
            data["side"] = self.side
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckResult:
        """Rebuild a result from its JSON form."""
        return cls(
            id=str(data["id"]),
            status=Status(data["status"]),
            code=str(data["code"]),
            summary=str(data.get("summary", "")),
            fix=str(data.get("fix", "")),
            duration_ms=float(data.get("duration_ms", 0.0)),
            details=dict(data.get("details") or {}),
            side=_side(data.get("side")),
        )


def _side(value: object) -> Side:
    return next((s for s in SIDES if s == value), "")


def worst(statuses: list[Status]) -> Status:
    """The worst of some statuses; `skip` when there are none."""
    return max(statuses, key=lambda s: s.rank, default=Status.SKIP)


@dataclass(frozen=True)
class StepResult:
    """The checks of one step, in the fixed order of CONTRACT §3."""

    id: str
    checks: tuple[CheckResult, ...]

    @property
    def status(self) -> Status:
        """A step's status is its worst check."""
        return worst([c.status for c in self.checks])

    def check(self, check_id: str) -> CheckResult | None:
        """The result of one check of this step, if it ran."""
        return next((c for c in self.checks if c.id == check_id), None)

    def explained(self, lang: str) -> StepResult:
        """Every result of the step in `lang`."""
        return StepResult(self.id, tuple(c.explained(lang) for c in self.checks))

    def to_json(self) -> dict[str, Any]:
        """The CONTRACT §3 form of one step."""
        return {
            "id": self.id,
            "status": self.status.value,
            "checks": [c.to_json() for c in self.checks],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StepResult:
        """Rebuild a step from its JSON form."""
        return cls(str(data["id"]), tuple(CheckResult.from_json(c) for c in data["checks"]))


def overall_status(checks: list[CheckResult]) -> Status:
    """`fail` if any check fails, else `warn` if any warns or is unknown, else `pass`."""
    statuses = {c.status for c in checks}
    if Status.FAIL in statuses:
        return Status.FAIL
    if Status.WARN in statuses or Status.UNKNOWN in statuses:
        return Status.WARN
    return Status.PASS


@dataclass(frozen=True)
class Report:
    """Everything one run found; the evidence inside every support message."""

    profile: str
    started_at: str
    duration_ms: float
    steps: tuple[StepResult, ...]
    language: str = "en"

    @property
    def overall(self) -> Status:
        """The overall status of CONTRACT §3."""
        return overall_status(self.all_checks())

    def all_checks(self) -> list[CheckResult]:
        """Every check of every step, in report order."""
        return [c for s in self.steps for c in s.checks]

    def step(self, step_id: str) -> StepResult | None:
        """One step of the report, if it ran."""
        return next((s for s in self.steps if s.id == step_id), None)

    def explained(self, lang: str) -> Report:
        """The report in `lang`: every summary and fix in words (CONTRACT §3 JSON, the CLI
        report and the message all carry them)."""
        return replace(self, steps=tuple(s.explained(lang) for s in self.steps), language=lang)

    def to_json(self) -> dict[str, Any]:
        """The CONTRACT §3 report."""
        return {
            "schema": SCHEMA_VERSION,
            "tool": {"name": TOOL_NAME, "version": __version__},
            "profile": self.profile,
            "started_at": self.started_at,
            "duration_ms": round(self.duration_ms, 1),
            "overall": self.overall.value,
            "language": self.language,
            "steps": [s.to_json() for s in self.steps],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """Rebuild a report from its JSON form."""
        return cls(
            profile=str(data.get("profile", "")),
            started_at=str(data.get("started_at", "")),
            duration_ms=float(data.get("duration_ms", 0.0)),
            steps=tuple(StepResult.from_json(s) for s in data.get("steps", [])),
            language=str(data.get("language", "en")),
        )
