"""Profile: one wallet service described in TOML (CONTRACT §2), validated into typed objects.

Validation happens once, here, at the edge: an unknown key, a wrong type or a bad URL raises
`ProfileError` with one line that names the file and the key.

A profile may be shared, copied from a chat or written by someone else (SECURITY.md), so it is
read as hostile input: its size, nesting, string lengths and times are bounded, a support
endpoint in plain http is refused unless it is on this machine (a credential must never travel
in clear text), and `ca_bundle` must be a readable PEM file that holds a certificate.
"""

from __future__ import annotations

import ipaddress
import math
import re
import ssl
import stat
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from wizard.vocabulary import LANGUAGES, THEMES, WALLETS

# The last rule of CONTRACT §1's language choice (after --lang, the profile and the locale).
DEFAULT_LANGUAGE = "zh-CN"

# A profile is a few hundred bytes; a megabyte is already absurd, and reading a multi-gigabyte
# file (or /dev/zero) must not take the machine down.
PROFILE_MAX_BYTES = 1024 * 1024
CA_BUNDLE_MAX_BYTES = 4 * 1024 * 1024
LIST_MAX_ITEMS = 16
# CONTRACT §5: the help desks a profile may name (`support.desk`).
DESK_KINDS = ("webhook", "zendesk", "freshdesk", "email")
# CONTRACT §2: how a status page is written (`service.status_format`).
STATUS_FORMATS = ("auto", "statuspage", "rss", "apple")
# Apple's public lookup (CONTRACT §2 `app.appstore_lookup_url`).
APPSTORE_LOOKUP_URL = "https://itunes.apple.com/lookup"
# How a fact's source knows it (`[sources."<key>"] evidence`): the wallet's own page, its own
# shipped code or SDK, its developer documentation, or only third-party pages.
EVIDENCE = ("own_page", "own_code", "docs", "secondary")
# A contact is shown only when the wallet itself published it (CONTRACT §6).
OWN_EVIDENCE = ("own_page", "own_code")
# The keys that are facts about a real wallet: a catalog entry cites a source for each it sets.
FACT_KEYS = (
    "network.api_url",
    "service.status_url",
    "app.manifest_url",
    "app.appstore_id",
    "app.appstore_country",
    "support.email",
    "support.phone",
    "support.hours",
    "support.help_url",
)
# Ways to reach support: shown only with their source, and only from the wallet's own words.
CONTACT_KEYS = ("support.phone", "support.email", "support.help_url")
# CONTRACT §2: Zendesk's API for end users (may be anonymous) and for agents.
ZENDESK_APIS = ("requests", "tickets")
# The endpoint schemes each kind of desk takes (CONTRACT §5).
_DESK_SCHEMES = {
    "webhook": ("http", "https"),
    "zendesk": ("http", "https"),
    "freshdesk": ("http", "https"),
    "email": ("smtp", "smtps"),
}


class ProfileError(Exception):
    """A profile that cannot be used; the message is one line naming the file and key."""


@dataclass(frozen=True)
class WalletSection:
    """`[wallet]`: who the wallet is and how it talks to people."""

    name: str = "Wallet"
    """The wallet's name, as people know it: shown in the title bar and the message."""
    default_region: str = "CN"
    """Region (ISO 3166, two letters) for phone numbers written without +country code."""
    language: str = ""
    """The wizard's language, `zh-CN` or `en`; unset, the locale decides (CONTRACT §1)."""


@dataclass(frozen=True)
class NetworkSection:
    """`[network]`: where the network checks aim and how long they wait."""

    api_url: str = ""
    """The wallet's own HTTPS endpoint: any answer below 500 means its server answered."""
    connectivity_urls: tuple[str, ...] = ()
    """Plain-http captive-portal probes that answer 204 with an empty body."""
    dns_servers: tuple[str, ...] = ()
    """DNS servers ("IP" or "IP:PORT") for the name lookups; empty: the system resolver."""
    timeout_s: float = 5.0
    """Seconds each probe may take; the network step ends within this plus one second."""
    slow_ms: float = 2000.0
    """An API round trip above this many milliseconds is a warning (`slow`)."""
    ca_bundle: str = ""
    """A PEM file of extra trusted certificate authorities (relative to the profile)."""


@dataclass(frozen=True)
class ServiceSection:
    """`[service]`: the wallet's status page, as its vendor publishes it."""

    status_url: str = ""
    """The wallet's status page: a Statuspage v2 `summary.json`, an RSS or Atom feed of
    incidents, or Apple's system-status JSONP."""
    status_format: str = "auto"
    """How the status page is written: `auto` (told by its content), `statuspage`, `rss`
    (RSS 2.0 or Atom) or `apple` (Apple's system-status `jsonCallback(...)`)."""
    components: tuple[str, ...] = ()
    """The services that matter to this wallet on a page that lists many (Apple's: unset,
    `Apple Pay & Wallet`); names are compared without regard to case."""


@dataclass(frozen=True)
class AppSection:
    """`[app]`: where the newest app version is read: the wallet's manifest or the App Store."""

    manifest_url: str = ""
    """The app-version manifest: latest and minimum versions per platform, download links.
    When set, it wins over the App Store."""
    appstore_id: str = ""
    """The app's Apple App Store id (digits): the latest iOS version and the store link come
    from Apple's public lookup, cached for an hour."""
    appstore_country: str = ""
    """The App Store storefront, two letters (`cn`, `us`); unset: `wallet.default_region`.
    An app not sold in that storefront reads as not found."""
    appstore_lookup_url: str = APPSTORE_LOOKUP_URL
    """Apple's lookup address (`id`, `country` and a cache-busting parameter are added);
    overridable for tests and mirrors."""


@dataclass(frozen=True)
class SupportSection:
    """`[support]`: where messages go and how people reach support themselves."""

    desk: str = "webhook"
    """Which help desk `endpoint` is (CONTRACT §5): webhook, zendesk, freshdesk or email."""
    endpoint: str = ""
    """Where messages are delivered: the webhook's URL, the Zendesk or Freshdesk account's base
    URL, or `smtp://HOST:587` / `smtps://HOST:465` for email; plain http or smtp only to this
    machine (127.0.0.1, ::1)."""
    token_env: str = "WALLET_SUPPORT_TOKEN"
    """The name of the environment variable holding the desk's credential, never the value
    (webhook: a bearer token; Zendesk: `agent@example.com/token:TOKEN`; Freshdesk: the API
    key; email: `user:password`)."""
    email: str = ""
    """Support's email address, shown to people and put in the QR code; the email desk's To."""
    phone: str = ""
    """Support's phone number, shown with the reference to read aloud."""
    hours: str = ""
    """When support answers the phone, e.g. `08:00-22:00`."""
    help_url: str = ""
    """The wallet's own help page for people who cannot change their details (https); shown
    with its source beside the support contacts."""
    keep_days: float = 7.0
    """Days a queued or refused message is kept before it is erased (delivered: a receipt)."""
    zendesk_api: str = "requests"
    """Zendesk's API: `requests` (end users, may be anonymous: what a station uses) or `tickets`
    (agents, with an API token in `token_env`: never on a kiosk)."""
    requester_email: str = ""
    """Zendesk and Freshdesk: the requester's email when the person gave none (e.g. the
    station's own address)."""
    sender: str = ""
    """The email desk: the station's From address (required with `desk = "email"`)."""


@dataclass(frozen=True)
class KioskSection:
    """`[kiosk]`: idle timer and staff exit of a shared help station."""

    idle_s: float = 120.0
    """Seconds without a key, a touch or a paste before "Are you still there?"."""
    warn_s: float = 20.0
    """Seconds of that countdown before the session is wiped; shorter than `idle_s`."""
    exit_pin_sha256: str = ""
    """The hex SHA-256 of the staff exit PIN (or set WALLET_WIZARD_EXIT_PIN_SHA256)."""
    theme: str = ""
    """The station's colours with `--kiosk`: "high-contrast" (every text/background pair at
    4.5:1 or more, for low vision) or "default"; empty is default. `--theme` wins."""


@dataclass(frozen=True)
class FactSource:
    """Where one fact of a profile was read (`[sources."app.appstore_id"]`), and when."""

    key: str
    """The fact's key, "section.key" (`app.appstore_id`, `support.help_url`)."""
    url: str
    """The https page (or code) the fact was read on."""
    checked: date
    """The day it was last read there."""
    evidence: str
    """How that page knows: own_page, own_code, docs or secondary (EVIDENCE)."""


@dataclass(frozen=True)
class Profile:
    """A validated profile; `source` is the file it came from (None for built-in ones).

    `catalog_id` names the catalog entry it is (`--wallet`) or starts from (`extends`);
    `sources` says where each of its facts about a real wallet was read.
    """

    wallet: WalletSection = field(default_factory=WalletSection)
    network: NetworkSection = field(default_factory=NetworkSection)
    service: ServiceSection = field(default_factory=ServiceSection)
    app: AppSection = field(default_factory=AppSection)
    support: SupportSection = field(default_factory=SupportSection)
    kiosk: KioskSection = field(default_factory=KioskSection)
    source: str | None = None
    catalog_id: str = ""
    sources: tuple[FactSource, ...] = ()

    def with_timeout(self, timeout_s: float) -> Profile:
        """The same profile with `network.timeout_s` overridden (the `--timeout` flag)."""
        return replace(self, network=replace(self.network, timeout_s=timeout_s))

    def value(self, key: str) -> Any:
        """The value of a "section.key" (`app.appstore_id`)."""
        section, _, name = key.partition(".")
        return getattr(getattr(self, section), name)

    def source_of(self, key: str) -> FactSource | None:
        """Where the fact `key` was read, if the profile says."""
        return next((s for s in self.sources if s.key == key), None)

    @property
    def appstore_country(self) -> str:
        """The storefront the App Store lookup asks: `app.appstore_country`, else the region."""
        return (self.app.appstore_country or self.wallet.default_region).lower()


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
    "app.appstore_lookup_url": ("http", "https"),
    "support.endpoint": ("http", "https", "smtp", "smtps"),
    "support.help_url": ("https",),
}
# The longest value each string key may hold: enough for any real value, small enough that a
# hostile profile cannot fill a screen, a message or the memory with one.
_URL_MAX = 2048
_MAX_LEN = {
    "wallet.name": 80,
    "wallet.default_region": 2,
    "wallet.language": 10,
    "network.ca_bundle": 4096,
    "support.desk": 20,
    "support.token_env": 128,
    "support.email": 254,
    "support.phone": 40,
    "support.hours": 80,
    "support.zendesk_api": 20,
    "support.requester_email": 254,
    "support.sender": 254,
    "kiosk.exit_pin_sha256": 64,
    "app.appstore_id": 12,
    "app.appstore_country": 2,
    "service.status_format": 20,
    "service.components": 80,
    "kiosk.theme": 40,
}
# (lowest, highest) for each number; the kiosk's idle time must leave a person time to read.
_BOUNDS = {
    "network.timeout_s": (0.1, 600.0),
    "network.slow_ms": (1.0, 600_000.0),
    "support.keep_days": (1.0, 365.0),
    "kiosk.idle_s": (10.0, 86_400.0),
    "kiosk.warn_s": (1.0, 3600.0),
}
_UNITS = {"_s": "seconds", "_ms": "milliseconds", "_days": "days"}
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEX64_RE = re.compile(r"^[0-9a-fA-F]{64}$")
_REGION_RE = re.compile(r"^[A-Za-z]{2}$")
_DIGITS_RE = re.compile(r"^[0-9]{1,12}$")
# A catalog id: what `--wallet` and `extends` accept.
_WALLET_ID_RE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_SOURCE_KEYS = ("url", "checked", "evidence")
# An address that can stand in a mail header or a help desk's requester field: one @, no
# spaces, brackets, quotes or commas (no second address, no header trickery).
_ADDRESS_RE = re.compile(r"^[^\s@<>\"(),;:]+@[^\s@<>\"(),;:]+\.[^\s@<>\"(),;:]+$")


def load_profile(path: str | Path) -> Profile:
    """Read and validate the profile at `path`; raise ProfileError with one clear line."""
    p = Path(path)
    where = str(p)
    try:
        with p.open("rb") as handle:
            raw = handle.read(PROFILE_MAX_BYTES + 1)
    except FileNotFoundError:
        raise ProfileError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise ProfileError(f"{where}: is a directory, not a profile file") from None
    except OSError as exc:
        raise ProfileError(f"{where}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > PROFILE_MAX_BYTES:
        raise ProfileError(f"{where}: too large for a profile (over {PROFILE_MAX_BYTES} bytes)")
    try:
        # "utf-8-sig": Windows editors start a UTF-8 file with a byte-order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileError(f"{where}: not UTF-8 text") from None
    import tomllib  # only when a profile file is read: not for the built-in profile

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{where}: not valid TOML ({exc})") from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise ProfileError(f"{where}: not valid TOML (nested too deeply)") from None
    return profile_from_dict(data, where=where, base_dir=p.resolve().parent)


def profile_from_dict(
    data: dict[str, Any], *, where: str = "<profile>", base_dir: Path | None = None
) -> Profile:
    """Validate a parsed TOML document into a Profile.

    A top-level `extends = "ID"` starts from that catalog entry: the document's own keys
    replace the entry's one by one, and a fact it replaces loses the entry's source.
    """
    catalog_id = ""
    if "extends" in data:
        data = dict(data)
        catalog_id = _wallet_id(data.pop("extends"), where, "extends")
        data = _extended(catalog_document(catalog_id), data)
    sections: dict[str, Any] = {}
    sources: tuple[FactSource, ...] = ()
    for name, value in data.items():
        if name == "sources":
            sources = _sources(value, where)
            continue
        cls = _SECTIONS.get(name)
        if cls is None:
            known = ", ".join((*_SECTIONS, "sources", "extends"))
            raise ProfileError(f"{where}: unknown section [{name}] (known: {known})")
        if not isinstance(value, dict):
            raise ProfileError(f"{where}: [{name}] must be a table")
        sections[name] = _section(cls, name, value, where, base_dir)
    profile = Profile(**sections, source=where, catalog_id=catalog_id, sources=sources)
    for fact in sources:
        if not profile.value(fact.key):
            raise _fail(where, f'sources."{fact.key}"', f"cites a source for {fact.key}, unset")
    _check_desk(profile.support, where)
    kiosk = profile.kiosk
    if kiosk.warn_s >= kiosk.idle_s:
        raise _fail(
            where,
            "kiosk.warn_s",
            f"must be shorter than kiosk.idle_s ({kiosk.warn_s:g} s is not less than "
            f"{kiosk.idle_s:g} s)",
        )
    return profile


def _extended(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """A catalog entry's document with a profile's own keys laid over it, key by key."""
    merged: dict[str, Any] = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    replaced: set[str] = set()
    for name, value in own.items():
        if name == "sources" or not isinstance(value, dict) or name not in merged:
            continue
        replaced.update(f"{name}.{key}" for key in value)
    for name, value in own.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            merged[name].update(value)
        else:
            merged[name] = value
    # The entry's sources vouch for the entry's values only; the profile's own sources
    # (for the keys it sets itself) come after them.
    sources = {k: v for k, v in base.get("sources", {}).items() if k not in replaced}
    own_sources = own.get("sources", {})
    if isinstance(own_sources, dict):
        sources.update(own_sources)
    if sources or "sources" in own:
        merged["sources"] = sources if isinstance(own_sources, dict) else own_sources
    return merged


def _sources(table: Any, where: str) -> tuple[FactSource, ...]:
    """`[sources]`: for each fact key, the https page it was read on, the day, the evidence."""
    if not isinstance(table, dict):
        raise ProfileError(f"{where}: [sources] must be a table")
    if len(table) > 4 * LIST_MAX_ITEMS:
        raise ProfileError(f"{where}: [sources] has too many entries")
    facts = []
    for key, entry in table.items():
        name = f'sources."{key}"'
        section, _, field_name = key.partition(".")
        cls = _SECTIONS.get(section)
        if cls is None or field_name not in {f.name for f in fields(cls)}:
            raise _fail(where, name, "must name a profile key such as app.appstore_id")
        if not isinstance(entry, dict):
            raise _fail(where, name, "must be a table with url, checked and evidence")
        unknown = [k for k in entry if k not in _SOURCE_KEYS]
        if unknown:
            known = ", ".join(_SOURCE_KEYS)
            raise _fail(where, f"{name}.{unknown[0]}", f"is unknown (known: {known})")
        url = entry.get("url")
        if not isinstance(url, str) or not url:
            raise _fail(where, f"{name}.url", "must be the https URL the fact was read on")
        url = _string(f"{name}.url", url, where)
        _check_https(f"{name}.url", url, where)
        checked = entry.get("checked")
        if isinstance(checked, datetime) or not isinstance(checked, date):
            raise _fail(where, f"{name}.checked", "must be a date such as 2026-11-25")
        evidence = entry.get("evidence")
        if evidence not in EVIDENCE:
            raise _fail(where, f"{name}.evidence", f"must be one of {', '.join(EVIDENCE)}")
        facts.append(FactSource(key, url, checked, evidence))
    return tuple(facts)


def _check_https(key: str, url: str, where: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise _fail(where, key, f"is not a valid URL: {url[:200]}") from None
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in url):
        raise _fail(where, key, f"must be an https:// URL with a host (got {url[:200]!r})")


def _wallet_id(value: Any, where: str, key: str) -> str:
    """A catalog id named by `extends` (or `--wallet`): one the catalog has."""
    if not isinstance(value, str):
        raise _fail(where, key, "must be the id of a wallet in the catalog")
    if value not in catalog_ids():
        ids = ", ".join(catalog_ids())
        raise _fail(where, key, f'names no wallet of the catalog: "{value[:40]}" (one of: {ids})')
    return value


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
        if len(value) > LIST_MAX_ITEMS:
            raise _fail(where, key, f"has too many entries (at most {LIST_MAX_ITEMS})")
        items = tuple(_string(key, v, where) for v in value)
        if key in _URL_KEYS:
            for item in items:
                _check_url(key, item, where)
        if key == "network.dns_servers":
            for item in items:
                parse_dns_server(item, key=key, where=where)
        if key == "service.components" and any(not item for item in items):
            raise _fail(where, key, "has an empty entry")
        return items
    if isinstance(default, float):
        return _number(key, value, where)
    if not isinstance(value, str):
        raise _fail(where, key, "must be a string")
    value = _string(key, value, where)
    if key in _URL_KEYS and value:
        _check_url(key, value, where)
    if key == "wallet.language" and value not in LANGUAGES:
        raise _fail(where, key, f'must be one of {", ".join(LANGUAGES)} (got "{value[:20]}")')
    if key == "wallet.default_region":
        if not _REGION_RE.match(value):
            raise _fail(where, key, "must be a two-letter region code such as CN or US")
        value = value.upper()
    if key == "support.desk" and value not in DESK_KINDS:
        raise _fail(where, key, f'must be one of {", ".join(DESK_KINDS)} (got "{value[:20]}")')
    if key == "support.zendesk_api" and value not in ZENDESK_APIS:
        raise _fail(where, key, f'must be one of {", ".join(ZENDESK_APIS)} (got "{value[:20]}")')
    if key in ("support.requester_email", "support.sender") and not _address_ok(value):
        shown = value[:100]
        raise _fail(
            where, key, f"must be one email address such as station@example.com ({shown!r})"
        )
    if key == "support.token_env" and value and not _ENV_NAME_RE.match(value):
        raise _fail(where, key, "must name an environment variable (not hold the token itself)")
    if key == "kiosk.theme" and value and value not in THEMES:
        raise _fail(where, key, f'must be one of {", ".join(THEMES)} (got "{value[:20]}")')
    if key == "kiosk.exit_pin_sha256" and value and not _HEX64_RE.match(value):
        raise _fail(where, key, "must be 64 hexadecimal digits (the SHA-256 of the PIN)")
    if key == "app.appstore_id" and value and not _DIGITS_RE.match(value):
        raise _fail(where, key, "must be the App Store id: digits only, e.g. 333206289")
    if key == "app.appstore_country" and value:
        if not _REGION_RE.match(value):
            raise _fail(where, key, "must be a two-letter storefront such as cn or us")
        value = value.lower()
    if key == "service.status_format" and value not in STATUS_FORMATS:
        raise _fail(where, key, f'must be one of {", ".join(STATUS_FORMATS)} (got "{value[:20]}")')
    if key == "network.ca_bundle" and value:
        value = _ca_bundle(key, value, where, base)
    return value


def _address_ok(value: str) -> bool:
    """Empty (not set), or one plain email address."""
    return not value or bool(_ADDRESS_RE.match(value))


def _check_desk(support: SupportSection, where: str) -> None:
    """What a desk needs of the other `[support]` keys (CONTRACT §5), checked together."""
    endpoint = support.endpoint
    if not endpoint:
        return
    parts = urlsplit(endpoint)
    schemes = _DESK_SCHEMES[support.desk]
    if parts.scheme not in schemes:
        wanted = " or ".join(f"{s}://" for s in schemes)
        raise _fail(
            where,
            "support.endpoint",
            f'must be a {wanted} URL for support.desk "{support.desk}" (got {endpoint[:200]!r})',
        )
    if support.desk in ("zendesk", "freshdesk") and (
        parts.path not in ("", "/") or parts.query or parts.fragment
    ):
        raise _fail(
            where,
            "support.endpoint",
            f"must be the account's base URL (such as https://SUB.{support.desk}.com), "
            f"without a path (got {endpoint[:200]!r})",
        )
    if support.desk == "email":
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise _fail(where, "support.endpoint", "must be smtp://HOST:PORT or smtps://HOST:PORT")
        if not support.email:
            raise _fail(
                where, "support.email", 'is required with support.desk "email" (the To address)'
            )
        if not _ADDRESS_RE.match(support.email):
            raise _fail(where, "support.email", "must be one email address (the To address)")
        if not support.sender:
            raise _fail(
                where, "support.sender", 'is required with support.desk "email" (the From address)'
            )


def _string(key: str, value: str, where: str) -> str:
    """A string value, stripped, within its key's length and free of control characters."""
    limit = _URL_MAX if key in _URL_KEYS else _MAX_LEN.get(key, 200)
    if len(value) > limit:
        raise _fail(where, key, f"is too long ({len(value)} characters; at most {limit})")
    if _CONTROL_RE.search(value):
        raise _fail(where, key, "contains control characters")
    return value.strip()


def _number(key: str, value: Any, where: str) -> float:
    """A number within the key's bounds (a time too short to read is as wrong as none)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(where, key, "must be a number")
    try:
        number = float(value)
    except OverflowError:  # an integer beyond float range is simply too big
        number = math.inf
    if not math.isfinite(number) or number <= 0:
        raise _fail(where, key, "must be a positive number")
    low, high = _BOUNDS.get(key, (0.0, 86_400.0))
    if not low <= number <= high:
        unit = next((u for suffix, u in _UNITS.items() if key.endswith(suffix)), "")
        raise _fail(where, key, f"must be between {low:g} and {high:g} {unit}".rstrip())
    return number


def _ca_bundle(key: str, value: str, where: str, base: Path | None) -> str:
    """The path of a readable PEM file holding at least one certificate.

    A shared profile could otherwise name /etc/shadow or /proc/self/environ and have the
    wizard read it; only a file that parses as certificates is accepted, and the line that
    refuses it never quotes its content.
    """
    shown = value[:200]
    try:
        path = Path(value).expanduser()
    except RuntimeError:  # "~someone" whose home directory is unknown
        raise _fail(where, key, f"names an unknown home directory: {shown}") from None
    if not path.is_absolute() and base is not None:
        path = base / path
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _fail(where, key, f"names a file that does not exist: {shown}") from None
    except OSError as exc:
        raise _fail(where, key, f"cannot be read ({exc.strerror or exc}): {shown}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _fail(where, key, f"is a directory, not a PEM file: {shown}")
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or a device would block or never end.
        raise _fail(where, key, f"is not a regular file: {shown}")
    try:
        with path.open("rb") as handle:
            data = handle.read(CA_BUNDLE_MAX_BYTES + 1)
    except OSError as exc:
        raise _fail(where, key, f"cannot be read ({exc.strerror or exc}): {shown}") from None
    if len(data) > CA_BUNDLE_MAX_BYTES:
        raise _fail(where, key, f"is too large for a certificate bundle: {shown}")
    if not _holds_certificate(data):
        raise _fail(where, key, f"holds no PEM certificate: {shown}")
    return str(path)


def _holds_certificate(data: bytes) -> bool:
    """Whether `data` is PEM text from which OpenSSL loads at least one certificate."""
    if b"-----BEGIN CERTIFICATE-----" not in data:
        return False
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return False
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        context.load_verify_locations(cadata=text)
    except (ssl.SSLError, ValueError):
        return False
    stats = context.cert_store_stats()
    return stats["x509_ca"] + stats["x509"] > 0


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
    if key == "support.endpoint":
        if parts.username is not None or parts.password is not None:
            # The URL is stored in the outbox and shown in `outbox list`.
            raise _fail(where, key, "must not hold a user name or password (use token_env)")
        if parts.scheme == "http" and not is_loopback_host(parts.hostname):
            raise _fail(
                where,
                key,
                f"must use https:// (plain http is allowed only to this machine, got "
                f"{parts.hostname[:100]!r}): the message and credential would travel in clear",
            )


def is_loopback_host(host: str | None) -> bool:
    """Whether `host` names this machine: 127.0.0.0/8, ::1 or localhost (CONTRACT §2)."""
    if not host:
        return False
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


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


# -- the catalog (CONTRACT §6) ------------------------------------------------------------
# Built-in profiles of real wallets, plain TOML in the package (wizard/catalog/ID.toml),
# validated by this same loader. Read from the package's files, never from the network.


def catalog_ids() -> tuple[str, ...]:
    """The ids of the catalog's wallets, in the order they are offered (vocabulary.WALLETS)."""
    return WALLETS


def catalog_document(wallet_id: str) -> dict[str, Any]:
    """The parsed TOML of one catalog entry; ProfileError for an id the catalog lacks."""
    if wallet_id not in WALLETS or not _WALLET_ID_RE.match(wallet_id):
        raise ProfileError(f'unknown wallet "{wallet_id[:40]}" (one of: {", ".join(WALLETS)})')
    import tomllib

    entry = Path(__file__).resolve().parent / "catalog" / f"{wallet_id}.toml"
    where = f"catalog/{wallet_id}.toml"
    try:
        data = tomllib.loads(entry.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{where}: cannot be read ({exc})") from None
    if "extends" in data:
        raise ProfileError(f"{where}: a catalog entry cannot extend another")
    return data


def catalog_profile(wallet_id: str) -> Profile:
    """The catalog entry `wallet_id` as a Profile (`--wallet ID`), its facts' sources checked.

    Beyond what any profile must satisfy, every fact the entry sets cites where it was read,
    and a way to reach support is listed only when the wallet itself published it.
    """
    where = f"catalog/{wallet_id}.toml"
    profile = profile_from_dict(catalog_document(wallet_id), where=where)
    check_catalog_facts(profile, where=where)
    return replace(profile, source=None, catalog_id=wallet_id)


def check_catalog_facts(profile: Profile, *, where: str) -> None:
    """What a catalog entry must hold beyond any profile (CONTRACT §6): every fact it sets
    cites its source, and every contact's source is the wallet's own page or code."""
    for key in FACT_KEYS:
        if not profile.value(key):
            continue
        fact = profile.source_of(key)
        if fact is None:
            raise _fail(where, key, "is a fact about the wallet and cites no source")
        if key in CONTACT_KEYS and fact.evidence not in OWN_EVIDENCE:
            raise _fail(
                where, key, "is a contact: only the wallet's own page or code may be its source"
            )
