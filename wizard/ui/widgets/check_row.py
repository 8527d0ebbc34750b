"""CheckRow: one live check — spinner, then icon and word, elapsed time, summary and fix."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer

from wizard.checks.model import CheckResult, Status
from wizard.i18n import t
from wizard.ui.widgets.prose import Prose
from wizard.ui.widgets.spinner import Spinner

# A check still running after this long says what it is waiting for.
WAITING_AFTER_S = 3.0

_STATE_CLASSES = ("-pending", "-running", *(f"-{s.value}" for s in Status))


def format_elapsed(lang: str, ms: float) -> str:
    """Elapsed time as people read it: "12 ms" below a second, "1.2 s" above."""
    if ms < 1000:
        return t(lang, "ui.check.ms", ms=f"{ms:.0f}")
    return t(lang, "ui.check.seconds", s=f"{ms / 1000:.1f}")


class CheckRow(Vertical):
    """The state of one check; status is always an icon and a word, never colour alone."""

    def __init__(
        self,
        check_id: str,
        *,
        lang: str,
        show_timing: bool = True,
        waiting_after_s: float = WAITING_AFTER_S,
    ) -> None:
        super().__init__(id=f"check-{check_id}", classes="check-row -pending")
        self.check_id = check_id
        self.lang = lang
        self.show_timing = show_timing
        self.waiting_after_s = waiting_after_s
        self.result: CheckResult | None = None
        self.running = False
        self.waiting_for = ""
        self._waiting_shown = False
        self._timer: Timer | None = None
        self._composed = False

    def compose(self) -> ComposeResult:
        """Head line (spinner, status, name, elapsed), then summary and fix."""
        with Horizontal(classes="check-head"):
            yield Spinner(classes="check-spinner")
            yield Prose(classes="check-status")
            yield Prose(classes="check-name")
            yield Prose(classes="check-elapsed")
        yield Prose(classes="check-summary")
        yield Prose(classes="check-fix")

    def on_mount(self) -> None:
        """Draw the initial (pending or already known) state."""
        # Textual sets `is_mounted` only after every Mount handler ran: flag it ourselves.
        self._composed = True
        self._draw()

    @property
    def status(self) -> Status | None:
        """The finished status, or None while pending or running."""
        return None if self.result is None or self.running else self.result.status

    def start(self) -> None:
        """The check began: spin, and after a while say what it waits for."""
        self.running = True
        self.result = None
        self.waiting_for = ""
        self._waiting_shown = False
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.waiting_after_s, self._show_waiting)
        self._draw()

    def waiting(self, what: str) -> None:
        """Remember what the check is waiting for (shown once it has taken a while)."""
        self.waiting_for = what
        if self._waiting_shown:
            self._draw()

    def finish(self, result: CheckResult) -> None:
        """Show the result."""
        self.running = False
        self.result = result
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._draw()

    def localize(self, lang: str) -> None:
        """Re-read every text, the result's summary and fix included, in `lang`."""
        self.lang = lang
        self._draw()

    def _show_waiting(self) -> None:
        self._waiting_shown = True
        self._draw()

    def _state(self) -> str:
        if self.running:
            return "running"
        return "pending" if self.result is None else self.result.status.value

    def _draw(self) -> None:
        if not self._composed:
            return
        state = self._state()
        # One change of classes, and none when the state is the same (a language switch, a
        # "still waiting" line): each change restyles the row and all it holds.
        self.update_classes({name: name == f"-{state}" for name in _STATE_CLASSES})
        spinner = self.query_one(Spinner)
        spinner.display = self.running
        if not self.running:
            spinner.stop()
        lang = self.lang
        status, summary, fix, elapsed = "", "", "", ""
        if self.running:
            status = t(lang, "ui.check.running")
            if self._waiting_shown:
                summary = (
                    t(lang, "ui.check.waiting_for", what=self.waiting_for)
                    if self.waiting_for
                    else t(lang, "ui.check.still_running")
                )
        elif self.result is None:
            status = "· " + t(lang, "ui.check.pending")
        else:
            # The result holds codes; its words are read here, in the language shown now.
            result = self.result.explained(lang)
            status = f"{result.status.icon} {t(lang, f'checks.status.{result.status.value}')}"
            summary = result.summary
            if result.status not in (Status.PASS, Status.SKIP) and result.fix:
                fix = result.fix
            if result.details.get("source") == "caller":
                elapsed = t(lang, "staff.asked")  # answered on the phone, not measured
            elif self.show_timing and result.status is not Status.SKIP:
                elapsed = format_elapsed(lang, result.duration_ms)
            if result.details.get("source") == "desk":
                # Staff mode: measured on this computer, not the caller's phone.
                elapsed = " · ".join(p for p in (t(lang, "staff.measured_here"), elapsed) if p)
        self.query_one(".check-status", Prose).show(status)
        self.query_one(".check-name", Prose).show(t(lang, f"checks.{self.check_id}"))
        self.query_one(".check-elapsed", Prose).show(elapsed)
        summary_widget = self.query_one(".check-summary", Prose)
        summary_widget.show(summary)
        summary_widget.display = bool(summary)
        fix_widget = self.query_one(".check-fix", Prose)
        # The label and the fix apart (not a {placeholder}: t() caps parameters), the fix's
        # wrapped lines aligned under its first word.
        fix_widget.show_lines([(t(lang, "ui.check.fix_label"), fix)] if fix else [])
        fix_widget.display = bool(fix)
