"""A snapshot of one screen in the high-contrast theme, at the kiosk's 80×24.

The network step of the captive-portal scenario shows most of what the theme must carry:
passed and failed checks (icon and word, not colour alone), a fix, the focused Re-check,
the title bar and the footer's keys. Reached by keys, as test_snapshots.py does; update with
`pytest tests/ui/test_theme_snapshot.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.ui.conftest import AppFactory
from tests.ui.test_snapshots import SCREENS, _steady
from wizard.demo import DemoService
from wizard.ui.theme import HIGH_CONTRAST_NAME


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_network_step_in_high_contrast(
    snap_compare: Any, make_app: AppFactory, demo: DemoService, lang: str
) -> None:
    scenario, reach = SCREENS["network_captive_portal"]
    demo.scenario = scenario

    async def run_before(pilot: Pilot[None]) -> None:
        assert pilot.app.theme == HIGH_CONTRAST_NAME
        await reach(pilot)
        await _steady(pilot)

    app = make_app(lang=lang, theme_name=HIGH_CONTRAST_NAME)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
