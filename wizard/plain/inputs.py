"""What steps 2 and 3 (and staff mode's step 1) ask before their checks run.

The answers are judged by the wizard's own functions, so a wrong one is explained in the
same words the full screen shows as it is typed: `parse_app_version` for the version,
`validate_phone` and `validate_email_syntax` for the contact details, with the same "Did you
mean …?" suggestion. A number or address that still fails is taken when typed a second time:
the person may know better, and the step's checks (and its gating) then say what it means.
"""

from __future__ import annotations

from typing import Any

import phonenumbers

from wizard.checks.app_version import parse_app_version
from wizard.checks.caller import QUESTIONS, UNSURE
from wizard.checks.contact import phone_preview, validate_email_syntax, validate_phone
from wizard.checks.model import CheckResult, Status
from wizard.diagnosis import VERSION_WHERE_KEY, describe, region_name
from wizard.i18n import t
from wizard.plain.ask import Asker, Option
from wizard.plain.lines import fix_line, result_line
from wizard.ui.session import Session
from wizard.vocabulary import PLATFORMS


def _say_verdict(
    asker: Asker, check_id: str, status: Status, code: str, details: dict[str, Any]
) -> None:
    """A verdict on an answer, as a result line (and its fix), in the words of the checks."""
    lang = asker.lang
    summary, fix = describe(check_id, code, lang, details)
    check = CheckResult(check_id, status, code, summary=summary, fix=fix)
    asker.terminal.say(result_line(check, lang))
    if line := fix_line(check, lang):
        asker.terminal.say(line)


def _step_help(lang: str, step: str, key: str) -> str:
    """`?`: why the step matters, then what this question is for."""
    return f"{t(lang, f'ui.help.{step}')}\n{t(lang, f'plain.help.{key}')}"


async def ask_app(asker: Asker, session: Session) -> None:
    """Phone system, then the app's version (left out: the check names the versions to have)."""
    lang = asker.lang
    options = [Option(p, t(lang, f"ui.platform.{p}")) for p in PLATFORMS]
    current = PLATFORMS.index(session.platform) + 1 if session.platform in PLATFORMS else 1
    session.platform = await asker.choice(
        [t(lang, "plain.app.platform")],
        options,
        default=current,
        help_text=_step_help(lang, "app", "platform"),
    )
    question = [t(lang, "plain.app.version", where=t(lang, VERSION_WHERE_KEY))]
    keep = session.app_version
    while True:
        answer = await asker.text(question, help_text=_step_help(lang, "app", "version"), keep=keep)
        if not answer or parse_app_version(answer) is not None:
            session.app_version = answer
            return
        _say_verdict(asker, "app_version", Status.FAIL, "version_invalid", {"current": answer})
        asker.terminal.say(t(lang, "plain.wrong.version"))
        keep = ""


async def ask_contact(asker: Asker, session: Session) -> None:
    """The phone number and the email, the one that failed to update first."""
    if session.what == "email":
        await _ask_email(asker, session)
        await _ask_phone(asker, session)
    else:
        await _ask_phone(asker, session)
        await _ask_email(asker, session)


async def _ask_phone(asker: Asker, session: Session) -> None:
    lang = asker.lang
    region = session.region if session.region in phonenumbers.SUPPORTED_REGIONS else "CN"
    session.region = region
    code = phonenumbers.country_code_for_region(region)
    where = f"{region_name(lang, region, code)} (+{code})"
    question = [t(lang, "plain.contact.phone", region=where)]
    keep = session.phone
    refused = ""
    while True:
        answer = await asker.text(
            question, help_text=_step_help(lang, "contact", "phone"), keep=keep
        )
        if not answer or answer == keep:
            session.phone = answer
            return
        verdict = validate_phone(answer, region)
        if verdict.status is Status.FAIL and answer != refused:
            _say_verdict(asker, "phone", verdict.status, verdict.code, dict(verdict.details))
            asker.terminal.say(t(lang, "plain.wrong.keep"))
            refused, keep = answer, ""
            continue
        session.phone = answer
        if verdict.status is Status.PASS:
            preview = phone_preview(answer, region) or answer
            asker.terminal.say(t(lang, "ui.contact.preview", preview=preview, e164=verdict.e164))
        elif verdict.status is Status.WARN:
            _say_verdict(asker, "phone", verdict.status, verdict.code, dict(verdict.details))
        return


async def _ask_email(asker: Asker, session: Session) -> None:
    lang = asker.lang
    question = [t(lang, "plain.contact.email")]
    keep = session.email
    refused = ""
    while True:
        answer = await asker.text(
            question, help_text=_step_help(lang, "contact", "email"), keep=keep
        )
        if not answer or answer == keep:
            session.email = answer
            return
        verdict = validate_email_syntax(answer)
        if verdict.code == "email_typo" and verdict.suggestion:
            session.email = await _suggestion(asker, answer, verdict.suggestion)
            return
        if verdict.status is Status.FAIL and answer != refused:
            _say_verdict(asker, "email", verdict.status, verdict.code, dict(verdict.details))
            asker.terminal.say(t(lang, "plain.wrong.keep"))
            refused, keep = answer, ""
            continue
        session.email = answer
        if verdict.status is Status.WARN:
            _say_verdict(asker, "email", verdict.status, verdict.code, dict(verdict.details))
        return


async def _suggestion(asker: Asker, typed: str, suggestion: str) -> str:
    """ "Did you mean …?": the suggested address (the default) or the one typed."""
    lang = asker.lang
    options = [
        Option(suggestion, t(lang, "plain.contact.use_suggestion", suggestion=suggestion)),
        Option(typed, t(lang, "plain.contact.keep_typed", typed=typed)),
    ]
    return await asker.choice(
        [t(lang, "plain.contact.suggestion", suggestion=suggestion)],
        options,
        default=1,
        help_text=_step_help(lang, "contact", "suggestion"),
    )


async def ask_caller(asker: Asker, session: Session) -> None:
    """Staff mode's step 1: each question with its script to read aloud, answers numbered.

    The default is the answer given before (Back), else "Not sure": an answer the agent did
    not get is recorded as not known, never as a fact about the caller's phone.
    """
    total = len(QUESTIONS)
    for number, question in enumerate(QUESTIONS, start=1):
        lang = asker.lang
        options = [Option(o, t(lang, f"staff.options.{o}")) for o in question.options]
        given = session.answers.get(question.id, UNSURE)
        default = question.options.index(given) + 1 if given in question.options else None
        text = t(lang, f"staff.{question.id}.question")
        session.answers[question.id] = await asker.choice(
            [
                t(lang, "plain.staff.question", number=number, total=total, question=text),
                t(lang, "plain.staff.script", script=t(lang, f"staff.{question.id}.script")),
            ],
            options,
            default=default,
            help_text=_step_help(lang, "network", "staff"),
        )
