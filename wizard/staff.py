"""Staff mode: the caller's network, asked on the phone instead of measured.

The caller's device is elsewhere, so the network step becomes a questionnaire. Answers turn
into the same check results (and codes) the live checks give, so the report, the message and
the diagnosis work unchanged. Questions and scripts live in the `staff` catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.checks.model import CheckResult, Status

UNSURE = "unsure"


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


def _asked(check_id: str, status: Status, code: str, answers: dict[str, str]) -> CheckResult:
    return CheckResult(
        check_id,
        status,
        code,
        details={"source": "caller", **{f"answer_{k}": v for k, v in answers.items()}},
    )


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
        proxy = _asked("proxy", Status.FAIL, "proxy_error", {**a, "proxy": "VPN"})
    elif a["vpn"] == "no":
        proxy = _asked("proxy", Status.PASS, "ok", a)
    else:
        proxy = _asked("proxy", Status.UNKNOWN, "caller_unsure", a)
    return [link, dns, portal, proxy]
