"""Run a step's checks concurrently under one deadline and report them in a fixed order.

The runner owns what every check would otherwise repeat: the deadline (`timeout_s + 1`),
timing, crash isolation (`unknown`/`internal_error`), each result's side (from the
registry), and closing the run's HTTP clients. It gives codes and details, never words:
whoever shows a result explains it in the reader's language.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Inputs, Report, Status, StepResult
from wizard.checks.registry import REGISTRY, CheckSpec, Registry
from wizard.profile import Profile
from wizard.text import one_line


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
    """Event: a check has its result (timed, its side stamped; no words yet)."""

    step_id: str
    result: CheckResult


Event = CheckStarted | CheckWaiting | CheckFinished
EventHandler = Callable[[Event], None]


async def _run_one(
    spec: CheckSpec, ctx: CheckContext, step_id: str, emit: EventHandler, registry: Registry
) -> CheckResult:
    emit(CheckStarted(step_id, spec.id))
    started = time.perf_counter()
    try:
        raw = await asyncio.wait_for(spec.func()(ctx), timeout=ctx.remaining())
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
    result = registry.stamp(raw.with_(id=spec.id, duration_ms=elapsed_ms))
    emit(CheckFinished(step_id, result))
    return result


def _deadline(ctx: CheckContext) -> float:
    return round(ctx.timeout_s + 1.0, 1)


async def run_step(
    step_id: str,
    profile: Profile,
    inputs: Inputs,
    *,
    registry: Registry = REGISTRY,
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
        on_waiting=lambda check_id, what: emit(CheckWaiting(step_id, check_id, one_line(what))),
    )
    step = registry.step(step_id)
    specs = step.checks if only is None else registry.only(step_id, only)
    try:
        results = await asyncio.gather(*(_run_one(s, ctx, step_id, emit, registry) for s in specs))
    finally:
        # Shielded so a cancelled run (Re-check) still releases every connection.
        await asyncio.shield(ctx.aclose())
    return StepResult(step_id, tuple(results))


async def run_report(
    profile: Profile,
    inputs: Inputs,
    *,
    registry: Registry = REGISTRY,
    steps: tuple[str, ...] | None = None,
    on_event: EventHandler | None = None,
) -> Report:
    """Run the given steps (all by default) concurrently; the report in step order."""
    started_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    t0 = time.perf_counter()
    results = await asyncio.gather(
        *(
            run_step(s, profile, inputs, registry=registry, on_event=on_event)
            for s in steps or registry.step_ids
        )
    )
    return Report(
        profile=one_line(profile.wallet.name, max_len=100),
        started_at=started_at,
        duration_ms=(time.perf_counter() - t0) * 1000,
        steps=tuple(results),
        language="",
    )
