"""A real SMTP server on 127.0.0.1 (aiosmtpd) in front of a support mailbox, for the email desk.

It offers STARTTLS with the certificate it is given (a trustme one) and requires it before
anything but EHLO/NOOP/QUIT; AUTH (PLAIN, LOGIN) only over TLS, with one user and password;
or implicit TLS from the first byte (`implicit_tls`, smtps://). The mailbox behind it turns
mail into tickets as help desks do: one ticket per Message-ID, so the same message delivered
twice is one ticket (`deliveries` counts every DATA that was accepted).

`plan` says how the next messages are answered at the end of DATA: `throttle` (451 4.7.1, try
later), `reject` (550 5.7.1 with `reject_text`), `stall` (the message is kept, then the reply
waits `stall_s`, past the client's patience). An empty plan: 250 with a queue id.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

USER = "station@example.com"
PASSWORD = "smtp-Pass-7Yq2"


@dataclass
class Mail:
    """One message the mailbox accepted."""

    sender: str
    recipients: list[str]
    data: bytes
    tls: bool
    login: str

    @property
    def message(self) -> EmailMessage:
        """The message, parsed."""
        parsed = BytesParser(policy=policy.default).parsebytes(self.data)
        assert isinstance(parsed, EmailMessage)
        return parsed


class SMTPServer:
    """The server in its own event loop thread; a context manager."""

    def __init__(self, tls: ssl.SSLContext, *, implicit_tls: bool = False) -> None:
        self.tls = tls
        self.implicit_tls = implicit_tls
        self.plan: list[str] = []
        self.reject_text = "5.7.1 Relaying denied: the mailbox does not accept this sender"
        self.stall_s = 2.0
        self.tickets: dict[str, Mail] = {}
        self.deliveries: list[Mail] = []
        self.commands: list[str] = []
        self.lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """The endpoint for `support.endpoint`."""
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"{scheme}://127.0.0.1:{self.port}"

    def __enter__(self) -> SMTPServer:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        self._server = future.result(timeout=10)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            if self._server is not None:
                self._server.close()
                # Connections still open (a stalled one) are left to the loop's end.

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    async def _start(self) -> asyncio.Server:
        handler = _Mailbox(self)

        def protocol() -> SMTP:
            return SMTP(
                handler,
                hostname="mail.loopback.test",
                tls_context=None if self.implicit_tls else self.tls,
                require_starttls=not self.implicit_tls,
                # Implicit TLS is TLS too, though aiosmtpd only counts STARTTLS as such.
                auth_require_tls=not self.implicit_tls,
                authenticator=self._authenticate,
                decode_data=False,
            )

        return await asyncio.get_running_loop().create_server(
            protocol, "127.0.0.1", 0, ssl=self.tls if self.implicit_tls else None
        )

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and data.login == USER.encode()
            and data.password == PASSWORD.encode()
        )
        with self.lock:
            self.commands.append(f"AUTH {'ok' if ok else 'refused'}")
        return AuthResult(success=ok, handled=False, auth_data=data)

    def next_step(self) -> str:
        """The plan's next answer ("" when it is done)."""
        with self.lock:
            return self.plan.pop(0) if self.plan else ""


class _Mailbox:
    """aiosmtpd's handler: records commands, keeps messages, answers as planned."""

    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    async def handle_EHLO(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        hostname: str,
        responses: list[str],
    ) -> list[str]:
        with self.server.lock:
            self.server.commands.append(f"EHLO {hostname}")
        session.host_name = hostname
        return responses

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        with self.server.lock:
            self.server.commands.append("MAIL")
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        step = self.server.next_step()
        if step == "throttle":
            return "451 4.7.1 Too many messages from this sender, try again later"
        if step == "reject":
            return f"550 {self.server.reject_text}"
        content = envelope.original_content or envelope.content or b""
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        auth = session.auth_data
        login = auth.login.decode() if isinstance(auth, LoginPassword) else ""
        mail = Mail(
            str(envelope.mail_from),
            [str(r) for r in envelope.rcpt_tos],
            data,
            # STARTTLS (session.ssl) or TLS from the first byte (the transport's own).
            tls=session.ssl is not None
            or (
                server.transport is not None
                and server.transport.get_extra_info("ssl_object") is not None
            ),
            login=login,
        )
        message_id = str(mail.message["Message-ID"] or "")
        with self.server.lock:
            self.server.deliveries.append(mail)
            self.server.tickets.setdefault(message_id, mail)
            number = len(self.server.tickets)
        if step == "stall":
            await asyncio.sleep(self.server.stall_s)
        return f"250 2.0.0 Ok: queued as Q-{number:06d}"
