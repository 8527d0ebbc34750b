"""80×24: what matters on each step is above the fold, walked with keys as a person would.

For every demo scenario and both languages (and staff mode's step 1): Start, then on each
step wait for the checks and look at the screen as the terminal shows it. The gate line
(`#lead` on steps 1–3; on step 4 the summary and, while something must be fixed first, the
fix-first text and its list) and the fix of every failing check (in its row, or in the lead
line, which carries the first failing check's fix) must be entirely visible without
scrolling (`tests.ui.visibility.not_visible`). An update's QR code, when the step shows
one, must be whole on screen too (or in a dialog, whole there).

The walk types like a person, key by key (`tests.ui.keystrokes`): the version typical for
the scenario ("10.5.3" for old_app, so an update is required; "10.6.20" otherwise), the
platform chosen in its Select with the arrow keys, a phone number one digit short and an
email. Every screen's findings are collected, so one run reports every step that does not
fit; the walk goes on past a finding, and stops only when it cannot.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Select

from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import press
from tests.ui.pilot_helpers import checked, focused_id, on_screen, until, wizard
from tests.ui.visibility import not_visible, screen_text
from wizard.checks.caller import QUESTIONS
from wizard.checks.model import Status
from wizard.demo import SCENARIOS, DemoService
from wizard.i18n import t
from wizard.ui.screens.qr import QrDialog
from wizard.ui.screens.step import StepScreen
from wizard.ui.textual_private import SelectOverlay
from wizard.ui.widgets.prose import Prose

LANGS = ("en", "zh-CN")
COMBINATIONS = [(scenario, lang) for scenario in SCENARIOS for lang in LANGS]
IDS = [f"{scenario}-{lang}" for scenario, lang in COMBINATIONS]
PLATFORM = "android"
PHONE_SHORT = "1380013800"  # one digit short of a Chinese mobile number
EMAIL = "me@qq.com"
# Staff mode: the caller's answer (option number) to each question, by scenario; the rest
# answer 1 (Wi-Fi, not in airplane mode, no VPN, other apps work, web pages load).
STAFF_ANSWERS = {"captive_portal": {"web_page": 2}, "tls_intercept": {"vpn": 2}}


def version_for(scenario: str) -> str:
    """The version a person of this scenario has (old_app: below the minimum)."""
    return "10.5.3" if scenario == "old_app" else "10.6.20"


class Fold:
    """Looks at the screens of one walk; keeps what was not visible, and where."""

    def __init__(self, pilot: Pilot[None], findings: list[str]) -> None:
        self.pilot = pilot
        self.findings = findings

    def check(self, where: str, what: str, widget: Widget) -> None:
        """Record `widget` (described as `what`) if it is not entirely visible."""
        reason = not_visible(widget)
        if reason is not None:
            self.findings.append(f"{where}: {what} {reason}")

    def screen(self, where: str) -> None:
        """Keep the rendered screen with the findings made on it (to read the failure)."""
        if any(f.startswith(f"{where}:") for f in self.findings):
            shown = screen_text(self.pilot.app)
            self.findings.append(f"{where} looked like this:\n{shown}")


def assert_none(label: str, findings: list[str]) -> None:
    """Fail with every finding of the walk."""
    if findings:
        pytest.fail(f"{label} at 80×24:\n" + "\n".join(findings), pytrace=False)


async def check_step(fold: Fold, where: str) -> StepScreen:
    """Wait for the step's checks; the lead must be visible, and so must the fix of every
    failing check: in its row, or in the lead (which names the first failing check's fix)."""
    screen = await checked(fold.pilot)
    await fold.pilot.pause()
    lead = screen.query_one("#lead", Prose)
    fold.check(where, "the lead line", lead)
    lead_shown = not_visible(lead) is None
    result = wizard(fold.pilot).session.results.get(screen.STEP)
    for check in result.checks if result is not None else ():
        if check.status is not Status.FAIL:
            continue
        fix = check.fix or check.summary
        if lead_shown and fix and fix in lead.text:
            continue
        row = screen.query_one(f"#check-{check.id}")
        part = ".check-fix" if check.fix else ".check-summary"
        fold.check(where, f"the fix of failing check {check.id!r}", row.query_one(part))
    return screen


async def tab_to(pilot: Pilot[None], widget_id: str) -> None:
    """Press Tab until `#widget_id` has focus (as a keyboard user looks for a button)."""
    for _ in range(40):
        if focused_id(pilot) == widget_id:
            return
        await press(pilot, "tab")
    raise AssertionError(f"Tab never reached #{widget_id} (focus: {focused_id(pilot)})")


async def leave_step(pilot: Pilot[None], screen: StepScreen) -> None:
    """Go on with keys: Next when the step is through, "I can't fix this" when it fails."""
    await tab_to(pilot, "continue-anyway" if screen.gate == "fail" else "next")
    await press(pilot, "enter")


async def choose(pilot: Pilot[None], select_id: str, value: str, label: str) -> None:
    """Open the Select `#select_id` with Enter, arrow down to the option `label`, Enter;
    the Select then holds `value`."""
    await tab_to(pilot, select_id)
    await press(pilot, "enter")
    overlay = pilot.app.screen.query_one(f"#{select_id} SelectOverlay", SelectOverlay)
    await until(pilot, lambda: overlay.has_focus, f"the options of #{select_id}")

    def highlighted() -> str:
        index = overlay.highlighted
        return "" if index is None else str(overlay.get_option_at_index(index).prompt)

    for _ in range(overlay.option_count):
        if highlighted() == label:
            break
        await press(pilot, "down")
    await press(pilot, "enter")
    select: Select[str] = pilot.app.screen.query_one(f"#{select_id}", Select)
    await until(pilot, lambda: select.value == value, f"#{select_id} to hold {value!r}")


async def step_1(fold: Fold) -> None:
    """Welcome → step 1 (its checks run on their own)."""
    await on_screen(fold.pilot, "WelcomeScreen")
    await press(fold.pilot, "enter")  # Start has focus
    screen = await check_step(fold, "step 1")
    fold.screen("step 1")
    await leave_step(fold.pilot, screen)


async def step_2(fold: Fold, scenario: str, lang: str) -> None:
    """Type the version, choose the platform; the lead, fixes and any QR must show."""
    pilot = fold.pilot
    await on_screen(pilot, "AppUpdateScreen")
    await press(pilot, *version_for(scenario))
    await choose(pilot, "platform", PLATFORM, t(lang, f"ui.platform.{PLATFORM}"))
    screen = await check_step(fold, "step 2")
    download = screen.query_one("#download")
    qr = screen.query_one("#download-qr")
    if isinstance(pilot.app.screen, QrDialog):
        fold.check("step 2", "the QR code (in its dialog)", pilot.app.screen.query_one(".qr"))
    elif download.display and qr.display:
        fold.check("step 2", "the download QR code", qr)
    fold.screen("step 2")
    await leave_step(pilot, screen)


async def step_3(fold: Fold) -> None:
    """A phone number one digit short (a failing one) and an email."""
    pilot = fold.pilot
    await on_screen(pilot, "ContactScreen")
    assert focused_id(pilot) == "phone"
    await press(pilot, *PHONE_SHORT, "tab", *EMAIL)
    screen = await check_step(fold, "step 3")
    fold.screen("step 3")
    await leave_step(pilot, screen)


async def step_4(fold: Fold) -> None:
    """The summary; while something must be fixed first, that text and its list."""
    pilot = fold.pilot
    await on_screen(pilot, "SupportScreen")
    await pilot.pause()
    screen = pilot.app.screen
    fold.check("step 4", "the summary", screen.query_one("#summary"))
    if screen.has_class("-view-fix"):
        fold.check("step 4", "the fix-first line", screen.query_one("#fix-first .lead"))
        fold.check("step 4", "the list of fixes", screen.query_one("#fix-list"))
    fold.screen("step 4")


@pytest.mark.parametrize(("scenario", "lang"), COMBINATIONS, ids=IDS)
async def test_every_step_shows_its_gate_and_fix_at_80x24(
    make_app: AppFactory, demo: DemoService, scenario: str, lang: str
) -> None:
    demo.scenario = scenario
    findings: list[str] = []
    try:
        async with make_app(lang=lang).run_test(size=(80, 24)) as pilot:
            fold = Fold(pilot, findings)
            try:
                await step_1(fold)
                await step_2(fold, scenario, lang)
                await step_3(fold)
                await step_4(fold)
            except AssertionError as stuck:
                screen = type(pilot.app.screen).__name__
                findings.append(f"the walk stopped on {screen}: {stuck}")
    except Exception as crash:  # re-raised by run_test: the exception that killed the app
        findings.append(f"the app crashed: {type(crash).__name__}: {crash}")
    assert_none(f"{scenario}, {lang}", findings)


@pytest.mark.parametrize(("scenario", "lang"), COMBINATIONS, ids=IDS)
async def test_staff_step_1_shows_the_question_and_then_the_gate_at_80x24(
    make_app: AppFactory, demo: DemoService, scenario: str, lang: str
) -> None:
    demo.scenario = scenario
    findings: list[str] = []
    async with make_app(lang=lang, mode="staff").run_test(size=(80, 24)) as pilot:
        fold = Fold(pilot, findings)
        await press(pilot, "enter")
        await on_screen(pilot, "StaffNetworkScreen")
        answers = STAFF_ANSWERS.get(scenario, {})
        for number, question in enumerate(QUESTIONS, 1):
            where = f"staff step 1, question {number}"
            await pilot.pause()
            screen = pilot.app.screen
            fold.check(where, "the lead line", screen.query_one("#lead"))
            fold.check(where, "the question asked", screen.query_one(f"#question-{question.id}"))
            fold.screen(where)
            await press(pilot, str(answers.get(question.id, 1)))
        await check_step(fold, "staff step 1")
        fold.screen("staff step 1")
    assert_none(f"staff, {scenario}, {lang}", findings)
