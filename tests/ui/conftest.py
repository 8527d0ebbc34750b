"""UI fixtures: a demo wallet on 127.0.0.1 per test, and an App built the way tests need it.

Snapshots need byte-stable screens: the App gets a fixed clock and reference and hides
measured times (`show_timing=False`); everything else comes from the demo service's fixed
answers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import NOW, REFERENCE
from wizard.demo import DemoService
from wizard.profile import Profile
from wizard.support.outbox import Outbox
from wizard.ui.app import WizardApp

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
