"""Export the README's screenshots: each screen of the flow at 80×24, in English and Chinese.

Run from the repository root: `.venv/bin/python docs/screenshots/export.py`. The demo wallet
runs in-process; the clock, the reference and the measured times are fixed, so the SVGs only
change when the screens do.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402

# The same walks as the snapshot tests: every screen reached with keys and clicks.
from tests.ui.test_snapshots import (  # noqa: E402
    app_update,
    contact,
    done,
    network,
    support,
    welcome,
)
from wizard.demo import DemoService  # noqa: E402
from wizard.support.outbox import Outbox  # noqa: E402
from wizard.ui.app import WizardApp  # noqa: E402

OUT = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 25, 20, 0, 0, tzinfo=UTC)
REFERENCE = "WU-7KQ2-9M4D"
Step = Callable[[Pilot[None]], Awaitable[None]]


# file stem → (demo scenario, how to get there)
SHOTS: dict[str, tuple[str, Step]] = {
    "welcome": ("ok", welcome),
    "step1-network-portal": ("captive_portal", network),
    "step2-app-update": ("old_app", app_update),
    "step3-your-information": ("ok", contact),
    "step4-contact-support": ("ok", support),
    "done": ("ok", done),
}


async def shoot(name: str, scenario: str, reach: Step, lang: str, home: Path) -> Path:
    """One screenshot, saved as docs/screenshots/<name>-<lang>.svg."""
    with DemoService(scenario) as demo:
        outbox = Outbox.open(home / f"{name}-{lang}.sqlite3")
        app = WizardApp(
            demo.profile(),
            lang=lang,
            demo_scenario=scenario,
            outbox=outbox,
            now=lambda: NOW,
            reference=REFERENCE,
            show_timing=False,
            save_dir=home,
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await reach(pilot)
            for widget in app.screen.query("Input, TextArea"):
                widget.cursor_blink = False  # type: ignore[attr-defined]
            await pilot.pause()
            path = OUT / f"{name}-{lang}.svg"
            app.save_screenshot(str(path))
        outbox.close()
    return path


async def main() -> None:
    """Every screen in both languages."""
    import os

    with tempfile.TemporaryDirectory(prefix="wizard-shots-") as home:
        os.environ["WALLET_WIZARD_HOME"] = home
        for lang in ("en", "zh-CN"):
            for name, (scenario, reach) in SHOTS.items():
                print(await shoot(name, scenario, reach, lang, Path(home)))


if __name__ == "__main__":
    asyncio.run(main())
