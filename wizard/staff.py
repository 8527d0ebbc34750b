"""Staff mode: the caller's network, asked on the phone instead of measured.

The caller's device is elsewhere, so the network step becomes a questionnaire. Answers turn
into the same check results (and codes) the live checks give, so the report, the message and
the diagnosis work unchanged. Questions and scripts live in the `staff` catalog.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wizard.checks import runner
from wizard.checks.context import Inputs
from wizard.checks.model import CheckResult, Report, Status, StepResult
from wizard.diagnosis import localize
from wizard.profile import Profile

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

# Network checks the questionnaire stands in for; `api` and `service_status` stay live.
ASKED_CHECKS = ("link", "dns", "captive_portal", "proxy")


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
    """Turn the caller's answers into link/dns/captive_portal/proxy results (not localized)."""
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


# The network step's checks that run from the staff machine as they do on the caller's.
LIVE_CHECKS = ("api", "service_status")
NETWORK_ORDER = ("link", "dns", "captive_portal", "proxy", *LIVE_CHECKS)
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


async def run_live_checks(
    profile: Profile,
    inputs: Inputs,
    *,
    lang: str,
    on_event: runner.EventHandler | None = None,
) -> StepResult:
    """Run only the network checks that work from the staff machine (api, service status)."""
    return await runner.run_step(
        "network", profile, inputs, lang=lang, on_event=on_event, only=LIVE_CHECKS
    )


def network_result(
    answers: Mapping[str, str], live: Iterable[CheckResult], lang: str
) -> StepResult:
    """The network step of a call: the caller's answers and the live checks, in fixed order."""
    by_id = {r.id: localize(r, lang) for r in results_from_answers(valid_answers(answers))}
    # Measured here, on the support desk's computer: say so, so neither the agent nor the
    # ticket reads them as facts about the caller's phone.
    by_id.update(
        {r.id: r.with_(details={**r.details, "source": DESK}) for r in live if r.id in LIVE_CHECKS}
    )
    return StepResult("network", tuple(by_id[c] for c in NETWORK_ORDER if c in by_id))


def caller_answers(report: Report) -> dict[str, str]:
    """The caller's answers recorded in a report (network checks with source=caller)."""
    step = report.step("network")
    for check in step.checks if step is not None else ():
        if check.details.get("source") == "caller":
            found = {
                k.removeprefix(ANSWER_PREFIX): v
                for k, v in check.details.items()
                if k.startswith(ANSWER_PREFIX) and isinstance(v, str)
            }
            return valid_answers(found)
    return {}


def readback(reference: str) -> str:
    """A reference spaced for reading aloud: `WU-7KQ2-9M4D` → `W U · 7 K Q 2 · 9 M 4 D`."""
    groups = [g for g in reference.strip().upper().split("-") if g]
    return " · ".join(" ".join(group) for group in groups)
