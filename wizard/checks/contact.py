"""Step 3: is the phone number or email being set one that can work?

`validate_phone`, `phone_preview` and `validate_email_syntax` are pure and synchronous: the
wizard calls them on every keystroke (budget: 1 ms p99 for both, see benchmarks/).
`check_phone` and `check_email` are the live checks; only the email one touches the network
(DNS MX, then A/AAAA), through the profile's DNS servers and within the step deadline.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import dns.asyncresolver
import dns.exception
import dns.name
import dns.nameserver
import dns.resolver
import email_validator

# Only the core of phonenumbers: its geocoder, carrier and timezone data cost 100+ MiB.
import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType, ValidationResult

from wizard.checks.context import CheckContext
from wizard.checks.email_domains import is_disposable, suggest_domain
from wizard.checks.model import CheckResult, Status
from wizard.profile import ProfileError, parse_dns_server
from wizard.text import one_line, safe_text

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

_PARSE_CODES = {
    NumberParseException.INVALID_COUNTRY_CODE: "phone_invalid_country",
    NumberParseException.NOT_A_NUMBER: "phone_not_a_number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "phone_too_short",
    NumberParseException.TOO_SHORT_NSN: "phone_too_short",
    NumberParseException.TOO_LONG: "phone_too_long",
}
_REASON_CODES = {
    ValidationResult.TOO_SHORT: "phone_too_short",
    ValidationResult.TOO_LONG: "phone_too_long",
    ValidationResult.INVALID_COUNTRY_CODE: "phone_invalid_country",
    # Dialable only inside an area (no area code): for an SMS it is missing digits.
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "phone_too_short",
}
_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def normalize_phone(text: str) -> str:
    """Full-width digits to ASCII (NFKC), separators and control characters removed."""
    # Escape sequences go whole first, so "ESC[31m" leaves no "31" behind among the digits.
    cut = safe_text(text[:_MAX_PHONE_INPUT], multiline=False)
    return _PHONE_JUNK_RE.sub("", unicodedata.normalize("NFKC", cut))


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


def _validate_phone(text: str, region: str) -> PhoneVerdict:
    digits = normalize_phone(text)
    region_code = _region(region)
    region_ok = region_code in phonenumbers.SUPPORTED_REGIONS
    shown_region = one_line(region_code, max_len=10)
    base: dict[str, Any] = {"region": shown_region}
    if not digits:
        return PhoneVerdict(Status.FAIL, "phone_not_a_number", details=base)
    if not region_ok and not digits.startswith("+"):
        return PhoneVerdict(Status.FAIL, "phone_invalid_country", details=base)
    try:
        number = phonenumbers.parse(digits, region_code if region_ok else None)
    except NumberParseException as exc:
        code = _PARSE_CODES.get(exc.error_type, "phone_not_a_number")
        return PhoneVerdict(Status.FAIL, code, details=base)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    number_region = phonenumbers.region_code_for_number(number)
    if number_region and number_region != "ZZ":
        base["region"] = number_region
    base["e164"] = e164
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.INVALID_LENGTH:
        return PhoneVerdict(Status.FAIL, _invalid_length_code(number), e164, details=base)
    if reason != ValidationResult.IS_POSSIBLE:
        code = _REASON_CODES.get(reason, "phone_invalid")
        return PhoneVerdict(Status.FAIL, code, e164, details=base)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    base["national"] = national
    if not phonenumbers.is_valid_number(number):
        return PhoneVerdict(Status.WARN, "phone_invalid", e164, national, international, "", base)
    number_type = phonenumbers.number_type(number)
    type_name = _type_name(number_type)
    base["number_type"] = type_name
    if number_type in _MOBILE_TYPES:
        status, code = Status.PASS, "ok"
    else:
        # SMS verification codes need a mobile; a landline or toll-free number gets none.
        status, code = Status.FAIL, "phone_not_mobile"
    return PhoneVerdict(status, code, e164, national, international, type_name, base)


def _invalid_length_code(number: phonenumbers.PhoneNumber) -> str:
    """INVALID_LENGTH sits between two allowed lengths: name the nearer one.

    A tie counts as too short, because while typing the next keystroke adds a digit.
    """
    country_code = number.country_code or 0
    region = phonenumbers.region_code_for_country_code(country_code)
    meta = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    lengths = tuple(meta.general_desc.possible_length) if meta and meta.general_desc else ()
    size = len(phonenumbers.national_significant_number(number))
    if not lengths:
        return "phone_too_short"
    nearest = min(lengths, key=lambda n: (abs(n - size), -n))
    return "phone_too_short" if nearest > size else "phone_too_long"


def phone_preview(text: str, region: str) -> str:
    """The number as it would be written, formatted as the person types (live preview)."""
    try:
        region_code = _region(region)
        if region_code not in phonenumbers.SUPPORTED_REGIONS:
            region_code = "ZZ"
        formatter = phonenumbers.AsYouTypeFormatter(region_code)
        out = ""
        for i, ch in enumerate(normalize_phone(text)[:40]):
            if (ch.isascii() and ch.isdigit()) or (ch == "+" and i == 0):
                out = formatter.input_digit(ch)
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


def validate_email_syntax(text: str) -> EmailVerdict:
    """Check an address's syntax (no network), then for a typo or a throwaway domain."""
    try:
        return _validate_email_syntax(text)
    except Exception as exc:  # a keystroke must never raise
        reason = one_line(type(exc).__name__, max_len=60)
        return EmailVerdict(Status.FAIL, "email_syntax", details={"reason": reason})


def _validate_email_syntax(text: str) -> EmailVerdict:
    if len(text) > _MAX_EMAIL_INPUT:
        return EmailVerdict(Status.FAIL, "email_syntax", details={"reason": "too long"})
    address = clean_email(text)
    try:
        valid = email_validator.validate_email(
            address, check_deliverability=False, allow_smtputf8=True
        )
    except email_validator.EmailNotValidError as exc:
        reason = one_line(str(exc), max_len=200)
        local, at, typed_domain = address.rpartition("@")
        fixed = suggest_domain(typed_domain) if at and local else None
        suggestion = _valid_address(f"{local}@{fixed}") if fixed else None
        if suggestion is not None:
            typed = {"suggestion": suggestion, "domain": one_line(typed_domain, max_len=100)}
            return EmailVerdict(Status.WARN, "email_typo", suggestion=suggestion, details=typed)
        return EmailVerdict(Status.FAIL, "email_syntax", details={"reason": reason})
    domain = valid.ascii_domain.lower()
    normalized = one_line(valid.normalized, max_len=320)
    details: dict[str, Any] = {"email": normalized, "domain": one_line(valid.domain, max_len=255)}
    fixed = suggest_domain(domain)
    suggestion = _valid_address(f"{valid.local_part}@{fixed}") if fixed else None
    if suggestion is not None:
        details["suggestion"] = suggestion
        return EmailVerdict(Status.WARN, "email_typo", normalized, domain, suggestion, details)
    if is_disposable(domain):
        return EmailVerdict(Status.WARN, "email_disposable", normalized, domain, None, details)
    details["normalized"] = normalized
    return EmailVerdict(Status.PASS, "ok", normalized, domain, None, details)


def _valid_address(address: str) -> str | None:
    """`address` normalized if its syntax is right, else None (a suggestion must work)."""
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


def _resolver(ctx: CheckContext, budget: float) -> dns.asyncresolver.Resolver:
    servers = [parse_dns_server(s) for s in ctx.profile.network.dns_servers]
    resolver = dns.asyncresolver.Resolver(configure=not servers)
    if servers:
        resolver.nameservers = [dns.nameserver.Do53Nameserver(ip, port) for ip, port in servers]
    # Several tries fit the budget, so one lost UDP packet is not "no answer".
    resolver.timeout = max(0.1, min(2.0, budget / 2))
    resolver.lifetime = budget
    return resolver


async def _lookup_domain(ctx: CheckContext, domain: str) -> _Lookup:
    """MX of `domain`, else its A/AAAA addresses, within the probe timeout and step deadline."""
    loop = asyncio.get_running_loop()
    budget = min(ctx.timeout_s, ctx.remaining() - 0.1)
    if budget <= 0:
        return _Lookup(Status.UNKNOWN, "email_unverified", reason="timeout")
    end = loop.time() + budget
    try:
        resolver = _resolver(ctx, budget)
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
        return _Lookup(Status.FAIL, "email_undeliverable", reason="nxdomain")
    except dns.resolver.NoAnswer:
        return await _addresses(resolver, name, left)
    records = sorted(answer, key=lambda r: (r.preference, r.exchange.to_text()))
    hosts = [r.exchange for r in records if r.exchange != dns.name.root]
    if not hosts:
        # RFC 7505 null MX: the domain says it accepts no mail at all.
        return _Lookup(Status.FAIL, "email_undeliverable", reason="null_mx")
    shown = tuple(one_line(h.to_text(omit_final_dot=True), max_len=255) for h in hosts[:3])
    return _Lookup(Status.PASS, "ok", mx=shown)


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
