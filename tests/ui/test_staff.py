"""Staff mode: a whole phone call by keys alone, the caller's answers in the ticket."""

from __future__ import annotations

import dataclasses
import socket

import pytest
from textual import events
from textual.pilot import Pilot

from tests.conftest import REFERENCE
from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import press
from tests.ui.pilot_helpers import checked, focused_id, on_screen, screen_text, until, wizard
from wizard.checks.caller import caller_answers, network_result, results_from_answers
from wizard.checks.model import CheckResult, Report, Status, StepResult
from wizard.checks.registry import REGISTRY
from wizard.demo import DemoService
from wizard.i18n import t
from wizard.support.reference import readback
from wizard.ui.screens.step import StepScreen
from wizard.ui.textual_private import FooterKey
from wizard.ui.widgets.question_card import QuestionChoices

ASKED_CHECKS = REGISTRY.step("network").with_role("asked")
LIVE_CHECKS = REGISTRY.step("network").with_role("live")

# The caller is on Wi-Fi, airplane mode off, no VPN, other apps do not load, and the
# browser shows a Wi-Fi sign-in page: a captive portal.
PORTAL_CALL = {
    "connection": ("1", "wifi"),
    "airplane": ("1", "no"),
    "vpn": ("1", "no"),
    "other_apps": ("2", "no"),
    "web_page": ("2", "signin"),
}


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def footer_keys(pilot: Pilot[None]) -> dict[str, str]:
    """The footer's keys and what they say, once it is drawn."""
    await until(pilot, lambda: bool(pilot.app.screen.query(FooterKey)), "the footer")
    await pilot.pause()
    return {k.key_display or k.key: k.description for k in pilot.app.screen.query(FooterKey)}


async def gate(pilot: Pilot[None], want: str) -> StepScreen:
    screen = pilot.app.screen
    assert isinstance(screen, StepScreen)
    await until(pilot, lambda: screen.gate == want, f"gate {want}")
    return screen


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_a_whole_call_by_keys_files_the_answers_with_the_ticket(
    make_app: AppFactory, demo: DemoService, lang: str
) -> None:
    app = make_app(lang=lang, mode="staff")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "WelcomeScreen")
        assert t(lang, "staff.welcome") in screen_text(pilot)
        await press(pilot, "f4")  # Start

        await on_screen(pilot, "StaffNetworkScreen")
        shown = screen_text(pilot)
        assert t(lang, "staff.lead_asking") in shown
        assert t(lang, "staff.connection.script") in shown
        assert focused_id(pilot) == "choices-connection"
        assert "1-4" in await footer_keys(pilot)
        for question, (key, _option) in PORTAL_CALL.items():
            assert focused_id(pilot) == f"choices-{question}"
            await press(pilot, key)
        session = wizard(pilot).session
        assert session.answers == {q: option for q, (_k, option) in PORTAL_CALL.items()}

        await gate(pilot, "fail")
        network = session.results["network"]
        assert [c.id for c in network.checks] == [*ASKED_CHECKS, *LIVE_CHECKS]
        portal = network.check("captive_portal")
        assert portal is not None and portal.status is Status.FAIL
        assert portal.details["source"] == "caller"
        api = network.check("api")
        assert api is not None and api.status is Status.PASS and api.details["source"] == "desk"
        assert t(lang, "staff.asked") in screen_text(pilot)
        keys = await footer_keys(pilot)
        assert keys.get("f6") == t(lang, "ui.keys.continue_anyway") and "f4" not in keys
        await press(pilot, "f6")  # the caller cannot sign in right now: continue anyway

        await on_screen(pilot, "AppUpdateScreen")
        await press(pilot, *"10.6.20")
        await checked(pilot)
        await press(pilot, "f4")
        await on_screen(pilot, "ContactScreen")
        await press(pilot, *"13800138000")
        step = await checked(pilot)
        assert step.gate == "pass"
        await press(pilot, "f4")

        await on_screen(pilot, "SupportScreen")
        assert pilot.app.screen.has_class("-view-fix")
        await press(pilot, "f6")  # I still need help: the ticket lists the sign-in page
        await until(pilot, lambda: pilot.app.screen.has_class("-view-message"), "the message")
        spoken = t(lang, "staff.reference_readback", reference=readback(REFERENCE))
        assert spoken in screen_text(pilot)
        keys = await footer_keys(pilot)
        assert keys.get("f8") == t(lang, "ui.keys.send")
        assert keys.get("f3") == t(lang, "ui.keys.back")
        await press(pilot, "f8")  # Send

        await on_screen(pilot, "DoneScreen")
        await until(pilot, lambda: len(demo.tickets) == 1, "the ticket")
        assert spoken in screen_text(pilot)
        payload = demo.tickets[-1].payload
        assert payload["addressed_to"] == "ticket_system"
        assert payload["language"] == lang
        assert "captive_portal" in payload["unresolved"]
        (step_json,) = [s for s in payload["report"]["steps"] if s["id"] == "network"]
        checks = {c["id"]: c for c in step_json["checks"]}
        assert checks["captive_portal"]["code"] == "captive_portal"
        assert checks["captive_portal"]["details"]["answer_web_page"] == "signin"
        assert checks["link"]["details"]["answer_connection"] == "wifi"
        body = payload["body"]
        what = t(lang, "message.what.phone")
        assert t(lang, "message.intro.ticket_system", what=what, wallet="Demo Wallet") in body
        assert t(lang, "message.field.caller_answers") in body
        for question, (_key, option) in PORTAL_CALL.items():
            asked = t(lang, f"staff.{question}.question")
            answer = t(lang, f"staff.options.{option}")
            assert f"  {asked} → {answer}\n" in body
        assert (await footer_keys(pilot)).get("f4") == t(lang, "ui.keys.start_over")
        await press(pilot, "f4")
        await on_screen(pilot, "WelcomeScreen")
        assert wizard(pilot).session.answers == {}


async def test_f2_reads_the_script_in_the_callers_language(make_app: AppFactory) -> None:
    app = make_app(lang="en", mode="staff")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "f4")
        await on_screen(pilot, "StaffNetworkScreen")
        await press(pilot, "1")  # answered in English…
        assert t("en", "staff.airplane.script") in screen_text(pilot)
        await press(pilot, "f2")  # …the caller prefers Chinese
        shown = screen_text(pilot)
        assert t("zh-CN", "staff.airplane.script") in shown
        assert t("zh-CN", "staff.options.wifi") in shown and t("en", "staff.intro") not in shown
        heading = t(
            "zh-CN", "ui.step.heading", number=1, total=4, name=t("zh-CN", "checks.steps.network")
        )
        assert heading in shown
        assert wizard(pilot).session.answers == {"connection": "wifi"}
        assert focused_id(pilot) == "choices-airplane"


async def test_all_good_answers_pass_and_only_the_live_checks_run(
    make_app: AppFactory, demo: DemoService
) -> None:
    # The staff machine's own sign-in-page probe would fail (nothing listens there): it is
    # the caller's network that counts, and that is asked, not measured.
    profile = demo.profile()
    network = dataclasses.replace(
        profile.network, connectivity_urls=(f"http://127.0.0.1:{free_port()}/generate_204",)
    )
    app = make_app(
        lang="zh-CN", mode="staff", profile=dataclasses.replace(profile, network=network)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "f4")
        await on_screen(pilot, "StaffNetworkScreen")
        await press(pilot, "1", "1", "1", "1", "1")  # Wi-Fi, no, no, yes, loads
        await gate(pilot, "pass")
        result = wizard(pilot).session.results["network"]
        assert all(c.status is Status.PASS for c in result.checks)
        assert focused_id(pilot) == "next"
        await press(pilot, "f3")  # Back keeps the answers
        await on_screen(pilot, "WelcomeScreen")
        await press(pilot, "f4")
        await on_screen(pilot, "StaffNetworkScreen")
        await gate(pilot, "pass")


async def test_answers_typed_in_a_burst_land_on_successive_questions(
    make_app: AppFactory,
) -> None:
    app = make_app(lang="en", mode="staff")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "f4")
        await on_screen(pilot, "StaffNetworkScreen")
        for key in "21132":  # all five arrive before the app has drawn anything
            app.post_message(events.Key(key, key))
        await until(pilot, lambda: len(wizard(pilot).session.answers) == 5, "five answers")
        assert wizard(pilot).session.answers == {
            "connection": "mobile",
            "airplane": "no",
            "vpn": "no",
            "other_apps": "unsure",
            "web_page": "signin",
        }
        await gate(pilot, "fail")
        await pilot.pause()
        for card in app.screen.query(QuestionChoices):
            assert card.pressed_button is not None
            assert card.pressed_button.value_name == wizard(pilot).session.answers[card.question.id]  # type: ignore[attr-defined]


async def test_staff_keys_are_staff_only(make_app: AppFactory) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        assert "f4" not in await footer_keys(pilot)
        await press(pilot, "f4")
        await pilot.pause()
        assert type(app.screen).__name__ == "WelcomeScreen"
        await press(pilot, "enter")
        await on_screen(pilot, "NetworkScreen")  # not the questionnaire
        await checked(pilot)
        keys = await footer_keys(pilot)
        assert "f3" not in keys and "f4" not in keys


def test_readback_spaces_the_reference_by_group() -> None:
    assert readback("WU-7KQ2-9M4D") == "W U · 7 K Q 2 · 9 M 4 D"
    assert readback(" wu-7kq2-9m4d ") == "W U · 7 K Q 2 · 9 M 4 D"


def test_network_result_keeps_the_fixed_order_and_the_live_checks() -> None:
    answers = {"connection": "mobile", "airplane": "no", "vpn": "yes", "other_apps": "yes"}
    live = [
        CheckResult("service_status", Status.WARN, "service_degraded"),
        CheckResult("api", Status.PASS, "ok"),
        CheckResult("link", Status.FAIL, "no_network"),  # not live in staff mode: ignored
    ]
    result = network_result(answers, live)
    assert [c.id for c in result.checks] == [*ASKED_CHECKS, *LIVE_CHECKS]
    assert result.check("link").code == "ok"  # type: ignore[union-attr]
    assert result.check("proxy").explained("en").summary.endswith("(VPN).")  # type: ignore[union-attr]
    assert result.check("service_status").code == "service_degraded"  # type: ignore[union-attr]


def test_caller_answers_only_takes_known_questions_and_options() -> None:
    asked = results_from_answers({"vpn": "yes", "web_page": "signin"})
    forged = asked[0].with_(
        details={**asked[0].details, "answer_vpn": "\x1b[2Jmaybe", "answer_evil": "yes"}
    )
    report = Report("Demo", "2026-11-25T20:00:00Z", 0.0, (StepResult("network", (forged,)),))
    got = caller_answers(report)
    assert got == {
        "connection": "unsure",
        "airplane": "unsure",
        "other_apps": "unsure",
        "web_page": "signin",
    }
    assert caller_answers(Report("Demo", "2026-11-25T20:00:00Z", 0.0, ())) == {}
