"""The web mode in a real browser (SECURITY.md; issue: "test the web mode in a real browser").

Debian's `chromium`, headless, driven through the DevTools protocol over a websocket (no
Selenium, no downloaded browser): open the `serve` page, wait for the wizard's first screen,
press Start, reach step 1 and then step 2, and keep a screenshot (PNG) as the artifact.
Only loopback URLs are opened, and the browser resolves no name at all.

CI must run it: `.ci/run` installs chromium when it is missing and sets CI=1, and then a
missing browser fails the test instead of skipping it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.security.serving import Served, start
from wizard.i18n import t

pytestmark = pytest.mark.browser

CANDIDATES = ("chromium", "chromium-browser", "/usr/lib/chromium/chromium")
DEADLINE_S = 60.0
# The wizard writes the terminal's bytes to the page's websocket; this collects what the page
# received, so the test can wait on what the browser was told to draw.
RECORDER = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__wizardText = "";
  window.__wizardSent = [];
  window.WebSocket = class extends Native {
    send(data) {
      window.__wizardSent.push(String(data).slice(0, 80));
      return super.send(data);
    }
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") {
          window.__wizardText += decoder.decode(new Uint8Array(event.data), {stream: true});
        }
      });
    }
  };
})();
"""
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def in_ci() -> bool:
    """Whether this run is CI (`.ci/run` exports CI=1, as most CI services do)."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def find_chromium() -> str:
    """The chromium executable; in CI its absence is a failure, elsewhere a skip."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    message = "chromium is not installed (Debian: apt-get install -y chromium)"
    if in_ci():
        pytest.fail(f"{message}; .ci/run installs it, so CI must have it")
    pytest.skip(message)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = start(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """Headless chromium with a fresh profile, its DevTools on a free loopback port."""
    executable = find_chromium()
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    proc = subprocess.Popen(
        [
            executable,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            "--mute-audio",
            f"--user-data-dir={profile}",
            # Nothing but loopback: every name fails to resolve, so no request can leave.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "--window-size=1280,800",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its helpers share a process group we can end together
    )
    try:
        yield proc, profile
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def devtools_port(proc: subprocess.Popen[bytes], profile: Path) -> int:
    """The DevTools port chromium chose (it writes it into the profile folder)."""
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"chromium exited early with status {proc.returncode}")
        with contextlib.suppress(OSError, ValueError, IndexError):
            return int(marker.read_text().splitlines()[0])
        time.sleep(0.05)
    pytest.fail("chromium never opened its DevTools port")


class DevTools:
    """A minimal DevTools protocol client: numbered commands, answers matched by id."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        await self.ws.send_json({"id": number, "method": method, "params": params})
        while True:
            message = await self.ws.receive(timeout=DEADLINE_S)
            if message.type != aiohttp.WSMsgType.TEXT:
                raise AssertionError(f"DevTools connection ended: {message.type}")
            data = json.loads(message.data)
            if data.get("id") == number:
                if "error" in data:
                    raise AssertionError(f"{method}: {data['error']}")
                result: dict[str, Any] = data.get("result", {})
                return result

    async def screen_text(self) -> str:
        """What the wizard has drawn so far, control sequences removed."""
        answer = await self.call(
            "Runtime.evaluate", expression="window.__wizardText || ''", returnByValue=True
        )
        return ANSI.sub("", str(answer.get("result", {}).get("value", "")))

    async def wait_for(self, text: str, *, after: int = 0) -> int:
        """Wait until `text` is drawn (past offset `after`); return where the screen ends."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + DEADLINE_S
        while True:
            shown = await self.screen_text()
            if text in shown[after:]:
                return len(shown)
            if loop.time() > deadline:
                # What the page sent (keys, focus) and where its focus is: the likely culprits.
                state = await self.call(
                    "Runtime.evaluate",
                    expression="JSON.stringify([location.href, window.__wizardSent,"
                    " document.activeElement.className])",
                    returnByValue=True,
                )
                raise AssertionError(f"never shown: {text!r}; page: {state}; {shown[-800:]!r}")
            await asyncio.sleep(0.1)

    async def press_enter(self) -> None:
        """Enter, typed into the page's terminal the way a keyboard does."""
        await self.call(
            "Runtime.evaluate",
            expression="document.querySelector('.xterm-helper-textarea').focus()",
        )
        for kind in ("keyDown", "keyUp"):
            extra = {"text": "\r"} if kind == "keyDown" else {}
            await self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key="Enter",
                code="Enter",
                windowsVirtualKeyCode=13,
                **extra,
            )


async def walk(port: int, page_url: str, shot: Path) -> list[str]:
    """Open the page, Welcome → step 1 → step 2, screenshot; return what was seen, in order."""
    seen: list[str] = []
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/json/list") as answer:
            targets = await answer.json()
        page = next(target for target in targets if target.get("type") == "page")
        async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            tools = DevTools(ws)
            await tools.call("Page.enable")
            await tools.call("Page.addScriptToEvaluateOnNewDocument", source=RECORDER)
            await tools.call("Page.navigate", url=page_url)

            at = await tools.wait_for("Demo Wallet")  # Welcome, with the demo wallet's name
            seen.append("welcome")
            await tools.press_enter()  # Start has the focus
            step1 = t("en", "ui.step.heading", number=1, total=4, name="")[:12]  # "Step 1 of 4 "
            at = await tools.wait_for(step1, after=at)
            seen.append("step 1")
            at = await tools.wait_for(t("en", "ui.step.passed")[2:30], after=at)
            await tools.press_enter()  # Next has the focus once the step passed
            step2 = t("en", "ui.step.heading", number=2, total=4, name="")[:12]
            await tools.wait_for(step2, after=at)
            seen.append("step 2")

            picture = await tools.call("Page.captureScreenshot", format="png")
            shot.write_bytes(base64.b64decode(picture["data"]))
    return seen


def test_the_wizard_in_a_real_browser_reaches_step_2(
    served: Served, browser: tuple[subprocess.Popen[bytes], Path], tmp_path: Path
) -> None:
    proc, profile = browser
    port = devtools_port(proc, profile)
    shot = tmp_path / "serve-step2.png"
    seen = asyncio.run(asyncio.wait_for(walk(port, served.url, shot), DEADLINE_S * 2))
    print(f"\nscreenshot: {shot}")
    assert seen == ["welcome", "step 1", "step 2"]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    assert served.wizards(), "the session's wizard runs while the page is open"
