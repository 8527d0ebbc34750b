"""Never colour alone: every status is an icon and a word; NO_COLOR keeps full contrast."""

from __future__ import annotations

import pytest

from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import press
from tests.ui.pilot_helpers import checked, text_of
from wizard.checks.model import Status
from wizard.demo import DemoService
from wizard.i18n import t
from wizard.ui.widgets.check_row import CheckRow


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_every_status_is_an_icon_and_a_word(
    make_app: AppFactory, demo: DemoService, lang: str
) -> None:
    demo.scenario = "captive_portal"
    async with make_app(lang=lang).run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        screen = await checked(pilot)
        for row in screen.query(CheckRow):
            status = row.status
            assert status is not None
            shown = text_of(row.query_one(".check-status"))
            assert shown == f"{status.icon} {t(lang, f'checks.status.{status.value}')}"
        assert {row.status for row in screen.query(CheckRow)} >= {Status.PASS, Status.FAIL}


async def test_no_color_is_honoured(make_app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        assert app.has_class("-no-color")
        await press(pilot, "enter")
        await checked(pilot)
