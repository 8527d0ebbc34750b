"""Step 3: is the phone number or email being set one that can work?

`validate_phone`, `phone_preview` and `validate_email_syntax` are pure and synchronous: the
wizard calls them on every keystroke (budget: 1 ms p99 for both, see benchmarks/).
`check_phone` and `check_email` are the live checks; only the email one touches the network
(DNS MX, then A/AAAA), through the profile's DNS servers and within the step deadline.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import dns.asyncresolver
import dns.exception
import dns.name
import dns.resolver

# Only the core of phonenumbers: its geocoder, carrier and timezone data cost 100+ MiB.
import phonenumbers
from phonenumbers import (
    CountryCodeSource,
    NumberParseException,
    PhoneNumberType,
    ValidationResult,
)

from wizard.checks.context import CheckContext
from wizard.checks.email_domains import is_disposable, suggest_domain
from wizard.checks.model import CheckResult, Status
from wizard.net.resolver import mail_resolver
from wizard.profile import ProfileError
from wizard.text import one_line, safe_text

if TYPE_CHECKING:
    import email_validator

# ---------------------------------------------------------------------------------------
# Phone


@dataclass(frozen=True)
class PhoneVerdict:
    """What a phone number is: status and code (CONTRACT §3) and its formatted forms."""

    status: Status
    code: str
    e164: str | None = None
    national: str = ""
    international: str = ""
    number_type: str = ""
    details: dict[str, Any] = field(default_factory=dict)


# Anything longer is no phone number; capping first keeps a pasted novel cheap.
_MAX_PHONE_INPUT = 300
# Separators people type or paste between digits, and invisible/control characters.
_PHONE_JUNK_RE = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc.·()\[\]{}/\\\x00-\x1f\x7f-\x9f]")
# A number followed by an extension, as people write one: "ext 5", "x5", "#5", "转5", "分机5"
# (separators already removed). libphonenumber knows only the Latin markers, and reads the
# letters of a bare "ext" as keypad digits, so the extension is split off here first.
_EXTENSION_RE = re.compile(
    r"^(?P<main>\+?[0-9]+)"
    r"(?P<mark>;?ext(?:ension|n)?=?|x|#|~|,|;|转|分机号?|内线)"
    r"(?P<ext>[0-9]*)#?$",
    re.IGNORECASE,
)

_PARSE_CODES = {
    NumberParseException.INVALID_COUNTRY_CODE: "phone_invalid_country",
    NumberParseException.NOT_A_NUMBER: "phone_not_a_number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "phone_too_short",
    NumberParseException.TOO_SHORT_NSN: "phone_too_short",
    NumberParseException.TOO_LONG: "phone_too_long",
}
# Lengths are judged for a MOBILE number of the region (CONTRACT §3 Phone): a Chinese
# landline is 10–11 digits long, so a mobile number one digit short still "looks possible"
# by the general rule, and a person would be told the number is merely not in use.
_MOBILE_REASON_CODES = {
    ValidationResult.TOO_SHORT: "phone_too_short",
    ValidationResult.TOO_LONG: "phone_too_long",
    ValidationResult.INVALID_LENGTH: "phone_wrong_length",
    ValidationResult.INVALID_COUNTRY_CODE: "phone_invalid_country",
    # Dialable only inside an area (no area code): for an SMS it is missing digits.
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "phone_too_short",
}
_LENGTH_CODES = frozenset({"phone_too_short", "phone_too_long", "phone_wrong_length"})
_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def normalize_phone(text: str) -> str:
    """Full-width digits to ASCII (NFKC), separators and control characters removed."""
    # Escape sequences go whole first, so "ESC[31m" leaves no "31" behind among the digits.
    cut = safe_text(text[:_MAX_PHONE_INPUT], multiline=False)
    return _PHONE_JUNK_RE.sub("", unicodedata.normalize("NFKC", cut))


def split_extension(normalized: str) -> tuple[str, str]:
    """(number, extension digits) of a normalized number; ("…", "") when it has none.

    A marker with no digits after it ("138…8000 ext", still being typed) is dropped.
    """
    match = _EXTENSION_RE.match(normalized)
    if match is None:
        return normalized, ""
    return match["main"], match["ext"]


def _region(region: str | None) -> str:
    return (region or "").strip().upper()


def _type_name(number_type: int) -> str:
    return str(PhoneNumberType.to_string(number_type))


def validate_phone(text: str, region: str) -> PhoneVerdict:
    """Classify a typed phone number for `region` (ISO 3166 code; used without +country)."""
    try:
        return _validate_phone(text, region)
    except Exception as exc:  # a keystroke must never raise
        details = {"reason": one_line(type(exc).__name__, max_len=60)}
        return PhoneVerdict(Status.FAIL, "phone_not_a_number", details=details)


def _mobile_lengths(country_code: int, region: str) -> tuple[int, ...]:
    """The lengths of a mobile number's national significant number for a country code."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    if meta is None:
        return ()
    desc = meta.mobile
    lengths = tuple(desc.possible_length) if desc is not None else ()
    if not lengths and meta.general_desc is not None:
        # The metadata leaves a type's lengths out when they equal the general ones.
        lengths = tuple(meta.general_desc.possible_length)
    return tuple(n for n in lengths if n > 0)


def _lengths_text(lengths: tuple[int, ...]) -> str:
    """11 → "11"; 10, 11 → "10–11"; 6, 8, 9 → "6/8–9" (the same in every language)."""
    runs: list[list[int]] = []
    for n in sorted(set(lengths)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "/".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def _length_details(
    country_code: int, region: str, typed_digits: int, significant: int
) -> dict[str, Any]:
    """`digits` typed and the `expected` digits of a mobile number, counted the same way.

    A national prefix the person typed (the 0 of "07400 123456") counts on both sides, so
    the numbers match what they see on the card or contract.
    """
    lengths = _mobile_lengths(country_code, region)
    if not lengths:
        return {}
    prefix = max(0, typed_digits - significant)
    expected = tuple(n + prefix for n in lengths)
    return {
        "digits": significant + prefix,
        "expected": _lengths_text(expected),
        "expected_lengths": list(expected),
        "country_code": country_code,
    }


def _validate_phone(text: str, region: str) -> PhoneVerdict:
    main, extension = split_extension(normalize_phone(text))
    verdict = _validate_number(main, region)
    if not extension:
        return verdict
    details = {**verdict.details, "extension": extension}
    if verdict.status is Status.FAIL:
        # What is wrong with the number itself comes first: removing the extension alone
        # would not make it work.
        return replace(verdict, details=details)
    return replace(verdict, status=Status.FAIL, code="phone_has_extension", details=details)


def _validate_number(digits: str, region: str) -> PhoneVerdict:
    region_code = _region(region)
    region_ok = region_code in phonenumbers.SUPPORTED_REGIONS
    shown_region = one_line(region_code, max_len=10)
    base: dict[str, Any] = {"region": shown_region}
    if not digits:
        return PhoneVerdict(Status.FAIL, "phone_not_a_number", details=base)
    if not region_ok and not digits.startswith("+"):
        return PhoneVerdict(Status.FAIL, "phone_invalid_country", details=base)
    try:
        number = phonenumbers.parse(digits, region_code if region_ok else None, keep_raw_input=True)
    except NumberParseException as exc:
        code = _PARSE_CODES.get(exc.error_type, "phone_not_a_number")
        if code in _LENGTH_CODES and region_ok and not digits.startswith(("+", "00")):
            # Typed without a country code: the region tells how long it should be.
            typed = sum(c.isdigit() for c in digits)
            cc = phonenumbers.country_code_for_region(region_code)
            base.update(_length_details(cc, region_code, typed, typed))
        return PhoneVerdict(Status.FAIL, code, details=base)
    country_code = number.country_code or 0
    number_region = phonenumbers.region_code_for_number(number)
    if not number_region or number_region == "ZZ":
        # An invalid number of a shared code (+1) names no region: the one chosen, if it
        # uses that code, else the code's main region.
        same = region_ok and phonenumbers.country_code_for_region(region_code) == country_code
        number_region = (
            region_code if same else phonenumbers.region_code_for_country_code(country_code)
        )
    if number_region and number_region != "ZZ":
        base["region"] = number_region
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    valid = phonenumbers.is_valid_number(number)
    from_region = number.country_code_source == CountryCodeSource.FROM_DEFAULT_COUNTRY
    if valid:
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        international = phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    else:
        # libphonenumber's layout of a number that is not one can mislead ("013 800 138 0001"
        # for twelve typed digits): show the digits as written instead.
        significant = phonenumbers.national_significant_number(number)
        national = digits if from_region else significant
        international = f"+{country_code} {significant}"
    base["e164"] = e164
    base["national"] = national
    forms = {"e164": e164, "national": national, "international": international}
    if valid:
        number_type = phonenumbers.number_type(number)
        type_name = _type_name(number_type)
        base["number_type"] = type_name
        if number_type in _MOBILE_TYPES:
            return PhoneVerdict(Status.PASS, "ok", number_type=type_name, details=base, **forms)
        # SMS verification codes need a mobile; a landline or toll-free number gets none.
        return PhoneVerdict(
            Status.FAIL, "phone_not_mobile", number_type=type_name, details=base, **forms
        )
    reason = phonenumbers.is_possible_number_for_type_with_reason(number, PhoneNumberType.MOBILE)
    if reason == ValidationResult.IS_POSSIBLE:
        # The right length for a mobile number, but no number of this region looks like it.
        return PhoneVerdict(Status.WARN, "phone_invalid", details=base, **forms)
    code = _MOBILE_REASON_CODES.get(reason, "phone_wrong_length")
    if code in _LENGTH_CODES:
        size = len(phonenumbers.national_significant_number(number))
        typed = sum(c.isdigit() for c in digits) if from_region else size
        base.update(_length_details(country_code, number_region or "", typed, size))
    return PhoneVerdict(Status.FAIL, code, details=base, **forms)


@functools.cache
def calling_codes() -> dict[str, int]:
    """Each region phonenumbers supports and its country calling code ("CN" → 86).

    From phonenumbers' own table of codes and regions: asking `country_code_for_region` for
    every region loaded every region's metadata module (245 modules, 80 ms and 1.4 MiB when
    step 3 listed the regions)."""
    return {
        region: code
        for code, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items()
        for region in regions
        if region in phonenumbers.SUPPORTED_REGIONS
    }


def warm_up_phone(region: str) -> None:
    """Check one example number of `region` as if typed: phonenumbers loads the region's
    tables and compiles its formatting rules on first use (20 ms and more), which would
    otherwise fall on the first keystrokes' feedback in step 3."""
    try:
        example = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    except Exception:  # an unknown region: nothing to load
        return
    if example is None:
        return
    # As it is typed, digit by digit: each length takes its own formatting rules.
    digits = phonenumbers.national_significant_number(example)
    for end in range(1, len(digits) + 1):
        validate_phone(digits[:end], region)
        phone_preview(digits[:end], region)


def phone_preview(text: str, region: str) -> str:
    """The number as it would be written, formatted as the person types (live preview).

    An extension is shown apart ("138 0013 8000 ext. 5"), never run into the number.
    """
    try:
        region_code = _region(region)
        if region_code not in phonenumbers.SUPPORTED_REGIONS:
            region_code = "ZZ"
        main, extension = split_extension(normalize_phone(text))
        formatter = phonenumbers.AsYouTypeFormatter(region_code)
        out = ""
        for i, ch in enumerate(main[:40]):
            if (ch.isascii() and ch.isdigit()) or (ch == "+" and i == 0):
                out = formatter.input_digit(ch)
        if out and extension:
            out = f"{out} ext. {extension}"
        return one_line(out, max_len=60)
    except Exception:  # a keystroke must never raise
        return ""


async def check_phone(ctx: CheckContext) -> CheckResult:
    """The `phone` check: the number given, for the region given or the profile's."""
    text = ctx.inputs.phone
    if text is None or not text.strip():
        return CheckResult("phone", Status.SKIP, "not_provided")
    region = ctx.inputs.region
    if region is None or not region.strip():
        region = ctx.profile.wallet.default_region
    verdict = validate_phone(text, region)
    return CheckResult("phone", verdict.status, verdict.code, details=dict(verdict.details))


# ---------------------------------------------------------------------------------------
# Email


@dataclass(frozen=True)
class EmailVerdict:
    """What an email address is by its syntax alone.

    `domain` is the ASCII domain to look up in DNS, None when the syntax is wrong.
    `suggestion` is the whole corrected address for a near miss of a common provider.
    """

    status: Status
    code: str
    normalized: str | None = None
    domain: str | None = None
    suggestion: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


_MAX_EMAIL_INPUT = 400
# Full-width ASCII and the ideographic space/full stop, as a Chinese IME in full-width mode
# types them. Only these: NFKC on the whole address would rewrite legitimate Unicode.
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {
    0x3000: 0x20,
    0x3002: 0x2E,
    0xFF61: 0x2E,
}


def clean_email(text: str) -> str:
    """The address as typed, without control characters, full-width forms or outer spaces."""
    return safe_text(text[:_MAX_EMAIL_INPUT].translate(_FULLWIDTH), multiline=False).strip()


# What may stand before the @ unquoted (RFC 5322 atext and the dot); non-ASCII letters are
# allowed too (RFC 6531), but get their own warning.
_LOCAL_ASCII = frozenset(string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-.")
_DOMAIN_ASCII = frozenset(string.ascii_letters + string.digits + "-.")
# The validator library explains its refusals in English sentences only. Its rarer refusals
# (after the checks of `_syntax_problem`) are told apart by a word of the sentence, to pick
# one of the reason codes the catalogs explain; any sentence not listed is "invalid", so no
# library English ever reaches a person.
_LIBRARY_REASONS = (
    ("too long", "too_long"),
    ("should have a period", "domain_no_dot"),
    ("hyphen", "hyphen"),
    ("dashes", "hyphen"),
    ("period", "dots"),
    ("special-use or reserved", "reserved_domain"),
    ("top-level domain", "bad_tld"),
    ("bracket", "ip_domain"),
    ("before the @-sign", "local_chars"),
    ("after the @-sign", "domain_chars"),
)


def _chars(chars: set[str]) -> str:
    return one_line(" ".join(sorted(chars)), max_len=40)


def _syntax_problem(address: str) -> tuple[str, str] | None:
    """The reason code (and the characters at fault) of the common mistakes, else None."""
    if not address:
        return "empty", ""
    if "@" not in address:
        return "no_at", ""
    if any(c.isspace() for c in address):
        return "space", ""
    local, _, domain = address.rpartition("@")
    if not local:
        return "no_local", ""
    if not domain:
        return "no_domain", ""
    quoted = len(local) > 1 and local.startswith('"') and local.endswith('"')
    if "@" in local and not quoted:
        return "many_at", ""
    if len(address.encode()) > 254 or len(local.encode()) > 64:
        return "too_long", ""
    if not quoted:
        bad = {c for c in local if c.isascii() and c not in _LOCAL_ASCII}
        if bad:
            return "local_chars", _chars(bad)
        if local.startswith(".") or local.endswith(".") or ".." in local:
            return "dots", ""
    if domain.startswith("["):
        return "ip_domain", ""
    bad = {c for c in domain if c.isascii() and c not in _DOMAIN_ASCII}
    if bad:
        return "domain_chars", _chars(bad)
    if domain.startswith(".") or ".." in domain:
        return "dots", ""
    if "." not in domain.rstrip("."):
        return "domain_no_dot", ""
    if domain.endswith("."):
        return "dots", ""
    return None


def _library_reason(exc: email_validator.EmailNotValidError) -> str:
    text = str(exc)
    return next((code for words, code in _LIBRARY_REASONS if words in text), "invalid")


def validate_email_syntax(text: str) -> EmailVerdict:
    """Check an address's syntax (no network), then for a typo or a throwaway domain."""
    try:
        return _validate_email_syntax(text)
    except Exception as exc:  # a keystroke must never raise
        details = {"reason": "invalid", "error": one_line(type(exc).__name__, max_len=60)}
        return EmailVerdict(Status.FAIL, "email_syntax", details=details)


def load_email_validator() -> None:
    """Import email-validator now: its import compiles large regular expressions (about 40
    ms), which a `check` with no address never needs, and which the wizard's step 3 loads
    when it is shown, not on the first keystroke."""
    import email_validator  # noqa: F401


def _validate_email_syntax(text: str) -> EmailVerdict:
    import email_validator

    if len(text) > _MAX_EMAIL_INPUT:
        return EmailVerdict(Status.FAIL, "email_syntax", details={"reason": "too_long"})
    address = clean_email(text)
    problem = _syntax_problem(address)
    valid: Any = None
    if problem is None:
        try:
            valid = email_validator.validate_email(
                address, check_deliverability=False, allow_smtputf8=True
            )
        except email_validator.EmailNotValidError as exc:
            problem = (_library_reason(exc), "")
    if problem is not None:
        local, at, typed_domain = address.rpartition("@")
        fixed = suggest_domain(typed_domain) if at and local else None
        suggestion = _valid_address(f"{local}@{fixed}") if fixed else None
        if suggestion is not None:
            typed = {"suggestion": suggestion, "domain": one_line(typed_domain, max_len=100)}
            return EmailVerdict(Status.WARN, "email_typo", suggestion=suggestion, details=typed)
        reason, chars = problem
        details: dict[str, Any] = {"reason": reason}
        if chars:
            details["chars"] = chars
        return EmailVerdict(Status.FAIL, "email_syntax", details=details)
    domain = valid.ascii_domain.lower()
    normalized = one_line(valid.normalized, max_len=320)
    details = {"email": normalized, "domain": one_line(valid.domain, max_len=255)}
    fixed = suggest_domain(domain)
    suggestion = _valid_address(f"{valid.local_part}@{fixed}") if fixed else None
    if suggestion is not None:
        details["suggestion"] = suggestion
        return EmailVerdict(Status.WARN, "email_typo", normalized, domain, suggestion, details)
    if not valid.local_part.isascii():
        # Allowed by RFC 6531, refused by many wallets and mail systems.
        details["local"] = one_line(valid.local_part, max_len=64)
        return EmailVerdict(Status.WARN, "email_unicode_local", normalized, domain, None, details)
    if is_disposable(domain):
        return EmailVerdict(Status.WARN, "email_disposable", normalized, domain, None, details)
    details["normalized"] = normalized
    return EmailVerdict(Status.PASS, "ok", normalized, domain, None, details)


def _valid_address(address: str) -> str | None:
    """`address` normalized if its syntax is right, else None (a suggestion must work)."""
    import email_validator

    try:
        valid = email_validator.validate_email(
            address, check_deliverability=False, allow_smtputf8=True
        )
    except email_validator.EmailNotValidError:
        return None
    return one_line(valid.normalized, max_len=320)


@dataclass(frozen=True)
class _Lookup:
    status: Status
    code: str
    mx: tuple[str, ...] = ()
    reason: str = ""


async def check_email(ctx: CheckContext) -> CheckResult:
    """The `email` check: syntax, typo and throwaway domains, then MX (or A/AAAA) in DNS."""
    text = ctx.inputs.email
    if text is None or not text.strip():
        return CheckResult("email", Status.SKIP, "not_provided")
    verdict = validate_email_syntax(text)
    details = dict(verdict.details)
    if verdict.domain is None:
        # Nothing to look up: the address as typed cannot be written to DNS terms.
        return CheckResult("email", verdict.status, verdict.code, details=details)
    details.setdefault("domain", one_line(verdict.domain, max_len=255))
    ctx.waiting("email", details["domain"])
    lookup = await _lookup_domain(ctx, verdict.domain)
    details["mx"] = list(lookup.mx)
    if lookup.reason:
        details["dns"] = lookup.reason
    # Undeliverable beats any warning; a typo or a throwaway domain beats "DNS did not answer".
    if lookup.status is Status.FAIL or verdict.status is Status.PASS:
        return CheckResult("email", lookup.status, lookup.code, details=details)
    return CheckResult("email", verdict.status, verdict.code, details=details)


async def _lookup_domain(ctx: CheckContext, domain: str) -> _Lookup:
    """MX of `domain`, else its A/AAAA addresses, within the probe timeout and step deadline."""
    loop = asyncio.get_running_loop()
    budget = min(ctx.timeout_s, ctx.remaining() - 0.1)
    if budget <= 0:
        return _Lookup(Status.UNKNOWN, "email_unverified", reason="timeout")
    end = loop.time() + budget
    try:
        resolver = mail_resolver(ctx.profile.network.dns_servers, budget_s=budget)
        async with asyncio.timeout(budget + 0.05):
            return await _mx_then_addresses(resolver, domain, lambda: end - loop.time())
    except TimeoutError:
        return _Lookup(Status.UNKNOWN, "email_unverified", reason="timeout")
    except (dns.exception.DNSException, ProfileError, OSError, ValueError) as exc:
        return _Lookup(Status.UNKNOWN, "email_unverified", reason=_dns_reason(exc))


def _dns_reason(exc: BaseException) -> str:
    if isinstance(exc, dns.exception.Timeout):
        return "timeout"
    if isinstance(exc, dns.resolver.NoNameservers):
        return "servfail"
    return one_line(type(exc).__name__, max_len=60)


async def _mx_then_addresses(
    resolver: dns.asyncresolver.Resolver, domain: str, left: Callable[[], float]
) -> _Lookup:
    name = dns.name.from_text(domain)
    try:
        answer = await resolver.resolve(name, "MX", lifetime=max(0.01, left()))
    except dns.resolver.NXDOMAIN:
        # A resolver that is broken or lies (a captive portal's, a filter's) says "no such
        # domain" for everything: believe it only if it knows the domain's top-level zone.
        if await _knows_top_level(resolver, name, left):
            return _Lookup(Status.FAIL, "email_undeliverable", reason="nxdomain")
        return _Lookup(Status.UNKNOWN, "email_unverified", reason="nxdomain_unconfirmed")
    except dns.resolver.NoAnswer:
        return await _addresses(resolver, name, left)
    records = sorted(answer, key=lambda r: (r.preference, r.exchange.to_text()))
    hosts = [r.exchange for r in records if r.exchange != dns.name.root]
    if not hosts:
        # RFC 7505 null MX: the domain says it accepts no mail at all.
        return _Lookup(Status.FAIL, "email_undeliverable", reason="null_mx")
    shown = tuple(one_line(h.to_text(omit_final_dot=True), max_len=255) for h in hosts[:3])
    return _Lookup(Status.PASS, "ok", mx=shown)


async def _knows_top_level(
    resolver: dns.asyncresolver.Resolver, name: dns.name.Name, left: Callable[[], float]
) -> bool:
    """Whether the resolver answers an NS query for `name`'s top-level zone ("com.")."""
    top = dns.name.Name(name.labels[-2:]) if len(name.labels) >= 2 else dns.name.root
    try:
        answer = await resolver.resolve(top, "NS", lifetime=max(0.01, left()))
    except dns.exception.DNSException:
        return False
    return answer.rrset is not None and len(answer.rrset) > 0


async def _addresses(
    resolver: dns.asyncresolver.Resolver, name: dns.name.Name, left: Callable[[], float]
) -> _Lookup:
    """No MX: mail goes to the domain's own address (RFC 5321 §5.1), if it is a public one."""
    lifetime = max(0.01, left())
    answers = await asyncio.gather(
        resolver.resolve(name, "A", lifetime=lifetime),
        resolver.resolve(name, "AAAA", lifetime=lifetime),
        return_exceptions=True,
    )
    addresses: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = []
    unanswered: BaseException | None = None
    for answer in answers:
        if isinstance(answer, dns.resolver.NXDOMAIN | dns.resolver.NoAnswer):
            continue
        if isinstance(answer, BaseException):
            if not isinstance(answer, Exception):
                raise answer
            unanswered = answer
            continue
        for record in answer:
            try:
                addresses.append(ipaddress.ip_address(record.address))
            except ValueError:
                continue
    if any(a.is_global for a in addresses):
        return _Lookup(Status.PASS, "ok", reason="address_only")
    if addresses:
        return _Lookup(Status.FAIL, "email_undeliverable", reason="private_address")
    if unanswered is not None:
        return _Lookup(Status.UNKNOWN, "email_unverified", reason=_dns_reason(unanswered))
    return _Lookup(Status.FAIL, "email_undeliverable", reason="no_mail_host")
