"""How results, leads and references read as lines: pure functions of results and a language.

A result is one line, the status word first ("Failed: Wi-Fi sign-in page. …"), and the fix
on the next line; the lead says what the step asks of the person now, named by the same
gating rules as the full-screen wizard (wizard.gating).
"""

from __future__ import annotations

from collections.abc import Sequence

from wizard.checks.caller import CALLER
from wizard.checks.model import CheckResult, Status
from wizard.gating import (
    Gate,
    first_at_desk,
    first_on_wallet_side,
    first_to_fix,
    first_warning,
    measured_at_desk,
    shown_status,
)
from wizard.i18n import t
from wizard.profile import SupportSection
from wizard.support.reference import readback
from wizard.ui.session import Session
from wizard.vocabulary import Mode


def status_word(status: Status, lang: str) -> str:
    """The word a result line starts with ("Passed", "未通过")."""
    return t(lang, f"plain.status.{status.value}")


def result_line(check: CheckResult, lang: str) -> str:
    """One result as one line: status word, the check's name (and where it was measured,
    in staff mode), its summary. `check` must already be explained in `lang`."""
    name = t(lang, f"checks.{check.id}")
    word = status_word(check.status, lang)
    source = ""
    if measured_at_desk(check):
        source = t(lang, "staff.measured_here")
    elif check.details.get("source") == CALLER:
        source = t(lang, "staff.asked")
    if source:
        return t(
            lang,
            "plain.result.line_source",
            status=word,
            check=name,
            source=source,
            summary=check.summary,
        )
    return t(lang, "plain.result.line", status=word, check=name, summary=check.summary)


def fix_line(check: CheckResult, lang: str) -> str:
    """The line under a result that did not pass: what to do ("" when there is nothing)."""
    if check.status in (Status.PASS, Status.SKIP) or not check.fix:
        return ""
    return t(lang, "plain.result.fix", fix=check.fix)


def lead_line(gate: Gate, checks: Sequence[CheckResult], lang: str, *, nothing_given: bool) -> str:
    """What the step asks of the person now; `checks` explained in `lang`.

    `nothing_given`: step 3 with neither a phone number nor an email (nothing was checked).
    """
    if gate == "fail" and (failing := first_to_fix(checks)) is not None:
        name = t(lang, f"checks.{failing.id}")
        return t(lang, "plain.lead.failed", check=name, fix=failing.fix or failing.summary)
    if gate == "wallet" and (wallet := first_on_wallet_side(checks)) is not None:
        return t(lang, "plain.lead.wallet_side", summary=wallet.summary)
    if gate == "desk" and (desk := first_at_desk(checks)) is not None:
        name = t(lang, f"checks.{desk.id}")
        return t(lang, "plain.lead.desk", check=name, summary=desk.summary)
    if gate == "warn" and (warning := first_warning(checks)) is not None:
        return t(lang, "plain.lead.warned", summary=warning.summary)
    if nothing_given:
        return t(lang, "plain.lead.enter_details")
    return t(lang, "plain.lead.passed")


def step_summary(session: Session, lang: str) -> str:
    """One line: each checked step and how it went, in words (no symbols)."""
    colon = t(lang, "ui.colon")
    parts = []
    for step in session.step_ids:
        name = t(lang, f"checks.steps.{step}")
        result = session.results.get(step)
        if result is None:
            word = t(lang, "ui.support.not_checked")
        else:
            word = status_word(shown_status(result), lang)
        parts.append(f"{name}{colon}{word}")
    return t(lang, "plain.support.summary", steps=t(lang, "plain.support.summary_sep").join(parts))


def spelled(reference: str, lang: str) -> str:
    """The reference spelled for reading aloud: "W U, 7 K Q 2, 9 M 4 D"."""
    return readback(reference, t(lang, "plain.support.readback_sep"))


def spoken_reference(reference: str, support: SupportSection, lang: str, mode: Mode) -> list[str]:
    """The reference, spelled; to a caller (staff mode) to read back, else with the support
    phone (and hours) or email, as the full-screen wizard shows it."""
    if mode == "staff":
        return t(lang, "staff.reference_readback", reference=spelled(reference, lang)).split("\n")
    lines = [
        t(lang, "plain.support.reference", reference=reference, spelled=spelled(reference, lang))
    ]
    if support.phone:
        key = "ui.support.phone_hours" if support.hours else "ui.support.phone"
        lines.append(t(lang, key, phone=support.phone, hours=support.hours))
    elif support.email:
        lines.append(t(lang, "ui.support.email", email=support.email))
    return lines
