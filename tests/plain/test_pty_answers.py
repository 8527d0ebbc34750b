"""The plain wizard's questions in a real pseudo-terminal: wrong answers, `?`, `q`, staff mode.

A wrong answer is explained in one line, in the words the full-screen wizard uses for the
same input, and asked again; `?` repeats the help; `q` quits at once while nothing would be
lost, and asks first while the support message is neither sent nor saved.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.plain.driver import PlainRun
from wizard.checks.contact import validate_phone
from wizard.diagnosis import describe
from wizard.i18n import t
from wizard.support.reference import readback
from wizard.vocabulary import LANGUAGES

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


@pytest.fixture
def runs() -> Iterator[list[PlainRun]]:
    """Wizard processes started by a test; any still running at its end is stopped."""
    started: list[PlainRun] = []
    yield started
    for run in started:
        run.close()


def _start(runs: list[PlainRun], home: Path, *args: str, lang: str = "en") -> PlainRun:
    run = PlainRun(["--plain", *args], lang=lang, home=home)
    runs.append(run)
    return run


def test_wrong_answers_are_explained_and_asked_again(runs: list[PlainRun], tmp_path: Path) -> None:
    run = _start(runs, tmp_path / "home", "--demo")
    shown = run.choices()
    assert "1) 中文  2) English" in shown
    run.send("7")
    run.expect(t("en", "plain.wrong.choice", answer="7", count=2))
    # `?` repeats the help, then the question and its choices.
    run.send("?")
    run.expect(t("en", "plain.help.language"))
    run.choose("English")
    run.choose("Phone number")
    run.answer("")
    run.choose("Next step")
    run.choose("Android")
    # Not a version: the check's own words, then asked again.
    run.answer("banana")
    summary, _fix = describe("app_version", "version_invalid", "en", {"current": "banana"})
    run.expect(summary)
    run.expect(t("en", "plain.wrong.version"))
    run.answer("10.6.20")
    run.choose("Next step")
    # One digit short: the validator's own reason, and the number asked again.
    verdict = validate_phone("1380013800", "CN")
    summary, _fix = describe("phone", verdict.code, "en", dict(verdict.details))
    run.answer("1380013800")
    run.expect(summary)
    run.expect(t("en", "plain.wrong.keep"))
    run.answer("13800138000")
    run.expect("+8613800138000")
    # A near miss of a common provider: "Did you mean …?", the correction is the default.
    run.answer("me@qq.con")
    shown = run.choose("Yes, use me@qq.com")
    assert t("en", "plain.contact.suggestion", suggestion="me@qq.com") in shown
    shown = run.choices()
    assert "Passed: Email address. me@qq.com" in shown
    run.send("q")
    assert run.finish() == 0
    assert "\x1b" not in run.output


def test_a_refused_number_typed_again_is_kept_for_the_checks_to_judge(
    runs: list[PlainRun], tmp_path: Path
) -> None:
    run = _start(runs, tmp_path / "home", "--demo")
    run.choose("English")
    run.choose("Phone number")
    run.answer("")
    run.choose("Next step")
    run.choose("Android")
    run.answer("10.6.20")
    run.choose("Next step")
    run.answer("1380013800")
    run.expect(t("en", "plain.wrong.keep"))
    run.answer("1380013800")  # the person insists: the check then fails, and gates
    run.answer("")
    shown = run.choices()
    assert "Failed: Phone number." in shown
    assert t("en", "plain.lead.failed").split("{", 1)[0].strip() in shown
    run.choose("I can't fix this: go on", shown=shown)
    fix_first = run.choose("I still need help: write the message anyway")
    assert "Step 3, Phone number:" in fix_first
    run.expect(t("en", "plain.support.message_end"))
    run.send("q")
    run.expect(t("en", "ui.quit.title"))
    run.choose(t("en", "ui.quit.quit"))
    assert run.finish() == 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_q_asks_before_losing_an_unsent_message(
    runs: list[PlainRun], tmp_path: Path, lang: str
) -> None:
    run = _start(runs, tmp_path / "home", "--demo", lang=lang)
    run.choose(t(lang, "ui.lang.zh" if lang == "zh-CN" else "ui.lang.en"))
    run.choose(t(lang, "ui.what.email"))
    run.answer("")
    run.choose(t(lang, "plain.gate.next"))
    run.choose(t(lang, "ui.platform.ios"))
    run.answer("10.6.18")
    run.choose(t(lang, "plain.gate.next"))
    run.answer("me@qq.com")  # the email first: it is what failed to update
    run.answer("")
    run.choose(t(lang, "plain.gate.next"))
    run.expect(t(lang, "plain.support.message_end"))
    handoff = run.choices()
    run.send("q")
    # Asked first; staying keeps the message and asks again what to do with it.
    run.expect(t(lang, "ui.quit.title"))
    run.expect(t(lang, "ui.quit.body"))
    run.choose(t(lang, "ui.quit.stay"))
    assert t(lang, "plain.support.handoff") in handoff
    run.expect(t(lang, "plain.support.handoff"))
    run.send("q")
    run.expect(t(lang, "ui.quit.title"))
    run.choose(t(lang, "ui.quit.quit"))
    assert run.finish() == 0
    assert "\x1b" not in run.output


def test_q_quits_at_once_when_nothing_would_be_lost(runs: list[PlainRun], tmp_path: Path) -> None:
    run = _start(runs, tmp_path / "home", "--demo")
    run.choices()
    run.send("q")
    assert run.finish() == 0
    assert t("en", "ui.quit.title") not in run.output


def test_a_saved_message_is_not_lost_by_quitting(runs: list[PlainRun], tmp_path: Path) -> None:
    run = _start(runs, tmp_path / "home", "--demo")
    run.choose("English")
    run.choose("Something else")
    run.answer("")
    run.choose("Next step")
    run.choose("Android")
    run.answer("10.6.20")
    run.choose("Next step")
    run.answer("")
    run.answer("")
    run.choose("Next step")
    run.choose("Save it to a file")
    run.expect(t("en", "ui.support.saved_to"))
    run.send("q")
    assert run.finish() == 0
    assert t("en", "ui.quit.title") not in run.output
    saved = list((tmp_path / "user").rglob("wallet-wizard-WU-*.md"))
    assert len(saved) == 1 and saved[0].name[len("wallet-wizard-") : -3] in run.output


@pytest.mark.parametrize("lang", LANGUAGES)
def test_staff_plain_asks_the_callers_questions_and_files_the_ticket(
    runs: list[PlainRun], tmp_path: Path, lang: str
) -> None:
    run = _start(runs, tmp_path / "home", "--staff", "--demo", lang=lang)
    run.expect(t(lang, "plain.welcome.staff"))
    run.choose(t(lang, "ui.lang.zh" if lang == "zh-CN" else "ui.lang.en"))
    run.choose(t(lang, "ui.what.phone"))
    run.answer("")
    answers = {
        "connection": "wifi",
        "airplane": "no",
        "vpn": "no",
        "other_apps": "yes",
        "web_page": "signin",  # a Wi-Fi sign-in page: the caller has something to fix
    }
    for number, (question, option) in enumerate(answers.items(), start=1):
        text = t(lang, f"staff.{question}.question")
        shown = run.choose(t(lang, f"staff.options.{option}"))
        assert t(lang, "plain.staff.question", number=number, total=5, question=text) in shown
        assert t(lang, f"staff.{question}.script") in shown
    shown = run.choices()
    # Asked of the caller, and measured here: each result says which.
    assert f"({t(lang, 'staff.asked')})" in shown or f"（{t(lang, 'staff.asked')}）" in shown
    assert t(lang, "plain.lead.failed").split("{", 1)[0].strip() in shown
    run.choose(t(lang, "plain.gate.continue_anyway"), shown=shown)
    run.choose(t(lang, "ui.platform.android"))
    run.answer("10.6.20")
    run.choose(t(lang, "plain.gate.next"))
    run.answer("13800138000")
    run.answer("")
    run.choose(t(lang, "plain.gate.next"))
    run.choose(t(lang, "plain.support.need_help"))
    before = run.expect(t(lang, "plain.support.message_end"))
    assert t(lang, "plain.staff.message_intro") in before
    match = re.search(r"WU-[0-9A-Z]{4}-[0-9A-Z]{4}", before)
    assert match is not None, before
    reference = match.group(0)
    assert readback(reference, t(lang, "plain.support.readback_sep")) in before
    run.choose(t(lang, "plain.support.read_back"))
    run.expect(t(lang, "plain.support.read_back_done"))
    run.choose(t(lang, "plain.support.send"))
    done = run.choices()
    assert reference in done
    # The next call starts over by default.
    assert t(lang, "plain.prompt.choice", default=1).strip() in run.output
    run.choose(t(lang, "plain.done.quit"), shown=done)
    assert run.finish() == 0
    assert "\x1b" not in run.output
