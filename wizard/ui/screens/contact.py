"""Step 3: the phone number and email being set, validated as they are typed.

Syntax feedback is immediate (pure functions, well under a millisecond a keystroke); the
live checks (email deliverability in DNS) run after a pause in typing, in the step's
exclusive worker, and an answer for text that has since changed is dropped.
"""

from __future__ import annotations

from typing import ClassVar

import phonenumbers
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Input, Select

from wizard.checks.contact import (
    calling_codes,
    load_email_validator,
    phone_preview,
    validate_email_syntax,
    validate_phone,
    warm_up_phone,
)
from wizard.checks.model import Status, StepResult
from wizard.diagnosis import describe
from wizard.i18n import has, t
from wizard.ui.screens.step import StepScreen
from wizard.ui.services import Services
from wizard.ui.session import Session
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption
from wizard.ui.widgets.clean_input import CleanInput
from wizard.ui.widgets.prose import Prose

# Step 3 checks the address as it is typed: email-validator is loaded with the screen, so the
# first keystroke's feedback does not wait for it.
load_email_validator()

# Listed first, in this order: where most people who set a wallet number live.
COMMON_REGIONS = ("CN", "HK", "MO", "TW", "US", "GB", "SG", "JP", "KR", "MY", "AU", "CA")


def region_options(lang: str) -> list[tuple[str, str]]:
    """Every region phonenumbers knows, the common ones first, as "CN +86 China mainland"."""
    others = sorted(phonenumbers.SUPPORTED_REGIONS - set(COMMON_REGIONS))
    options = []
    for region in (*COMMON_REGIONS, *others):
        code = calling_codes()[region]
        key = f"ui.region.{region}"
        name = f" {t(lang, key)}" if has("en", key) else ""
        options.append((f"{region} +{code}{name}", region))
    return options


class ContactScreen(StepScreen):
    """Phone with region and live preview, email with live syntax and "Did you mean …?"."""

    STEP: ClassVar[str] = "contact"
    help_topic: ClassVar[str] = "contact"
    AUTO_FOCUS = "#phone"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+y", "use_suggestion", "ui.keys.use_suggestion"),
    ]

    def __init__(self, session: Session, services: Services) -> None:
        super().__init__(session, services)
        self.suggestion = ""

    def compose_inputs(self) -> ComposeResult:
        """Phone (region and number), its feedback; email, its feedback and suggestion."""
        lang = self.lang
        yield Caption("ui.contact.phone_label", lang=lang, classes="field-label")
        with Horizontal(id="phone-row", classes="field-row"):
            region = self.session.region
            if region not in phonenumbers.SUPPORTED_REGIONS:
                region = self.session.region = COMMON_REGIONS[0]
            yield Select(
                region_options(lang),
                value=region,
                allow_blank=False,
                id="region",
            )
            yield CleanInput(
                self.session.phone,
                kind="phone",
                lang=lang,
                placeholder_key="ui.contact.phone_placeholder",
                id="phone",
            )
        yield Prose(id="phone-feedback", classes="feedback")
        yield Caption("ui.contact.email_label", lang=lang, classes="field-label")
        yield CleanInput(
            self.session.email,
            kind="email",
            lang=lang,
            placeholder_key="ui.contact.email_placeholder",
            id="email",
        )
        yield Prose(id="email-feedback", classes="feedback")
        with Horizontal(id="suggest"):
            yield Caption("ui.contact.did_you_mean", lang=lang, id="suggest-text", suggestion="")
            yield ActionButton("ui.contact.use_suggestion", lang=lang, id="use-suggestion")

    def on_mount(self) -> None:
        """Draw the feedback for what is known.

        Textual then calls StepScreen.on_mount itself (every class's handler runs, subclass
        first), which runs the checks and focuses the field: not called here too.
        """
        self._phone_feedback()
        self._email_feedback()
        # Once the screen is shown: the first keystroke's feedback then waits for nothing.
        self.call_after_refresh(lambda: warm_up_phone(self.session.region))

    def focus_field(self) -> str | None:
        """The field of what the person is updating."""
        return "#email" if self.session.what == "email" else "#phone"

    # -- live feedback ------------------------------------------------------------------

    def _status_line(self, status: Status, summary: str) -> str:
        return f"{status.icon} {t(self.lang, f'checks.status.{status.value}')} — {summary}"

    def _phone_feedback(self) -> None:
        text, region = self.session.phone, self.session.region
        feedback = self.query_one("#phone-feedback", Prose)
        if not text.strip():
            feedback.show(t(self.lang, "ui.contact.phone_empty"))
            return
        verdict = validate_phone(text, region)
        summary, _fix = describe("phone", verdict.code, self.lang, verdict.details)
        preview = t(
            self.lang,
            "ui.contact.preview",
            preview=phone_preview(text, region) or "…",
            e164=verdict.e164 or "—",
        )
        feedback.show(f"{preview}\n{self._status_line(verdict.status, summary)}")

    def _email_feedback(self) -> None:
        text = self.session.email
        feedback = self.query_one("#email-feedback", Prose)
        if not text.strip():
            feedback.show(t(self.lang, "ui.contact.email_empty"))
            self._set_suggestion("")
            return
        verdict = validate_email_syntax(text)
        if verdict.status is Status.PASS:
            summary = t(self.lang, "ui.contact.email_syntax_ok")
        else:
            summary, _fix = describe("email", verdict.code, self.lang, verdict.details)
        feedback.show(self._status_line(verdict.status, summary))
        self._set_suggestion(verdict.suggestion or "")

    def _set_suggestion(self, suggestion: str) -> None:
        self.suggestion = suggestion
        row = self.query_one("#suggest")
        row.display = bool(suggestion)
        # The row says it (with its button): the feedback line would only repeat it.
        self.query_one("#email-feedback").display = not suggestion
        if suggestion and self.query_one("#email").has_focus:
            row.scroll_visible(animate=False)
        self.query_one("#suggest-text", Caption).set_key(
            "ui.contact.did_you_mean", suggestion=suggestion
        )
        self.refresh_bindings()

    def on_result(self, result: StepResult) -> None:
        """The deliverability answer replaces "checking…" (it may carry a suggestion too)."""
        email = result.check("email")
        if email is None or email.status is Status.SKIP:
            return
        email = email.explained(self.lang)
        self.query_one("#email-feedback", Prose).show(
            self._status_line(email.status, email.summary)
        )
        suggestion = email.details.get("suggestion")
        if not self.suggestion and isinstance(suggestion, str) and suggestion:
            self._set_suggestion(suggestion)

    # -- typing -------------------------------------------------------------------------

    @on(Input.Changed, "#phone")
    def _phone_changed(self, event: Input.Changed) -> None:
        if event.value == self.session.phone:
            return
        self.session.phone = event.value
        self._phone_feedback()
        self.schedule_checks()

    @on(Select.Changed, "#region")
    def _region_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else ""
        if not value or value == self.session.region:
            return
        self.session.region = value
        self._phone_feedback()
        self.schedule_checks(0.0)

    @on(Input.Changed, "#email")
    def _email_changed(self, event: Input.Changed) -> None:
        if event.value == self.session.email:
            return
        self.session.email = event.value
        self._email_feedback()
        self.schedule_checks()

    # -- "Did you mean …?" --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ctrl+Y is offered only while there is a suggestion."""
        if action == "use_suggestion":
            return bool(self.suggestion)
        return super().check_action(action, parameters)

    def action_use_suggestion(self) -> None:
        """Ctrl+Y: replace the email with the suggested address."""
        if not self.suggestion:
            return
        field = self.query_one("#email", CleanInput)
        field.value = self.suggestion
        field.cursor_position = len(field.value)
        field.focus()

    @on(Button.Pressed, "#use-suggestion")
    def _use_pressed(self) -> None:
        self.action_use_suggestion()

    def pass_lead_key(self) -> str:
        """With neither field filled in there is nothing to check yet: ask for them."""
        if not self.session.phone.strip() and not self.session.email.strip():
            return "ui.contact.enter_details"
        return "ui.step.passed"

    def localize(self, lang: str) -> None:
        """Re-read the texts, the live feedback and the region names too."""
        super().localize(lang)
        self._phone_feedback()
        self._email_feedback()
        result = self.session.results.get("contact")
        if result is not None and self.gate != "running":
            self.on_result(result)
        select: Select[str] = self.query_one("#region", Select)
        region = self.session.region
        with select.prevent(Select.Changed):
            select.set_options(region_options(lang))
            # set_options chooses the first region; setting the same one again would not
            # redraw its label in the new language, so step through another region first.
            select.value = COMMON_REGIONS[1] if region == COMMON_REGIONS[0] else COMMON_REGIONS[0]
            select.value = region
