"""The registry is the one list of checks: one more line adds a check everywhere."""

from __future__ import annotations

import dataclasses

from tests.fake_checks import CLOCK
from wizard.checks.model import Inputs, Status
from wizard.checks.registry import REGISTRY
from wizard.checks.runner import run_report, run_step
from wizard.profile import Profile, WalletSection
from wizard.report_text import render_report

WITH_CLOCK = REGISTRY.with_check("network", CLOCK, after="proxy")


def test_the_shipped_registry_has_words_for_everything_in_both_languages() -> None:
    assert REGISTRY.missing_words() == []


def test_a_new_check_is_missing_exactly_its_own_words_until_the_catalogs_have_them() -> None:
    missing = WITH_CLOCK.missing_words()
    assert missing and all("clock" in entry for entry in missing)
    assert "en: codes.clock.clock_skew.fix" in missing
    assert "zh-CN: checks.clock" in missing


async def test_one_registry_line_runs_the_check_in_its_place_with_its_side() -> None:
    profile = Profile(wallet=WalletSection(name="Skewed Wallet"))
    step = await run_step("network", profile, Inputs(), registry=WITH_CLOCK)
    assert [c.id for c in step.checks] == [
        "link",
        "dns",
        "captive_portal",
        "proxy",
        "clock",
        "api",
        "service_status",
    ]
    clock = step.check("clock")
    assert clock is not None and (clock.status, clock.code) == (Status.FAIL, "clock_skew")
    assert clock.side == "user" and clock.to_json()["side"] == "user"
    assert WITH_CLOCK.codes_by_check()["clock"][:2] == ("ok", "clock_skew")


async def test_the_text_report_lists_the_new_check() -> None:
    profile = Profile(wallet=WalletSection(name="Skewed Wallet"))
    report = await run_report(profile, Inputs(), registry=WITH_CLOCK, steps=("network",))
    text = render_report(report, "en")
    assert "clock" in text


def test_staff_mode_runs_a_new_network_check_live() -> None:
    assert "clock" in WITH_CLOCK.step("network").with_role("live")
    asked = dataclasses.replace(CLOCK, staff="asked")
    registry = REGISTRY.with_check("network", asked)
    assert "clock" in registry.step("network").with_role("asked")
    assert "caller_unsure" in registry.codes_by_check()["clock"]
