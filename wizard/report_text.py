"""The readable form of a report, for the terminal and for plain-text files (no Textual).

Each check is one line: icon and word, check name, time, summary, and for a result that did
not pass, whose side it is on; its fix goes on the line below. On a terminal of known width
long lines wrap with a hanging indent under their own text; piped, every line stays whole, so
scripts can grep them.
"""

from __future__ import annotations

import unicodedata

from wizard.checks.model import CheckResult, Report, Status
from wizard.i18n import t
from wizard.text import one_line

_COLOURS = {
    Status.PASS: "32",
    Status.WARN: "33",
    Status.FAIL: "31",
    Status.UNKNOWN: "35",
    Status.SKIP: "2",
}
# Never at the start of a line (closing marks), never at its end (opening marks).
_NO_LINE_START = frozenset("，。、：；！？）」』】》〉”’,.;:!?)]}%…—")
_NO_LINE_END = frozenset("（「『【《〈“‘([{")
# Narrower than this, a hanging indent leaves no room for text: wrap flush left instead.
_MIN_TEXT_WIDTH = 24


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal (CJK wide characters count twice)."""
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal columns."""
    return text + " " * max(0, width - display_width(text))


def _paint(text: str, status: Status, colour: bool) -> str:
    return f"\x1b[{_COLOURS[status]}m{text}\x1b[0m" if colour else text


def _tokens(text: str) -> list[str]:
    """Pieces a line may break between: words, spaces, and each wide (CJK) character,
    with closing marks kept on the piece before them and opening marks on the piece after."""
    pieces: list[str] = []
    for ch in text:
        if pieces and (ch in _NO_LINE_START or pieces[-1][-1] in _NO_LINE_END):
            pieces[-1] += ch  # a mark stays with its neighbour
            continue
        after_break = not pieces or pieces[-1] == " " or _char_width(pieces[-1][-1]) == 2
        if ch == " " or _char_width(ch) == 2 or after_break:
            pieces.append(ch)
        else:
            pieces[-1] += ch
    return pieces


def wrap(text: str, width: int, indent: int) -> list[str]:
    """`text` (its first line already `indent` columns in) cut into lines of at most `width`
    columns; the lines after the first start with `indent` spaces (a hanging indent)."""
    room = width - indent
    if room < _MIN_TEXT_WIDTH:
        indent, room = 0, width
    lines: list[str] = []
    current = ""
    used = 0
    for piece in _tokens(text):
        size = display_width(piece)
        if piece == " " and not current:
            continue  # no line starts with a space
        if current and used + size > room and piece != " ":
            lines.append(current.rstrip())
            current, used = "", 0
        while size > room:  # one word longer than a line: cut it
            cut, cut_w = "", 0
            for ch in piece:
                if cut_w + _char_width(ch) > room - used:
                    break
                cut += ch
                cut_w += _char_width(ch)
            if not cut:
                break
            lines.append(current + cut)
            current, used = "", 0
            piece = piece[len(cut) :]
            size = display_width(piece)
        current += piece
        used += size
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return [lines[0]] + [" " * indent + line for line in lines[1:]]


def _emit(lines: list[str], prefix: str, text: str, width: int | None) -> None:
    """`prefix` + `text` as one line, or wrapped under the text when a width is known."""
    if width is None:
        lines.append(prefix + text)
        return
    indent = display_width(prefix)
    wrapped = wrap(text, width, indent)
    lines.append(prefix + wrapped[0])
    lines.extend(wrapped[1:])


def labelled(lang: str, label: str, value: str) -> str:
    """ "label: value", with the colon of the language (full-width in Chinese)."""
    return t(lang, "checks.format.labelled", label=label, value=value)


def side_words(lang: str, check: CheckResult) -> str:
    """Whose side a result that did not pass is on, in words ("" for pass and skip)."""
    side = check.side
    return t(lang, f"cli.side.{side}") if side else ""


def render_report(
    report: Report, lang: str, *, colour: bool = False, width: int | None = None
) -> str:
    """The report as lines: icon and word, check name, time, summary, and the fix below.

    `width`: the terminal's columns, to wrap long lines under their text; None keeps every
    line whole (for pipes and files).
    """
    report = report.explained(lang)
    lines = [t(lang, "cli.title", wallet=report.profile), ""]
    names = [t(lang, f"checks.{c.id}") for c in report.all_checks()]
    name_w = max((display_width(n) for n in names), default=10) + 2
    word_w = max(display_width(t(lang, f"checks.status.{s.value}")) for s in Status) + 1
    for step in report.steps:
        word = t(lang, f"checks.status.{step.status.value}")
        heading = f"{step.status.icon} " + labelled(lang, t(lang, f"checks.steps.{step.id}"), word)
        lines.append(_paint(heading, step.status, colour))
        for check in step.checks:
            status_word = t(lang, f"checks.status.{check.status.value}")
            label = f"{check.status.icon} {pad(status_word, word_w)}"
            name = pad(t(lang, f"checks.{check.id}"), name_w)
            took = f"{check.duration_ms:7.0f} ms" if check.status is not Status.SKIP else " " * 10
            prefix = f"  {label} {name}{took}  "
            summary = one_line(check.summary, max_len=500)
            side = side_words(lang, check)
            text = f"{summary}{t(lang, 'cli.side_sep')}{side}" if side else summary
            start = len(lines)
            _emit(lines, prefix, text, width)
            if colour:
                # Only the icon and word are coloured; the widths above are measured bare.
                lines[start] = lines[start].replace(label, _paint(label, check.status, True), 1)
            if check.fix and check.status not in (Status.PASS, Status.SKIP):
                # A wallet-side fix says what the person may do, not what to repair.
                fix_label = t(lang, "cli.next" if check.side == "wallet" else "cli.fix")
                fix = one_line(check.fix, max_len=500)
                _emit(lines, f"      → {labelled(lang, fix_label, '')}", fix, width)
        lines.append("")
    counts = {s: 0 for s in Status}
    for check in report.all_checks():
        counts[check.status] += 1
    parts = [
        t(lang, f"cli.counts.{status.value}", count=counts[status])
        for status in (Status.FAIL, Status.WARN, Status.UNKNOWN, Status.PASS, Status.SKIP)
    ]
    overall = report.overall
    body = t(
        lang,
        "cli.summary",
        counts=t(lang, "cli.list_sep").join(parts),
        overall=f"{overall.icon} {t(lang, f'checks.status.{overall.value}')}",
        duration=f"{report.duration_ms / 1000:.1f}",
    )
    summary_lines: list[str] = []
    _emit(summary_lines, labelled(lang, t(lang, "cli.summary_label"), ""), body, width)
    lines.extend(_paint(line, overall, colour) for line in summary_lines)
    return "\n".join(lines)
