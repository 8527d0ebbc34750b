"""Step 4 and Done: fix-first advice, the message and every way to hand it over."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Static, TextArea

from tests.conftest import REFERENCE
from tests.loopback.helpdesk import HelpDesk
from tests.ui.conftest import AppFactory
from tests.ui.keystrokes import press
from tests.ui.pilot_helpers import checked, go, on_screen, screen_text, text_of, until, wizard
from wizard.demo import DemoService
from wizard.i18n import t
from wizard.support.destination import Destination
from wizard.support.outbox import Outbox, State
from wizard.ui.screens.help import HelpDialog
from wizard.ui.screens.qr import QrDialog


async def _go_on(pilot: Pilot[None]) -> None:
    """Leave a checked step by its button: Next, or "I can't fix this" while it fails."""
    step = await checked(pilot)
    await pilot.click("#continue-anyway" if step.gate == "fail" else "#next")


async def _run_all_steps(
    pilot: Pilot[None], phone: str = "13800138000", email: str = "me@qq.com"
) -> None:
    """Walk from Welcome to step 4 as a person does: Start, type the version, the phone
    and the email into their fields, and go on from each step once it is checked."""
    await on_screen(pilot, "WelcomeScreen")
    await pilot.click("#start")
    await on_screen(pilot, "NetworkScreen")
    await _go_on(pilot)
    await on_screen(pilot, "AppUpdateScreen")
    await press(pilot, *"10.6.20")  # the version field has the cursor
    await _go_on(pilot)
    await on_screen(pilot, "ContactScreen")
    await press(pilot, *phone, "tab", *email)  # the cursor starts in the phone field
    await _go_on(pilot)
    await on_screen(pilot, "SupportScreen")


def _editor(pilot: Pilot[None]) -> TextArea:
    return pilot.app.screen.query_one("#message", TextArea)


async def test_failures_lead_to_fix_first_then_still_need_help_yields_the_message(
    make_app: AppFactory, demo: DemoService
) -> None:
    demo.scenario = "captive_portal"
    async with make_app().run_test(size=(80, 24)) as pilot:
        await _run_all_steps(pilot)  # step 1 fails: "I can't fix this" takes the walk on
        screen = pilot.app.screen
        assert screen.has_class("-view-fix")
        fixes = text_of(screen.query_one("#fix-list", Static))
        assert t("en", "checks.captive_portal") in fixes
        assert screen.query_one("#goto-network").display
        assert not screen.query_one("#goto-contact").display
        assert not screen.query_one("#send").display
        # The link back goes to the step to fix.
        await pilot.click("#goto-network")
        await on_screen(pilot, "NetworkScreen")
        await checked(pilot)
        await go(pilot, "support")
        await pilot.click("#need-help")
        await until(pilot, lambda: pilot.app.screen.has_class("-view-message"), "message view")
        body = _editor(pilot).text
        assert t("en", "message.field.unresolved") in body
        assert "captive_portal" in body
        assert t("en", "ui.tried.continued", step=t("en", "checks.steps.network")) in body


async def test_copy_puts_the_whole_message_on_the_clipboard(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await _run_all_steps(pilot)
        await pilot.click("#copy")
        clipboard = pilot.app.clipboard
        assert clipboard.startswith(f"[{REFERENCE}]")
        assert _editor(pilot).text in clipboard


async def test_save_writes_the_files_and_shows_where(make_app: AppFactory, tmp_path: Path) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await _run_all_steps(pilot)
        await pilot.click("#save")
        saved = tmp_path / "saved" / f"wallet-wizard-{REFERENCE}.md"
        assert saved.is_file()
        assert str(saved) in text_of(pilot.app.screen.query_one("#send-status", Static))


async def test_qr_holds_the_reference_and_support_contact(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await _run_all_steps(pilot)
        await pilot.click("#qr")
        await until(pilot, lambda: isinstance(pilot.app.screen, QrDialog), "the QR dialog")
        dialog = pilot.app.screen
        assert isinstance(dialog, QrDialog)
        assert REFERENCE in dialog.payload and "95188" in dialog.payload
        await press(pilot, "escape")
        await on_screen(pilot, "SupportScreen")


async def test_send_delivers_what_the_person_edited_with_codes_masked(
    make_app: AppFactory, demo: DemoService
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await _run_all_steps(pilot)
        editor = _editor(pilot)
        editor.focus()
        editor.move_cursor(editor.document.end)
        editor.insert("\nMy verification code 482913 never arrives.")
        await pilot.click("#send")
        await on_screen(pilot, "DoneScreen")
        await until(pilot, lambda: len(demo.tickets) == 1, "the ticket")
        body = demo.tickets[0].payload["body"]
        assert "never arrives" in body
        assert "482913" not in body


async def test_without_a_help_desk_send_is_off_and_says_what_to_do(
    make_app: AppFactory, demo: DemoService
) -> None:
    profile = demo.profile()
    profile = dataclasses.replace(
        profile, support=dataclasses.replace(profile.support, endpoint="")
    )
    async with make_app(profile=profile).run_test(size=(80, 24)) as pilot:
        await _run_all_steps(pilot)
        assert pilot.app.screen.query_one("#send", Button).disabled
        assert t("en", "ui.support.no_endpoint") in screen_text(pilot)


async def test_a_refused_message_stays_on_step_4_with_the_reason(
    make_app: AppFactory, outbox: Outbox
) -> None:
    # The desk wants a bearer token the wizard does not have: 401, a rejection.
    with DemoService("ok", token="s3cret") as guarded:
        async with make_app(profile=guarded.profile()).run_test(size=(80, 24)) as pilot:
            await _run_all_steps(pilot)
            await pilot.click("#send")
            await until(
                pilot,
                lambda: getattr(wizard(pilot).session.delivery, "state", "") == "rejected",
                "the refusal",
            )
            screen = pilot.app.screen
            assert type(screen).__name__ == "SupportScreen"
            status = text_of(screen.query_one("#send-status", Static))
            assert "bearer token" in status
            assert screen.query_one("#send", Button).disabled
            assert [e.state for e in outbox.all()] == [State.REJECTED]


async def test_queued_message_is_retried_in_the_background_until_delivered(
    make_app: AppFactory, demo: DemoService
) -> None:
    with HelpDesk() as desk:
        desk.mode, desk.retry_after = "unavailable", "1"
        profile = demo.profile()
        support = dataclasses.replace(profile.support, endpoint=desk.url())
        async with make_app(profile=dataclasses.replace(profile, support=support)).run_test(
            size=(80, 24)
        ) as pilot:
            await _run_all_steps(pilot)
            await pilot.click("#send")
            await on_screen(pilot, "DoneScreen")
            assert t("en", "ui.done.queued") in screen_text(pilot)
            desk.mode = "created"
            await until(pilot, lambda: bool(desk.ticket_for(REFERENCE)), "the retry")
            await until(
                pilot,
                lambda: getattr(wizard(pilot).session.delivery, "state", "") == "delivered",
                "delivery",
            )
            ticket = desk.ticket_for(REFERENCE)[0]
            assert t("en", "ui.done.delivered_ticket", ticket_id=ticket.ticket_id) in screen_text(
                pilot
            )


async def test_pasting_into_the_message_strips_control_sequences(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await _run_all_steps(pilot)
        editor = _editor(pilot)
        editor.focus()
        editor.post_message(events.Paste("ok\x1b]52;c;ZXZpbA==\x07\x1b[2Jdone"))
        await until(pilot, lambda: "okdone" in editor.text, "the paste")
        assert "\x1b" not in editor.text and "ZXZpbA" not in editor.text


# A second process holding the outbox's write lock: every commit waits for it.
_HOLD_WRITE_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


async def test_the_wizard_answers_keys_while_the_outbox_commit_waits(
    make_app: AppFactory, demo: DemoService, outbox: Outbox
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITE_LOCK, str(outbox.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdin is not None and holder.stdout is not None
        async with make_app().run_test(size=(80, 24)) as pilot:
            await _run_all_steps(pilot)
            await go(pilot, "support")
            assert holder.stdout.readline().strip() == "held"
            await pilot.click("#send")
            await press(pilot, "f1")
            await until(pilot, lambda: isinstance(pilot.app.screen, HelpDialog), "the help")
            # The key was handled while the commit still waited: nothing says "saved" yet.
            assert holder.poll() is None and wizard(pilot).session.delivery is None
            await press(pilot, "escape")
            await on_screen(pilot, "SupportScreen")
            holder.stdin.write("go\n")
            holder.stdin.flush()
            await until(
                pilot,
                lambda: getattr(wizard(pilot).session.delivery, "state", "") == "delivered",
                "the delivery after the commit",
            )
            await on_screen(pilot, "DoneScreen")
        assert [t.reference for t in demo.tickets] == [REFERENCE]
        assert [e.state for e in outbox.all()] == [State.DELIVERED]
    finally:
        holder.kill()
        holder.wait(timeout=10)


async def test_send_keeps_the_profiles_destination_with_its_ca_bundle(
    make_app: AppFactory, demo: DemoService, outbox: Outbox
) -> None:
    profile = demo.profile()
    async with make_app(profile=profile).run_test(size=(80, 24)) as pilot:
        await _run_all_steps(pilot)
        await go(pilot, "support")
        await pilot.click("#send")
        await until(pilot, lambda: len(demo.tickets) == 1, "the ticket")
    (entry,) = outbox.all()
    assert entry.destination == Destination.of_profile(profile)
    assert entry.destination.ca_bundle == profile.network.ca_bundle != ""


async def test_the_wizard_sends_to_zendesk_and_shows_its_ticket(
    make_app: AppFactory, outbox: Outbox
) -> None:
    # The demo playing Zendesk's Requests API, as a station uses it (anonymous).
    with DemoService("ok", desk="zendesk") as zendesk:
        async with make_app(profile=zendesk.profile()).run_test(size=(80, 24)) as pilot:
            await _run_all_steps(pilot)
            await pilot.click("#send")
            await on_screen(pilot, "DoneScreen")
            await until(
                pilot,
                lambda: getattr(wizard(pilot).session.delivery, "state", "") == "delivered",
                "delivery",
            )
            shown = t("en", "ui.done.delivered_ticket", ticket_id="1")
            assert shown in screen_text(pilot)
        (ticket,) = zendesk.desk_tickets
    assert REFERENCE in ticket.subject
    (entry,) = outbox.all()
    assert entry.destination.desk == "zendesk" and entry.state is State.DELIVERED
