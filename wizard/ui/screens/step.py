"""StepScreen: a step whose live checks run on open, with Re-check and the gating buttons.

The checks run in one exclusive worker per screen (a Re-check cancels the run before it);
the runner's events come back as messages tagged with their run, and anything from an
older run is dropped. Gating follows the step's worst result: Next leads when it passes,
the fix and Re-check lead when it fails, and "Continue anyway" is recorded in the session.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Button, Input

from wizard.checks import runner
from wizard.checks.model import CheckResult, Inputs, Status, StepResult
from wizard.gating import (
    GATES,
    THROUGH,
    Gate,
    first_at_desk,
    first_on_wallet_side,
    first_to_fix,
    first_warning,
    gate_of,
)
from wizard.i18n import t
from wizard.ui.messages import CheckFinished, CheckStarted, CheckWaiting, StepChecked
from wizard.ui.navigation import Navigate
from wizard.ui.screens.base import WizardScreen
from wizard.ui.services import Services
from wizard.ui.session import Session, without_timing
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption, Words
from wizard.ui.widgets.check_row import CheckRow

# Typing pauses this long before the live checks run (one run per pause, not per key).
DEBOUNCE_S = 0.4


class StepScreen(WizardScreen):
    """Steps 1–3: the checks of `STEP`, run as soon as the screen opens."""

    STEP: ClassVar[str] = "network"
    BINDINGS: ClassVar[list[BindingType]] = [
        # F5 is the key shown on every step; `r` works too where no field takes letters
        # (step 1), but showing it there would make the key differ from step to step.
        Binding("f5", "recheck", "ui.keys.recheck"),
        Binding("r", "recheck", "ui.keys.recheck", show=False),
        # Staff mode only (WizardScreen.check_action): function keys, which no field takes.
        Binding("f3", "press('back')", "ui.keys.back"),
        Binding("f4", "press('next')", "ui.keys.next"),
        Binding("f6", "press('continue-anyway')", "ui.keys.continue_anyway"),
    ]

    gate: reactive[Gate] = reactive("running", init=False)

    def __init__(self, session: Session, services: Services) -> None:
        super().__init__(session, services)
        self._run_id = 0
        self._debounce: Timer | None = None
        # What the current run was started for: its answers count only while that is
        # still what the fields hold (typing restarts the run only after a pause).
        self._run_inputs: Inputs | None = None

    @property
    def check_ids(self) -> list[str]:
        """The checks of this step, in the fixed order of the contract."""
        return list(self.services.registry.step(self.STEP).check_ids)

    def compose_body(self) -> ComposeResult:
        """Heading, the lead line (what to do now), inputs, the checks, and the buttons."""
        lang = self.lang
        with Vertical(id="step-head"):
            yield Caption(
                "ui.step.heading",
                lang=lang,
                classes="step-title",
                number=self.services.flow.number(self.STEP),
                total=self.services.flow.last_number,
                name=Words(f"checks.steps.{self.STEP}"),
            )
            yield Caption(self.intro_key(), lang=lang, classes="step-intro")
        yield Caption("ui.step.running", lang=lang, id="lead")
        with VerticalScroll(id="step-body"):
            yield from self.compose_inputs()
            with Vertical(id="checks"):
                for check_id in self.check_ids:
                    yield CheckRow(
                        check_id,
                        lang=lang,
                        show_timing=self.services.show_timing,
                        waiting_after_s=self.services.waiting_after_s,
                    )
            yield from self.compose_after_checks()
        with Horizontal(id="step-buttons", classes="buttons"):
            yield ActionButton("ui.buttons.back", lang=lang, id="back")
            yield ActionButton("ui.buttons.recheck", lang=lang, id="recheck")
            yield ActionButton("ui.buttons.continue_anyway", lang=lang, id="continue-anyway")
            yield ActionButton("ui.buttons.next", lang=lang, id="next", variant="primary")

    def intro_key(self) -> str:
        """The catalog key of the line under the heading."""
        return f"ui.{self.STEP}.intro"

    def compose_inputs(self) -> ComposeResult:
        """Inputs above the checks (steps 2 and 3)."""
        yield from ()

    def compose_after_checks(self) -> ComposeResult:
        """Extra content below the checks (step 2's download link)."""
        yield from ()

    def on_mount(self) -> None:
        """Run the checks; a step with inputs puts the cursor in its first field."""
        self._apply_gate("running")
        field = self.focus_field()
        if field is not None and field != self.AUTO_FOCUS:
            self.query_one(field).focus()
        self.start_checks()

    def focus_field(self) -> str | None:
        """The input the cursor starts in (steps 2 and 3); None: the buttons lead."""
        return None

    # -- running ------------------------------------------------------------------------

    def start_checks(self) -> None:
        """Run (or re-run) every check of the step; a run still going is cancelled."""
        self._run_id += 1
        self._run_inputs = self.session.inputs()
        self.gate = "running"
        self._run(self._run_id, self._run_inputs)

    def schedule_checks(self, delay: float = DEBOUNCE_S) -> None:
        """Run the checks after a pause in typing; until then the step is being checked.

        A choice made in a Select (no typing to wait for) runs them at once: a zero-second
        timer is not an option, Textual 8 divides by its interval and the step would wait on
        "Checking…" forever.
        """
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self.gate = "running"
        if delay <= 0:
            self.start_checks()
        else:
            self._debounce = self.set_timer(delay, self.start_checks)

    @work(exclusive=True, group="checks", exit_on_error=False)
    async def _run(self, run_id: int, inputs: Inputs) -> None:
        def on_event(event: runner.Event) -> None:
            """The runner's events become messages tagged with this run."""
            if isinstance(event, runner.CheckStarted):
                self.post_message(CheckStarted(run_id, event.check_id))
            elif isinstance(event, runner.CheckWaiting):
                self.post_message(CheckWaiting(run_id, event.check_id, event.what))
            else:
                self.post_message(CheckFinished(run_id, event.result))

        result = await self.run_checks(inputs, on_event)
        self.post_message(StepChecked(run_id, inputs, result))

    async def run_checks(self, inputs: Inputs, on_event: runner.EventHandler) -> StepResult:
        """Run the step's live checks (staff mode's step 1 runs only some of them)."""
        return await runner.run_step(
            self.STEP,
            self.services.profile,
            inputs,
            registry=self.services.registry,
            on_event=on_event,
        )

    def _row(self, check_id: str) -> CheckRow | None:
        rows = self.query(f"#check-{check_id}").results(CheckRow)
        return next(rows, None)

    def _current(self, run_id: int) -> bool:
        """Whether a message of run `run_id` still answers for what the fields hold: not
        from an older run, nor from this one once the person has typed something else."""
        return run_id == self._run_id and self._run_inputs == self.session.inputs()

    def on_check_started(self, message: CheckStarted) -> None:
        """A check of the current run began: spin."""
        if self._current(message.run_id) and (row := self._row(message.check_id)):
            row.start()

    def on_check_waiting(self, message: CheckWaiting) -> None:
        """A check of the current run waits for something: remember what."""
        if self._current(message.run_id) and (row := self._row(message.check_id)):
            row.waiting(message.what)

    def on_check_finished(self, message: CheckFinished) -> None:
        """A check of the current run is done: show it at once, before its siblings."""
        if self._current(message.run_id) and (row := self._row(message.result.id)):
            row.finish(self._prepared(message.result))

    def on_step_checked(self, message: StepChecked) -> None:
        """The whole step is done: record it, unless the inputs changed meanwhile."""
        if message.run_id != self._run_id or message.inputs != self.session.inputs():
            return
        result = StepResult(
            message.result.id, tuple(self._prepared(c) for c in message.result.checks)
        )
        self.session.record(result)
        self._show_result(result)

    def _prepared(self, result: CheckResult) -> CheckResult:
        """Measured times blanked when the wizard runs for screenshots (words are added
        where a result is shown, in the language of that moment)."""
        return result if self.services.show_timing else without_timing(result)

    def _show_result(self, result: StepResult) -> None:
        for check in result.checks:
            if row := self._row(check.id):
                row.finish(check)
        self.refresh_indicator()
        self.on_result(result)
        self.gate = self.gate_for(result)
        self._reveal_first_problem(result)

    def _reveal_first_problem(self, result: StepResult) -> None:
        """Scroll the first result that did not pass to the top of the view, with its fix.

        Only where nothing is being typed (step 1): on steps 2 and 3 the fields share the
        scroll area, and moving it would carry the field being typed in out of sight.
        """
        if self.focus_field() is not None:
            return
        problem = next((c for c in result.checks if c.status.rank > Status.PASS.rank), None)
        row = self._row(problem.id) if problem is not None else None
        if row is not None:
            # At the top of the view: the problems after it (and their fixes) follow below.
            # After two refreshes: the first lays out the rows' new texts, the lead line's
            # new height follows from the gate set just now; scrolling earlier can land on
            # a stale layout (seen under load).
            self.call_after_refresh(
                self.call_after_refresh, row.scroll_visible, top=True, animate=False
            )

    def gate_for(self, result: StepResult) -> Gate:
        """The gate a finished step shows (staff mode's step 1 weighs its sources)."""
        return gate_of(result)

    def on_result(self, result: StepResult) -> None:
        """A hook: the step's result is in (step 2 shows its download link)."""

    # -- gating -------------------------------------------------------------------------

    def watch_gate(self, gate: Gate) -> None:
        """Lead with what to do now; the right button is focused and primary."""
        self._apply_gate(gate)

    def _apply_gate(self, gate: Gate) -> None:
        # On the button bar, not the screen: a class change restyles the whole subtree, and
        # while typing in step 3 the gate flips on the first keystroke of every pause.
        bar = self.query_one("#step-buttons")
        bar.update_classes({f"-gate-{name}": gate == name for name in GATES})
        next_button = self.query_one("#next", ActionButton)
        recheck = self.query_one("#recheck", ActionButton)
        next_button.disabled = gate in ("running", "asking")
        self.refresh_bindings()
        recheck.variant = "primary" if gate == "fail" else "default"
        next_button.variant = "default" if gate == "fail" else "primary"
        self._update_lead()
        if self.focus_field() is not None and not isinstance(self.focused, Button):
            return  # the person is typing (or about to): never steal focus from a field
        if gate == "fail":
            recheck.focus()
        elif gate in THROUGH:
            next_button.focus()

    def _update_lead(self) -> None:
        lead = self.query_one("#lead", Caption)
        gate = self.gate
        failing = self._first_to_fix()
        wallet = self._first_on_wallet_side()
        if gate == "fail" and failing is not None:
            lead.set_key(
                "ui.step.failed",
                check=t(self.lang, f"checks.{failing.id}"),
                fix=failing.fix or failing.summary,
            )
        elif gate == "wallet" and wallet is not None:
            lead.set_key("ui.step.wallet_side", summary=wallet.summary)
        elif gate == "desk" and (desk := self._first_at_desk()) is not None:
            lead.set_key(
                "staff.lead_desk", check=t(self.lang, f"checks.{desk.id}"), summary=desk.summary
            )
        elif gate == "warn" and (warning := self._first_warning()) is not None:
            lead.set_key("ui.step.warned", summary=warning.summary)
        elif gate == "pass":
            lead.set_key(self.pass_lead_key())
        else:
            lead.set_key("ui.step.running")
        # One restyle, not three.
        lead.update_classes(
            {
                "-fail": gate == "fail",
                "-warn": gate in ("warn", "wallet", "desk"),
                "-pass": gate == "pass",
            }
        )

    def pass_lead_key(self) -> str:
        """What the lead line says when the step passes."""
        return "ui.step.passed"

    def _checks(self) -> tuple[CheckResult, ...]:
        """The step's latest results, in words of the current language."""
        result = self.session.results.get(self.STEP)
        return result.explained(self.lang).checks if result is not None else ()

    def _first_warning(self) -> CheckResult | None:
        """The first result that warns (or could not tell): what the warn lead names."""
        return first_warning(self._checks())

    def _first_to_fix(self) -> CheckResult | None:
        """The first failing result the person can do something about."""
        return first_to_fix(self._checks())

    def _first_at_desk(self) -> CheckResult | None:
        """Staff mode: the first failure measured on the support desk's own computer."""
        return first_at_desk(self._checks())

    def _first_on_wallet_side(self) -> CheckResult | None:
        """The first result that is the wallet's own problem (worst first)."""
        return first_on_wallet_side(self._checks())

    # -- actions ------------------------------------------------------------------------

    def action_recheck(self) -> None:
        """`r`: run the checks again (recorded: the message lists it as a fix tried)."""
        self.session.recheck(self.STEP)
        self.start_checks()

    @on(Button.Pressed, "#recheck")
    def _recheck_pressed(self) -> None:
        self.action_recheck()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.post_message(Navigate(self.services.flow.previous(self.STEP)))

    @on(Button.Pressed, "#next")
    def _next_pressed(self) -> None:
        self.post_message(Navigate(self.services.flow.following(self.STEP)))

    def enter_goes_on(self) -> bool:
        """Whether Enter in a field may leave the step (step 2: not with an empty version)."""
        return True

    @on(Input.Submitted)
    def _submitted(self) -> None:
        """Enter in a field: go on when the step is through, else run the checks now."""
        if not self.enter_goes_on():
            self.app.bell()
            return
        if self.gate in THROUGH:
            self.post_message(Navigate(self.services.flow.following(self.STEP)))
        elif self.gate == "fail":
            self.query_one("#recheck", Button).focus()
        else:
            self.start_checks()

    @on(Button.Pressed, "#continue-anyway")
    def _continue_pressed(self) -> None:
        self.session.continue_anyway(self.STEP)
        self.post_message(Navigate(self.services.flow.following(self.STEP)))

    def localize(self, lang: str) -> None:
        """Re-read every text, the lead line included, in `lang`."""
        super().localize(lang)
        self._update_lead()
