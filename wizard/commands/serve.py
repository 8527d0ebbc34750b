"""`wallet-wizard serve`: the wizard in a web browser, through textual-serve's page.

What differs from textual-serve's defaults, on purpose:
- the server (`serve_web.WizardServer`) answers only its own Host, upgrades a websocket only
  from its own page's Origin, caps the sessions and lists no directory (CONTRACT §1);
- the page must not depend on a host unreachable from mainland China, so its Google Fonts
  stylesheet (render-blocking there) is replaced by the Roboto Mono files textual-serve ships;
  the page is kept in memory, so nothing is left in a temporary folder;
- each browser session spawns a wizard process, and that process must not inherit secrets:
  the environment is reduced to what the wizard needs before the server starts.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from importlib import resources
from pathlib import Path

from wizard.commands.common import (
    ConfigError,
    load_profile_arg,
    sending_destination,
    theme_name,
)
from wizard.i18n import normalize_lang
from wizard.profile import is_loopback_host
from wizard.text import one_line

MAX_SESSIONS_LIMIT = 64

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

# What the spawned wizard needs; everything else (cloud keys, shell secrets) is dropped.
_KEEP_EXACT = {
    "PATH",
    "HOME",
    "USER",
    "LANG",
    "LANGUAGE",
    "TZ",
    "TMPDIR",
    "NO_COLOR",
    "WALLET_WIZARD_HOME",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "SYSTEMROOT",
}
_KEEP_PREFIXES = ("LC_", "TEXTUAL", "XDG_")

_GOOGLE_FONTS_RE = re.compile(
    r"<link\s+rel=\"stylesheet\"\s+href=\"https://fonts\.googleapis\.com[^\"]*\"\s*/>", re.S
)
_LOCAL_FONTS = """<style>
      @font-face { font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf"); }
      @font-face { font-family: "Roboto Mono"; font-style: italic;
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf"); }
    </style>"""


def scrubbed_environment(environ: dict[str, str], token_env: str) -> dict[str, str]:
    """The environment a spawned wizard gets: only what it needs, plus the support token."""
    keep = set(_KEEP_EXACT)
    if token_env:
        keep.add(token_env)
    return {k: v for k, v in environ.items() if k in keep or k.startswith(_KEEP_PREFIXES)}


def offline_template() -> str:
    """textual-serve's page template without any request to a third-party host."""
    source = resources.files("textual_serve").joinpath("templates", "app_index.html")
    return _GOOGLE_FONTS_RE.sub(_LOCAL_FONTS, source.read_text("utf-8"))


def wizard_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser session."""
    parts = [sys.executable, "-m", "wizard"]
    if getattr(args, "profile", None):
        parts += ["--profile", str(Path(args.profile).resolve())]
    if getattr(args, "wallet", None):
        parts += ["--wallet", args.wallet]
    if getattr(args, "lang", None):
        parts += ["--lang", args.lang]
    if getattr(args, "demo", None):
        parts += ["--demo", args.demo]
        if getattr(args, "demo_desk", None):
            parts += ["--demo-desk", args.demo_desk]
    if getattr(args, "kiosk", False):
        parts.append("--kiosk")
    if getattr(args, "staff", False):
        parts.append("--staff")
    if getattr(args, "theme", None):
        parts += ["--theme", args.theme]
    return shlex.join(parts)


def exposure_warning(host: str) -> str | None:
    """The warning printed when the wizard is served beyond this machine."""
    if host in LOOPBACK_HOSTS or is_loopback_host(host):
        return None
    return (
        f"wallet-wizard: warning: serving on {host}: anyone who can reach this address "
        "can use the wizard — it has no authentication."
    )


def page_url(host: str, port: int) -> str:
    """The address to open in a browser: brackets for IPv6, this machine for a wildcard."""
    from wizard.commands.serve_web import WILDCARD_HOSTS, bracketed

    shown = "127.0.0.1" if host.strip("[]") in WILDCARD_HOSTS else host.strip("[]")
    return f"http://{bracketed(shown)}:{port}/"


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 5) or not 0 < int(text) < 65536:
        raise ConfigError(f"--port must be a number from 1 to 65535 (got {one_line(text)!r})")
    return int(text)


def _max_sessions(text: str) -> int:
    ok = text.isascii() and text.isdigit() and len(text) <= 3
    if not ok or not 0 < int(text) <= MAX_SESSIONS_LIMIT:
        shown = one_line(text, max_len=40)
        raise ConfigError(
            f"--max-sessions must be a number from 1 to {MAX_SESSIONS_LIMIT} (got {shown!r})"
        )
    return int(text)


def run_serve(args: argparse.Namespace) -> int:
    """Serve the wizard on the given host and port until interrupted."""
    from wizard.commands.serve_web import DEFAULT_MAX_SESSIONS

    port = _port(str(args.port))
    host = one_line(args.host, max_len=255).strip("[]")
    max_sessions = _max_sessions(str(getattr(args, "max_sessions", DEFAULT_MAX_SESSIONS)))
    lang = getattr(args, "lang", None)
    if lang is not None and not normalize_lang(lang):
        raise ConfigError(f"--lang must be zh-CN or en (got {one_line(lang, max_len=40)!r})")
    if getattr(args, "demo", None) and getattr(args, "profile", None):
        raise ConfigError("--demo and --profile cannot be used together")
    if getattr(args, "demo", None) and getattr(args, "wallet", None):
        raise ConfigError("--demo and --wallet cannot be used together")
    profile = load_profile_arg(args)  # validated now, not in every browser session
    sending_destination(profile, kiosk=bool(getattr(args, "kiosk", False)))
    theme_name(args, profile, "normal")  # a bad --theme is refused here, not in every session
    warning = exposure_warning(host)
    if warning:
        print(warning, file=sys.stderr)
    from wizard.commands.serve_web import WizardServer

    env = scrubbed_environment(dict(os.environ), profile.support.token_env)
    os.environ.clear()
    os.environ.update(env)
    server = WizardServer(
        wizard_command(args),
        host=host,
        port=port,
        page_html=offline_template(),
        max_sessions=max_sessions,
    )
    print(
        f"wallet-wizard: serving on {page_url(host, port)} "
        f"(at most {max_sessions} sessions; Ctrl+C to stop)",
        flush=True,
    )
    try:
        server.serve()
    except OSError as exc:
        raise ConfigError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    return 0
