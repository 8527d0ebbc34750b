"""The two streams of the plain wizard: lines out, answers in. Nothing else touches them.

Only whole lines are written: no cursor movement, no clearing, no spinner, no box drawing.
Colour is a few SGR codes around a status word, and only when the terminal asks for it (a
terminal on stdout whose TERM is set and is not "dumb") and NO_COLOR is unset; otherwise not
one ESC byte is written. Answers are read by a daemon thread, so the checks and a delivery
keep running while a question waits, and Ctrl+C never waits for a line that will not come.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Mapping
from typing import TextIO

from wizard.checks.model import Status
from wizard.text import one_line, safe_text

# SGR colours of the status words (green, yellow, red, yellow); the word carries the meaning.
_SGR = {Status.PASS: "32", Status.WARN: "33", Status.FAIL: "31", Status.UNKNOWN: "33"}
# A typed or pasted answer longer than this is not an answer to any question here.
ANSWER_MAX = 2000


def wants_plain(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the terminal can only take plain lines (TERM=dumb): the plain wizard then."""
    env = os.environ if environ is None else environ
    return env.get("TERM", "").strip().lower() == "dumb"


def wants_colour(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colour only for a terminal that asks for it (TERM set, not dumb) and no NO_COLOR."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", ""):
        return False
    term = env.get("TERM", "").strip().lower()
    if not term or term == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class InputClosed(Exception):
    """The answers' stream ended (Ctrl+D, a closed pipe): nothing more can be asked."""


class Terminal:
    """Writes lines and reads answers; `colour` decides whether status words are coloured."""

    def __init__(self, stdin: TextIO, stdout: TextIO, *, colour: bool = False) -> None:
        self._in = stdin
        self._out = stdout
        self.colour = colour

    def say(self, text: str = "") -> None:
        """Write `text` (one or more lines); every line is cleaned of control sequences."""
        lines = safe_text(text, max_len=100_000).split("\n") if text else [""]
        self._out.write("".join(f"{line.rstrip()}\n" for line in lines))
        self._out.flush()

    def status_word(self, status: Status, word: str) -> str:
        """The status word, coloured when the terminal asked for colour."""
        code = _SGR.get(status)
        if not self.colour or code is None:
            return word
        return f"\x1b[{code}m{word}\x1b[0m"

    def say_raw(self, line: str) -> None:
        """Write one line that may hold this module's own colour codes (and nothing foreign)."""
        self._out.write(f"{line.rstrip()}\n")
        self._out.flush()

    async def read(self, prompt: str) -> str:
        """Show `prompt` (no newline) and wait for one line; InputClosed at end of input."""
        self._out.write(one_line(prompt, max_len=500) + " ")
        self._out.flush()
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[str] = loop.create_future()

        def settle(line: str | BaseException) -> None:
            if answer.done():
                return
            if isinstance(line, BaseException):
                answer.set_exception(line)
            else:
                answer.set_result(line)

        def reader() -> None:
            try:
                line: str | BaseException = self._in.readline()
            except (OSError, ValueError) as exc:  # a closed stream
                line = InputClosed(str(exc))
            if line == "":
                line = InputClosed("end of input")
            try:
                loop.call_soon_threadsafe(settle, line)
            except RuntimeError:  # the loop is gone: nobody waits for this answer
                return

        threading.Thread(target=reader, name="plain-answer", daemon=True).start()
        line = await answer
        text = one_line(line.rstrip("\r\n"), max_len=ANSWER_MAX).strip()
        if not self._echoed():
            # Answers from a pipe or a file are not echoed by a terminal: the transcript
            # shows each one after its prompt, as a person at a terminal would have seen it.
            self._out.write(f"{text}\n")
            self._out.flush()
        return text

    def _echoed(self) -> bool:
        """Whether a terminal shows what is typed (then the answer is on screen already)."""
        try:
            return self._in.isatty()
        except (AttributeError, ValueError, OSError):
            return False
