"""Step 1 in staff mode: the caller's phone is elsewhere, so its network is asked, not measured.

Five questions, each with a script to read aloud in the caller's language (F2 switches it);
number keys pick the answers. The answers become the link / DNS / sign-in page / proxy
results (`wizard.checks.caller`), with the same codes the live checks give; the wallet's servers and
its status page are checked live from here, as on any other machine.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from wizard.checks import runner
from wizard.checks.caller import (
    QUESTIONS,
    Question,
    all_answered,
    network_result,
    results_from_answers,
)
from wizard.checks.model import CheckResult, Inputs, StepResult
from wizard.ui.messages import StepChecked
from wizard.ui.screens.network import NetworkScreen
from wizard.ui.services import Services
from wizard.ui.session import Session
from wizard.ui.widgets.caption import Caption
from wizard.ui.widgets.question_card import QuestionCard, QuestionChoices


class StaffNetworkScreen(NetworkScreen):
    """The questionnaire above the check rows; the step is through once every answer is in."""

    help_topic: ClassVar[str] = "network"
    # Priority: the answer is taken (and the next question focused) the moment the key
    # arrives, so keys typed quickly one after another land on successive questions.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "answer(1)", "ui.keys.answer", key_display="1-4", priority=True),
        Binding("2", "answer(2)", "ui.keys.answer", show=False, priority=True),
        Binding("3", "answer(3)", "ui.keys.answer", show=False, priority=True),
        Binding("4", "answer(4)", "ui.keys.answer", show=False, priority=True),
    ]

    def __init__(self, session: Session, services: Services) -> None:
        super().__init__(session, services)
        # The live checks of the latest run (api, service status); None while they run.
        self._live: tuple[CheckResult, ...] | None = None

    def intro_key(self) -> str:
        """Say why the questions: the caller's phone is not here."""
        return "staff.intro"

    def compose_inputs(self) -> ComposeResult:
        """One card a question, answers already given kept (Back from step 2)."""
        with Vertical(id="questions"):
            for question in QUESTIONS:
                yield QuestionCard(
                    question, lang=self.lang, answer=self.session.answers.get(question.id)
                )

    def on_mount(self) -> None:
        """Show what earlier answers already say (StepScreen.on_mount then runs the checks:
        Textual calls every class's handler, subclass first)."""
        self._draw_asked()

    def focus_field(self) -> str | None:
        """The first question still without an answer; None once all are answered."""
        question = self._next_unanswered()
        return f"#choices-{question.id}" if question is not None else None

    def _next_unanswered(self, after: str | None = None) -> Question | None:
        """The next question without an answer after `after`, wrapping round."""
        start = next((i + 1 for i, q in enumerate(QUESTIONS) if q.id == after), 0)
        ordered = QUESTIONS[start:] + QUESTIONS[:start]
        return next((q for q in ordered if q.id not in self.session.answers), None)

    # -- running ------------------------------------------------------------------------

    def start_checks(self) -> None:
        """Run the live checks again; the answers stand."""
        self._live = None
        super().start_checks()
        if not all_answered(self.session.answers):
            self.gate = "asking"

    async def run_checks(self, inputs: Inputs, on_event: runner.EventHandler) -> StepResult:
        """Only the checks that work from here: the wallet's servers and its status page."""
        registry = self.services.registry
        return await runner.run_step(
            self.STEP,
            self.services.profile,
            inputs,
            registry=registry,
            on_event=on_event,
            only=registry.step(self.STEP).with_role("live"),
        )

    def on_step_checked(self, message: StepChecked) -> None:
        """The live checks are done: combine them with the answers."""
        message.prevent_default()  # StepScreen's handler would record the live part alone
        if message.run_id != self._run_id or message.inputs != self.session.inputs():
            return
        self._live = tuple(self._prepared(c) for c in message.result.checks)
        self._combine()

    def _combine(self) -> None:
        """Once every answer and the live checks are in, the step has its result."""
        if not all_answered(self.session.answers):
            self.gate = "asking"
            return
        if self._live is None:
            self.gate = "running"
            return
        result = network_result(self.session.answers, self._live, self.services.registry)
        self.session.record(result)
        self._show_result(result)

    def _draw_asked(self) -> None:
        """The answered checks' rows, once every question has an answer."""
        if not all_answered(self.session.answers):
            return
        for result in results_from_answers(self.session.answers):
            if row := self._row(result.id):
                row.finish(self.services.registry.stamp(result))

    # -- answers ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The number keys answer the question being asked (the one focused)."""
        if action == "answer":
            return isinstance(self.focused, QuestionChoices)
        return super().check_action(action, parameters)

    def action_answer(self, number: int) -> None:
        """A number key: answer the focused question with that option, go to the next."""
        choices = self.focused
        if not isinstance(choices, QuestionChoices):
            return
        option = choices.select(number)
        if option is not None:
            self._record(choices.question.id, option)

    @on(QuestionChoices.Answered)
    def _answered(self, event: QuestionChoices.Answered) -> None:
        """Enter, Space or a click chose an answer (number keys were recorded already)."""
        focused = self.focused
        here = isinstance(focused, QuestionChoices) and focused.question.id == event.question_id
        if self.session.answers.get(event.question_id) != event.option or here:
            self._record(event.question_id, event.option, move=here)

    def _record(self, question_id: str, option: str, *, move: bool = True) -> None:
        """Keep the answer, update the results, and (`move`) go on to the next question."""
        self.session.answers[question_id] = option
        self._draw_asked()
        question = self._next_unanswered(after=question_id) if move else None
        if move and question is None:
            # Every answer is in: show the results from their top. Scheduled before the
            # results are combined, so that scrolling to the first problem comes after it.
            checks = self.query_one("#checks")
            self.call_after_refresh(checks.scroll_visible, top=True, animate=False)
        self._combine()
        if not move:
            return
        if question is None:
            self._apply_gate(self.gate)  # every answer is in: the buttons lead now
            return
        # Focused now, not after a refresh: the next key typed already goes to it.
        self.set_focus(self.query_one(f"#choices-{question.id}"))
        card = self.query_one(f"#question-{question.id}")
        # After the refresh: the card being asked grows (its script shows) before the scroll.
        self.call_after_refresh(card.scroll_visible, animate=False)

    def _update_lead(self) -> None:
        if self.gate != "asking":
            super()._update_lead()
            return
        lead = self.query_one("#lead", Caption)
        lead.set_key("staff.lead_asking")
        lead.remove_class("-fail", "-warn", "-pass")
