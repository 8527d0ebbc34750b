"""Core modules never import Textual: the engine must run headless and start fast."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "wizard.cli",
    "wizard.profile",
    "wizard.catalog",
    "wizard.commands.wallets",
    "wizard.text",
    "wizard.diagnosis",
    "wizard.report_text",
    "wizard.checks.runner",
    "wizard.checks.network",
    "wizard.checks.fetch",
    "wizard.net.capped",
    "wizard.net.classify",
    "wizard.net.proxy",
    "wizard.net.resolver",
    "wizard.net.trace",
    "wizard.checks.contact",
    "wizard.checks.app_version",
    "wizard.checks.service_status",
    "wizard.commands.check",
    "wizard.support.message",
    "wizard.support.outbox",
    "wizard.support.send",
    "wizard.support.destination",
    "wizard.support.desks",
    "wizard.support.desks.webhook",
    "wizard.support.courier",
    "wizard.demo",
    "wizard.gating",
    "wizard.plain",
    "wizard.plain.conversation",
    "wizard.commands.plain",
    # The plain wizard shares these with the full screen: they must stay Textual-free.
    "wizard.ui.session",
    "wizard.ui.flow",
]


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"core modules pulled in: {out}"


def test_phonenumbers_geocoder_is_never_loaded() -> None:
    code = (
        "import sys, wizard.checks.contact as c\n"
        "c.validate_phone('+8613800138000', 'CN')\n"
        "print(','.join(m for m in sys.modules if m.startswith(('phonenumbers.geocoder',"
        " 'phonenumbers.carrier', 'phonenumbers.timezone'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_the_http_layer_stands_below_checks_support_and_ui() -> None:
    # wizard.net serves checks and delivery alike, so it may import neither (nor the UI).
    code = (
        "import sys, wizard.net.capped, wizard.net.classify, wizard.net.proxy,"
        " wizard.net.resolver, wizard.net.trace\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('wizard.checks', 'wizard.support',"
        " 'wizard.ui', 'textual')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"wizard.net pulled in: {out}"


def test_httpx_comes_without_its_command_line_client() -> None:
    """httpx loads click, pygments and rich's highlighting for its CLI when they are installed
    (they are, in the test environment); the wizard never needs them."""
    code = (
        "import sys\n"
        "import wizard.checks.network, wizard.support.send\n"
        "import httpx\n"
        "assert 'httpx._client' in sys.modules\n"
        "cli = ('click', 'pygments.lexers', 'rich.syntax')\n"
        "print(sorted(m for m in cli if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_email_validator_is_loaded_by_an_address_or_by_step_3_only() -> None:
    """Its import compiles regular expressions for about 40 ms: a `check` with no address
    never needs it, and step 3 loads it with the screen, before the first keystroke."""
    code = (
        "import sys\n"
        "from wizard.checks.contact import validate_email_syntax\n"
        "import wizard.commands.check\n"
        "print('email_validator' in sys.modules)\n"
        "print(validate_email_syntax('li.lei@example.com').status.value)\n"
        "print('email_validator' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "pass", "True"]
    screen = "import sys, wizard.ui.screens.contact; print('email_validator' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", screen], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "True"
