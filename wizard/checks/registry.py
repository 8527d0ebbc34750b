"""The one registry of steps and checks: everything else derives from it.

Each step lists its checks in the fixed order of CONTRACT §3; each check names the function
that runs it, every code it may give with the side each code is on (CONTRACT §3 "Side"),
what the step's deadline makes of it, and its role in staff mode (asked of the caller on the
phone, or run live from the agent's machine). The runner, the catalogs' coverage test, the
staff questionnaire, the CLI report and the wizard's screens all read this table, so a new
check is one module, one `CheckSpec` line here, and its catalog entries.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from wizard.checks.model import CheckResult, Side, Status, StepResult
from wizard.diagnosis import describe
from wizard.i18n import has
from wizard.vocabulary import LANGUAGES

if TYPE_CHECKING:
    from wizard.checks.context import CheckContext

CheckFunc = Callable[["CheckContext"], Awaitable[CheckResult]]
# In staff mode the caller's phone is elsewhere: an "asked" check is answered on the phone,
# a "live" one runs from the agent's machine as it would on the caller's.
StaffRole = Literal["asked", "live"]

# Codes any check may give (CONTRACT §3: nothing to aim at, nothing typed, a crash).
COMMON_CODES: Mapping[str, Side] = {
    "not_configured": "user",
    "not_provided": "user",
    "internal_error": "unknown",
}
# Staff mode: the caller could not say.
STAFF_CODES: Mapping[str, Side] = {"caller_unsure": "unknown"}


@dataclass(frozen=True)
class CheckSpec:
    """One check: how to run it, its codes and their sides, its deadline result, its role."""

    id: str
    # "module:function", imported when the check first runs (start-up stays light).
    run: str | CheckFunc
    # Every code it may give besides the common ones, "ok" first, with the side of each
    # (the side of a passing result is never shown: it has none).
    codes: Mapping[str, Side]
    # What the step's deadline makes of the check when it cuts it off.
    timeout_status: Status
    timeout_code: str
    staff: StaffRole = "live"
    # Details that move a code to another side: ((code, detail, value), side).
    side_overrides: tuple[tuple[tuple[str, str, str], Side], ...] = ()

    def func(self) -> CheckFunc:
        """The check's coroutine function."""
        if callable(self.run):
            return self.run
        module_name, _, name = self.run.partition(":")
        found: CheckFunc = getattr(importlib.import_module(module_name), name)
        return found

    def all_codes(self) -> tuple[str, ...]:
        """Every code this check may give, its own first, then the common ones."""
        extra = tuple(STAFF_CODES) if self.staff == "asked" else ()
        return (*self.codes, *COMMON_CODES, *extra)

    def side_of(self, code: str, status: Status, details: Mapping[str, Any]) -> Side:
        """The side of one of its results; "" when it passed or was skipped."""
        if status in (Status.PASS, Status.SKIP):
            return ""
        for (override_code, key, value), side in self.side_overrides:
            if code == override_code and details.get(key) == value:
                return side
        known = {**COMMON_CODES, **STAFF_CODES, **self.codes}
        return known.get(code, "unknown")


@dataclass(frozen=True)
class StepSpec:
    """One step of the flow and its checks, in the order they are shown and reported."""

    id: str
    checks: tuple[CheckSpec, ...]

    @property
    def check_ids(self) -> tuple[str, ...]:
        """The ids of its checks, in order."""
        return tuple(c.id for c in self.checks)

    def with_role(self, role: StaffRole) -> tuple[str, ...]:
        """The ids of its checks with this staff role, in order."""
        return tuple(c.id for c in self.checks if c.staff == role)


@dataclass(frozen=True)
class Registry:
    """The steps of the flow, each with its checks."""

    steps: tuple[StepSpec, ...]
    _by_id: dict[str, CheckSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {c.id: c for s in self.steps for c in s.checks}
        object.__setattr__(self, "_by_id", by_id)

    @property
    def step_ids(self) -> tuple[str, ...]:
        """The steps whose checks run, in order ("network", "app", "contact")."""
        return tuple(s.id for s in self.steps)

    def step(self, step_id: str) -> StepSpec:
        """One step; ValueError for a step the registry does not have."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise ValueError(f"unknown step {step_id!r}")

    def check(self, check_id: str) -> CheckSpec | None:
        """One check by id, if registered."""
        return self._by_id.get(check_id)

    def step_of(self, check_id: str) -> str | None:
        """The step a check belongs to."""
        return next((s.id for s in self.steps if check_id in s.check_ids), None)

    def codes_by_check(self) -> dict[str, tuple[str, ...]]:
        """Every check's codes (its own, common and staff ones): what the catalogs must word."""
        return {c.id: c.all_codes() for s in self.steps for c in s.checks}

    def stamp(self, result: CheckResult) -> CheckResult:
        """The result with its side filled in from the table."""
        spec = self.check(result.id)
        side = (
            spec.side_of(result.code, result.status, result.details)
            if spec is not None
            else ("" if result.status in (Status.PASS, Status.SKIP) else "unknown")
        )
        return result if side == result.side else result.with_(side=side)

    def stamp_step(self, result: StepResult) -> StepResult:
        """Every result of a step with its side filled in."""
        return StepResult(result.id, tuple(self.stamp(c) for c in result.checks))

    def with_check(self, step_id: str, spec: CheckSpec, *, after: str | None = None) -> Registry:
        """A registry with one more check in a step (at its end, or after `after`)."""
        steps = []
        for step in self.steps:
            if step.id == step_id:
                ids = list(step.check_ids)
                at = ids.index(after) + 1 if after in ids else len(ids)
                checks = (*step.checks[:at], spec, *step.checks[at:])
                step = replace(step, checks=checks)
            steps.append(step)
        return Registry(tuple(steps))

    def missing_words(self, langs: Collection[str] = LANGUAGES) -> list[str]:
        """What the catalogs lack to explain this registry's checks: "lang: key" entries.

        A check needs its name (`checks.<id>`), a summary for every code and a fix for every
        code that asks something of someone (not "ok", not "nothing to check").
        """
        quiet = {"ok", "not_configured", "not_provided"}
        missing = []
        for step in self.steps:
            for spec in step.checks:
                for lang in langs:
                    if not has(lang, f"checks.{spec.id}"):
                        missing.append(f"{lang}: checks.{spec.id}")
                    for code in spec.all_codes():
                        summary, fix = describe(spec.id, code, lang, {})
                        if not summary or summary.startswith("codes."):
                            missing.append(f"{lang}: codes.{spec.id}.{code}.summary")
                        if code not in quiet and (not fix or fix.startswith("codes.")):
                            missing.append(f"{lang}: codes.{spec.id}.{code}.fix")
        return missing

    def only(self, step_id: str, check_ids: Collection[str]) -> tuple[CheckSpec, ...]:
        """The checks of a step that are among `check_ids`, in order."""
        return tuple(c for c in self.step(step_id).checks if c.id in check_ids)


_NETWORK = "wizard.checks.network"

REGISTRY = Registry(
    steps=(
        StepSpec(
            "network",
            (
                CheckSpec(
                    "link",
                    f"{_NETWORK}:check_link",
                    {"ok": "", "no_network": "user"},
                    Status.FAIL,
                    "no_network",
                    staff="asked",
                ),
                CheckSpec(
                    "dns",
                    f"{_NETWORK}:check_dns",
                    {
                        "ok": "",
                        "dns_failure": "user",
                        "dns_timeout": "user",
                        "dns_private_answer": "user",
                    },
                    Status.FAIL,
                    "dns_timeout",
                    staff="asked",
                ),
                CheckSpec(
                    "captive_portal",
                    f"{_NETWORK}:check_captive_portal",
                    {"ok": "", "captive_portal": "user", "probe_unreachable": "user"},
                    Status.FAIL,
                    "probe_unreachable",
                    staff="asked",
                ),
                CheckSpec(
                    "proxy",
                    f"{_NETWORK}:check_proxy",
                    {"ok": "", "proxy_error": "user", "proxy_auth_required": "user"},
                    Status.FAIL,
                    "proxy_error",
                    staff="asked",
                ),
                CheckSpec(
                    "api",
                    f"{_NETWORK}:check_api",
                    {
                        "ok": "",
                        # The wallet's server refusing or dropping a connection looks the
                        # same as a network eating it: either side.
                        "slow": "unknown",
                        "dns_failure": "user",
                        "connection_refused": "unknown",
                        "connect_timeout": "unknown",
                        "read_timeout": "unknown",
                        "tls_untrusted": "user",
                        "tls_hostname_mismatch": "user",
                        "tls_expired": "user",
                        "tls_error": "user",
                        "connection_reset": "unknown",
                        "redirect_loop": "unknown",
                        # 5xx: the wallet's server said it failed.
                        "http_error": "wallet",
                        # The request's own route can show what the link/proxy checks show.
                        "proxy_error": "user",
                        "proxy_auth_required": "user",
                        "no_network": "user",
                    },
                    Status.FAIL,
                    "read_timeout",
                    # A reply that is not HTTP at all may come from anything in between.
                    side_overrides=((("http_error", "reason", "bad_http"), "unknown"),),
                ),
                CheckSpec(
                    "service_status",
                    "wizard.checks.service_status:check_service_status",
                    {
                        "ok": "",
                        "service_degraded": "wallet",
                        "service_maintenance": "wallet",
                        "service_outage": "wallet",
                        "status_unavailable": "unknown",
                        "bad_response": "unknown",
                    },
                    Status.UNKNOWN,
                    "status_unavailable",
                ),
            ),
        ),
        StepSpec(
            "app",
            (
                CheckSpec(
                    "app_version",
                    "wizard.checks.app_version:check_app_version",
                    {
                        "ok": "",
                        "update_available": "user",
                        "version_not_given": "user",
                        "update_required": "user",
                        "version_invalid": "user",
                        "manifest_unavailable": "unknown",
                        "bad_response": "unknown",
                        # No public version list for this phone's store: the person looks.
                        "store_only": "user",
                    },
                    Status.UNKNOWN,
                    "manifest_unavailable",
                ),
            ),
        ),
        StepSpec(
            "contact",
            (
                CheckSpec(
                    "phone",
                    "wizard.checks.contact:check_phone",
                    {
                        "ok": "",
                        "phone_invalid": "user",
                        "phone_not_a_number": "user",
                        "phone_invalid_country": "user",
                        "phone_too_short": "user",
                        "phone_too_long": "user",
                        "phone_wrong_length": "user",
                        "phone_not_mobile": "user",
                        "phone_has_extension": "user",
                    },
                    Status.UNKNOWN,
                    "internal_error",
                ),
                CheckSpec(
                    "email",
                    "wizard.checks.contact:check_email",
                    {
                        "ok": "",
                        "email_typo": "user",
                        "email_disposable": "user",
                        "email_unicode_local": "user",
                        "email_syntax": "user",
                        "email_undeliverable": "user",
                        "email_unverified": "unknown",
                    },
                    Status.UNKNOWN,
                    "email_unverified",
                ),
            ),
        ),
    )
)
