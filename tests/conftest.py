"""Shared fixtures: every test gets its own data directory, and no real proxy settings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from wizard.demo import DemoService
from wizard.support.outbox import Outbox

# A fixed reference and clock: byte-stable screens, messages and outbox rows.
REFERENCE = "WU-7KQ2-9M4D"
NOW = datetime(2026, 11, 25, 20, 0, 0, tzinfo=UTC)

# Deterministic property tests: the same examples on every run and machine, no flaky
# deadlines on a loaded 2-core CI box.
settings.register_profile(
    "wizard", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("wizard")

_PROXY_VARS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A private WALLET_WIZARD_HOME; no inherited proxies, colour, tokens or locale."""
    monkeypatch.setenv("WALLET_WIZARD_HOME", str(tmp_path / "home"))
    for name in _PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("WALLET_SUPPORT_TOKEN", raising=False)
    # The locale picks the default language (CONTRACT §1): the same, neutral one for every
    # test, whatever the machine's; tests of the rule set their own.
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    yield


@pytest.fixture
def demo() -> Iterator[DemoService]:
    """The demo wallet, scenario `ok` (tests switch `demo.scenario` as they need)."""
    with DemoService("ok") as service:
        yield service


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    """A private outbox for the test."""
    box = Outbox.open(tmp_path / "outbox.sqlite3")
    yield box
    box.close()
