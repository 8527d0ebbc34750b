"""Drive `python -m wizard` in plain mode through a real pseudo-terminal, as a person would.

The driver waits for the wizard's own prompts (their texts come from the catalogs, so both
languages are driven the same way), picks choices by their words ("Next step") rather than
by number, and keeps everything the wizard wrote, to look for escape bytes afterwards.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

import pexpect

from wizard.i18n import t

ROOT = Path(__file__).resolve().parents[2]
# Generous: only a wedged run waits this long; a passing one moves on as soon as it can.
WAIT_S = 30.0


def _template(lang: str, key: str, **holes: str) -> str:
    """A catalog text as a regex, its {placeholders} replaced by the given patterns."""
    pattern = re.escape(t(lang, key).strip())
    for name, hole in holes.items():
        pattern = pattern.replace(re.escape(f"{{{name}}}"), hole)
    return pattern


class PlainRun:
    """One wizard process in plain mode on an 80×24 pseudo-terminal."""

    def __init__(
        self,
        args: list[str],
        *,
        lang: str,
        home: Path,
        term: str = "dumb",
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TERM": term,
            "LANG": "C.UTF-8",
            "WALLET_WIZARD_HOME": str(home),
            # Save writes to the person's Documents folder (else home): a private one here.
            "HOME": str(home.parent / "user"),
            "PYTHONPATH": str(ROOT),
            **(extra_env or {}),
        }
        self.lang = lang
        self.transcript = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "wizard", *args, "--lang", lang],
            env=env,
            encoding="utf-8",
            dimensions=(24, 80),
            timeout=WAIT_S,
        )
        self.child.logfile_read = self.transcript
        self.choice_prompt = "|".join(
            (
                _template(lang, "plain.prompt.choice", default=r"\d+"),
                _template(lang, "plain.prompt.choice_no_default"),
            )
        )
        self.text_prompt = "|".join(
            (
                _template(lang, "plain.prompt.text"),
                _template(lang, "plain.prompt.text_keep", value=r"[^\n]*?"),
            )
        )

    @property
    def output(self) -> str:
        """Everything the wizard wrote so far (and the terminal's echo of what was typed)."""
        return self.transcript.getvalue()

    def expect(self, text: str) -> str:
        """Wait for `text` (literal); what came before it."""
        self.child.expect_exact(text)
        return str(self.child.before)

    def choices(self) -> str:
        """Wait for the next choice prompt; the text of the question and its choices."""
        self.child.expect(self.choice_prompt)
        return str(self.child.before)

    def choose(self, label: str, *, shown: str | None = None) -> str:
        """Wait for a choice prompt and pick the choice that reads `label`; the question."""
        question = self.choices() if shown is None else shown
        numbers = re.findall(rf"(\d+)\) {re.escape(label)}(?:  |\r?\n|$)", question)
        assert numbers, f"no choice {label!r} in:\n{question[-1500:]}"
        self.child.sendline(numbers[-1])
        return question

    def choose_any(self, *labels: str) -> str:
        """Pick the first of `labels` that is offered; the label picked."""
        question = self.choices()
        for label in labels:
            if re.search(rf"\d+\) {re.escape(label)}(?:  |\r?\n|$)", question):
                self.choose(label, shown=question)
                return label
        raise AssertionError(f"none of {labels!r} in:\n{question[-1500:]}")

    def answer(self, text: str) -> str:
        """Wait for a free-text prompt and type `text` (may be empty); the question."""
        self.child.expect(self.text_prompt)
        before = str(self.child.before)
        self.child.sendline(text)
        return before

    def send(self, text: str) -> None:
        """Type a line at whatever is being asked."""
        self.child.sendline(text)

    def finish(self) -> int:
        """Wait for the process to end; its exit status."""
        self.child.expect(pexpect.EOF)
        self.child.close()
        status = self.child.exitstatus
        assert status is not None, f"killed by signal {self.child.signalstatus}"
        return int(status)

    def close(self) -> None:
        """Stop the process if it still runs (a failed test)."""
        if self.child.isalive():
            self.child.terminate(force=True)
