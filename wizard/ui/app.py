"""WizardApp: Welcome → 1 Network → 2 App update → 3 Your information → 4 Support → Done.

The App owns the session, the services and the delivery of the message; screens are thin and
ask for things with messages. One handler turns any unexpected worker error into a dialog:
the wizard never quits on its own.

In kiosk mode the App also watches for activity (every key, mouse event and paste passes
through `on_event` before any widget sees it), runs the idle countdown, wipes the session,
and guards the exit with the staff PIN.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import cached_property
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal
from textual.worker import Worker, WorkerState

from wizard.checks.registry import REGISTRY, Registry
from wizard.i18n import t
from wizard.kiosk import IdleState, IdleTimer
from wizard.profile import Profile
from wizard.support.reference import new_reference
from wizard.text import one_line
from wizard.ui.navigation import ChangeLanguage, ChooseWallet, Navigate, SendRequested, StartOver
from wizard.ui.paths import first_screen_stylesheets, later_stylesheets, stylesheets
from wizard.ui.screens.base import WizardScreen
from wizard.ui.services import Services, _utc_now
from wizard.ui.session import Delivery, DeliveryState, Session
from wizard.ui.theme import THEMES
from wizard.vocabulary import LANGUAGES, Mode

if TYPE_CHECKING:
    from wizard.kiosk import PinGate
    from wizard.support.courier import Courier
    from wizard.support.message import Message
    from wizard.support.outbox import Outbox
    from wizard.support.send import DeliveryResult
    from wizard.ui.screens.kiosk import CountdownDialog

# The screen of each place in the flow (the flow itself comes from the registry's steps).
SCREEN_MODULES = {
    "welcome": ("welcome", "WelcomeScreen"),
    "network": ("network", "NetworkScreen"),
    "app": ("app_update", "AppUpdateScreen"),
    "contact": ("contact", "ContactScreen"),
    "support": ("support", "SupportScreen"),
    "done": ("done", "DoneScreen"),
}
# Staff mode asks the caller instead of measuring step 1.
STAFF_SCREENS = {"network": ("staff_network", "StaffNetworkScreen")}
# Kiosk: no way out to a shell (quit, palette, suspend); "how to quit" would only tease.
KIOSK_BLOCKED = frozenset({"quit", "command_palette", "suspend_process", "help_quit"})
# What counts as someone being there.
ACTIVITY = (events.Key, events.MouseEvent, events.Paste)


class WizardApp(App[None]):
    """The terminal wizard."""

    # Each screen says what it focuses first (Screen.AUTO_FOCUS); a step without a field
    # focuses nothing until its result says which button leads.
    AUTO_FOCUS = None

    # Welcome's stylesheets; the others are read once it is shown (`_read_later_styles`).
    CSS_PATH: ClassVar[list[str | PurePath]] = list(first_screen_stylesheets())
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "ui.keys.help"),
        Binding("f2", "switch_language", "ui.keys.language"),
        Binding("ctrl+q", "quit", "ui.keys.quit", priority=True),
        # Priority: moving focus happens the moment Tab arrives, in the App, not later in the
        # focused field's own queue, so characters typed right after Tab (fast typists, a
        # terminal delivering several keys in one write) land in the next field.
        Binding("tab", "focus_next", show=False, priority=True),
        Binding("shift+tab", "focus_previous", show=False, priority=True),
        # Kiosk only (docs/kiosk.md): the staff exit, asking for the PIN. Not shown.
        Binding("ctrl+backslash", "staff_exit", "ui.keys.staff_exit", show=False, priority=True),
    ]

    def __init__(
        self,
        profile: Profile,
        *,
        lang: str,
        mode: Mode = "normal",
        demo_scenario: str | None = None,
        outbox: Outbox | None = None,
        now: Callable[[], datetime] | None = None,
        reference: str | None = None,
        show_timing: bool = True,
        save_dir: Path | None = None,
        waiting_after_s: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
        tick_s: float = 1.0,
        registry: Registry = REGISTRY,
        theme_name: str = "default",
        after_first_paint: Callable[[], object] | None = None,
    ) -> None:
        """`after_first_paint`: work that may wait until the first screen is on the terminal
        (`--demo`'s servers); run once, in a thread, and an error it raises is shown as any
        unexpected error is (`show_error`)."""
        # A theme of its own (high contrast) restyles every screen, Welcome included: its
        # rules come last, so with it every stylesheet is read before the first paint.
        super().__init__(css_path=None if theme_name == "default" else list(stylesheets()))
        self._after_first_paint = after_first_paint
        self.services = Services(
            profile=profile,
            mode=mode,
            demo_scenario=demo_scenario,
            now=now or _utc_now,
            reference=reference,
            show_timing=show_timing,
            save_dir=save_dir,
            outbox=outbox,
            waiting_after_s=waiting_after_s,
            clock=clock,
            tick_s=tick_s,
            registry=registry,
            pick_wallet=(
                profile.source is None and not profile.catalog_id and demo_scenario is None
            ),
        )
        # The profile the wizard was started with: "another wallet", and after a kiosk wipe.
        self.station_profile = profile
        self._outbox = outbox
        self._outbox_lock = threading.Lock()
        # Takes messages to the help desk and retries them (made with the outbox).
        self._courier: Courier | None = None
        # The session each message in delivery belongs to (dropped with the session).
        self._delivering: dict[int, Session] = {}
        # References of messages being saved now (a second Send meanwhile is the same one).
        self._saving: set[str] = set()
        kiosk = profile.kiosk
        self.idle = IdleTimer(kiosk.idle_s, kiosk.warn_s, clock)
        self._countdown: CountdownDialog | None = None
        # How many times the kiosk has looked at the idle timer: tests wait for the next look
        # (nothing else changes when the answer is "still active").
        self.kiosk_ticks = 0
        # Whether anyone touched the station since the last wipe (an untouched Welcome is
        # left alone: there is nothing to wipe, and no one to ask "still there?").
        self._touched = False
        self._swallow_release = False
        if mode == "kiosk":
            self.use_command_palette = False
        # Textual honours NO_COLOR by drawing in greys; the stylesheet then keeps status text
        # at full contrast (see app.tcss).
        self.set_class(self.no_color, "-no-color")
        # `--theme` / `[kiosk] theme`: "default" keeps Textual's own look.
        for theme in THEMES.values():
            self.register_theme(theme)
        if theme_name in THEMES:
            self.theme = theme_name
        self.delivery_signal: Signal[Delivery] = Signal(self, "delivery")
        # The station's language: the session returns to it after a kiosk wipe.
        self.default_lang = lang if lang in LANGUAGES else "en"
        self.session = self._new_session(self.default_lang)
        self.title = t(self.session.lang, "ui.wizard.title")

    @property
    def mode(self) -> Mode:
        """normal, kiosk (shared help station) or staff (guiding a caller)."""
        return self.services.mode

    def _new_session(self, lang: str) -> Session:
        return Session(
            lang=lang,
            region=self.services.profile.wallet.default_region,
            reference=self.services.reference or new_reference(),
            started_at=self.services.now(),
            step_ids=self.services.registry.step_ids,
        )

    # -- screens ------------------------------------------------------------------------

    def make_screen(self, target: str) -> Screen[None]:
        """A fresh screen of the flow, handed the session and the services."""
        # Each screen's module is imported when it is first shown: phonenumbers, dnspython
        # and the support layer stay out of the start-up time (budget: 1.25 × bare Textual).
        name, class_name = SCREEN_MODULES[target]
        if self.mode == "staff":
            name, class_name = STAFF_SCREENS.get(target, (name, class_name))
        module = importlib.import_module(f"wizard.ui.screens.{name}")
        screen_class: type[WizardScreen] = getattr(module, class_name)
        return screen_class(self.session, self.services)

    def get_default_screen(self) -> Screen[None]:
        """Welcome is the first screen itself (no blank screen is set up and drawn first).

        It stays at the bottom of the stack; the steps replace one another above it.
        """
        return self.make_screen("welcome")

    def on_navigate(self, message: Navigate) -> None:
        """Show another screen of the flow in place of the current one."""
        target = message.target
        if target not in self.services.flow.screens:
            return
        if target == "welcome":
            self._back_to_welcome()
        elif len(self.screen_stack) == 1:
            self.push_screen(self.make_screen(target))
        else:
            self.switch_screen(self.make_screen(target))

    def on_start_over(self, _message: StartOver) -> None:
        """A new session in the same language, back on Welcome (a queued message still goes).

        At a kiosk the next person is a stranger: Start over wipes everything, as idling does.
        """
        if self.mode == "kiosk":
            self.wipe_session()
            return
        self._delivering.clear()
        self.session = self._new_session(self.session.lang)
        self._back_to_welcome(fresh=True)

    def _back_to_welcome(self, *, fresh: bool = False) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        welcome = self.screen_stack[0]
        if fresh and isinstance(welcome, WizardScreen):
            # Rebuilt from the new session: nothing of the last person stays in its widgets.
            welcome.session = self.session
            welcome.services = self.services
            self.call_next(welcome.recompose)

    # -- wallet -------------------------------------------------------------------------

    def on_choose_wallet(self, message: ChooseWallet) -> None:
        """Welcome's picker: check a catalog wallet from now on ("" for the station's own)."""
        if not self.services.pick_wallet:
            return
        profile = self.station_profile
        if message.wallet_id:
            from wizard.catalog import wallet

            profile = wallet(message.wallet_id)
        self.use_profile(profile)

    def use_profile(self, profile: Profile) -> None:
        """Check `profile`'s wallet: the screens shown now and every one made after."""
        if profile is self.services.profile:
            return
        self.services = replace(self.services, profile=profile)
        if not self.session.phone:
            # The region picker starts at the wallet's region until the person chooses one.
            self.session.region = profile.wallet.default_region
        for screen in self.screen_stack:
            if isinstance(screen, WizardScreen):
                screen.services = self.services
                screen.show_wallet()

    # -- language -----------------------------------------------------------------------

    def on_change_language(self, message: ChangeLanguage) -> None:
        """A screen asked for another language."""
        self.set_language(message.lang)

    def set_language(self, lang: str) -> None:
        """Switch the whole wizard to `lang`: every screen re-reads its texts."""
        if lang not in LANGUAGES or lang == self.session.lang:
            return
        self.session.lang = lang
        self.title = t(lang, "ui.wizard.title")
        for screen in self.screen_stack:
            localize = getattr(screen, "localize", None)
            if callable(localize):
                localize(lang)

    def action_switch_language(self) -> None:
        """F2: the other language."""
        self.set_language("en" if self.session.lang == "zh-CN" else "zh-CN")

    # -- help and errors ----------------------------------------------------------------

    def action_help(self) -> None:
        """F1: why the current step matters."""
        from wizard.ui.screens.help import HelpDialog

        if isinstance(self.screen, HelpDialog):
            return
        topic = getattr(self.screen, "help_topic", "welcome")
        self.push_screen(HelpDialog(str(topic), lang=self.session.lang, mode=self.mode))

    def action_help_quit(self) -> None:
        """Ctrl+C: say how to quit, in the person's language."""
        self.notify(t(self.session.lang, "ui.wizard.how_to_quit"), markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place unexpected worker errors go: a dialog, and the wizard stays up."""
        if event.state is not WorkerState.ERROR:
            return
        self.show_error(event.worker.error)

    def show_error(self, error: BaseException | None) -> None:
        """Show an unexpected error in a dialog (sanitized, literal)."""
        detail = one_line(f"{type(error).__name__}: {error}", max_len=300)
        from wizard.ui.screens.error import ErrorDialog

        self.push_screen(ErrorDialog(detail, lang=self.session.lang))

    # -- kiosk --------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Kiosk: watch the idle timer, and send what earlier sessions left in the outbox."""
        if self.mode == "kiosk":
            self.idle.touch()
            self.set_interval(self.services.tick_s, self._kiosk_tick)
            self._drain_outbox()

    def on_ready(self, _event: events.Ready) -> None:
        """The first frame is on the terminal: read the other screens' styles, and start
        what was left until now (off the loop); let Python's collector run again (held by
        the `wallet-wizard` script while the wizard starts: wizard.collector)."""
        from wizard import collector

        collector.release()
        self._read_later_styles()
        work, self._after_first_paint = self._after_first_paint, None
        if work is not None:
            self.run_worker(work, name="after-first-paint", thread=True, exit_on_error=False)

    def _read_later_styles(self) -> None:
        """The stylesheets of the steps, step 4, Done and the dialogs: parsing them took the
        first paint about 20 ms (issue 10). They follow Welcome's in the same order as when
        all are read at once, and parsing adds to the rules already parsed (Textual's own
        way of adding a screen's CSS, `reparse`, would parse every stylesheet again)."""
        later = [path for path in later_stylesheets() if path not in self.css_path]
        if not later:
            return
        self.stylesheet.read_all(later)
        self.css_path.extend(later)
        self.stylesheet.update(self)

    def on_app_focus(self, _event: events.AppFocus) -> None:
        """A browser tab took the focus: give the screen its first focus if it has none yet.

        textual-serve starts every session blurred, before the first screen can take its
        AUTO_FOCUS, and Textual restores only a focus it saw; without this, Enter does nothing
        on Welcome in the web mode (`serve`).
        """
        screen = self.screen
        if screen.focused is None and screen.AUTO_FOCUS:
            for widget in screen.query(screen.AUTO_FOCUS):
                if widget.focusable:
                    widget.focus()
                    break

    async def on_event(self, event: events.Event) -> None:
        """Every key, mouse event and paste is activity, before any widget may consume it."""
        if self.mode == "kiosk" and isinstance(event, ACTIVITY) and not event.is_forwarded:
            if self._activity():
                # It only said "I am still here": it must not also act on the screen. A
                # press's release goes too, or Textual could pair it with an older press
                # and click whatever is under the finger.
                self._swallow_release = isinstance(event, events.MouseDown)
                return
            if self._swallow_release and isinstance(event, events.MouseUp):
                self._swallow_release = False
                return
        await super().on_event(event)

    def _activity(self) -> bool:
        """Someone is there: restart the idle timer. True when that closed the countdown."""
        self.idle.touch()
        self._touched = True
        return self._close_countdown()

    def _kiosk_tick(self) -> None:
        self.kiosk_ticks += 1
        if not self._touched:
            self.idle.touch()
            return
        state = self.idle.state()
        if state is IdleState.EXPIRED:
            self.wipe_session()
        elif state is IdleState.WARNING:
            seconds = self.idle.countdown()
            if self._countdown is None:
                from wizard.ui.screens.kiosk import CountdownDialog

                self._countdown = CountdownDialog(seconds, lang=self.session.lang)
                self.push_screen(self._countdown, callback=self._countdown_dismissed)
            else:
                self._countdown.set_seconds(seconds)
        else:
            self._close_countdown()

    def _countdown_dismissed(self, _result: None) -> None:
        """The countdown's own button (or a click that reached it) also means "still here"."""
        self._countdown = None
        self.idle.touch()

    def _close_countdown(self) -> bool:
        dialog = self._countdown
        if dialog is None:
            return False
        self._countdown = None
        # Through the dialog, which closes once: its own button may have closed it already.
        dialog.dismiss(None)
        return True

    def wipe_session(self) -> None:
        """Forget the person: inputs, message, report, screens, clipboard, notices, language.

        Messages in the outbox are kept and their delivery goes on (they are the person's
        request, already confirmed); nothing else of them stays.
        """
        self._countdown = None
        self._delivering.clear()
        # A space, not "": some terminals ignore an empty OSC 52 and keep the old selection.
        self.copy_to_clipboard(" ")
        self.clear_notifications()
        # The next person chooses their own wallet.
        self.services = replace(self.services, profile=self.station_profile)
        self.session = self._new_session(self.default_lang)
        self.title = t(self.default_lang, "ui.wizard.title")
        self._back_to_welcome(fresh=True)
        self.idle.touch()
        self._touched = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Kiosk: no quit, palette or suspend; the staff exit exists only there."""
        if self.mode == "kiosk" and action in KIOSK_BLOCKED:
            return False
        if action == "staff_exit":
            return self.mode == "kiosk"
        return True

    async def action_quit(self) -> None:
        """Ctrl+Q: quit, except at a kiosk (where only the staff exit leaves).

        With a support message on screen that was neither sent nor saved, ask first: it is the
        person's work, and quitting would lose it. Ctrl+Q again in the question quits.
        """
        if self.mode == "kiosk":
            return
        unsent = getattr(self.screen, "has_unsent_message", None)
        if callable(unsent) and unsent():
            from wizard.ui.screens.confirm_quit import ConfirmQuitDialog

            self.push_screen(ConfirmQuitDialog(lang=self.session.lang), callback=self._quit_answer)
            return
        await super().action_quit()

    def _quit_answer(self, quit_now: bool | None) -> None:
        if quit_now:
            self.exit()

    def action_staff_exit(self) -> None:
        """Ctrl+\\ at a kiosk: ask for the staff PIN."""
        from wizard.ui.screens.kiosk import PinDialog

        if self.mode == "kiosk" and not isinstance(self.screen, PinDialog):
            self.push_screen(PinDialog(self.pin_gate, lang=self.session.lang))

    @cached_property
    def pin_gate(self) -> PinGate:
        """The staff exit's PIN and lockout (read from disk the first time it is needed)."""
        from wizard.kiosk import PinGate

        return PinGate.from_settings(self.services.profile.kiosk, self.services.clock)

    # -- delivery -----------------------------------------------------------------------

    def outbox(self) -> Outbox:
        """The outbox given to the App, else the default one (opened once, on first use).

        Called from worker threads: opening waits for the disk.
        """
        with self._outbox_lock:
            if self._outbox is None:
                from wizard.support.outbox import Outbox

                self._outbox = Outbox.open(keep_days=self.services.profile.support.keep_days)
            return self._outbox

    async def _courier_ready(self) -> Courier:
        """The courier of the App's outbox (the outbox is opened off the event loop)."""
        from wizard.support.courier import Courier

        outbox = await asyncio.to_thread(self.outbox)
        if self._courier is None:
            self._courier = Courier(outbox, on_result=self._delivered)
        return self._courier

    def on_send_requested(self, request: SendRequested) -> None:
        """Save first (only then say "saved"), then deliver in the background."""
        message = request.message
        if message.reference not in self._saving:
            self._saving.add(message.reference)
            self._save_and_deliver(self.session, message)

    @work(group="delivery", exit_on_error=False)
    async def _save_and_deliver(self, session: Session, message: Message) -> None:
        """Commit the message off the event loop, then deliver it until the desk decides.

        Runs on the App, not a screen: a new session (or a kiosk wipe) never stops it.
        """
        from wizard.support.desks import DeskUnavailable, destination_for
        from wizard.support.outbox import OutboxError

        try:
            destination = destination_for(self.services.profile)
            courier = await self._courier_ready()
            entry = await asyncio.to_thread(courier.outbox.save_to, message, destination)
        except (OutboxError, DeskUnavailable) as exc:
            self._publish(session, Delivery(message.reference, "failed", error=one_line(exc)))
            return
        finally:
            self._saving.discard(message.reference)
        self._delivering[entry.id] = session
        self._publish(session, Delivery(entry.reference, "saved"))
        await courier.send(entry.id)

    @work(group="drain", exit_on_error=False)
    async def _drain_outbox(self) -> None:
        """Deliver what earlier sessions (or an earlier run) left queued in the outbox."""
        from wizard.support.outbox import OutboxError

        try:
            courier = await self._courier_ready()
        except OutboxError:
            return  # no usable outbox: nothing was kept, so nothing is owed
        await courier.drain_due()

    def _delivered(self, result: DeliveryResult) -> None:
        """The courier's report of one attempt: the Delivery signal of the person waiting."""
        from wizard.support.outbox import State

        session = self._delivering.get(result.entry_id)
        if session is None:
            return  # from an earlier session: the outbox records it, no one is waiting here
        state: DeliveryState = "rejected"
        if result.state is State.DELIVERED:
            state = "delivered"
        elif result.state is State.QUEUED:
            state = "queued"
        delivery = Delivery(result.reference, state, result)
        first = session.delivery is None or session.delivery.state == "saved"
        self._publish(session, delivery)
        # The first answer decides where the person goes: Done unless the desk refused it.
        if first and session is self.session and state in ("delivered", "queued"):
            self.post_message(Navigate("done"))

    def _publish(self, session: Session, delivery: Delivery) -> None:
        session.delivery = delivery
        if session is self.session:
            self.delivery_signal.publish(delivery)
