"""Step 3 never shows or records an answer that is no longer about what the person typed.

The email check asks a loopback DNS server. Two ways an answer goes stale:

- The person types a new address while the lookup for the old one is still out. The DNS
  server holds the old answer until the new address is in the field, then lets it go, so
  it arrives while the step waits for the person to pause typing.
- The person presses Re-check just as the previous run's answer comes in. A message hook
  (Textual's own test hook, called before any message is handled) presses Re-check at the
  very moment that answer is about to be handled, after the DNS answer has changed.

A witness runs in the same hook, before every message the app handles, and notes each time
the email row, the recorded result or the gate carries the stale answer: a stale answer
that was ever shown is still there when the next message (the one that would replace it)
arrives. Every address is typed with keys.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.worker import Worker, WorkerState

from tests.loopback.dns import NULL_MX, Zone
from tests.loopback.held_dns import HeldDNSServer
from tests.ui.conftest import AppFactory
from tests.ui.pilot_helpers import checked, go, until, wizard
from wizard.checks.model import CheckResult, Status
from wizard.demo import DemoService
from wizard.profile import Profile
from wizard.ui.messages import CheckFinished, StepChecked
from wizard.ui.screens.contact import ContactScreen
from wizard.ui.widgets.check_row import CheckRow

NEW = "new-mail.cn"
GOOD = Zone(mx=[(10, "mx.new-mail.cn")])
# One key too many after NEW, a different one on each try (a try may need repeating).
OLD = tuple(f"{NEW}{key}" for key in "xyzw")


@pytest.fixture
def dns() -> Iterator[HeldDNSServer]:
    zones = {NEW: GOOD, "flip-mail.cn": NULL_MX, **dict.fromkeys(OLD, NULL_MX)}
    with HeldDNSServer(zones, held=OLD) as server:
        yield server


def on_loopback_dns(profile: Profile, dns: HeldDNSServer) -> Profile:
    """The demo wallet, its DNS lookups sent to `dns`, with time enough for a held answer."""
    network = dataclasses.replace(profile.network, dns_servers=(dns.address,), timeout_s=15.0)
    return dataclasses.replace(profile, network=network)


def about(result: CheckResult | None, domain: str) -> bool:
    """Whether `result` is the email check's answer for an address at `domain`."""
    return result is not None and result.details.get("domain") == domain


class Witness:
    """Called before every message the app handles: notes what shows a stale answer."""

    def __init__(self) -> None:
        self.screen: ContactScreen | None = None
        self.row: CheckRow | None = None
        self.stale: Callable[[CheckResult | None], bool] = lambda _r: False
        self.watch_row = True
        self.sightings: list[str] = []
        self.before_handling: Callable[[Message], None] = lambda _m: None

    def watch(self, screen: ContactScreen) -> None:
        """Start looking at `screen` (its email row is found once: the hook must be cheap)."""
        self.row = screen.query_one("#check-email", CheckRow)
        self.screen = screen

    def __call__(self, message: Message) -> None:
        self.before_handling(message)
        screen, row = self.screen, self.row
        if screen is None or row is None:
            return
        if self.watch_row and self.stale(row.result):
            self.sightings.append(f"row before {type(message).__name__}")
        recorded = screen.session.results.get("contact")
        if recorded is not None and self.stale(recorded.check("email")):
            self.sightings.append(f"recorded before {type(message).__name__}")


async def type_email(pilot: Pilot[None], address: str) -> None:
    """Replace whatever the email field holds by `address`, key by key, as people do."""
    field = pilot.app.screen.query_one("#email")
    field.focus()
    await pilot.press("end", *["backspace"] * len(wizard(pilot).session.email), *address)
    await until(pilot, lambda: wizard(pilot).session.email == address, f"{address} typed")


def running_checks(pilot: Pilot[None]) -> list[Worker[object]]:
    screen = pilot.app.screen
    return [
        w
        for w in pilot.app.workers
        if w.node is screen and w.group == "checks" and not w.is_finished
    ]


async def test_an_answer_for_an_address_typed_over_is_never_shown_or_recorded(
    make_app: AppFactory, demo: DemoService, dns: HeldDNSServer
) -> None:
    witness = Witness()
    app = make_app(profile=on_loopback_dns(demo.profile(), dns))
    async with app.run_test(size=(80, 24), message_hook=witness) as pilot:
        await go(pilot, "contact")
        await checked(pilot)
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        await type_email(pilot, f"me@{NEW}")
        await checked(pilot)
        witness.watch(screen)
        witness.stale = lambda r: any(about(r, old) for old in OLD)
        stale_answers_handled = 0
        for old in OLD:
            # A slip of the finger: one key too many, and the lookup of that domain goes out.
            await pilot.press(old[-1])

            def looked_up(slip: str = old) -> bool:
                return dns.held_queries(slip) > 0

            await until(pilot, looked_up, "the slip's lookup")
            (old_run,) = running_checks(pilot)

            def release_once_corrected(_message: Message, old: str = old) -> None:
                # Called before the first message after the field changed back: the old
                # answer is let go only once the new input is in, never before.
                if screen.session.email == f"me@{NEW}":
                    dns.release(old)

            witness.before_handling = release_once_corrected
            await pilot.press("backspace")  # …corrected at once

            def ended(run: Worker[object] = old_run) -> bool:
                return run.is_finished

            await until(pilot, ended, "the slip's run to end")
            witness.before_handling = lambda _m: None
            await checked(pilot)
            assert about(screen.session.results["contact"].check("email"), NEW)
            if old_run.state is WorkerState.SUCCESS:
                # The slip's run ended with its answer while the step still waited for the
                # pause in typing: that answer reached the screen after the correction.
                stale_answers_handled += 1
                break
            # Otherwise the run for the corrected address began first and cancelled it (a
            # very slow machine): nothing stale was sent; slip again with another name.
        assert stale_answers_handled, "the slip's answer never arrived before the new run"
        email = screen.session.results["contact"].check("email")
        assert email is not None and (email.status, email.code) == (Status.PASS, "ok")
        assert about(screen.query_one("#check-email", CheckRow).result, NEW)
    assert witness.sightings == []


@pytest.mark.parametrize("at", [CheckFinished, StepChecked], ids=["check", "step"])
async def test_an_answer_from_before_a_recheck_is_never_shown_or_recorded(
    make_app: AppFactory, demo: DemoService, dns: HeldDNSServer, at: type[Message]
) -> None:
    """The domain's DNS is fixed (null MX → a mail server) and Re-check pressed just as the
    earlier run's answer (undeliverable) is about to be handled: that answer is dropped."""
    witness = Witness()
    app = make_app(profile=on_loopback_dns(demo.profile(), dns))
    pressed: list[int] = []

    def recheck_just_before(message: Message) -> None:
        if pressed or not isinstance(message, at) or not isinstance(app.screen, ContactScreen):
            return
        if not isinstance(message, CheckFinished | StepChecked):
            return
        result = message.result.check("email") if isinstance(message, StepChecked) else None
        result = message.result if isinstance(message, CheckFinished) else result
        if about(result, "flip-mail.cn") and result is not None:
            if result.code != "email_undeliverable":
                witness.sightings.append(f"the first answer was {result.code}")
            dns.zones["flip-mail.cn"] = GOOD  # the domain's mail server is back
            pressed.append(message.run_id)
            app.screen.action_recheck()  # exactly what the Re-check key runs
            # From here on, that earlier answer is stale.
            witness.stale = lambda r: (
                about(r, "flip-mail.cn") and r is not None and (r.status is Status.FAIL)
            )

    witness.before_handling = recheck_just_before
    # With the step's answer as the trigger, the row had shown that answer while it was
    # current; only the record and the gate's verdict must not take it in any more.
    witness.watch_row = at is CheckFinished
    async with app.run_test(size=(80, 24), message_hook=witness) as pilot:
        await go(pilot, "contact")
        await checked(pilot)
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        witness.watch(screen)
        gates: list[str] = []

        def note_gate(gate: str) -> None:
            if pressed:  # typing may have gone through other verdicts before
                gates.append(gate)

        screen.watch(screen, "gate", note_gate, init=False)
        await type_email(pilot, "me@flip-mail.cn")
        await until(pilot, lambda: bool(pressed), "the earlier run's answer")
        await until(
            pilot,
            lambda: about(screen.session.results["contact"].check("email"), "flip-mail.cn"),
            "the re-checked answer",
        )
        email = screen.session.results["contact"].check("email")
        assert email is not None and (email.status, email.code) == (Status.PASS, "ok")
        assert screen.gate == "pass"
        assert "fail" not in gates  # the undeliverable verdict never reached the gate
    assert witness.sightings == []
