"""Step 2: the app's version and platform, looked up in the wallet's manifest as typed."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select

from wizard.checks.model import StepResult
from wizard.i18n import t
from wizard.support.handoff import qr_text
from wizard.ui.screens.qr import QrDialog
from wizard.ui.screens.step import StepScreen
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.caption import Caption, Words
from wizard.ui.widgets.clean_input import CleanInput
from wizard.ui.widgets.prose import Prose
from wizard.ui.widgets.qr_code import QrCode
from wizard.vocabulary import PLATFORMS

# Results that come with the official download link (and its QR code).
LINK_CODES = ("update_available", "update_required", "version_not_given")


class AppUpdateScreen(StepScreen):
    """Version and platform inputs; update recommended or required shows the official link."""

    STEP: ClassVar[str] = "app"
    help_topic: ClassVar[str] = "app"
    AUTO_FOCUS = "#version"

    def _platform_options(self) -> list[tuple[str, str]]:
        # Plain strings (catalog text, no markup in it) keep Select's type-to-search working.
        return [(t(self.lang, f"ui.platform.{p}"), p) for p in PLATFORMS]

    def compose_inputs(self) -> ComposeResult:
        """Version (with where to find it) and platform."""
        lang = self.lang
        with Horizontal(id="app-inputs", classes="field-row"):
            with Vertical(classes="field"):
                yield Caption("ui.app.version_label", lang=lang, classes="field-label")
                yield CleanInput(
                    self.session.app_version,
                    kind="version",
                    lang=lang,
                    placeholder_key="ui.app.version_placeholder",
                    id="version",
                )
            with Vertical(classes="field -narrow"):
                yield Caption("ui.app.platform_label", lang=lang, classes="field-label")
                yield Select(
                    self._platform_options(),
                    prompt=t(lang, "ui.app.platform_prompt"),
                    value=self.session.platform or Select.NULL,
                    id="platform",
                )
        yield Caption(
            "ui.app.version_hint",
            lang=lang,
            classes="hint",
            where=Words("codes.words.version_where"),
        )

    def compose_after_checks(self) -> ComposeResult:
        """The official download link and its QR code (shown when an update is due).

        The code is drawn beside the link when the terminal is tall enough; on a short one
        (80×24) it would be cut off, so "Show QR code" opens it in a dialog that fits.
        """
        with Horizontal(id="download"):
            with Vertical(id="download-text"):
                yield Caption("ui.app.download_title", lang=self.lang, classes="download-title")
                yield Prose(id="download-url")
                yield Caption("ui.app.download_hint", lang=self.lang, classes="hint")
                yield ActionButton("ui.app.show_qr", lang=self.lang, id="show-qr")
            yield QrCode(id="download-qr", classes="qr")

    def on_mount(self) -> None:
        """Hide the download link until a result asks for it.

        Textual then calls StepScreen.on_mount itself (every class's handler runs, subclass
        first), which runs the lookup and focuses the version field: not called here too.
        """
        self.query_one("#download").display = False

    def focus_field(self) -> str | None:
        """Typing the version is the first thing to do here."""
        return "#version"

    @on(Input.Changed, "#version")
    def _version_changed(self, event: Input.Changed) -> None:
        if event.value == self.session.app_version:
            return
        self.session.app_version = event.value
        self.schedule_checks()

    @on(Select.Changed, "#platform")
    def _platform_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else ""
        if value == self.session.platform:
            return
        self.session.platform = value
        self.schedule_checks(0.0)

    def on_result(self, result: StepResult) -> None:
        """Show the official link and its QR code when an update is recommended or required."""
        check = result.check("app_version")
        url = ""
        if check is not None and check.code in LINK_CODES:
            url = str(check.details.get("download_url", ""))
        self.query_one("#download").display = bool(url)
        self.query_one("#download-url", Prose).show(url)
        qr = self.query_one("#download-qr", QrCode)
        if url != qr.data:
            qr.set_data(url)

    def enter_goes_on(self) -> bool:
        """Enter in an empty version field is not "done here": the version is asked for."""
        return bool(self.session.app_version.strip()) or not isinstance(self.focused, Input)

    @on(Button.Pressed, "#show-qr")
    def _show_qr(self) -> None:
        url = self.query_one("#download-url", Prose).text
        if url:
            dialog = QrDialog(
                qr_text(url, invert=False),
                url,
                lang=self.lang,
                title_key="ui.app.qr_title",
                holds_key="ui.app.qr_holds",
            )
            self.app.push_screen(dialog)

    def pass_lead_key(self) -> str:
        """Without a version there is nothing to compare: ask for it."""
        result = self.session.results.get("app")
        check = result.check("app_version") if result is not None else None
        if check is not None and check.code == "not_provided":
            return "ui.app.enter_version"
        return "ui.step.passed"

    def localize(self, lang: str) -> None:
        """Re-read the texts; the platform names too, keeping the choice."""
        super().localize(lang)
        select: Select[str] = self.query_one("#platform", Select)
        with select.prevent(Select.Changed):
            select.prompt = t(lang, "ui.app.platform_prompt")
            select.set_options(self._platform_options())
            if self.session.platform:
                select.value = self.session.platform
