"""The readable form of a report, for the terminal and for plain-text files (no Textual)."""

from __future__ import annotations

import unicodedata

from wizard.checks.model import Report, Status
from wizard.i18n import t
from wizard.text import one_line

_COLOURS = {
    Status.PASS: "32",
    Status.WARN: "33",
    Status.FAIL: "31",
    Status.UNKNOWN: "35",
    Status.SKIP: "2",
}


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal (CJK wide characters count twice)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal columns."""
    return text + " " * max(0, width - display_width(text))


def _paint(text: str, status: Status, colour: bool) -> str:
    return f"\x1b[{_COLOURS[status]}m{text}\x1b[0m" if colour else text


def render_report(report: Report, lang: str, *, colour: bool = False) -> str:
    """The report as lines: icon and word, check name, time, summary, and the fix below."""
    lines = [t(lang, "cli.title", wallet=report.profile), ""]
    names = [t(lang, f"checks.{c.id}") for c in report.all_checks()]
    name_w = max((display_width(n) for n in names), default=10) + 2
    word_w = max(display_width(t(lang, f"checks.status.{s.value}")) for s in Status) + 1
    for step in report.steps:
        word = t(lang, f"checks.status.{step.status.value}")
        heading = f"{t(lang, f'checks.steps.{step.id}')} — {word}"
        lines.append(_paint(heading, step.status, colour) if colour else heading)
        for check in step.checks:
            status_word = t(lang, f"checks.status.{check.status.value}")
            label = _paint(f"{check.status.icon} {pad(status_word, word_w)}", check.status, colour)
            name = pad(t(lang, f"checks.{check.id}"), name_w)
            took = f"{check.duration_ms:7.0f} ms" if check.status is not Status.SKIP else " " * 10
            lines.append(f"  {label} {name}{took}  {one_line(check.summary, max_len=500)}")
            if check.fix and check.status not in (Status.PASS, Status.SKIP):
                lines.append(f"      → {t(lang, 'cli.fix')} {one_line(check.fix, max_len=500)}")
        lines.append("")
    counts = {s: 0 for s in Status}
    for check in report.all_checks():
        counts[check.status] += 1
    overall = report.overall
    summary = t(
        lang,
        "cli.summary",
        failed=counts[Status.FAIL],
        warned=counts[Status.WARN],
        unknown=counts[Status.UNKNOWN],
        passed=counts[Status.PASS],
        skipped=counts[Status.SKIP],
        overall=f"{overall.icon} {t(lang, f'checks.status.{overall.value}')}",
        duration=f"{report.duration_ms / 1000:.1f}",
    )
    lines.append(_paint(summary, overall, colour))
    return "\n".join(lines)
