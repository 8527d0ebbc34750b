"""A check added to the registry appears on its step and finishes, in every mode."""

from __future__ import annotations

import pytest

from tests.fake_checks import CLOCK
from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import press
from tests.ui.pilot_helpers import checked, on_screen, until
from wizard.checks.registry import REGISTRY
from wizard.ui.widgets.check_row import CheckRow

WITH_CLOCK = REGISTRY.with_check("network", CLOCK, after="proxy")


@pytest.mark.parametrize("mode", ["normal", "staff"])
async def test_a_new_network_check_has_a_row_that_finishes(make_app: AppFactory, mode: str) -> None:
    app = make_app(lang="en", mode=mode, registry=WITH_CLOCK)
    async with app.run_test(size=(100, 40)) as pilot:
        await press(pilot, "f4" if mode == "staff" else "enter")
        await on_screen(pilot, "StaffNetworkScreen" if mode == "staff" else "NetworkScreen")
        if mode == "staff":
            await press(pilot, "1", "1", "1", "1", "1")
        screen = await checked(pilot)
        row = screen.query_one("#check-clock", CheckRow)
        await until(pilot, lambda: row.status is not None, "the clock row to finish")
        rows = [r.check_id for r in screen.query(CheckRow)]
        assert rows.index("clock") == rows.index("proxy") + 1
        assert pilot.app.session.results["network"].check("clock") is not None  # type: ignore[attr-defined]
