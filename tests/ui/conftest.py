"""UI fixtures: a demo wallet on 127.0.0.1 per test, and an App built the way tests need it.

Snapshots need byte-stable screens: the App gets a fixed clock and reference and hides
measured times (`show_timing=False`); everything else comes from the demo service's fixed
answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from wizard.demo import DemoService
from wizard.profile import Profile
from wizard.support.outbox import Outbox
from wizard.ui.app import WizardApp

REFERENCE = "WU-7KQ2-9M4D"
NOW = datetime(2026, 11, 25, 20, 0, 0, tzinfo=UTC)


@pytest.fixture
def demo() -> Iterator[DemoService]:
    """The demo wallet, scenario `ok` (tests switch `demo.scenario` as they need)."""
    with DemoService("ok") as service:
        yield service


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    """A private outbox for the test."""
    box = Outbox.open(tmp_path / "outbox.sqlite3")
    yield box
    box.close()


AppFactory = Callable[..., WizardApp]


@pytest.fixture
def make_app(demo: DemoService, outbox: Outbox, tmp_path: Path) -> AppFactory:
    """Build a WizardApp on the demo profile; keyword arguments override the defaults."""

    def build(lang: str = "en", profile: Profile | None = None, **overrides: Any) -> WizardApp:
        options: dict[str, Any] = {
            "demo_scenario": demo.scenario,
            "outbox": outbox,
            "now": lambda: NOW,
            "reference": REFERENCE,
            "show_timing": False,
            "save_dir": tmp_path / "saved",
        }
        options.update(overrides)
        return WizardApp(profile or demo.profile(), lang=lang, **options)

    return build
