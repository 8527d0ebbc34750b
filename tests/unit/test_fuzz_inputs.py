"""Hypothesis: whatever a person types or a profile holds gives a clear result, never a crash.

Examples are derandomized (the same ones every run: tests stay deterministic) and there are
thousands of them per input kind.
"""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from packaging.version import Version

from wizard.checks.app_version import parse_app_version
from wizard.checks.contact import (
    EmailVerdict,
    PhoneVerdict,
    phone_preview,
    validate_email_syntax,
    validate_phone,
)
from wizard.checks.model import Status
from wizard.checks.registry import REGISTRY
from wizard.profile import Profile, ProfileError, profile_from_dict

# The autouse fixture only sets environment variables; they need no reset between examples.
MANY = settings(
    max_examples=2000,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SOME = settings(MANY, max_examples=1000)

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_STATUS_OF_PHONE_CODE = {
    "ok": Status.PASS,
    "phone_invalid": Status.WARN,
    "phone_not_a_number": Status.FAIL,
    "phone_invalid_country": Status.FAIL,
    "phone_too_short": Status.FAIL,
    "phone_too_long": Status.FAIL,
    "phone_wrong_length": Status.FAIL,
    "phone_not_mobile": Status.FAIL,
    "phone_has_extension": Status.FAIL,
}
_STATUS_OF_EMAIL_SYNTAX_CODE = {
    "ok": Status.PASS,
    "email_typo": Status.WARN,
    "email_disposable": Status.WARN,
    "email_unicode_local": Status.WARN,
    "email_syntax": Status.FAIL,
}


def _assert_clean(value: Any) -> None:
    """No control, escape or bidi character anywhere in a (nested) details value."""
    if isinstance(value, str):
        assert not _UNSAFE.search(value), repr(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            _assert_clean(k)
            _assert_clean(v)
    elif isinstance(value, list | tuple):
        for v in value:
            _assert_clean(v)


_phone_chars = "0123456789０１２３４５６７８９+＋ -－().·/\u3000\u200b\x1b[]#*xX"
phone_texts = st.one_of(
    st.text(),
    st.text(alphabet=_phone_chars, max_size=30),
    # from_regex and emails() cost ~2 ms an example; plain text strategies keep this fast.
    st.text(alphabet="+0123456789 ", min_size=1, max_size=20),
)
regions = st.one_of(
    st.sampled_from(sorted(phonenumbers.SUPPORTED_REGIONS)),
    st.sampled_from(["", "ZZ", "zz", "cn", " us ", "001", "XK", "UK", "China"]),
    st.text(max_size=4),
)


@MANY
@given(text=phone_texts, region=regions)
def test_any_phone_text_gives_a_phone_code(text: str, region: str) -> None:
    verdict = validate_phone(text, region)
    assert isinstance(verdict, PhoneVerdict)
    assert verdict.code in REGISTRY.codes_by_check()["phone"]
    assert verdict.status is _STATUS_OF_PHONE_CODE[verdict.code]
    if verdict.code == "ok":
        assert verdict.e164 is not None and verdict.e164.startswith("+")
        assert verdict.number_type in ("MOBILE", "FIXED_LINE_OR_MOBILE")
    _assert_clean(verdict.details)
    preview = phone_preview(text, region)
    assert isinstance(preview, str)
    _assert_clean(preview)


_email_chars = "abcxyz.09@＠．。,+-_ \u200b\x1b用户例子"
email_texts = st.one_of(
    st.text(),
    st.builds(
        "{}@{}.{}".format,
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._+-", min_size=1, max_size=12),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-.", min_size=1, max_size=12),
        st.sampled_from(["com", "cn", "net", "org", "co", "con", "cm", "xn--fiqs8s"]),
    ),
    st.text(alphabet=_email_chars, max_size=40),
    st.builds(
        lambda local, domain: f"{local}@{domain}",
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.", min_size=1, max_size=12),
        st.sampled_from(["qq.com", "gmail.com", "163.com", "hotmail.com", "qq.con", "gmial.co"]),
    ),
)


@MANY
@given(text=email_texts)
def test_any_email_text_gives_an_email_code(text: str) -> None:
    verdict = validate_email_syntax(text)
    assert isinstance(verdict, EmailVerdict)
    assert verdict.status is _STATUS_OF_EMAIL_SYNTAX_CODE[verdict.code]
    _assert_clean(verdict.details)
    if verdict.code == "email_typo":
        # A suggestion is a whole address that itself passes the syntax check.
        assert verdict.suggestion is not None
        assert validate_email_syntax(verdict.suggestion).code != "email_syntax"
    if verdict.code == "ok":
        assert verdict.domain is not None and verdict.domain.isascii()


version_texts = st.one_of(
    st.text(),
    st.builds(
        lambda prefix, parts: prefix + ".".join(map(str, parts)),
        st.sampled_from(["", "v", "V", "版本"]),
        st.lists(st.integers(0, 9999), min_size=1, max_size=5),
    ),
    st.text(alphabet="0123456789.vV版本 ：:-+abrcdev()（）１２", max_size=30),
)


@MANY
@given(text=version_texts)
def test_any_version_text_parses_or_is_none(text: str) -> None:
    version = parse_app_version(text)
    assert version is None or isinstance(version, Version)
    if version is not None:
        _assert_clean(str(version))


@SOME
@given(
    major=st.integers(0, 10_000),
    minor=st.integers(0, 10_000),
    prefix=st.sampled_from(["", "v", "V", "版本", "版本 ", "Version: ", "版本号："]),
)
def test_typed_versions_round_trip(major: int, minor: int, prefix: str) -> None:
    assert parse_app_version(f"{prefix}{major}.{minor}") == Version(f"{major}.{minor}")


_ANY = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=30),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
_numbers = st.one_of(
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([10**400, -(10**400), 2**63, 0, -1, 0.001, 86400, 86401, True]),
    st.text(max_size=5),
)
_urls = st.one_of(
    st.sampled_from(
        [
            "https://example.com/x",
            "http://127.0.0.1:8080/",
            "http://127.0.0.1:99999/",
            "http://[::1",
            "https://",
            "ftp://x",
            "http://a b/",
            "javascript:alert(1)",
            "",
            "http://\x1b[31m/",
            "https://user:pw@host/",
            "http://[::1]:0/",
            "//x",
        ]
    ),
    st.builds(
        "{}://{}{}".format,
        st.sampled_from(["http", "https", "HTTP", "x"]),
        st.text(max_size=12),
        st.text(max_size=8),
    ),
)
_servers = st.one_of(
    st.sampled_from(
        [
            "1.2.3.4",
            "1.2.3.4:53",
            "[::1]:53",
            "::1",
            "[::1]",
            "[::1]x",
            "[::1]:",
            "1.2.3.4:",
            "1.2.3.4:²",
            "[::1]:²",
            "1.2.3.4:٣",
            "1.2.3.4:0",
            "1.2.3.4:65536",
            "[",
            "]",
            ":",
            "dns.example",
            "",
        ]
    ),
    st.builds("{}:{}".format, st.ip_addresses().map(str), st.text(max_size=6)),
    st.text(max_size=20),
)
_paths = st.one_of(
    st.sampled_from(["", "~", "~nosuchuser_zz/ca.pem", "\x00", "a\x00b", "/", ".", "/dev/null"]),
    st.text(max_size=20),
)
_strings = st.one_of(
    st.sampled_from(["", " ", "CN", "cn", "zh-CN", "en", "zh", "a" * 64, "f" * 64, "1token"]),
    st.text(max_size=70),
)
# Each known key with values of roughly its type, so validation gets past the type check.
_KEYS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "wallet": {"name": _strings, "default_region": _strings, "language": _strings},
    "network": {
        "api_url": _urls,
        "connectivity_urls": st.lists(_urls, max_size=3),
        "dns_servers": st.lists(_servers, max_size=3),
        "timeout_s": _numbers,
        "slow_ms": _numbers,
        "ca_bundle": _paths,
    },
    "service": {"status_url": _urls},
    "app": {"manifest_url": _urls},
    "support": {
        "endpoint": _urls,
        "token_env": _strings,
        "email": _strings,
        "phone": _strings,
        "hours": _strings,
    },
    "kiosk": {"idle_s": _numbers, "warn_s": _numbers, "exit_pin_sha256": _strings},
}


_PAIRS = [(section, key) for section, keys in _KEYS.items() for key in keys]


@st.composite
def profile_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly-plausible profile documents with odd values in known and unknown places."""
    doc: dict[str, Any] = {}
    for _ in range(draw(st.integers(1, 3))):
        noise = draw(st.integers(0, 19))
        if noise == 0:  # an unknown section, or a section that is not a table
            doc[draw(st.text(max_size=8))] = draw(st.fixed_dictionaries({}) | _ANY)
            continue
        section, key = draw(st.sampled_from(_PAIRS))
        table = doc.setdefault(section, {})
        if not isinstance(table, dict):
            continue
        if noise == 1:
            table[draw(st.text(max_size=8))] = draw(_ANY)
        else:
            table[key] = draw(_ANY) if noise == 2 else draw(_KEYS[section][key])
    return doc


# Each of these once escaped as a non-ProfileError; they stay as fixed examples.
@example(doc={"network": {"timeout_s": 10**400}})
@example(doc={"network": {"dns_servers": ["1.2.3.4:²"]}})
@example(doc={"network": {"dns_servers": ["[::1]:" + "9" * 5000]}})
@example(doc={"network": {"ca_bundle": "~nosuchuser_zz/ca.pem"}})
@example(doc={"network": {"ca_bundle": "a\x00b"}})
@MANY
@given(doc=profile_dicts())
def test_any_profile_document_validates_or_raises_profile_error(doc: dict[str, Any]) -> None:
    try:
        profile = profile_from_dict(doc, where="fuzz.toml")
    except ProfileError as exc:
        assert str(exc).startswith("fuzz.toml: ")
    else:
        assert isinstance(profile, Profile)
