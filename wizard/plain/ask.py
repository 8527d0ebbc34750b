"""Questions, line by line: numbered choices with a default, free answers, `?` and `q`.

Every question works the same way, so a person learns it once: the question, its choices on
one line (`1) Android  2) iPhone (iOS)  3) HarmonyOS  4) Computer`), then a prompt that names
the default. `?` repeats the help and the question; `q` quits (asking first while a message
is unsent, as the full-screen wizard does); anything else that is not an answer is explained
in one line and asked again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from wizard.i18n import t
from wizard.plain.terminal import Terminal

HELP_WORDS = frozenset({"?", "？", "help", "帮助"})
QUIT_WORDS = frozenset({"q", "quit", "退出"})
# "Leave it out" when Enter would keep an earlier answer.
CLEAR_WORDS = frozenset({"-", "－"})
# Choices longer than this together go one a line (still numbered), not on one line.
ONE_LINE_MAX = 78


class QuitRequested(Exception):
    """The person chose to quit."""


@dataclass(frozen=True)
class Option:
    """One numbered answer: the value the wizard records and the words the person reads."""

    value: str
    label: str


def choices_lines(options: Sequence[Option]) -> list[str]:
    """The numbered choices: on one line when they fit, else one a line."""
    items = [f"{n}) {o.label}" for n, o in enumerate(options, start=1)]
    line = "  ".join(items)
    return [line] if _width(line) <= ONE_LINE_MAX else items


def _width(text: str) -> int:
    """Columns on a terminal: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _number(answer: str) -> int | None:
    """A typed number ("2", full-width "２", "2)"), or None."""
    text = unicodedata.normalize("NFKC", answer).strip().rstrip(")、.")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 4 else None


class Asker:
    """Asks on one terminal, in the session's language of the moment."""

    def __init__(
        self,
        terminal: Terminal,
        lang: Callable[[], str],
        unsent: Callable[[], bool] = lambda: False,
    ) -> None:
        """`lang` reads the language now (Welcome may change it); `unsent` says whether a
        message would be lost by quitting."""
        self.terminal = terminal
        self._lang = lang
        self._unsent = unsent

    @property
    def lang(self) -> str:
        """The language questions are asked in now."""
        return self._lang()

    async def choice(
        self,
        question: Sequence[str],
        options: Sequence[Option],
        *,
        default: int | None,
        help_text: str,
    ) -> str:
        """Ask until one option is chosen; its value. `default` is a 1-based number or None."""
        say = self.terminal.say
        shown = [*question, *choices_lines(options)]
        for line in shown:
            say(line)
        count = len(options)
        while True:
            lang = self.lang
            if default is not None:
                prompt = t(lang, "plain.prompt.choice", default=default)
            else:
                prompt = t(lang, "plain.prompt.choice_no_default")
            answer = await self.terminal.read(prompt)
            if not answer:
                if default is not None:
                    return options[default - 1].value
                say(t(lang, "plain.wrong.no_default", count=count))
                continue
            if answer.lower() in HELP_WORDS:
                say(help_text)
                for line in shown:
                    say(line)
                continue
            if answer.lower() in QUIT_WORDS:
                await self.quit()
                for line in shown:
                    say(line)
                continue
            number = _number(answer)
            if number is not None and 1 <= number <= count:
                return options[number - 1].value
            by_label = [o for o in options if o.label.casefold() == answer.casefold()]
            if len(by_label) == 1:
                return by_label[0].value
            say(t(lang, "plain.wrong.choice", answer=answer, count=count))

    async def text(self, question: Sequence[str], *, help_text: str, keep: str = "") -> str:
        """A free answer ("" when left out); Enter keeps `keep` when there is one."""
        say = self.terminal.say
        for line in question:
            say(line)
        while True:
            lang = self.lang
            if keep:
                prompt = t(lang, "plain.prompt.text_keep", value=keep)
            else:
                prompt = t(lang, "plain.prompt.text")
            answer = await self.terminal.read(prompt)
            if not answer:
                return keep
            if keep and answer in CLEAR_WORDS:
                return ""
            if answer.lower() in HELP_WORDS:
                say(help_text)
                for line in question:
                    say(line)
                continue
            if answer.lower() in QUIT_WORDS:
                await self.quit()
                for line in question:
                    say(line)
                continue
            return answer

    async def quit(self) -> None:
        """`q`: raise QuitRequested, after asking when a message would be lost.

        Returns (and the question is asked again) when the person chooses to stay.
        """
        if not self._unsent():
            raise QuitRequested
        lang = self.lang
        options = [
            Option("stay", t(lang, "ui.quit.stay")),
            Option("quit", t(lang, "ui.quit.quit")),
        ]
        question = [t(lang, "ui.quit.title"), t(lang, "ui.quit.body")]
        say = self.terminal.say
        for line in [*question, *choices_lines(options)]:
            say(line)
        while True:
            answer = await self.terminal.read(t(lang, "plain.prompt.choice", default=1))
            if not answer or _number(answer) == 1:
                return
            # `q` again is "quit anyway", as Ctrl+Q twice is on the full screen.
            if _number(answer) == 2 or answer.lower() in QUIT_WORDS:
                raise QuitRequested
            if answer.lower() in HELP_WORDS:
                say(t(lang, "plain.help.quit"))
            else:
                say(t(lang, "plain.wrong.choice", answer=answer, count=2))
            for line in [*question, *choices_lines(options)]:
                say(line)
