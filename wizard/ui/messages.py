"""Messages the wizard's workers post: the runner's events, tagged with the run they belong to.

A run id travels with every message so a screen can drop what an older, cancelled run
(Re-check, or an input changed meanwhile) still managed to send.
"""

from __future__ import annotations

from textual.message import Message

from wizard.checks.model import CheckResult, Inputs, StepResult


class CheckStarted(Message):
    """A check of the current run began."""

    def __init__(self, run_id: int, check_id: str) -> None:
        super().__init__()
        self.run_id = run_id
        self.check_id = check_id


class CheckWaiting(Message):
    """A check of the current run is waiting for something (a host, a DNS answer)."""

    def __init__(self, run_id: int, check_id: str, what: str) -> None:
        super().__init__()
        self.run_id = run_id
        self.check_id = check_id
        self.what = what


class CheckFinished(Message):
    """A check of the current run has its result."""

    def __init__(self, run_id: int, result: CheckResult) -> None:
        super().__init__()
        self.run_id = run_id
        self.result = result


class StepChecked(Message):
    """Every check of a step finished, for the inputs the run was started with."""

    def __init__(self, run_id: int, inputs: Inputs, result: StepResult) -> None:
        super().__init__()
        self.run_id = run_id
        self.inputs = inputs
        self.result = result
