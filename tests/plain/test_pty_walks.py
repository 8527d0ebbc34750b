"""The plain wizard in a real pseudo-terminal: every demo scenario, both languages, to the message.

Each walk answers as a person would (the app's version, a phone number, an email), takes the
step's own way on (Next, or "I can't fix this" when something is theirs to fix), asks for the
message even when something still fails, sends it to the demo's help desk and quits. Under
TERM=dumb (and with NO_COLOR) not one escape byte may reach the terminal.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.plain.driver import PlainRun
from wizard.i18n import t
from wizard.support.reference import readback
from wizard.vocabulary import LANGUAGES, SCENARIOS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

# What step 1 asks of the person in each scenario (the lead line's catalog key).
NETWORK_LEAD = {
    "ok": "passed",
    "captive_portal": "failed",
    "outage": "wallet_side",
    "old_app": "passed",
    "tls_intercept": "failed",
    "slow": "warned",
}
# Step 2 with 10.6.20 typed: old_app's minimum is 11.0.0 (update required); behind a Wi-Fi
# sign-in page the version list cannot be read (unknown: a warning, nothing to fix).
APP_LEAD = {"old_app": "failed", "captive_portal": "warned"}


def _prefix(lang: str, key: str) -> str:
    """A catalog text up to its first placeholder: what a line surely starts with."""
    return t(lang, key).split("{", 1)[0].strip()


@pytest.fixture
def runs(tmp_path: Path) -> Iterator[list[PlainRun]]:
    """Wizard processes started by a test; any still running at its end is stopped."""
    started: list[PlainRun] = []
    yield started
    for run in started:
        run.close()


def _walk_to_the_message(run: PlainRun, scenario: str) -> str:
    """Welcome, steps 1–3 and step 4's fix-first view; returns the reference shown."""
    lang = run.lang
    run.choose(t(lang, "ui.lang.zh" if lang == "zh-CN" else "ui.lang.en"))
    run.choose(t(lang, "ui.what.phone"))
    run.answer("Network error, please try again later")
    heading = t(lang, "plain.step.heading", number=1, total=4, name=t(lang, "checks.steps.network"))
    run.expect(heading)
    shown = run.choices()
    assert _prefix(lang, f"plain.lead.{NETWORK_LEAD[scenario]}") in shown, shown
    _go_on(run, shown)
    run.choose(t(lang, "ui.platform.android"))
    run.answer("10.6.20")
    shown = run.choices()
    assert _prefix(lang, f"plain.lead.{APP_LEAD.get(scenario, 'passed')}") in shown, shown
    if scenario == "old_app":
        # The official link, as text (a screen reader cannot read a QR code).
        assert "https://download.demo-wallet.example/android/" in shown
    _go_on(run, shown)
    run.answer("13800138000")
    run.answer("me@qq.com")
    shown = run.choices()
    assert _prefix(lang, "plain.lead.passed") in shown, shown
    run.choose(t(lang, "plain.gate.next"), shown=shown)
    support = t(lang, "checks.steps.support")
    run.expect(t(lang, "plain.step.heading", number=4, total=4, name=support))
    if "failed" in (NETWORK_LEAD[scenario], APP_LEAD.get(scenario)):
        # Something is the person's to fix: say what first, and let them ask for help anyway.
        fix_first = run.choose(t(lang, "plain.support.need_help"))
        assert t(lang, "plain.support.fix_first") in fix_first
    before = run.expect(t(lang, "plain.support.message_end"))
    assert t(lang, "plain.support.message_begin") in before
    match = re.search(r"WU-[0-9A-Z]{4}-[0-9A-Z]{4}", before)
    assert match is not None, before
    reference = match.group(0)
    # Spelled for reading aloud, the groups apart: "W U, 7 K Q 2, 9 M 4 D".
    assert readback(reference, t(lang, "plain.support.readback_sep")) in before
    if scenario == "outage":
        assert _prefix(lang, "ui.support.wallet_notice") in before
    # The app's own words and the contact details are in the message.
    assert "Network error, please try again later" in before
    assert "+8613800138000" in before and "me@qq.com" in before
    return reference


def _go_on(run: PlainRun, shown: str) -> None:
    """Next when the step is through; "I can't fix this" when something is to fix."""
    lang = run.lang
    for label in (t(lang, "plain.gate.next"), t(lang, "plain.gate.continue_anyway")):
        if f") {label}" in shown:
            run.choose(label, shown=shown)
            return
    raise AssertionError(shown)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_reaches_the_message_and_sends_it(
    runs: list[PlainRun], tmp_path: Path, scenario: str, lang: str
) -> None:
    # TERM=dumb alone chooses the plain wizard (no --plain given).
    run = PlainRun(["--demo", scenario], lang=lang, home=tmp_path / "home")
    runs.append(run)
    reference = _walk_to_the_message(run, scenario)
    run.choose(t(lang, "plain.support.send"))
    if scenario == "captive_portal":
        # The sign-in page intercepts the help desk too: refused, kept, and Save is offered.
        refused = run.choose(t(lang, "plain.support.save"))
        assert _prefix(lang, "message.delivery.rejected") in refused
        assert f") {t(lang, 'plain.support.send')}" not in refused
        run.expect(t(lang, "ui.support.saved_to"))
        run.choose(t(lang, "plain.support.skip"))
    done = run.choices()
    if scenario == "captive_portal":
        assert _prefix(lang, "plain.done.not_sent") in done, done
        assert reference in done
        run.choose(t(lang, "plain.done.quit"), shown=done)
        assert run.finish() == 0
        assert "\x1b" not in run.output
        return
    assert _prefix(lang, "plain.done.delivered_ticket") in done, done
    assert reference in done
    run.choose(t(lang, "plain.done.quit"), shown=done)
    assert run.finish() == 0
    assert "\x1b" not in run.output


@pytest.mark.parametrize("lang", LANGUAGES)
def test_colour_only_when_the_terminal_asks_and_no_color_is_unset(
    runs: list[PlainRun], tmp_path: Path, lang: str
) -> None:
    coloured = PlainRun(
        ["--plain", "--demo"], lang=lang, home=tmp_path / "a", term="xterm-256color"
    )
    runs.append(coloured)
    coloured.choose(t(lang, "ui.lang.zh" if lang == "zh-CN" else "ui.lang.en"))
    coloured.choose(t(lang, "ui.what.phone"))
    coloured.answer("")
    coloured.choices()
    passed = t(lang, "plain.status.pass")
    # The status word alone is coloured (and the word is there without the colour too).
    assert f"\x1b[32m{passed}\x1b[0m" in coloured.output
    coloured.send("q")
    assert coloured.finish() == 0

    plain = PlainRun(
        ["--plain", "--demo"],
        lang=lang,
        home=tmp_path / "b",
        term="xterm-256color",
        extra_env={"NO_COLOR": "1"},
    )
    runs.append(plain)
    plain.choose(t(lang, "ui.lang.zh" if lang == "zh-CN" else "ui.lang.en"))
    plain.choose(t(lang, "ui.what.phone"))
    plain.answer("")
    shown = plain.choices()
    assert passed in shown
    plain.send("q")
    assert plain.finish() == 0
    assert "\x1b" not in plain.output
