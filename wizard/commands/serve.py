"""`wallet-wizard serve`: the wizard in a web browser through textual-serve.

Two things differ from textual-serve's defaults, on purpose:
- the page must not depend on a host unreachable from mainland China, so its Google Fonts
  stylesheet (render-blocking there) is replaced by the Roboto Mono files textual-serve ships;
- each browser session spawns a wizard process, and that process must not inherit secrets:
  the environment is reduced to what the wizard needs before the server starts.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
import tempfile
from importlib import resources
from pathlib import Path

from wizard.commands.common import ConfigError, load_profile_arg
from wizard.i18n import normalize_lang
from wizard.text import one_line

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


def offline_template_dir() -> Path:
    """textual-serve's page template without any request to a third-party host."""
    source = resources.files("textual_serve").joinpath("templates", "app_index.html")
    html = source.read_text("utf-8")
    html = _GOOGLE_FONTS_RE.sub(_LOCAL_FONTS, html)
    folder = Path(tempfile.mkdtemp(prefix="wallet-wizard-serve-"))
    (folder / "app_index.html").write_text(html, "utf-8")
    return folder


def wizard_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser session."""
    parts = [sys.executable, "-m", "wizard"]
    if getattr(args, "profile", None):
        parts += ["--profile", str(Path(args.profile).resolve())]
    if getattr(args, "lang", None):
        parts += ["--lang", args.lang]
    if getattr(args, "demo", None):
        parts += ["--demo", args.demo]
    if getattr(args, "kiosk", False):
        parts.append("--kiosk")
    if getattr(args, "staff", False):
        parts.append("--staff")
    return shlex.join(parts)


def exposure_warning(host: str) -> str | None:
    """The warning printed when the wizard is served beyond this machine."""
    if host in LOOPBACK_HOSTS:
        return None
    return (
        f"wallet-wizard: warning: serving on {host}: anyone who can reach this address "
        "can use the wizard — it has no authentication."
    )


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 5) or not 0 < int(text) < 65536:
        raise ConfigError(f"--port must be a number from 1 to 65535 (got {one_line(text)!r})")
    return int(text)


def run_serve(args: argparse.Namespace) -> int:
    """Serve the wizard on the given host and port until interrupted."""
    port = _port(str(args.port))
    host = one_line(args.host, max_len=255)
    lang = getattr(args, "lang", None)
    if lang is not None and not normalize_lang(lang):
        raise ConfigError(f"--lang must be zh-CN or en (got {one_line(lang, max_len=40)!r})")
    if getattr(args, "demo", None) and getattr(args, "profile", None):
        raise ConfigError("--demo and --profile cannot be used together")
    profile = load_profile_arg(args)  # validated now, not in every browser session
    warning = exposure_warning(host)
    if warning:
        print(warning, file=sys.stderr)
    from textual_serve.server import Server

    env = scrubbed_environment(dict(os.environ), profile.support.token_env)
    os.environ.clear()
    os.environ.update(env)
    server = Server(
        wizard_command(args),
        host=host,
        port=port,
        title="wallet-wizard",
        templates_path=offline_template_dir(),
    )
    try:
        server.serve()
    except OSError as exc:
        raise ConfigError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    return 0
