"""Run a step's checks concurrently under one deadline and report them in a fixed order.

The runner owns what every check would otherwise repeat: the deadline (`timeout_s + 1`),
timing, crash isolation (`unknown`/`internal_error`), localization of summary and fix, and
closing the run's HTTP clients.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from wizard.checks.context import CheckContext, Inputs
from wizard.checks.model import CheckResult, Report, Status, StepResult
from wizard.diagnosis import localize
from wizard.profile import Profile
from wizard.text import one_line

CheckFunc = Callable[[CheckContext], Awaitable[CheckResult]]

STEP_IDS = ("network", "app", "contact")


@dataclass(frozen=True)
class CheckSpec:
    """One check of a step, and what it means when the step's deadline cuts it off."""

    id: str
    func: CheckFunc
    timeout_status: Status
    timeout_code: str


@dataclass(frozen=True)
class CheckStarted:
    """Event: a check began."""

    step_id: str
    check_id: str


@dataclass(frozen=True)
class CheckWaiting:
    """Event: a check is waiting for something (a host, a DNS answer)."""

    step_id: str
    check_id: str
    what: str


@dataclass(frozen=True)
class CheckFinished:
    """Event: a check has its result (already localized and timed)."""

    step_id: str
    result: CheckResult


Event = CheckStarted | CheckWaiting | CheckFinished
EventHandler = Callable[[Event], None]


def step_specs(step_id: str) -> list[CheckSpec]:
    """The checks of a step in the fixed order of CONTRACT §3."""
    if step_id == "network":
        from wizard.checks import network, service_status

        return [
            CheckSpec("link", network.check_link, Status.FAIL, "no_network"),
            CheckSpec("dns", network.check_dns, Status.FAIL, "dns_timeout"),
            CheckSpec(
                "captive_portal", network.check_captive_portal, Status.FAIL, "probe_unreachable"
            ),
            CheckSpec("proxy", network.check_proxy, Status.FAIL, "proxy_error"),
            CheckSpec("api", network.check_api, Status.FAIL, "read_timeout"),
            CheckSpec(
                "service_status",
                service_status.check_service_status,
                Status.UNKNOWN,
                "status_unavailable",
            ),
        ]
    if step_id == "app":
        from wizard.checks import app_version

        return [
            CheckSpec(
                "app_version",
                app_version.check_app_version,
                Status.UNKNOWN,
                "manifest_unavailable",
            )
        ]
    if step_id == "contact":
        from wizard.checks import contact

        return [
            CheckSpec("phone", contact.check_phone, Status.UNKNOWN, "internal_error"),
            CheckSpec("email", contact.check_email, Status.UNKNOWN, "email_unverified"),
        ]
    raise ValueError(f"unknown step {step_id!r}")


async def _run_one(
    spec: CheckSpec, ctx: CheckContext, step_id: str, emit: EventHandler
) -> CheckResult:
    emit(CheckStarted(step_id, spec.id))
    started = time.perf_counter()
    try:
        raw = await asyncio.wait_for(spec.func(ctx), timeout=ctx.remaining())
    except TimeoutError:
        raw = CheckResult(
            spec.id, spec.timeout_status, spec.timeout_code, details={"deadline_s": _deadline(ctx)}
        )
    except Exception as exc:
        raw = CheckResult(
            spec.id,
            Status.UNKNOWN,
            "internal_error",
            details={"error": one_line(f"{type(exc).__name__}: {exc}", max_len=200)},
        )
    elapsed_ms = (time.perf_counter() - started) * 1000
    result = localize(raw.with_(id=spec.id, duration_ms=elapsed_ms), ctx.lang)
    emit(CheckFinished(step_id, result))
    return result


def _deadline(ctx: CheckContext) -> float:
    return round(ctx.timeout_s + 1.0, 1)


async def run_step(
    step_id: str,
    profile: Profile,
    inputs: Inputs,
    *,
    lang: str,
    on_event: EventHandler | None = None,
    only: Collection[str] | None = None,
) -> StepResult:
    """Run every check of one step concurrently; never longer than `timeout_s + 1`.

    `only` keeps just the named checks (staff mode runs the network step's live ones).
    """
    emit: EventHandler = on_event or (lambda _e: None)
    ctx = CheckContext(
        profile,
        inputs,
        lang=lang,
        on_waiting=lambda check_id, what: emit(CheckWaiting(step_id, check_id, one_line(what))),
    )
    specs = [s for s in step_specs(step_id) if only is None or s.id in only]
    try:
        results = await asyncio.gather(*(_run_one(s, ctx, step_id, emit) for s in specs))
    finally:
        # Shielded so a cancelled run (Re-check) still releases every connection.
        await asyncio.shield(ctx.aclose())
    return StepResult(step_id, tuple(results))


async def run_report(
    profile: Profile,
    inputs: Inputs,
    *,
    lang: str,
    steps: tuple[str, ...] = STEP_IDS,
    on_event: EventHandler | None = None,
) -> Report:
    """Run the given steps concurrently and assemble the report in step order."""
    started_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    t0 = time.perf_counter()
    results = await asyncio.gather(
        *(run_step(s, profile, inputs, lang=lang, on_event=on_event) for s in steps)
    )
    return Report(
        profile=one_line(profile.wallet.name, max_len=100),
        started_at=started_at,
        duration_ms=(time.perf_counter() - t0) * 1000,
        steps=tuple(results),
        language=lang,
    )
