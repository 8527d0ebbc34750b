"""`desk test`: an operator's dry run against the configured help desk, creating nothing.

The desk's own probe (`HelpDesk.probe`) goes out under the same rules as a message — the
endpoint's own address only, plain http only to this machine, the profile's CA bundle trusted,
the credential cut out of every word shown — and what came back is named as one problem:
the address, the certificate, the credential, the permission, or nothing wrong.
"""

from __future__ import annotations

import os
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from wizard.net.trust import trust_context
from wizard.support.desks import DESKS, HelpDesk
from wizard.support.desks.base import DeskAnswer, DeskRequest, MailRequest, Unsendable
from wizard.support.destination import Destination
from wizard.support.mail import MailFailure, mail_exchange
from wizard.support.send import (
    ATTEMPT_LIMIT_S,
    exchange,
    insecure_endpoint,
    make_client,
    off_origin,
    scrub,
    secrets_of,
    valid_header_value,
)
from wizard.text import one_line

# What `desk test` can say is wrong ("" is nothing).
PROBLEMS = (
    "address",
    "certificate",
    "tls",
    "credential",
    "no_credential",
    "permission",
    "throttled",
    "answer",
    "timeout",
    "no_endpoint",
    "no_desk",
    "insecure",
    "no_starttls",
    "ca_bundle",
)


@dataclass(frozen=True)
class ProbeResult:
    """What the dry run found: `problem` ("" when nothing is wrong) and one line of detail."""

    desk: str
    endpoint: str
    problem: str
    detail: str = ""
    # No credential was set: the desk was reached as an anonymous sender.
    anonymous: bool = False
    # The conversation was encrypted (https, smtps, STARTTLS), so a certificate was checked;
    # False for plain http or SMTP, which only this machine is ever spoken to in.
    encrypted: bool = True


def _chain(exc: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found and len(found) < 10:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def classify_failure(exc: BaseException) -> tuple[str, str]:
    """(problem, detail) for a request that broke off, from the error beneath it."""
    chain = _chain(exc)
    for error in chain:
        if isinstance(error, ssl.SSLCertVerificationError):
            return "certificate", str(error.verify_message or error.reason or error)
    for error in chain:
        if isinstance(error, ssl.SSLError):
            return "tls", str(error.reason or error)
    for error in chain:
        if isinstance(error, TimeoutError | httpx.TimeoutException):
            return "timeout", ""
        if isinstance(error, MailFailure) and error.timeout:
            return "timeout", ""
    for error in chain:
        if isinstance(error, socket.gaierror):
            return "address", "the host name does not resolve"
        if isinstance(error, ConnectionRefusedError):
            return "address", "the connection was refused"
    return "address", f"{type(exc).__name__}: {exc}"


async def probe_desk(
    destination: Destination,
    *,
    timeout_s: float = ATTEMPT_LIMIT_S,
    desks: Mapping[str, HelpDesk] = DESKS,
    environ: Mapping[str, str] | None = None,
) -> ProbeResult:
    """Ask the desk who we are (or to list one ticket, or to log in), and say what is wrong."""
    env = os.environ if environ is None else environ
    endpoint = destination.endpoint

    def result(problem: str, detail: str = "", *, encrypted: bool = True) -> ProbeResult:
        shown = one_line(scrub(detail, *secrets), max_len=200) if detail else ""
        return ProbeResult(
            destination.desk, endpoint, problem, shown, anonymous=not secrets, encrypted=encrypted
        )

    secrets: tuple[str, ...] = ()
    desk = desks.get(destination.desk)
    if desk is None:
        return result("no_desk")
    if not endpoint:
        return result("no_endpoint")
    refusal = insecure_endpoint(endpoint)
    if refusal:
        return result("insecure", refusal)
    token = env.get(destination.token_env, "").strip() if destination.token_env else ""
    secrets = (token,) if token else ()
    if not valid_header_value(token):
        return result("credential", f"the value of {destination.token_env} is not usable")
    try:
        request = desk.probe(destination, token)
    except Unsendable as exc:
        return result("no_credential", exc.reason)
    secrets = secrets_of(token, request)
    refusal = off_origin(request, endpoint)
    if refusal:
        return result("insecure", refusal)
    bundle = destination.ca_bundle
    try:
        context = trust_context(bundle)
    except (OSError, ssl.SSLError) as exc:
        return result("ca_bundle", f"{bundle}: {exc}")
    try:
        answer = await _ask(request, timeout_s, bundle, context)
    except Exception as exc:  # every way of not getting an answer is named, never raised
        problem, detail = classify_failure(exc)
        if problem == "timeout":
            detail = f"{timeout_s:g} s"
        return result(problem, detail)
    problem = desk.probed(destination, token, answer)
    if answer.protocol == "smtp":
        encrypted = answer.headers.get("tls") == "yes"
    else:
        encrypted = urlsplit(endpoint).scheme == "https"
    return result(problem, _detail(answer), encrypted=encrypted)


async def _ask(
    request: DeskRequest | MailRequest, timeout_s: float, bundle: str, context: ssl.SSLContext
) -> DeskAnswer:
    if isinstance(request, MailRequest):
        return await mail_exchange(request, timeout_s, context)
    async with make_client(timeout_s, ca_bundle=bundle) as client:
        return await exchange(client, request, timeout_s)


def _detail(answer: DeskAnswer) -> str:
    if answer.protocol == "smtp":
        text = one_line(answer.body.decode("utf-8", "replace"), max_len=120)
        return f"SMTP {answer.status} {text}".strip()
    return f"HTTP {answer.status}"
