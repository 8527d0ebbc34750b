"""PlainWizard: the wizard's flow as a conversation, one line at a time.

Welcome → 1 Network → 2 App update → 3 Your information → 4 Contact support → Done, the
places of `wizard.ui.flow` (from the check registry), each asked and answered in turn:
- the checks run through `runner.run_step`, exactly as on the full screen, and each result
  is said in the fixed order of the registry as soon as it and those before it are in; a
  check still running after `waiting_after_s` says once what it is waiting for;
- the step's gate comes from `wizard.gating.gate_of` (the wallet-side and desk rules), and
  decides which choices lead: Next when the step is through, Check again and "I can't fix
  this" when something is the person's to fix;
- the person's way through is a `Session` (the full screen's own), so the support message
  is composed from the same report, tries and unresolved checks, by
  `wizard.support.message.compose`, and handed over with `wizard.support.handoff`
  (Save) or the outbox and a Courier (Send).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.catalog import contact_lines
from wizard.checks import runner
from wizard.checks.caller import network_result
from wizard.checks.model import CheckResult, StepResult
from wizard.checks.registry import REGISTRY, Registry
from wizard.gating import gate_of
from wizard.i18n import t
from wizard.plain.ask import Asker, Option, QuitRequested
from wizard.plain.delivery import PlainDelivery
from wizard.plain.inputs import ask_app, ask_caller, ask_contact
from wizard.plain.lines import (
    fix_line,
    lead_line,
    result_line,
    spoken_reference,
    status_word,
    step_summary,
)
from wizard.plain.terminal import InputClosed, Terminal
from wizard.profile import Profile
from wizard.support.reference import new_reference
from wizard.text import one_line
from wizard.ui.flow import DONE, SUPPORT, WELCOME, Flow
from wizard.ui.session import Session
from wizard.vocabulary import LANGUAGES, WALLETS, WHATS, Mode

if TYPE_CHECKING:
    from wizard.support.message import Message
    from wizard.support.outbox import Outbox

# The steps that ask something before their checks run (and ask it again on "Check again").
ASKING_STEPS = ("app", "contact")
# Results that come with the official download link (as on the full screen's step 2).
LINK_CODES = ("update_available", "update_required", "version_not_given")
END = "end"
# The answer "another wallet" to Welcome's wallet question.
OTHER_WALLET = "other"
# Delivery states after which Send is done with (a refused message is kept to save).
SENT_STATES = ("saved", "delivered", "queued", "rejected")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class PlainWizard:
    """One conversation on one terminal; `run()` until the person quits or input ends."""

    def __init__(
        self,
        profile: Profile,
        *,
        lang: str,
        terminal: Terminal,
        mode: Mode = "normal",
        demo_scenario: str | None = None,
        outbox: Outbox | None = None,
        now: Callable[[], datetime] = _utc_now,
        reference: str | None = None,
        save_dir: Path | None = None,
        waiting_after_s: float = 3.0,
        registry: Registry = REGISTRY,
    ) -> None:
        """The same services the full-screen wizard is handed (tests fix the clock, the
        reference, the outbox and where Save writes)."""
        self.profile = profile
        # The profile it was started with: "another wallet" returns to it.
        self.station_profile = profile
        # As the full-screen Welcome: no profile, wallet or demo given → ask which wallet.
        self.pick_wallet = profile.source is None and not profile.catalog_id and not demo_scenario
        self.terminal = terminal
        self.mode: Mode = mode
        self.demo_scenario = demo_scenario
        self.registry = registry
        self.flow = Flow.of(registry)
        self._now = now
        self._reference = reference
        self._save_dir = save_dir
        self._waiting_after_s = waiting_after_s
        self.session = self._new_session(lang if lang in LANGUAGES else "en")
        self.asker = Asker(terminal, lambda: self.session.lang, self._has_unsent_message)
        self.delivery = PlainDelivery(
            profile,
            terminal.say,
            outbox=outbox,
            current=lambda: self.session,
        )
        # The support message being shown (None outside step 4's message), its extra note,
        # and whether it was saved to a file (then quitting loses nothing).
        self._message: Message | None = None
        self._note = ""
        self._saved = False

    def _new_session(self, lang: str) -> Session:
        return Session(
            lang=lang,
            region=self.profile.wallet.default_region,
            reference=self._reference or new_reference(),
            started_at=self._now(),
            step_ids=self.registry.step_ids,
        )

    @property
    def lang(self) -> str:
        """The person's language now."""
        return self.session.lang

    def say(self, text: str = "") -> None:
        """One or more lines to the person."""
        self.terminal.say(text)

    # -- the whole conversation -----------------------------------------------------------

    async def run(self) -> int:
        """Talk until the person quits (or input ends); the exit status (0)."""
        place = WELCOME
        try:
            while place != END:
                place = await self._visit(place)
        except QuitRequested:
            pass
        except InputClosed:
            self.say(t(self.lang, "plain.input_closed"))
        finally:
            await self.delivery.close(self.lang)
        return 0

    async def _visit(self, place: str) -> str:
        if place == WELCOME:
            return await self.welcome()
        if place == SUPPORT:
            return await self.support()
        if place == DONE:
            return await self.done()
        return await self.step(place)

    # -- Welcome --------------------------------------------------------------------------

    async def welcome(self) -> str:
        """Language, what failed to update, the app's error text; then step 1."""
        lang = self.lang
        self.say(t(lang, "plain.title"))
        self.say(t(lang, "ui.welcome.title"))
        self.say(t(lang, "ui.welcome.intro"))
        if self.mode == "staff":
            self.say(t(lang, "plain.welcome.staff"))
        self.say(self._wallet_line())
        self.say(t(lang, "plain.how_to"))
        languages = [Option("zh-CN", t(lang, "ui.lang.zh")), Option("en", t(lang, "ui.lang.en"))]
        chosen = await self.asker.choice(
            [t(lang, "plain.welcome.language")],
            languages,
            default=[o.value for o in languages].index(lang) + 1,
            help_text=t(lang, "plain.help.language"),
        )
        self.session.lang = lang = chosen
        if self.pick_wallet:
            await self._ask_wallet()
        whats = [Option(w, t(lang, f"ui.what.{w}")) for w in WHATS]
        self.session.what = await self.asker.choice(
            [t(lang, "plain.welcome.what")],
            whats,
            default=WHATS.index(self.session.what) + 1,
            help_text=f"{t(lang, 'plain.help.what')}\n{t(lang, 'ui.help.causes')}",
        )
        error_text = await self.asker.text(
            [t(lang, "plain.welcome.error_text")],
            help_text=t(lang, "plain.help.error_text"),
            keep=self.session.error_text,
        )
        self.session.error_text = one_line(error_text, max_len=1000)
        return self.flow.following(WELCOME)

    async def _ask_wallet(self) -> None:
        """Which wallet: a catalog entry (its version, status page and contacts are then
        checked and shown), or "another wallet" (the station's own profile)."""
        lang = self.lang
        options = [Option(w, t(lang, f"ui.wallets.{w}")) for w in WALLETS]
        options.append(Option(OTHER_WALLET, t(lang, "ui.welcome.wallet_other")))
        current = self.profile.catalog_id or OTHER_WALLET
        chosen = await self.asker.choice(
            [t(lang, "ui.welcome.wallet_pick")],
            options,
            default=[o.value for o in options].index(current) + 1,
            help_text=t(lang, "plain.help.wallet"),
        )
        profile = self.station_profile
        if chosen != OTHER_WALLET:
            from wizard.catalog import wallet

            profile = wallet(chosen)
        self.profile = profile
        self.delivery.use_profile(profile)
        if not self.session.phone:
            # Phone numbers without a country code are read in the wallet's region.
            self.session.region = profile.wallet.default_region

    def _wallet_line(self) -> str:
        wallet = self.profile.wallet.name
        if self.demo_scenario is not None:
            return t(
                self.lang, "ui.welcome.wallet_demo", wallet=wallet, scenario=self.demo_scenario
            )
        if self.profile.source is not None:
            name = Path(self.profile.source).name
            return t(self.lang, "ui.welcome.wallet_profile", wallet=wallet, file=name)
        return t(self.lang, "ui.welcome.wallet_default")

    # -- steps 1–3 ------------------------------------------------------------------------

    def _heading(self, step: str) -> str:
        return t(
            self.lang,
            "plain.step.heading",
            number=self.flow.number(step),
            total=self.flow.last_number,
            name=t(self.lang, f"checks.steps.{step}"),
        )

    def _staff_step(self, step: str) -> bool:
        """Staff mode's network step: the caller is asked, only the live checks run here."""
        return self.mode == "staff" and step == "network"

    async def step(self, step: str) -> str:
        """Ask, check, say the results and the lead, then ask where to go; the next place."""
        lang = self.lang
        self.say(self._heading(step))
        intro = "staff.intro" if self._staff_step(step) else f"ui.{step}.intro"
        self.say(t(lang, intro))
        names = [t(lang, f"checks.{c}") for c in self.registry.step(step).check_ids]
        self.say(t(lang, "plain.step.checks", names=t(lang, "plain.step.list_sep").join(names)))
        asks = step in ASKING_STEPS or self._staff_step(step)
        while True:
            await self._ask_inputs(step)
            result = await self._check(step)
            gate = gate_of(result)
            explained = result.explained(self.lang).checks
            nothing = step == "contact" and not (self.session.phone or self.session.email)
            self.say(lead_line(gate, explained, self.lang, nothing_given=nothing))
            choice = await self._gate_choice(step, gate, asks=asks)
            if choice == "recheck":
                self.session.recheck(step)
                continue
            if choice == "continue":
                self.session.continue_anyway(step)
                return self.flow.following(step)
            if choice == "back":
                return self.flow.previous(step)
            return self.flow.following(step)

    async def _ask_inputs(self, step: str) -> None:
        if step == "app":
            await ask_app(self.asker, self.session)
        elif step == "contact":
            await ask_contact(self.asker, self.session)
        elif self._staff_step(step):
            await ask_caller(self.asker, self.session)

    async def _gate_choice(self, step: str, gate: str, *, asks: bool) -> str:
        lang = self.lang
        recheck = Option(
            "recheck", t(lang, f"plain.gate.{'recheck_inputs' if asks else 'recheck'}")
        )
        back_key = "back_start" if self.flow.previous(step) == WELCOME else "back"
        back = Option("back", t(lang, f"plain.gate.{back_key}"))
        if gate == "fail":
            options = [recheck, Option("continue", t(lang, "plain.gate.continue_anyway")), back]
        else:
            options = [Option("next", t(lang, "plain.gate.next")), recheck, back]
        return await self.asker.choice(
            [t(lang, "plain.gate.question")],
            options,
            default=1,
            help_text=f"{t(lang, f'ui.help.{step}')}\n{t(lang, 'plain.help.gate')}",
        )

    async def _check(self, step: str) -> StepResult:
        """Run the step's checks; say each result in order, and what a slow one waits for."""
        self.say(t(self.lang, "ui.step.running"))
        if self._staff_step(step):
            live = await self._run(step, self.registry.step(step).with_role("live"), say=False)
            result = network_result(self.session.answers, live.checks, self.registry)
            for check in result.checks:
                self._say_result(check)
        else:
            result = await self._run(step, None, say=True)
        self.session.record(result)
        if step == "app":
            self._say_download(result)
        return result

    async def _run(self, step: str, only: tuple[str, ...] | None, *, say: bool) -> StepResult:
        order = list(only if only is not None else self.registry.step(step).check_ids)
        finished: dict[str, CheckResult] = {}
        waiting_for: dict[str, str] = {}
        told = 0
        loop = asyncio.get_running_loop()
        timers: list[asyncio.TimerHandle] = []

        def still_running(check_id: str) -> None:
            if check_id in finished:
                return
            name = t(self.lang, f"checks.{check_id}")
            what = waiting_for.get(check_id, "")
            if what:
                self.say(t(self.lang, "plain.step.waiting", check=name, what=what))
            else:
                self.say(t(self.lang, "plain.step.still_running", check=name))

        def on_event(event: runner.Event) -> None:
            nonlocal told
            if isinstance(event, runner.CheckStarted):
                timers.append(loop.call_later(self._waiting_after_s, still_running, event.check_id))
            elif isinstance(event, runner.CheckWaiting):
                waiting_for[event.check_id] = event.what
            else:
                finished[event.result.id] = event.result
                # In the fixed order: a result waits for those before it.
                while say and told < len(order) and order[told] in finished:
                    self._say_result(finished[order[told]])
                    told += 1

        try:
            return await runner.run_step(
                step,
                self.profile,
                self.session.inputs(),
                registry=self.registry,
                on_event=on_event,
                only=only,
            )
        finally:
            for timer in timers:
                timer.cancel()

    def _say_result(self, check: CheckResult) -> None:
        lang = self.lang
        words = check.explained(lang)
        line = result_line(words, lang)
        word = status_word(words.status, lang)
        coloured = self.terminal.status_word(words.status, word)
        if coloured != word and line.startswith(word):
            self.terminal.say_raw(coloured + one_line(line[len(word) :], max_len=2000))
        else:
            self.say(line)
        if fix := fix_line(words, lang):
            self.say(fix)

    def _say_download(self, result: StepResult) -> None:
        check = result.check("app_version")
        if check is None or check.code not in LINK_CODES:
            return
        url = str(check.details.get("download_url", ""))
        if url:
            self.say(t(self.lang, "ui.app.download_title"))
            self.say(one_line(url, max_len=2000))

    # -- step 4 ---------------------------------------------------------------------------

    async def support(self) -> str:
        """Fix first, or the message and Send / Save / skip; the next place."""
        lang = self.lang
        self.say(self._heading(SUPPORT))
        self.say(step_summary(self.session, lang))
        while self.session.unresolved() and not self.session.need_help:
            target = await self._fix_first()
            if target != SUPPORT:
                return target
        try:
            return await self._message_view()
        finally:
            self._message = None

    async def _fix_first(self) -> str:
        """What to fix first, and where: go to that step, or "I still need help"."""
        lang = self.lang
        self.say(t(lang, "plain.support.fix_first"))
        failing: list[str] = []
        for step, check in self.session.unresolved():
            words = check.explained(lang)
            number = self.flow.number(step)
            name = t(lang, f"checks.{check.id}")
            self.say(
                t(lang, "plain.support.fix_item", number=number, check=name, summary=words.summary)
            )
            if line := fix_line(words, lang):
                self.say(line)
            if step not in failing:
                failing.append(step)
        options = [
            Option(
                step,
                t(
                    lang,
                    "plain.support.goto",
                    number=self.flow.number(step),
                    name=t(lang, f"checks.steps.{step}"),
                ),
            )
            for step in failing
        ]
        options.append(Option(SUPPORT, t(lang, "plain.support.need_help")))
        chosen = await self.asker.choice(
            [t(lang, "plain.gate.question")],
            options,
            default=1,
            help_text=f"{t(lang, 'ui.help.support')}\n{t(lang, 'ui.support.still_need_help_hint')}",
        )
        if chosen == SUPPORT:
            self.session.need_help = True
        return chosen

    def _compose(self) -> Message:
        from wizard.support.message import compose

        session, lang = self.session, self.lang
        notes = []
        if session.error_text.strip():
            notes.append(f"{t(lang, 'ui.support.app_said')} {session.error_text.strip()}")
        if self._note:
            notes.append(self._note)
        return compose(
            session.report(self.profile.wallet.name),
            profile=self.profile,
            inputs=session.inputs(),
            lang=lang,
            what=session.what,
            note="\n".join(notes),
            tried=session.tried(),
            addressed_to="ticket_system" if self.mode == "staff" else "help_desk",
            reference=session.reference,
            now=self._now(),
            read_back=session.read_back,
        )

    def _show_message(self) -> None:
        from wizard.support.handoff import clipboard_text

        lang = self.lang
        message = self._message = self._compose()
        problems = self.session.wallet_problems()
        if problems:
            worst = max(problems, key=lambda c: c.status.rank).explained(lang)
            self.say(t(lang, "ui.support.wallet_notice", summary=worst.summary))
        for line in spoken_reference(self.session.reference, self.profile.support, lang, self.mode):
            self.say(line)
        if self.profile.catalog_id:
            # A real wallet's own contacts, each with its source, and the fake-numbers warning.
            for line in contact_lines(self.profile, lang):
                self.say(line)
        intro = (
            "plain.staff.message_intro" if self.mode == "staff" else "plain.support.message_intro"
        )
        self.say(t(lang, intro))
        self.say(t(lang, "plain.support.message_begin"))
        self.say(clipboard_text(message).rstrip("\n"))
        self.say(t(lang, "plain.support.message_end"))

    def _can_send(self) -> bool:
        delivery = self.session.delivery
        sent = delivery is not None and delivery.state in (
            "saved",
            "delivered",
            "queued",
            "rejected",
        )
        return bool(self.profile.support.endpoint) and not sent

    async def _message_view(self) -> str:
        self._show_message()
        while True:
            lang = self.lang
            if not self.profile.support.endpoint:
                self.say(t(lang, "plain.support.no_endpoint"))
            options = []
            if self._can_send():
                options.append(Option("send", t(lang, "plain.support.send")))
            options.append(Option("save", t(lang, "plain.support.save")))
            options.append(Option("note", t(lang, "plain.support.note")))
            if self.mode == "staff" and not self.session.read_back:
                options.append(Option("read_back", t(lang, "plain.support.read_back")))
            options.append(Option("skip", t(lang, "plain.support.skip")))
            back = self.flow.previous(SUPPORT)
            back_name = t(lang, f"checks.steps.{back}")
            number = self.flow.number(back)
            options.append(
                Option("back", t(lang, "plain.support.back", number=number, name=back_name))
            )
            chosen = await self.asker.choice(
                [t(lang, "plain.support.handoff")],
                options,
                default=1,
                help_text=f"{t(lang, 'ui.help.support')}\n{t(lang, 'plain.help.handoff')}",
            )
            if chosen == "send" and self._message is not None:
                delivery = await self.delivery.send(self.session, self._message)
                if delivery.state in ("saved", "delivered", "queued"):
                    return DONE
            elif chosen == "save":
                self._save()
            elif chosen == "note":
                await self._add_note()
            elif chosen == "read_back":
                self.session.read_back = True
                self._show_message()
                self.say(t(lang, "plain.support.read_back_done"))
            elif chosen == "skip":
                return DONE
            elif chosen == "back":
                return back

    def _save(self) -> None:
        from wizard.locations import documents_dir
        from wizard.support.handoff import save_files

        if self._message is None:
            return
        lang = self.lang
        try:
            markdown, _json = save_files(self._message, self._save_dir or documents_dir())
        except OSError as exc:
            error = one_line(exc.strerror or exc, max_len=200)
            self.say(t(lang, "ui.support.save_error", error=error))
            return
        self._saved = True
        # Not a {placeholder}: t() caps parameters (i18n.PARAM_MAX_LEN), paths can be longer.
        self.say(f"{t(lang, 'ui.support.saved_to')} {one_line(markdown, max_len=4000)}")

    async def _add_note(self) -> None:
        lang = self.lang
        note = await self.asker.text(
            [t(lang, "plain.support.note_question")],
            help_text=t(lang, "plain.help.note"),
            keep=self._note,
        )
        self._note = one_line(note, max_len=1000)
        self._show_message()
        if self._note:
            self.say(t(lang, "plain.support.note_added"))

    def _has_unsent_message(self) -> bool:
        """Whether a message is being shown and was neither sent nor saved anywhere."""
        return self._message is not None and self.session.delivery is None and not self._saved

    # -- Done -----------------------------------------------------------------------------

    async def done(self) -> str:
        """The outcome, the reference, the tips; start over or quit."""
        lang = self.lang
        delivery = self.session.delivery
        state = delivery.state if delivery is not None else ""
        if delivery is not None and state == "delivered":
            if delivery.ticket_id:
                self.say(t(lang, "plain.done.delivered_ticket", ticket_id=delivery.ticket_id))
            else:
                self.say(t(lang, "plain.done.delivered"))
        elif state in ("saved", "queued"):
            self.say(t(lang, "plain.done.queued"))
        else:
            self.say(t(lang, "plain.done.not_sent"))
        for line in spoken_reference(self.session.reference, self.profile.support, lang, self.mode):
            self.say(line)
        self.say(t(lang, "ui.done.tips_title"))
        for key in ("ui.done.tip_update", "ui.done.tip_network", "ui.done.tip_details"):
            # The catalog's bullet is drawn for the eye; a screen reader would say "bullet".
            self.say(t(lang, key).lstrip("•· ").strip())
        self.say(t(lang, "ui.done.security"))
        options = [
            Option("start_over", t(lang, "plain.done.start_over")),
            Option("quit", t(lang, "plain.done.quit")),
        ]
        chosen = await self.asker.choice(
            [t(lang, "plain.done.question")],
            options,
            # A support agent takes the next call; a person is done.
            default=1 if self.mode == "staff" else 2,
            help_text=f"{t(lang, 'ui.help.done')}\n{t(lang, 'plain.help.done')}",
        )
        if chosen == "quit":
            return END
        self.session = self._new_session(lang)
        self._note = ""
        self._saved = False
        return WELCOME


async def converse(wizard: PlainWizard) -> int:
    """Run a conversation; an unexpected fault is one line for the person, never a traceback."""
    try:
        return await wizard.run()
    except (KeyboardInterrupt, asyncio.CancelledError):
        raise
    except Exception as exc:
        detail = one_line(f"{type(exc).__name__}: {exc}", max_len=300)
        with contextlib.suppress(Exception):
            wizard.say(t(wizard.lang, "plain.internal_error", detail=detail))
        return 1
