"""Staff mode: the caller's network, asked on the phone instead of measured.

The caller's device is elsewhere, so the network step's "asked" checks (registry role) become
a questionnaire. Answers turn into the same check results (and codes) the live checks give,
so the report, the message and the diagnosis work unchanged. Questions and scripts live in
the `staff` catalog; the live checks run from the agent's machine through the runner.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wizard.checks.model import CheckResult, Report, Status, StepResult
from wizard.checks.registry import REGISTRY, Registry

UNSURE = "unsure"
# `details.source` of a result: the caller's answer, or measured on the support desk's machine.
CALLER = "caller"
DESK = "desk"


@dataclass(frozen=True)
class Question:
    """One question to read aloud; `options` are answer ids (texts in the catalog)."""

    id: str
    options: tuple[str, ...]


QUESTIONS: tuple[Question, ...] = (
    Question("connection", ("wifi", "mobile", UNSURE)),
    Question("airplane", ("no", "yes", UNSURE)),
    Question("vpn", ("no", "yes", UNSURE)),
    Question("other_apps", ("yes", "no", UNSURE)),
    Question("web_page", ("loads", "signin", "nothing", UNSURE)),
)

# The step whose checks the questionnaire stands in for (its "asked" ones, in the registry).
STEP = "network"


def _asked(
    check_id: str,
    status: Status,
    code: str,
    answers: dict[str, str],
    extra: dict[str, str] | None = None,
) -> CheckResult:
    details = {"source": CALLER, **{f"answer_{k}": v for k, v in answers.items()}}
    return CheckResult(check_id, status, code, details={**details, **(extra or {})})


def results_from_answers(answers: dict[str, str]) -> list[CheckResult]:
    """Turn the caller's answers into the asked checks' results (codes, no words)."""
    a = {q.id: answers.get(q.id, UNSURE) for q in QUESTIONS}
    nothing_loads = a["web_page"] == "nothing" and a["other_apps"] == "no"

    if a["airplane"] == "yes":
        link = _asked("link", Status.FAIL, "no_network", a)
    elif nothing_loads:
        link = _asked("link", Status.UNKNOWN, "caller_unsure", a)
    elif a["other_apps"] == "yes" or a["web_page"] in ("loads", "signin"):
        link = _asked("link", Status.PASS, "ok", a)
    else:
        link = _asked("link", Status.UNKNOWN, "caller_unsure", a)

    # Name lookups cannot be told apart on the phone; only "other apps work" vouches for them.
    if a["other_apps"] == "yes":
        dns = _asked("dns", Status.PASS, "ok", a)
    else:
        dns = _asked("dns", Status.SKIP, "not_provided", a)

    if a["web_page"] == "signin":
        portal = _asked("captive_portal", Status.FAIL, "captive_portal", a)
    elif a["airplane"] != "yes" and nothing_loads:
        portal = _asked("captive_portal", Status.FAIL, "probe_unreachable", a)
    elif a["web_page"] == "loads":
        portal = _asked("captive_portal", Status.PASS, "ok", a)
    else:
        portal = _asked("captive_portal", Status.UNKNOWN, "caller_unsure", a)

    # A VPN on the phone is a known cause of refused account changes (risk control, TLS
    # interception), so the advice is to turn it off whatever else works.
    if a["vpn"] == "yes":
        # `proxy` fills the summary's {proxy}, as the live check's detail does.
        proxy = _asked("proxy", Status.FAIL, "proxy_error", a, {"proxy": "VPN"})
    elif a["vpn"] == "no":
        proxy = _asked("proxy", Status.PASS, "ok", a)
    else:
        proxy = _asked("proxy", Status.UNKNOWN, "caller_unsure", a)
    return [link, dns, portal, proxy]


ANSWER_PREFIX = "answer_"


def question(question_id: str) -> Question | None:
    """The question with this id, or None."""
    return next((q for q in QUESTIONS if q.id == question_id), None)


def valid_answers(answers: Mapping[str, str]) -> dict[str, str]:
    """Only known questions with one of their own options, in the questionnaire's order."""
    return {
        q.id: answers[q.id] for q in QUESTIONS if q.id in answers and answers[q.id] in q.options
    }


def all_answered(answers: Mapping[str, str]) -> bool:
    """Whether every question has an answer ("not sure" counts)."""
    return len(valid_answers(answers)) == len(QUESTIONS)


def network_result(
    answers: Mapping[str, str], live: Iterable[CheckResult], registry: Registry = REGISTRY
) -> StepResult:
    """The network step of a call: the caller's answers and the live checks, in fixed order."""
    step = registry.step(STEP)
    by_id = {r.id: r for r in results_from_answers(valid_answers(answers))}
    # Measured here, on the support desk's computer: say so, so neither the agent nor the
    # ticket reads them as facts about the caller's phone.
    live_ids = step.with_role("live")
    by_id.update(
        {r.id: r.with_(details={**r.details, "source": DESK}) for r in live if r.id in live_ids}
    )
    return registry.stamp_step(
        StepResult(STEP, tuple(by_id[c] for c in step.check_ids if c in by_id))
    )


def caller_answers(report: Report) -> dict[str, str]:
    """The caller's answers recorded in a report (network checks with source=caller)."""
    step = report.step("network")
    for check in step.checks if step is not None else ():
        if check.details.get("source") == CALLER:
            found = {
                k.removeprefix(ANSWER_PREFIX): v
                for k, v in check.details.items()
                if k.startswith(ANSWER_PREFIX) and isinstance(v, str)
            }
            return valid_answers(found)
    return {}
