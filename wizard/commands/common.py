"""What the commands share: turning flags into a profile, inputs, a language, the wizard's
mode and its theme (the full screen and `--plain` read them alike, without Textual)."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from wizard.checks.model import Inputs
from wizard.i18n import normalize_lang
from wizard.profile import (
    DEFAULT_LANGUAGE,
    Profile,
    ProfileError,
    catalog_ids,
    default_profile,
    load_profile,
)
from wizard.text import one_line
from wizard.vocabulary import PLATFORMS, THEMES, Mode

if TYPE_CHECKING:
    from wizard.support.destination import Destination


class ConfigError(Exception):
    """A flag or profile that cannot be used; one line, exit 2."""


@dataclass(frozen=True)
class Setup:
    """What a command runs with, after every flag was checked.

    `serve_demo`: with `command_setup(args, defer_demo=True)` and `--demo`, the rest of the
    demo service's start, for the caller to run once it has shown something (the service
    already listens, so nothing that connects meanwhile is refused); it raises DemoError when
    serving cannot start. None otherwise (the service, if any, already serves).
    """

    profile: Profile
    inputs: Inputs
    lang: str
    serve_demo: Callable[[], object] | None = None


LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def locale_lang(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale names ("" when it names none): the first of LC_ALL,
    LC_MESSAGES and LANG that is set decides, as POSIX has it; `zh…` is zh-CN, any other
    named language en, and C/POSIX none."""
    env = os.environ if environ is None else environ
    value = next((env[n].strip() for n in LOCALE_VARIABLES if env.get(n, "").strip()), "")
    name = value.split(".", 1)[0].split("@", 1)[0]
    if not name or name in ("C", "POSIX"):
        return ""
    return "zh-CN" if name.lower().startswith("zh") else "en"


def choose_lang(args: argparse.Namespace, profile: Profile) -> str:
    """CONTRACT §1: `--lang`, else the profile file's `wallet.language`, else the locale,
    else zh-CN."""
    given = getattr(args, "lang", None)
    if given is None:
        return profile.wallet.language or locale_lang() or DEFAULT_LANGUAGE
    lang = normalize_lang(given)
    if not lang:
        raise ConfigError(f"--lang must be zh-CN or en (got {one_line(given, max_len=40)!r})")
    return lang


def _timeout(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 < value <= 600:
        raise ConfigError(f"--timeout must be a number of seconds between 0 and 600 (got {text!r})")
    return value


def _optional(args: argparse.Namespace, name: str) -> str | None:
    value = getattr(args, name, None)
    if value is None:
        return None
    return one_line(value, max_len=1000)


def build_inputs(args: argparse.Namespace, profile: Profile) -> Inputs:
    """The person's inputs from the flags; malformed values are left for the checks to judge."""
    platform = _optional(args, "platform")
    if platform is not None:
        platform = platform.strip().lower()
        if platform not in PLATFORMS:
            raise ConfigError(
                f"--platform must be one of {', '.join(PLATFORMS)} (got {platform!r})"
            )
    region = _optional(args, "region")
    return Inputs(
        phone=_optional(args, "phone"),
        region=(region or profile.wallet.default_region).strip().upper(),
        email=_optional(args, "email"),
        app_version=_optional(args, "app_version"),
        platform=platform,
    )


def sending_destination(profile: Profile, *, kiosk: bool = False) -> Destination:
    """Where the profile sends messages; a desk this version cannot deliver to is a
    configuration error (one line), raised before anything is saved or sent.

    A help station (`kiosk`) must never hold an agent's token: Zendesk's tickets API is
    refused there, and so is a Zendesk API token (`email/token:TOKEN`) in the credential's
    variable whatever the API — an API token can act as any user of the account, agents
    included. The Requests API, anonymous or with an end user's `email:password`, is what a
    station uses. Freshdesk is refused there too: it has no anonymous API and every API key
    is an agent's (a station reaches Freshdesk through the email desk, mailing its support
    address).
    """
    from wizard.support.desks import DeskUnavailable, destination_for

    support = profile.support
    if kiosk and support.desk == "freshdesk":
        where = profile.source or "<profile>"
        raise ConfigError(
            f"{where}: a help station (--kiosk) must not hold a Freshdesk API key (every key "
            f"is an agent's): use support.desk = \"email\" with Freshdesk's support address"
        )
    if kiosk and support.desk == "zendesk":
        where = profile.source or "<profile>"
        if support.zendesk_api == "tickets":
            raise ConfigError(
                f"{where}: a help station (--kiosk) must not hold a Zendesk agent token: set "
                f'support.zendesk_api = "requests" (anonymous, or an end user\'s credential)'
            )
        credential = os.environ.get(support.token_env, "") if support.token_env else ""
        if "/token:" in credential:
            raise ConfigError(
                f"{where}: a help station (--kiosk) must not hold a Zendesk API token (it can "
                f"act as any agent): unset {support.token_env} to send anonymously, or give an "
                f"end user's email:password"
            )
    try:
        return destination_for(profile)
    except DeskUnavailable as exc:
        raise ConfigError(str(exc)) from None


def demo_desk(args: argparse.Namespace) -> str:
    """The help desk `--demo` plays (`--demo-desk`; the webhook unless told otherwise)."""
    from wizard.profile import DESK_KINDS

    given = getattr(args, "demo_desk", None)
    if given is None:
        return "webhook"
    desk = str(given).strip().lower()
    if desk not in DESK_KINDS:
        shown = one_line(given, max_len=40)
        raise ConfigError(f"--demo-desk must be one of {', '.join(DESK_KINDS)} (got {shown!r})")
    if getattr(args, "demo", None) is None:
        raise ConfigError("--demo-desk needs --demo")
    return desk


def load_profile_arg(args: argparse.Namespace) -> Profile:
    """`--profile`, `--wallet`, or the built-in default profile."""
    path = getattr(args, "profile", None)
    wallet_id = getattr(args, "wallet", None)
    if path is not None and wallet_id is not None:
        raise ConfigError(
            "--wallet and --profile cannot be used together "
            '(a profile may start from a wallet with extends = "ID")'
        )
    try:
        if wallet_id is not None:
            return wallet_profile(wallet_id)
        if path is None:
            return default_profile()
        return load_profile(path)
    except ProfileError as exc:
        raise ConfigError(str(exc)) from None


def wallet_profile(wallet_id: str) -> Profile:
    """The catalog entry `--wallet` names; one clear line listing the ids when it is unknown."""
    wanted = one_line(wallet_id, max_len=40).strip().lower()
    if wanted not in catalog_ids():
        raise ConfigError(
            f"--wallet: unknown wallet {one_line(wallet_id, max_len=40)!r} "
            f"(one of: {', '.join(catalog_ids())}; see `wallet-wizard wallets`)"
        )
    from wizard.catalog import wallet

    return wallet(wanted)


@contextmanager
def command_setup(args: argparse.Namespace, *, defer_demo: bool = False) -> Iterator[Setup]:
    """Profile, inputs and language for a command; `--demo` starts the demo service meanwhile.

    With `defer_demo` the demo service only binds its sockets here (its profile is then
    complete) and `Setup.serve_demo` starts serving: the full-screen wizard calls it after
    its first paint, since importing the servers costs about a tenth of a second.
    """
    demo = getattr(args, "demo", None)
    if demo is not None and getattr(args, "profile", None) is not None:
        raise ConfigError("--demo and --profile cannot be used together")
    if demo is not None and getattr(args, "wallet", None) is not None:
        raise ConfigError("--demo and --wallet cannot be used together")
    desk = demo_desk(args)
    if demo is not None:
        from wizard.demo import SCENARIOS, DemoError, DemoService

        if demo not in SCENARIOS:
            raise ConfigError(f"unknown demo scenario {demo!r} (one of {', '.join(SCENARIOS)})")
        service = DemoService(demo, desk=desk)
        try:
            if defer_demo:
                service.reserve()
            else:
                service.start()
        except DemoError as exc:
            raise ConfigError(str(exc)) from None
        # The demo Freshdesk's key, for this process (the demo takes any key).
        for name, value in service.credentials.items():
            os.environ.setdefault(name, value)
        try:
            setup = _finish(args, service.profile())
            yield replace(setup, serve_demo=service.serve) if defer_demo else setup
        finally:
            service.stop()
        return
    yield _finish(args, load_profile_arg(args))


def _finish(args: argparse.Namespace, profile: Profile) -> Setup:
    timeout = _timeout(getattr(args, "timeout", None))
    if timeout is not None:
        profile = profile.with_timeout(timeout)
    return Setup(
        profile=profile, inputs=build_inputs(args, profile), lang=choose_lang(args, profile)
    )


def env_flag(name: str) -> bool:
    """Whether an environment variable is set to something (NO_COLOR semantics)."""
    return bool(os.environ.get(name, ""))


def tui_mode(args: argparse.Namespace) -> Mode:
    """normal, kiosk or staff, from `--kiosk` / `--staff`."""
    kiosk = bool(getattr(args, "kiosk", False))
    staff = bool(getattr(args, "staff", False))
    if kiosk and staff:
        raise ConfigError("--kiosk and --staff cannot be used together")
    return "kiosk" if kiosk else "staff" if staff else "normal"


def theme_name(args: argparse.Namespace, profile: Profile, mode: Mode) -> str:
    """`--theme`, else a help station's `[kiosk] theme`, else "default"."""
    given = getattr(args, "theme", None)
    if given is not None:
        name = given.strip().lower()
        if name not in THEMES:
            shown = one_line(given, max_len=40)
            raise ConfigError(f"--theme must be one of {', '.join(THEMES)} (got {shown!r})")
        return str(name)
    if mode == "kiosk" and profile.kiosk.theme:
        return profile.kiosk.theme
    return "default"
