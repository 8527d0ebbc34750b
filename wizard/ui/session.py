"""Session: what one person entered and what the wizard found, in one plain object.

The App owns it; screens read it and change it through the App. Nothing here imports
Textual, and nothing here decides anything the headless commands do not: results come from
the runner, the message from `wizard.support`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from wizard.checks.model import CheckResult, Inputs, Report, Status, StepResult
from wizard.checks.registry import REGISTRY
from wizard.gating import shown_status, to_fix
from wizard.i18n import t
from wizard.text import one_line

if TYPE_CHECKING:
    from wizard.support.send import DeliveryResult


DeliveryState = Literal["saved", "delivered", "queued", "rejected", "failed"]


@dataclass(frozen=True)
class Delivery:
    """Where the person's message stands: saved, then delivered, queued or refused."""

    reference: str
    state: DeliveryState
    result: DeliveryResult | None = None
    error: str = ""

    @property
    def ticket_id(self) -> str:
        """The help desk's ticket id, once it gave one."""
        return self.result.ticket_id if self.result is not None else ""

    def line(self, lang: str) -> str:
        """One line for the person, in `lang`."""
        if self.state == "failed":
            return t(lang, "ui.support.save_failed", error=self.error)
        if self.result is None:
            return t(lang, "message.saved.line", reference=self.reference)
        from wizard.support.send import describe_result

        return describe_result(self.result, lang)


_DELIVERY_STATUS = {
    "saved": Status.WARN,
    "queued": Status.WARN,
    "delivered": Status.PASS,
    "rejected": Status.FAIL,
    "failed": Status.FAIL,
}


def without_timing(result: CheckResult) -> CheckResult:
    """A result with every measured time blanked (stable screenshots and snapshot tests)."""
    details = {k: ("…" if k.endswith("_ms") else v) for k, v in result.details.items()}
    return result.with_(duration_ms=0.0, details=details)


@dataclass
class Session:
    """One person's way through the wizard; a new one on Start over."""

    lang: str
    region: str
    what: str = "phone"
    error_text: str = ""
    phone: str = ""
    email: str = ""
    app_version: str = ""
    platform: str = ""
    results: dict[str, StepResult] = field(default_factory=dict)
    # Steps the person left with a problem still showing ("Continue anyway").
    continued: list[str] = field(default_factory=list)
    # Steps the person re-checked by hand (the message lists them as fixes tried).
    rechecked: list[str] = field(default_factory=list)
    # "I still need help" on step 4: the message goes out despite unresolved checks.
    need_help: bool = False
    # Staff mode: the caller's answer to each question (question id -> option id), and
    # whether the agent has read the reference back to the caller.
    answers: dict[str, str] = field(default_factory=dict)
    read_back: bool = False
    reference: str = ""
    delivery: Delivery | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # The steps whose checks run, in order (from the registry the wizard was given).
    step_ids: tuple[str, ...] = REGISTRY.step_ids

    def inputs(self) -> Inputs:
        """The checks' inputs; an empty field is "not given" (that check is skipped).

        The app version is the exception: step 2 always asks for it, so an empty field is
        "asked, left empty" (`""`), which the check answers with the newest and minimum
        versions and where to find one's own (`version_not_given`).
        """
        return Inputs(
            phone=self.phone.strip() or None,
            region=self.region.strip().upper() or None,
            email=self.email.strip() or None,
            app_version=self.app_version.strip(),
            platform=self.platform or None,
        )

    def states(self) -> dict[str, Status]:
        """Each finished step's status, for the step indicator.

        A step whose only failures are the wallet's own shows as a warning: the person's side
        of it is fine, and a red cross would tell them otherwise.
        """
        states = {step: shown_status(result) for step, result in self.results.items()}
        if self.delivery is not None:
            states["support"] = _DELIVERY_STATUS[self.delivery.state]
        return states

    def record(self, result: StepResult) -> None:
        """Keep a step's latest result (a re-check replaces the earlier one)."""
        self.results[result.id] = result
        if result.status is not Status.FAIL and result.id in self.continued:
            self.continued.remove(result.id)

    def continue_anyway(self, step_id: str) -> None:
        """Remember that the person went on although this step still fails."""
        if step_id not in self.continued:
            self.continued.append(step_id)

    def recheck(self, step_id: str) -> None:
        """Remember that the person checked a step again (after trying a fix)."""
        if step_id not in self.rechecked:
            self.rechecked.append(step_id)

    def tried(self) -> list[tuple[str, str]]:
        """What the person did, for the message: re-checks ("done"), skipped steps."""
        lang = self.lang
        records = [
            (t(lang, "ui.tried.rechecked", step=t(lang, f"checks.steps.{s}")), "done")
            for s in self.rechecked
        ]
        records += [
            (t(lang, "ui.tried.continued", step=t(lang, f"checks.steps.{s}")), "skipped")
            for s in self.continued
        ]
        return records

    def unresolved(self) -> list[tuple[str, CheckResult]]:
        """Failing checks the person can act on, in step order: what to fix first.

        The wallet's own failures are not among them (CONTRACT §3 Side): no one is asked to
        fix the wallet's servers before contacting support.
        """
        return [(step, check) for step, check in self._all_checks() if to_fix(check)]

    def wallet_problems(self) -> list[CheckResult]:
        """Results that are the wallet's own problem (its servers, its status page)."""
        return [check for _step, check in self._all_checks() if check.side == "wallet"]

    def _all_checks(self) -> list[tuple[str, CheckResult]]:
        return [
            (step, check)
            for step in self.step_ids
            if (result := self.results.get(step)) is not None
            for check in result.checks
        ]

    def first_step_to_fix(self) -> str | None:
        """The earliest step with a failing check."""
        unresolved = self.unresolved()
        return unresolved[0][0] if unresolved else None

    def report(self, profile_name: str) -> Report:
        """The report of the steps run so far, in step order (codes; words at the edge)."""
        steps = tuple(self.results[s] for s in self.step_ids if s in self.results)
        # A step's checks run concurrently: a step takes as long as its slowest check.
        duration = sum(max((c.duration_ms for c in s.checks), default=0.0) for s in steps)
        return Report(
            profile=one_line(profile_name, max_len=100),
            started_at=self.started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            duration_ms=duration,
            steps=steps,
            language=self.lang,
        )
