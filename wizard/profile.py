"""Profile: one wallet service described in TOML (CONTRACT §2), validated into typed objects.

Validation happens once, here, at the edge: an unknown key, a wrong type or a bad URL raises
`ProfileError` with one line that names the file and the key.
"""

from __future__ import annotations

import ipaddress
import math
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

LANGUAGES = ("zh-CN", "en")
# The last rule of CONTRACT §1's language choice (after --lang, the profile and the locale).
DEFAULT_LANGUAGE = "zh-CN"


class ProfileError(Exception):
    """A profile that cannot be used; the message is one line naming the file and key."""


@dataclass(frozen=True)
class WalletSection:
    """`[wallet]`: who the wallet is and how it talks to people."""

    name: str = "Wallet"
    default_region: str = "CN"
    # "" when the profile file does not set it: the locale then decides (CONTRACT §1).
    language: str = ""


@dataclass(frozen=True)
class NetworkSection:
    """`[network]`: where the network checks aim and how long they wait."""

    api_url: str = ""
    connectivity_urls: tuple[str, ...] = ()
    dns_servers: tuple[str, ...] = ()
    timeout_s: float = 5.0
    slow_ms: float = 2000.0
    ca_bundle: str = ""


@dataclass(frozen=True)
class ServiceSection:
    """`[service]`: the wallet's Statuspage v2 summary."""

    status_url: str = ""


@dataclass(frozen=True)
class AppSection:
    """`[app]`: the manifest of current and minimum app versions."""

    manifest_url: str = ""


@dataclass(frozen=True)
class SupportSection:
    """`[support]`: where messages go and how people reach support themselves."""

    endpoint: str = ""
    token_env: str = "WALLET_SUPPORT_TOKEN"
    email: str = ""
    phone: str = ""
    hours: str = ""


@dataclass(frozen=True)
class KioskSection:
    """`[kiosk]`: idle timer and staff exit of a shared help station."""

    idle_s: float = 120.0
    warn_s: float = 20.0
    exit_pin_sha256: str = ""


@dataclass(frozen=True)
class Profile:
    """A validated profile; `source` is the file it came from (None for built-in ones)."""

    wallet: WalletSection = field(default_factory=WalletSection)
    network: NetworkSection = field(default_factory=NetworkSection)
    service: ServiceSection = field(default_factory=ServiceSection)
    app: AppSection = field(default_factory=AppSection)
    support: SupportSection = field(default_factory=SupportSection)
    kiosk: KioskSection = field(default_factory=KioskSection)
    source: str | None = None

    def with_timeout(self, timeout_s: float) -> Profile:
        """The same profile with `network.timeout_s` overridden (the `--timeout` flag)."""
        return replace(self, network=replace(self.network, timeout_s=timeout_s))


_SECTIONS: dict[str, type] = {
    "wallet": WalletSection,
    "network": NetworkSection,
    "service": ServiceSection,
    "app": AppSection,
    "support": SupportSection,
    "kiosk": KioskSection,
}

_URL_KEYS = {
    "network.api_url": ("http", "https"),
    "network.connectivity_urls": ("http",),
    "service.status_url": ("http", "https"),
    "app.manifest_url": ("http", "https"),
    "support.endpoint": ("http", "https"),
}
_ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEX64_RE = re.compile(r"^[0-9a-fA-F]{64}$")
_REGION_RE = re.compile(r"^[A-Za-z]{2}$")


def load_profile(path: str | Path) -> Profile:
    """Read and validate the profile at `path`; raise ProfileError with one clear line."""
    p = Path(path)
    where = str(p)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ProfileError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise ProfileError(f"{where}: is a directory, not a profile file") from None
    except OSError as exc:
        raise ProfileError(f"{where}: cannot read ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProfileError(f"{where}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{where}: not valid TOML ({exc})") from None
    return profile_from_dict(data, where=where, base_dir=p.resolve().parent)


def profile_from_dict(
    data: dict[str, Any], *, where: str = "<profile>", base_dir: Path | None = None
) -> Profile:
    """Validate a parsed TOML document into a Profile."""
    sections: dict[str, Any] = {}
    for name, value in data.items():
        cls = _SECTIONS.get(name)
        if cls is None:
            known = ", ".join(_SECTIONS)
            raise ProfileError(f"{where}: unknown section [{name}] (known: {known})")
        if not isinstance(value, dict):
            raise ProfileError(f"{where}: [{name}] must be a table")
        sections[name] = _section(cls, name, value, where, base_dir)
    return Profile(**sections, source=where)


def _section(cls: type, name: str, table: dict[str, Any], where: str, base: Path | None) -> Any:
    allowed = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        full = f"{name}.{key}"
        if key not in allowed:
            raise ProfileError(f"{where}: unknown key {full} (known: {', '.join(allowed)})")
        values[key] = _validate(full, value, allowed[key].default, where, base)
    return cls(**values)


def _fail(where: str, key: str, why: str) -> ProfileError:
    return ProfileError(f"{where}: {key} {why}")


def _validate(key: str, value: Any, default: Any, where: str, base: Path | None) -> Any:
    """Check one value's type and meaning; return it in its typed form."""
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _fail(where, key, "must be a list of strings")
        items = tuple(v.strip() for v in value)
        if key in _URL_KEYS:
            for item in items:
                _check_url(key, item, where)
        if key == "network.dns_servers":
            for item in items:
                parse_dns_server(item, key=key, where=where)
        return items
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(where, key, "must be a number")
        try:
            number = float(value)
        except OverflowError:  # an integer beyond float range is simply too big
            number = math.inf
        if not math.isfinite(number) or number <= 0 or number > 86400:
            raise _fail(where, key, "must be a positive number of reasonable size")
        return number
    if not isinstance(value, str):
        raise _fail(where, key, "must be a string")
    value = value.strip()
    if key in _URL_KEYS and value:
        _check_url(key, value, where)
    if key == "wallet.language" and value not in LANGUAGES:
        raise _fail(where, key, f'must be one of {", ".join(LANGUAGES)} (got "{value[:20]}")')
    if key == "wallet.default_region":
        if not _REGION_RE.match(value):
            raise _fail(where, key, "must be a two-letter region code such as CN or US")
        value = value.upper()
    if key == "support.token_env" and value and not _ENV_NAME_RE.match(value):
        raise _fail(where, key, "must name an environment variable (not hold the token itself)")
    if key == "kiosk.exit_pin_sha256" and value and not _HEX64_RE.match(value):
        raise _fail(where, key, "must be 64 hexadecimal digits (the SHA-256 of the PIN)")
    if key == "network.ca_bundle" and value:
        try:
            path = Path(value).expanduser()
        except RuntimeError:  # "~someone" whose home directory is unknown
            raise _fail(where, key, f"names an unknown home directory: {value[:200]}") from None
        if not path.is_absolute() and base is not None:
            path = base / path
        if not path.is_file():
            raise _fail(where, key, f"names a file that does not exist: {value[:200]}")
        value = str(path)
    return value


def _check_url(key: str, url: str, where: str) -> None:
    schemes = _URL_KEYS[key]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise _fail(where, key, f"is not a valid URL: {url[:200]}") from None
    if parts.scheme not in schemes or not parts.hostname or any(c.isspace() for c in url):
        wanted = " or ".join(f"{s}://" for s in schemes)
        raise _fail(where, key, f"must be a {wanted} URL with a host (got {url[:200]!r})")


def _is_port(text: str) -> bool:
    """ASCII digits only ("²".isdigit() is true too, and int() refuses it), at most 5."""
    return text.isascii() and text.isdigit() and len(text) <= 5


def parse_dns_server(
    text: str, *, key: str = "network.dns_servers", where: str = "<profile>"
) -> tuple[str, int]:
    """Split "IP", "IP:PORT" or "[IPv6]:PORT" into address and port (53 by default)."""
    host, port = text, 53
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":") or not _is_port(rest[1:]):
                raise _fail(where, key, f"has a bad server {text!r} (use IP or IP:PORT)")
            port = int(rest[1:])
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        if not _is_port(port_text):
            raise _fail(where, key, f"has a bad server {text!r} (use IP or IP:PORT)")
        port = int(port_text)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise _fail(where, key, f"has a bad server {text!r} (use an IP address)") from None
    if not 0 < port < 65536:
        raise _fail(where, key, f"has a bad port in {text!r}")
    return host, port


def default_profile() -> Profile:
    """The built-in profile used without `--profile`.

    Its captive-portal probes are served from inside mainland China as well as outside it
    (Xiaomi, Huawei, Vivo and Cloudflare all answer 204 on these paths), so the network step
    gives the same answer in Shanghai and in Berlin; no Google-only host is used.
    """
    return Profile(
        wallet=WalletSection(name="Wallet", default_region="CN"),
        network=NetworkSection(
            connectivity_urls=(
                "http://connect.rom.miui.com/generate_204",
                "http://connectivitycheck.platform.hicloud.com/generate_204",
                "http://wifi.vivo.com.cn/generate_204",
                "http://cp.cloudflare.com/generate_204",
            ),
        ),
        source=None,
    )
