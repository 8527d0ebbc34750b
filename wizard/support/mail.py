"""The SMTP exchange of the `email` desk (CONTRACT §5), next to `send.exchange` for HTTP.

`smtp://HOST:PORT` must offer STARTTLS and the server's certificate is verified (the same
trust as every other connection: the default CAs plus the row's `ca_bundle`); the stdlib's
`starttls()` without a context verifies nothing, so it is never called that way. `smtps://`
is TLS from the first byte. Plain SMTP is spoken only to a loopback host that offers no
STARTTLS. The login (SMTP AUTH) happens only over TLS or on this machine.

smtplib is blocking, so the exchange runs in a worker thread under a socket timeout, and the
caller bounds it again with its own hard limit. What the caller must know when it fails is
whether the message may have reached the server: only a failure after the message's data
went out (waiting for the final reply) leaves that open.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
import threading
from contextlib import suppress
from urllib.parse import urlsplit

from wizard.profile import is_loopback_host
from wizard.support.desks.base import DeskAnswer, MailRequest

SMTP_PORTS = {"smtp": 587, "smtps": 465}
# What the station says in EHLO: no host name of this machine leaves it.
EHLO_NAME = "wallet-wizard"


class MailFailure(Exception):
    """The exchange broke off: `maybe_sent` when the data had gone out, `timeout` when the
    server stopped answering."""

    def __init__(self, error: str, *, maybe_sent: bool, timeout: bool) -> None:
        super().__init__(error)
        self.maybe_sent = maybe_sent
        self.timeout = timeout


class _Progress:
    """How far the exchange got, shared with the thread that runs it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.data_sent = False


def _answer(code: int, text: bytes | str, smtp: smtplib.SMTP | None = None) -> DeskAnswer:
    """A server's reply as a DeskAnswer; its `tls` header says whether the conversation was
    encrypted by then (STARTTLS or smtps://), so `desk test` does not claim a certificate
    for a plain conversation on this machine."""
    body = text.encode("utf-8", "replace") if isinstance(text, str) else bytes(text)
    encrypted = smtp is not None and isinstance(getattr(smtp, "sock", None), ssl.SSLSocket)
    return DeskAnswer(int(code), {"tls": "yes" if encrypted else "no"}, body, protocol="smtp")


def _talk(
    request: MailRequest, timeout_s: float, context: ssl.SSLContext, progress: _Progress
) -> DeskAnswer:
    """The whole conversation, blocking: EHLO, STARTTLS, AUTH, then MAIL, RCPT and DATA
    (only AUTH when there are no recipients: `desk test`'s probe)."""
    parts = urlsplit(request.url)
    host = parts.hostname or ""
    port = parts.port or SMTP_PORTS.get(parts.scheme, 587)
    smtp: smtplib.SMTP
    if parts.scheme == "smtps":
        smtp = smtplib.SMTP_SSL(
            host, port, local_hostname=EHLO_NAME, timeout=timeout_s, context=context
        )
    else:
        smtp = smtplib.SMTP(host, port, local_hostname=EHLO_NAME, timeout=timeout_s)
    try:
        smtp.ehlo()
        if parts.scheme == "smtp":
            if smtp.has_extn("starttls"):
                # Verified: the context checks the chain and the host name.
                smtp.starttls(context=context)
                smtp.ehlo()
            elif not is_loopback_host(host):
                return _answer(
                    454, "the mail server offers no STARTTLS: nothing is sent in clear text", smtp
                )
        if request.username:
            if not smtp.has_extn("auth"):
                return _answer(530, "the mail server offers no login (SMTP AUTH)", smtp)
            smtp.login(request.username, request.password)
        if not request.recipients:
            if request.username:
                return _answer(235, "logged in", smtp)
            return _answer(250, "ready (no login set)", smtp)
        code, text = smtp.mail(request.sender)
        if code != 250:
            return _answer(code, text, smtp)
        for recipient in request.recipients:
            code, text = smtp.rcpt(recipient)
            if code not in (250, 251):
                return _answer(code, text, smtp)
        with progress.lock:
            progress.data_sent = True
        try:
            code, text = smtp.data(request.message)
        except smtplib.SMTPDataError as exc:
            # Refused before the message went out (no 354): nothing was delivered.
            with progress.lock:
                progress.data_sent = False
            return _answer(exc.smtp_code, exc.smtp_error, smtp)
        return _answer(code, text, smtp)
    except smtplib.SMTPResponseException as exc:
        # A refusal at EHLO, STARTTLS or AUTH (535: the login is wrong), before any data.
        return _answer(exc.smtp_code, exc.smtp_error, smtp)
    finally:
        with suppress(Exception):
            smtp.quit()
        with suppress(Exception):
            smtp.close()


async def mail_exchange(
    request: MailRequest, timeout_s: float, context: ssl.SSLContext
) -> DeskAnswer:
    """One SMTP conversation under a hard time limit; the server's final reply.

    Raises MailFailure when the conversation breaks off (a refused connection, a certificate
    that is not trusted, a server that stops answering).
    """
    progress = _Progress()
    try:
        async with asyncio.timeout(timeout_s):
            return await asyncio.to_thread(_talk, request, timeout_s * 0.8, context, progress)
    except (TimeoutError, smtplib.SMTPServerDisconnected, OSError, smtplib.SMTPException) as exc:
        with progress.lock:
            maybe_sent = progress.data_sent
        # smtplib reports a socket timeout as a disconnection; the timeout is beneath it.
        timeout = any(isinstance(e, TimeoutError) for e in (exc, exc.__cause__, exc.__context__))
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise MailFailure(error, maybe_sent=maybe_sent, timeout=timeout) from exc
