"""The wizard's flow, derived from the check registry: which screens, in which order.

Welcome, then one screen a step of the registry (numbered 1, 2, 3 …), then Contact support
(the last number) and Done. Back and Next, the step indicator, the step numbers in headings
and the F1 help topics all come from here, so a step added to the registry is numbered and
linked everywhere without another list to keep in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.checks.registry import Registry

WELCOME = "welcome"
SUPPORT = "support"
DONE = "done"


@dataclass(frozen=True)
class Flow:
    """The screens of the wizard in order, and how they link."""

    check_steps: tuple[str, ...]

    @classmethod
    def of(cls, registry: Registry) -> Flow:
        """The flow of a registry's steps."""
        return cls(registry.step_ids)

    @property
    def screens(self) -> tuple[str, ...]:
        """Every screen of the flow, Welcome to Done."""
        return (WELCOME, *self.check_steps, SUPPORT, DONE)

    @property
    def numbered(self) -> tuple[str, ...]:
        """The steps that carry a number (the indicator's), support last."""
        return (*self.check_steps, SUPPORT)

    def number(self, step: str) -> int:
        """A step's number, from 1."""
        return self.numbered.index(step) + 1

    @property
    def last_number(self) -> int:
        """How many numbered steps there are ("Step 2 of 4")."""
        return len(self.numbered)

    def previous(self, screen: str) -> str:
        """Where Back leads from `screen`."""
        screens = self.screens
        return screens[max(0, screens.index(screen) - 1)]

    def following(self, screen: str) -> str:
        """Where Next leads from `screen`."""
        screens = self.screens
        return screens[min(len(screens) - 1, screens.index(screen) + 1)]
