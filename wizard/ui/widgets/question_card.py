"""QuestionCard: one question for a caller — what to ask, the script to read, the answers.

An agent on the phone never needs the mouse: the answers are numbered, and the screen binds
the number keys (arrows and Enter work too).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import RadioSet

from wizard.checks.caller import QUESTIONS, Question
from wizard.i18n import t
from wizard.ui.widgets.caption_radio import CaptionRadio
from wizard.ui.widgets.prose import Prose


class QuestionChoices(RadioSet):
    """The answers to one question, side by side, numbered (the screen binds the numbers)."""

    class Answered(Message):
        """The caller's answer to a question was picked with Enter, Space or the mouse."""

        def __init__(self, question_id: str, option: str) -> None:
            super().__init__()
            self.question_id = question_id
            self.option = option

    def __init__(self, question: Question, *, lang: str, answer: str | None) -> None:
        radios = [
            CaptionRadio(
                f"staff.options.{option}",
                option,
                lang=lang,
                selected=option == answer,
                prefix=f"{number} ",
            )
            for number, option in enumerate(question.options, 1)
        ]
        wide = "-wide" if len(question.options) > 3 else ""
        super().__init__(
            *radios, id=f"choices-{question.id}", classes=f"question-choices {wide}".strip()
        )
        self.question = question

    def select(self, number: int) -> str | None:
        """Select the answer numbered `number`; its option id (None: no such number)."""
        radios = list(self.query(CaptionRadio))
        if not 1 <= number <= len(radios):
            return None
        radios[number - 1].value = True
        return radios[number - 1].value_name

    def _on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        if isinstance(event.pressed, CaptionRadio):
            self.post_message(self.Answered(self.question.id, event.pressed.value_name))

    def on_focus(self) -> None:
        """The card being asked shows its script (a class: `:focus-within` restyles only the
        focused widget's ancestors, not the script beside it)."""
        if self.parent is not None:
            self.parent.add_class("-asking")

    def on_blur(self) -> None:
        """Another card is being asked now."""
        if self.parent is not None:
            self.parent.remove_class("-asking")


class QuestionCard(Vertical):
    """The question (numbered), the script to read aloud, and the numbered answers."""

    def __init__(self, question: Question, *, lang: str, answer: str | None) -> None:
        super().__init__(id=f"question-{question.id}", classes="question-card")
        self.question = question
        self.lang = lang
        self.answer = answer

    def compose(self) -> ComposeResult:
        """Heading, script, answers."""
        yield Prose(self._heading(), classes="question-text")
        yield Prose(self._script(), classes="question-script")
        yield QuestionChoices(self.question, lang=self.lang, answer=self.answer)

    def _heading(self) -> str:
        number = QUESTIONS.index(self.question) + 1
        asked = t(self.lang, f"staff.{self.question.id}.question")
        return f"{number}/{len(QUESTIONS)}  {asked}"

    def _script(self) -> str:
        label = t(self.lang, "staff.script_label")
        sep = t(self.lang, "message.format.sep")
        return f"{label}{sep}“{t(self.lang, f'staff.{self.question.id}.script')}”"

    def localize(self, lang: str) -> None:
        """Re-read the question and its script in `lang` (the answers relabel themselves)."""
        self.lang = lang
        self.query_one(".question-text", Prose).show(self._heading())
        self.query_one(".question-script", Prose).show(self._script())
