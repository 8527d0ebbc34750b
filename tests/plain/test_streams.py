"""The plain wizard with its streams handed in (no terminal at all): the same conversation.

The whole flow runs in-process against the demo wallet on 127.0.0.1, with a fixed clock and
reference, a private outbox and a private folder for Save, so what it says can be read line
by line: progress as a line (never an animation), the gating of the wallet side, the
message composed by the support layer and delivered through the outbox.
"""

from __future__ import annotations

import io
from pathlib import Path

from tests.conftest import NOW, REFERENCE
from wizard.demo import DemoService
from wizard.diagnosis import describe
from wizard.i18n import t
from wizard.plain.conversation import PlainWizard, converse
from wizard.plain.terminal import Terminal
from wizard.profile import default_profile
from wizard.support.outbox import Outbox, State
from wizard.vocabulary import WALLETS


async def _talk(
    demo: DemoService,
    outbox: Outbox,
    tmp_path: Path,
    answers: list[str],
    *,
    lang: str = "en",
    waiting_after_s: float = 3.0,
) -> tuple[int, str]:
    """Run a conversation on the given answers (one a line); its status and transcript."""
    out = io.StringIO()
    wizard = PlainWizard(
        demo.profile(),
        lang=lang,
        terminal=Terminal(io.StringIO("".join(f"{a}\n" for a in answers)), out),
        demo_scenario=demo.scenario,
        outbox=outbox,
        now=lambda: NOW,
        reference=REFERENCE,
        save_dir=tmp_path / "saved",
        waiting_after_s=waiting_after_s,
    )
    status = await converse(wizard)
    return status, out.getvalue()


# Welcome (English, phone, no error text), step 1 Next, step 2 Android 10.6.20 Next,
# step 3 a number and an email Next.
TO_STEP_4 = ["2", "1", "", "", "1", "10.6.20", "", "13800138000", "me@qq.com", ""]


async def test_the_whole_way_to_a_delivered_message(
    demo: DemoService, outbox: Outbox, tmp_path: Path
) -> None:
    status, said = await _talk(demo, outbox, tmp_path, [*TO_STEP_4, "1", "2"])
    assert status == 0
    lines = said.splitlines()
    # One heading line a step, with its number and name.
    for number, step in enumerate(("network", "app", "contact", "support"), start=1):
        name = t("en", f"checks.steps.{step}")
        assert sum(line.endswith(f"Step {number} of 4: {name}") for line in lines) == 1
    assert "Reference: WU-7KQ2-9M4D. Spelled out: W U, 7 K Q 2, 9 M 4 D." in lines
    assert any(line.endswith("Sent to support. Your ticket number is T-000001.") for line in lines)
    [entry] = outbox.all()
    assert entry.reference == REFERENCE and entry.state is State.DELIVERED
    # Answers from a stream are written after their prompts, so the transcript reads whole.
    assert "Your choice (Enter for 1): 1" in said
    assert "\x1b" not in said


async def test_a_slow_check_says_once_what_it_waits_for(
    demo: DemoService, outbox: Outbox, tmp_path: Path
) -> None:
    demo.scenario = "slow"
    _status, said = await _talk(demo, outbox, tmp_path, ["2", "1", "", "q"], waiting_after_s=0.5)
    waiting = [line for line in said.splitlines() if "still waiting for" in line]
    # The wallet's API answers after 2 s: one line, naming the check and what it waits for
    # (the status page, slow too, may say so as well: once, like every check).
    api = f"{t('en', 'checks.api')}: still waiting for 127.0.0.1"
    assert sum(line.startswith(api) for line in waiting) == 1, said
    checks = [line.split(":", 1)[0] for line in waiting]
    assert len(checks) == len(set(checks)), said
    assert "Warning: Wallet servers." in said
    assert "\r" not in said and "\b" not in said


async def test_the_wallets_own_outage_does_not_gate_the_person(
    demo: DemoService, outbox: Outbox, tmp_path: Path
) -> None:
    demo.scenario = "outage"
    _status, said = await _talk(demo, outbox, tmp_path, ["2", "1", "", "q"])
    # Failed results, yet Next leads: nothing there is the person's to fix (CONTRACT §3 Side).
    assert "Failed: Wallet service status." in said
    assert t("en", "plain.lead.wallet_side").split("{", 1)[0] in said
    assert "1) Next step  2) Check again  3) Back to the start" in said
    assert t("en", "plain.gate.continue_anyway") not in said
    # Every word of the fix, however long: a screen reader hears this line, not the screen.
    _summary, fix = describe("service_status", "service_outage", "en", {})
    assert len(fix) > 200 and fix in said


async def test_a_failure_that_is_the_persons_leads_with_its_fix(
    demo: DemoService, outbox: Outbox, tmp_path: Path
) -> None:
    demo.scenario = "tls_intercept"
    _status, said = await _talk(demo, outbox, tmp_path, ["2", "1", "", "q"])
    lines = said.splitlines()
    failed = next(i for i, line in enumerate(lines) if line.startswith("Failed: Wallet servers."))
    # The fix on the next line, then the lead names it, and Check again leads.
    assert lines[failed + 1].startswith("What to do: ")
    assert "1) Check again  2) I can't fix this: go on  3) Back to the start" in said


async def test_input_that_ends_stops_the_helper_with_one_line(
    demo: DemoService, outbox: Outbox, tmp_path: Path
) -> None:
    status, said = await _talk(demo, outbox, tmp_path, [], lang="zh-CN")
    assert status == 0
    assert said.splitlines()[-1].endswith(t("zh-CN", "plain.input_closed"))


async def test_chinese_throughout_when_chosen_at_welcome(
    demo: DemoService, outbox: Outbox, tmp_path: Path
) -> None:
    # English at first; "1) 中文" chosen: every later line is in Chinese.
    _status, said = await _talk(demo, outbox, tmp_path, ["1", "", "", "q"], lang="en")
    assert t("zh-CN", "plain.step.heading", number=1, total=4, name="网络") in said
    assert "通过：网络连接。" in said


async def test_without_a_profile_welcome_asks_which_wallet() -> None:
    # English, then "PayPal" (the fourth of the catalog); the input ends at the next question.
    out = io.StringIO()
    wizard = PlainWizard(
        default_profile(),
        lang="en",
        terminal=Terminal(io.StringIO("2\n4\n"), out),
        now=lambda: NOW,
        reference=REFERENCE,
    )
    await converse(wizard)
    said = out.getvalue()
    assert t("en", "ui.welcome.wallet_pick") in said
    for wallet_id in WALLETS:
        assert t("en", f"ui.wallets.{wallet_id}") in said
    assert f"7) {t('en', 'ui.welcome.wallet_other')}" in said
    assert wizard.profile.catalog_id == "paypal"
    assert wizard.session.region == wizard.profile.wallet.default_region
    assert t("en", "plain.welcome.what") in said  # asked next, then the input ended


async def test_another_wallet_keeps_the_stations_profile_and_a_profile_is_not_asked(
    demo: DemoService,
) -> None:
    out = io.StringIO()
    station = default_profile()
    wizard = PlainWizard(
        station, lang="en", terminal=Terminal(io.StringIO("2\n7\n"), out), reference=REFERENCE
    )
    await converse(wizard)
    assert wizard.profile is station
    # A profile (here the demo's) is the wallet: no question.
    out = io.StringIO()
    wizard = PlainWizard(
        demo.profile(),
        lang="en",
        terminal=Terminal(io.StringIO("2\n"), out),
        demo_scenario="ok",
        reference=REFERENCE,
    )
    await converse(wizard)
    assert t("en", "ui.welcome.wallet_pick") not in out.getvalue()
