"""Step 4: contact support — the summary, then either what to fix first or the message.

When every check passed the problem is on the wallet's side, so the pre-filled message is
shown in full and editable, with Send (outbox first, then the help desk), Copy, Save and QR,
and the reference with the support phone to read aloud. When something failed, the screen
first says what to fix and links back to that step; "I still need help" still yields the
message, which then lists the unresolved checks.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button

from wizard.catalog import contact_lines
from wizard.gating import shown_status
from wizard.i18n import t
from wizard.locations import documents_dir
from wizard.profile import SupportSection
from wizard.support.handoff import clipboard_text, qr_payload, qr_text, save_files
from wizard.support.mask import mask_secrets
from wizard.support.message import Message, compose
from wizard.support.reference import readback
from wizard.text import one_line, safe_text
from wizard.ui.navigation import Navigate, SendRequested
from wizard.ui.screens.base import WizardScreen
from wizard.ui.screens.qr import QrDialog
from wizard.ui.services import Services
from wizard.ui.session import Delivery, Session
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption, Words
from wizard.ui.widgets.clean_text_area import CleanTextArea
from wizard.ui.widgets.prose import Prose

if TYPE_CHECKING:
    from wizard.ui.app import WizardApp

# Delivery states after which Send is done with (a refused message is kept to copy).
_SENT_STATES = ("saved", "delivered", "queued", "rejected")


def read_aloud(session: Session, support: SupportSection, lang: str) -> str:
    """The reference and the support phone (with hours), to read out on a call."""
    parts = [t(lang, "ui.support.reference", reference=session.reference)]
    if support.phone:
        key = "ui.support.phone_hours" if support.hours else "ui.support.phone"
        parts.append(t(lang, key, phone=support.phone, hours=support.hours))
    elif support.email:
        parts.append(t(lang, "ui.support.email", email=support.email))
    return "   ".join(parts)


def spoken_reference(session: Session, services: Services, lang: str) -> str:
    """What to read aloud: to a caller (staff mode) the reference, spaced; else with the
    support phone."""
    if services.mode == "staff":
        return t(lang, "staff.reference_readback", reference=readback(session.reference))
    return read_aloud(session, services.profile.support, lang)


def step_summary(session: Session, lang: str) -> str:
    """One line: each checked step with its symbol and state word."""
    parts = []
    for step in session.step_ids:
        name = t(lang, f"checks.steps.{step}")
        result = session.results.get(step)
        if result is None:
            parts.append(f"○ {name}{t(lang, 'ui.colon')}{t(lang, 'ui.support.not_checked')}")
        else:
            status = shown_status(result)
            word = t(lang, f"checks.status.{status.value}")
            parts.append(f"{status.icon} {name}{t(lang, 'ui.colon')}{word}")
    return "   ".join(parts)


class SupportScreen(WizardScreen):
    """The last step: fix-first advice, or the message and the ways to hand it over."""

    STEP: ClassVar[str | None] = "support"
    help_topic: ClassVar[str] = "support"
    # Staff mode only (WizardScreen.check_action); each shows while its button does.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f3", "press('back')", "ui.keys.back"),
        Binding("f6", "press('need-help')", "ui.keys.need_help"),
        Binding("f7", "press('qr')", "ui.keys.qr"),
        Binding("f8", "press('send')", "ui.keys.send"),
        Binding("f9", "press('copy')", "ui.keys.copy"),
        Binding("ctrl+s", "press('save')", "ui.keys.save"),
        Binding("ctrl+r", "press('read-back')", "staff.keys.read_back"),
        # "Go to step N" in the fix-first view, which has no field to type numbers into.
        Binding("1", "goto(1)", "ui.keys.goto", key_display="1-9"),
        *(Binding(str(n), f"goto({n})", "ui.keys.goto", show=False) for n in range(2, 10)),
    ]

    def __init__(self, session: Session, services: Services) -> None:
        super().__init__(session, services)
        self.message: Message | None = None
        self._composed_body = ""
        # Saved to a file by the person: quitting then loses nothing.
        self._saved = False

    @property
    def view(self) -> str:
        """The view shown: "fix" while something fails and no help was asked for, else "message"."""
        return "fix" if self.session.unresolved() and not self.session.need_help else "message"

    def compose_body(self) -> ComposeResult:
        """Heading, summary, the two views (one shown), status line and buttons."""
        lang = self.lang
        with Vertical(id="step-head"):
            yield Caption(
                "ui.step.heading",
                lang=lang,
                classes="step-title",
                number=self.services.flow.number("support"),
                total=self.services.flow.last_number,
                name=Words("checks.steps.support"),
            )
            yield Prose(step_summary(self.session, lang), id="summary")
        with VerticalScroll(id="fix-first"):
            yield Caption("ui.support.fix_first", lang=lang, classes="lead -fail")
            yield Prose(id="fix-list")
            with Horizontal(id="goto-buttons"):
                for step in self.session.step_ids:
                    yield ActionButton(
                        "ui.support.goto",
                        lang=lang,
                        id=f"goto-{step}",
                        number=self.services.flow.number(step),
                        name=Words(f"checks.steps.{step}"),
                    )
            yield Caption("ui.support.still_need_help_hint", lang=lang, classes="hint")
        with Vertical(id="message-view"):
            yield Prose(id="wallet-notice", classes="-warn")
            yield Prose(id="wallet-contact")
            with Horizontal(id="read-aloud-row"):
                yield Prose(id="read-aloud")
                yield ActionButton("staff.read_back", lang=lang, id="read-back")
            intro = "staff.message_intro" if self.services.mode == "staff" else None
            yield Caption(intro or "ui.support.message_intro", lang=lang, classes="hint")
            yield CleanTextArea(id="message", soft_wrap=True, show_line_numbers=False)
            yield Prose(id="send-status")
        with Horizontal(id="support-buttons", classes="buttons"):
            yield ActionButton("ui.buttons.back", lang=lang, id="back")
            yield ActionButton("ui.support.need_help", lang=lang, id="need-help", variant="warning")
            yield ActionButton("ui.support.send", lang=lang, id="send", variant="primary")
            yield ActionButton("ui.support.copy", lang=lang, id="copy")
            yield ActionButton("ui.support.save", lang=lang, id="save")
            yield ActionButton("ui.support.qr", lang=lang, id="qr")

    @property
    def kiosk(self) -> bool:
        """At a help station nothing is left on the machine: no Save, no Copy."""
        return self.services.mode == "kiosk"

    def on_mount(self) -> None:
        """Draw the view; follow the delivery of the message."""
        self.set_class(self.kiosk, "-kiosk")
        cast("WizardApp", self.app).delivery_signal.subscribe(self, self._on_delivery)
        self._show_view()

    # -- views --------------------------------------------------------------------------

    def _show_view(self) -> None:
        view = self.view
        # The whole screen restyles on a class change: once, not twice.
        self.update_classes({"-view-fix": view == "fix", "-view-message": view == "message"})
        if view == "fix":
            self._draw_fix_list()
            self.query_one("#goto-buttons Button", Button).focus()
        else:
            self._compose_message()
            self._draw_wallet_notice()
            self._draw_wallet_contact()
            self._draw_read_aloud()
            self._draw_delivery()
            fallback = "#qr" if self.kiosk else "#copy"
            self.query_one("#send" if self._can_send() else fallback, Button).focus()
        self.refresh_bindings()

    def _draw_fix_list(self) -> None:
        lang = self.lang
        colon = t(lang, "ui.colon")
        lines: list[tuple[str, str]] = []
        failing_steps = set()
        for step, check in self.session.unresolved():
            failing_steps.add(step)
            name = t(lang, f"checks.{check.id}")
            number = self.services.flow.number(step)
            check = check.explained(lang)
            lines.append((f"✖ {number} · {name}{colon}", check.summary))
            if check.fix:
                lines.append((f"   {t(lang, 'ui.check.fix_label')}", check.fix))
        self.query_one("#fix-list", Prose).show_lines(lines)
        for step in self.session.step_ids:
            self.query_one(f"#goto-{step}").display = step in failing_steps

    def _draw_wallet_notice(self) -> None:
        """Say plainly when the wallet itself has a problem: sending now or waiting are fine."""
        problems = self.session.wallet_problems()
        notice = self.query_one("#wallet-notice", Prose)
        notice.display = bool(problems)
        if problems:
            worst = max(problems, key=lambda c: c.status.rank).explained(self.lang)
            notice.show(t(self.lang, "ui.support.wallet_notice", summary=worst.summary))

    def _draw_wallet_contact(self) -> None:
        """A catalog wallet: how to reach its support, each contact with its source and the
        warning that fake support numbers circulate (or where to look when none is sourced)."""
        profile = self.services.profile
        contact = self.query_one("#wallet-contact", Prose)
        contact.display = bool(profile.catalog_id)
        if profile.catalog_id:
            contact.show("\n".join(contact_lines(profile, self.lang)))

    def _draw_read_aloud(self) -> None:
        text = spoken_reference(self.session, self.services, self.lang)
        self.query_one("#read-aloud", Prose).show(text)
        # Staff only: the agent confirms the read-back, and only then does the ticket say so.
        button = self.query_one("#read-back", ActionButton)
        button.display = self.services.mode == "staff"
        button.disabled = self.session.read_back
        key = "staff.read_back_done" if self.session.read_back else "staff.read_back"
        button.set_key(key, lang=self.lang)

    @on(Button.Pressed, "#read-back")
    def _read_back(self) -> None:
        self.session.read_back = True
        self._compose_message()
        self._draw_read_aloud()
        self.refresh_bindings()

    # -- the message --------------------------------------------------------------------

    def _compose_message(self) -> None:
        """Write the message from the session; keep what the person already edited."""
        session = self.session
        lang = self.lang
        note = ""
        if session.error_text.strip():
            note = f"{t(lang, 'ui.support.app_said')} {session.error_text.strip()}"
        message = compose(
            session.report(self.services.profile.wallet.name),
            profile=self.services.profile,
            inputs=session.inputs(),
            lang=lang,
            what=session.what,
            note=note,
            tried=session.tried(),
            addressed_to="ticket_system" if self.services.mode == "staff" else "help_desk",
            reference=session.reference,
            now=self.services.now(),
            read_back=session.read_back,
        )
        editor = self.query_one("#message", CleanTextArea)
        if self.message is None or editor.text == self._composed_body:
            editor.load_text(message.body)
            self._composed_body = message.body
        self.message = message

    def final_message(self) -> Message | None:
        """The message as it stands in the editor (sanitized; codes and cards masked)."""
        if self.message is None:
            return None
        editor = self.query_one("#message", CleanTextArea)
        text = editor.text
        if text == self._composed_body:
            return self.message
        keep = [self.message.contact.get("phone", ""), self.session.phone]
        body = mask_secrets(safe_text(text, max_len=20000), keep=[k for k in keep if k])
        if body != text:
            # Whatever leaves the machine is what the person sees.
            editor.load_text(body)
        return dataclasses.replace(self.message, body=body)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Staff: a number key goes to that step while its "Go to step" button is shown."""
        if action == "goto":
            step = self._numbered_step(parameters)
            return super().check_action("press", (f"goto-{step}",)) if step else False
        return super().check_action(action, parameters)

    def action_goto(self, number: int) -> None:
        """A number key in the fix-first view: go to that step, as its button does."""
        step = self._numbered_step((number,))
        if step is not None:
            self.action_press(f"goto-{step}")

    def _numbered_step(self, parameters: tuple[object, ...]) -> str | None:
        number = parameters[0] if parameters else None
        steps = self.session.step_ids
        if isinstance(number, int) and 1 <= number <= len(steps):
            return steps[number - 1]
        return None

    def has_unsent_message(self) -> bool:
        """Whether the message is on screen and has been neither sent nor saved anywhere."""
        return (
            self.view == "message"
            and self.message is not None
            and (self.session.delivery is None and not self._saved)
        )

    def _can_send(self) -> bool:
        delivery = self.session.delivery
        sent = delivery is not None and delivery.state in _SENT_STATES
        return bool(self.services.profile.support.endpoint) and not sent

    # -- delivery -----------------------------------------------------------------------

    def _on_delivery(self, _delivery: Delivery) -> None:
        self._draw_delivery()

    def _draw_delivery(self) -> None:
        status = self.query_one("#send-status", Prose)
        send = self.query_one("#send", Button)
        send.disabled = not self._can_send()
        delivery = self.session.delivery
        if delivery is not None:
            status.show(delivery.line(self.lang))
            status.set_class(delivery.state in ("rejected", "failed"), "-fail")
        elif not self.services.profile.support.endpoint:
            key = "ui.support.no_endpoint_kiosk" if self.kiosk else "ui.support.no_endpoint"
            status.show(t(self.lang, key))
        elif self.services.mode == "staff":
            status.show(t(self.lang, "staff.send_hint"))
        else:
            key = "ui.support.send_hint_kiosk" if self.kiosk else "ui.support.send_hint"
            status.show(t(self.lang, key))
        self.refresh_bindings()

    # -- buttons ------------------------------------------------------------------------

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.post_message(Navigate("contact"))

    @on(Button.Pressed, "#goto-network, #goto-app, #goto-contact")
    def _goto(self, event: Button.Pressed) -> None:
        target = (event.button.id or "").removeprefix("goto-")
        self.post_message(Navigate(target))

    @on(Button.Pressed, "#need-help")
    def _need_help(self) -> None:
        self.session.need_help = True
        self._show_view()

    @on(Button.Pressed, "#send")
    def _send(self) -> None:
        message = self.final_message()
        if message is None or not self._can_send():
            return
        self.query_one("#send", Button).disabled = True
        self.post_message(SendRequested(message))

    @on(Button.Pressed, "#copy")
    def _copy(self) -> None:
        message = self.final_message()
        if message is not None and not self.kiosk:
            self.app.copy_to_clipboard(clipboard_text(message))
            # Copying goes through the terminal (OSC 52), which may ignore it: say what was
            # done, not that it worked, and offer the ways that cannot fail silently.
            self.notify(t(self.lang, "ui.support.copied"), markup=False, timeout=8)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        message = self.final_message()
        if message is None or self.kiosk:
            return
        folder = self.services.save_dir or documents_dir()
        try:
            markdown, _json = save_files(message, folder)
        except OSError as exc:
            error = one_line(exc.strerror or exc, max_len=200)
            self.notify(
                t(self.lang, "ui.support.save_error", error=error), severity="error", markup=False
            )
            return
        self._saved = True
        # Not a {placeholder}: t() caps parameters (i18n.PARAM_MAX_LEN), paths can be longer.
        self.query_one("#send-status", Prose).show(
            f"{t(self.lang, 'ui.support.saved_to')} {Path(markdown)}"
        )

    @on(Button.Pressed, "#qr")
    def _qr(self) -> None:
        message = self.final_message()
        if message is None:
            return
        payload = qr_payload(message, self.services.profile.support)
        self.app.push_screen(QrDialog(qr_text(payload, invert=False), payload, lang=self.lang))

    # -- language -----------------------------------------------------------------------

    def localize(self, lang: str) -> None:
        """Re-read the texts; an unedited message is written again in `lang`."""
        super().localize(lang)
        self.query_one("#summary", Prose).show(step_summary(self.session, lang))
        if self.view == "fix":
            self._draw_fix_list()
        elif self.session.delivery is None:
            self._compose_message()
        self._draw_wallet_notice()
        self._draw_wallet_contact()
        self._draw_read_aloud()
        self._draw_delivery()
