"""Compose the support message from the evidence: subject, body and the CONTRACT §4 payload.

The body is plain text an agent reads in seconds, in the person's language. Everything in it
that came from a person, a server or an exception is sanitized, masked (codes, card numbers)
and stripped of home paths, login and host names and proxy credentials.
"""

from __future__ import annotations

import json
import math
import platform as _platform
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wizard import TOOL_NAME, __version__
from wizard.checks.model import CheckResult, Inputs, Report, Status, StepResult
from wizard.i18n import has, normalize_lang, t
from wizard.profile import Profile
from wizard.support.mask import mask_secrets, redact_private
from wizard.support.reference import is_reference, new_reference
from wizard.text import cut_middle, one_line, safe_text
from wizard.vocabulary import LANGUAGES, WHATS

ADDRESSEES = ("help_desk", "ticket_system")
OUTCOMES = ("done", "skipped")
NOTE_MAX = 2000
DETAIL_MAX = 300
SUMMARY_MAX = 160
DETAILS_LINE_MAX = 240
_LIST_MAX = 50


@dataclass(frozen=True)
class Message:
    """A composed support message; `payload()` is what the help desk receives."""

    reference: str
    idempotency_key: str
    created_at: str
    language: str
    what: str
    note: str
    subject: str
    body: str
    contact: Mapping[str, str]
    report: Report
    tried: tuple[tuple[str, str], ...] = ()
    unresolved: tuple[str, ...] = ()
    addressed_to: str = "help_desk"
    app_version: str = ""
    platform: str = ""

    def payload(self) -> dict[str, Any]:
        """The JSON body of CONTRACT §4 (keys may be added, never removed)."""
        return {
            "reference": self.reference,
            "subject": self.subject,
            "body": self.body,
            "language": self.language,
            "what": self.what,
            "contact": dict(self.contact),
            "report": self.report.to_json(),
            "created_at": self.created_at,
            "note": self.note,
            "app": {"version": self.app_version, "platform": self.platform},
            "tried": [{"item": item, "outcome": outcome} for item, outcome in self.tried],
            "unresolved": list(self.unresolved),
            "addressed_to": self.addressed_to,
        }

    def payload_json(self) -> str:
        """The payload as compact JSON text (the exact bytes stored and sent)."""
        return json.dumps(self.payload(), ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class _Scrubber:
    """Sanitize, mask and de-identify foreign strings, keeping the contact being updated."""

    phones: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()

    def text(self, value: object, *, max_len: int = DETAIL_MAX) -> str:
        clean = redact_private(safe_text(value), keep=self.texts)
        return cut_middle(mask_secrets(clean, keep=self.phones), max_len)

    def value(self, value: Any, depth: int = 0) -> Any:
        if value is None or isinstance(value, bool | int):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else None
        if depth > 4:
            return self.text(json.dumps(value, default=str, ensure_ascii=False))
        if isinstance(value, Mapping):
            items = list(value.items())[:_LIST_MAX]
            return {one_line(k, max_len=60): self.value(v, depth + 1) for k, v in items}
        if isinstance(value, list | tuple):
            return [self.value(v, depth + 1) for v in list(value)[:_LIST_MAX]]
        return self.text(value)

    def check(self, result: CheckResult) -> CheckResult:
        details = self.value(dict(result.details))
        return result.with_(
            summary=one_line(self.text(result.summary), max_len=500),
            fix=one_line(self.text(result.fix), max_len=500),
            details=details if isinstance(details, dict) else {},
        )

    def report(self, report: Report) -> Report:
        steps = tuple(
            StepResult(one_line(s.id, max_len=40), tuple(self.check(c) for c in s.checks))
            for s in report.steps
        )
        return Report(
            profile=one_line(self.text(report.profile), max_len=100),
            started_at=one_line(report.started_at, max_len=40),
            duration_ms=report.duration_ms if math.isfinite(report.duration_ms) else 0.0,
            steps=steps,
            language=report.language,
        )


def _utc_stamp(now: datetime | None) -> str:
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _phone_e164(report: Report, inputs: Inputs, profile: Profile) -> str:
    """The phone being set: E.164 from the phone check, else parsed here, else as typed."""
    raw = one_line(inputs.phone or "", max_len=40)
    contact = report.step("contact")
    result = contact.check("phone") if contact is not None else None
    if result is not None and isinstance(result.details.get("e164"), str):
        e164 = one_line(result.details["e164"], max_len=40)
        if e164.startswith("+") and e164[1:].isdigit():
            return e164
    if not raw:
        return ""
    try:
        import phonenumbers

        region = inputs.region or profile.wallet.default_region
        number = phonenumbers.parse(raw, region)
        if phonenumbers.is_possible_number(number):
            return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    except Exception:
        pass
    return raw


def _email(report: Report, inputs: Inputs) -> str:
    """The email being set: as the email check normalized it, else as typed."""
    typed = one_line(inputs.email or "", max_len=254)
    contact = report.step("contact")
    result = contact.check("email") if contact is not None else None
    if typed and result is not None and isinstance(result.details.get("normalized"), str):
        return one_line(result.details["normalized"], max_len=254)
    return typed


def _version_not_given(lang: str, report: Report) -> str:
    """ "not given", with the latest and minimum versions when the manifest told them."""
    step = report.step("app")
    result = step.check("app_version") if step is not None else None
    details = result.details if result is not None else {}
    latest = details.get("latest")
    minimum = details.get("minimum")
    if isinstance(latest, str) and latest and isinstance(minimum, str) and minimum:
        return t(lang, "message.field.app_not_given", latest=latest, minimum=minimum)
    if isinstance(latest, str) and latest:
        return t(lang, "message.field.app_not_given_latest", latest=latest)
    return t(lang, "message.field.not_given")


def _check_label(lang: str, check_id: str) -> str:
    key = f"checks.{check_id}"
    return t(lang, key) if has(lang, key) or has("en", key) else check_id


def _details_line(details: Mapping[str, Any]) -> str:
    parts = []
    for key, value in details.items():
        if value in (None, "", [], {}):
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}={cut_middle(one_line(text, max_len=500), 80)}")
    return cut_middle("; ".join(parts), DETAILS_LINE_MAX)


def _measured_by_agent(step_id: str, result: CheckResult) -> bool:
    """In a staff ticket: a network fact measured on the agent's machine, not the caller's."""
    return step_id == "network" and result.details.get("source") != "caller"


def _check_lines(lang: str, report: Report, *, staff: bool = False) -> list[str]:
    lines: list[str] = []
    for step in report.steps:
        for c in step.checks:
            word = t(lang, f"message.status.{c.status.value}")
            summary = cut_middle(one_line(c.summary, max_len=500), SUMMARY_MAX)
            if staff and c.status is not Status.SKIP and _measured_by_agent(step.id, c):
                where = t(lang, "message.field.agent_measured")
                summary = f"{summary}{t(lang, 'message.format.aside_sep')}{where}"
            head = f"  {c.status.icon} {word}  {step.id}/{c.id} [{c.code}]"
            lines.append(f"{head}  {summary}" if summary else head)
            if c.status not in (Status.PASS, Status.SKIP):
                shown = dict(c.details)
                if shown.get("source") == "caller":
                    # The answers have their own section; here they would only be cut short.
                    shown = {k: v for k, v in shown.items() if not k.startswith("answer_")}
                details = _details_line(shown)
                if details:
                    lines.append(f"      {details}")
    return lines


def _answer_lines(lang: str, report: Report) -> list[str]:
    """The caller's answers (staff mode), question by question, in the message's language."""
    from wizard.checks.caller import caller_answers

    answers = caller_answers(report)
    if not answers:
        return []
    sep = t(lang, "message.format.sep")
    lines = [f"{t(lang, 'message.field.caller_answers')}{sep.rstrip()}"]
    for question_id, option in answers.items():
        asked = t(lang, f"staff.{question_id}.question")
        answer = t(lang, f"staff.options.{option}")
        lines.append(f"  {t(lang, 'message.format.answer', question=asked, answer=answer)}")
    return lines


def _normalize_tried(tried: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for record in tried:
        try:
            item, outcome = record
        except (TypeError, ValueError):
            continue
        item_text = one_line(item, max_len=80)
        if item_text:
            out.append((item_text, outcome if outcome in OUTCOMES else "done"))
    return tuple(out)


def overall_words(lang: str, report: Report) -> str:
    """The overall verdict in words; a pass says how many checks were not run."""
    checks = report.all_checks()
    skipped = sum(1 for c in checks if c.status is Status.SKIP)
    if skipped == len(checks):
        return t(lang, "message.overall.skip")
    if report.overall is Status.PASS and skipped:
        return t(lang, "message.overall.pass_some_skipped", count=skipped)
    return t(lang, f"message.overall.{report.overall.value}")


def _body(
    lang: str,
    *,
    intro: str,
    fields: list[tuple[str, str]],
    note: str,
    report: Report,
    tried: tuple[tuple[str, str], ...],
    unresolved: tuple[str, ...],
    staff: bool = False,
) -> str:
    lines = [intro, ""]
    sep = t(lang, "message.format.sep")
    lines += [f"{t(lang, f'message.field.{key}')}{sep}{value}" for key, value in fields]
    lines += ["", f"{t(lang, 'message.field.note')}{sep.rstrip()}"]
    # An invitation, not "(none)": it still reads right once a note is typed below it.
    note_lines = note.splitlines() if note.strip() else [t(lang, "message.field.no_note")]
    lines += [f"  {line}" for line in note_lines]
    answer_lines = _answer_lines(lang, report)
    if answer_lines:
        lines += ["", *answer_lines]
    lines += ["", t(lang, "message.field.checks", overall=overall_words(lang, report))]
    check_lines = _check_lines(lang, report, staff=staff)
    lines += check_lines or [f"  {t(lang, 'message.field.no_checks')}"]
    done = [item for item, outcome in tried if outcome == "done"]
    skipped = [item for item, outcome in tried if outcome == "skipped"]
    if done or skipped:
        lines.append("")
    if done:
        lines.append(f"{t(lang, 'message.field.tried')}{sep}{', '.join(done)}")
    if skipped:
        lines.append(f"{t(lang, 'message.field.skipped')}{sep}{', '.join(skipped)}")
    if unresolved:
        labels = ", ".join(f"{_check_label(lang, u)} ({u})" for u in unresolved)
        lines += ["", f"{t(lang, 'message.field.unresolved')}{sep}{labels}"]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def compose(
    report: Report,
    *,
    profile: Profile,
    inputs: Inputs,
    lang: str,
    what: str,
    note: str = "",
    tried: Iterable[tuple[str, str]] = (),
    addressed_to: str = "help_desk",
    reference: str | None = None,
    now: datetime | None = None,
    read_back: bool = False,
) -> Message:
    """The support message for `report`, in `lang`; bad values fall back, never raise.

    `addressed_to="ticket_system"` (staff mode) labels the tool line and the live network
    checks as the support agent's machine's; `read_back=True` adds that the reference was
    read back to the caller (say so only once it was).
    """
    lang = normalize_lang(lang) or "en"
    lang = lang if lang in LANGUAGES else "en"
    what = what if what in WHATS else "other"
    addressed_to = addressed_to if addressed_to in ADDRESSEES else "help_desk"
    reference = reference if reference is not None and is_reference(reference) else new_reference()
    phone = _phone_e164(report, inputs, profile)
    email = _email(report, inputs)
    scrub = _Scrubber(
        phones=tuple(p for p in (phone, inputs.phone or "") if p),
        texts=tuple(e for e in (email,) if e),
    )
    # Words at the edge: the evidence is explained here, in the message's language.
    clean_report = scrub.report(report.explained(lang))
    clean_note = scrub.text(note, max_len=NOTE_MAX).strip()
    records = _normalize_tried(tried)
    unresolved = tuple(c.id for c in clean_report.all_checks() if c.status is Status.FAIL)
    wallet = one_line(scrub.text(profile.wallet.name), max_len=100)
    what_label = t(lang, f"message.what.{what}")
    created_at = _utc_stamp(now)
    app_version = one_line(inputs.app_version or "", max_len=40)
    app_platform = one_line(inputs.platform or "", max_len=20)
    staff = addressed_to == "ticket_system"
    not_given = t(lang, "message.field.not_given")
    app_unknown = _version_not_given(lang, clean_report)
    fields = [
        ("reference", reference),
        ("time", created_at.replace("T", " ")),
        ("what", what_label),
        ("wallet", wallet),
        ("app", " · ".join(p for p in (app_version or app_unknown, app_platform) if p)),
        ("phone", phone or not_given),
        ("email", email or not_given),
        (
            "tool_staff" if staff else "tool",
            f"{TOOL_NAME} {__version__} · {_platform.system()} {_platform.machine()}",
        ),
    ]
    subject = t(
        lang, "message.subject.default", reference=reference, what=what_label, wallet=wallet
    )
    if unresolved:
        subject += t(lang, "message.subject.failing", count=len(unresolved))
    intro = t(lang, f"message.intro.{addressed_to}", what=what_label, wallet=wallet)
    if staff and read_back:
        intro = (
            f"{intro}{t(lang, 'message.format.sentence_sep')}{t(lang, 'message.field.read_back')}"
        )
    body = _body(
        lang,
        intro=intro,
        fields=fields,
        note=clean_note,
        report=clean_report,
        tried=records,
        unresolved=unresolved,
        staff=staff,
    )
    return Message(
        reference=reference,
        idempotency_key=str(uuid.uuid4()),
        created_at=created_at,
        language=lang,
        what=what,
        note=clean_note,
        subject=one_line(subject, max_len=200),
        body=body,
        contact={"phone": phone, "email": email},
        report=clean_report,
        tried=records,
        unresolved=unresolved,
        addressed_to=addressed_to,
        app_version=app_version,
        platform=app_platform,
    )
