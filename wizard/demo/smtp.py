"""The demo's mailbox (`--demo-desk email`): a small SMTP server on 127.0.0.1 that insists on
STARTTLS with the demo's own certificate (the profile's CA bundle trusts it) and files each
message once per Message-ID as a ticket of `DemoDesks`.
"""

from __future__ import annotations

import socket
import socketserver
import ssl
from collections.abc import Callable
from typing import Any

from wizard.demo.desks import DemoDesks
from wizard.demo.sockets import adopt

SMTP_MAX_LINE = 4096
SMTP_MAX_MESSAGE = 1024 * 1024
SMTP_TIMEOUT_S = 30.0


class DemoSMTPServer(socketserver.ThreadingTCPServer):
    """A small SMTP server: EHLO, STARTTLS (required), MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    daemon_threads = True
    block_on_close = False

    def __init__(
        self, sock: socket.socket, tls: Callable[[], ssl.SSLContext], desks: DemoDesks
    ) -> None:
        self.tls = tls
        self.desks = desks
        super().__init__(sock.getsockname(), _SMTPHandler, bind_and_activate=False)
        adopt(self, sock)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-conversation is no reason for a traceback."""


class _SMTPHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        server: DemoSMTPServer = self.server  # type: ignore[assignment]
        conn: socket.socket = self.request
        conn.settimeout(SMTP_TIMEOUT_S)
        reader = conn.makefile("rb")
        secure = False
        mail_from = ""
        rcpts: list[str] = []

        def say(line: str) -> None:
            conn.sendall(line.encode() + b"\r\n")

        say("220 mail.demo-wallet.example wallet-wizard demo mailbox")
        while True:
            raw = reader.readline(SMTP_MAX_LINE)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                extensions = ["250-mail.demo-wallet.example", "250-8BITMIME", "250 SMTPUTF8"]
                if not secure:
                    extensions.insert(2, "250-STARTTLS")
                for item in extensions:
                    say(item)
            elif verb == "STARTTLS" and not secure:
                say("220 2.0.0 Ready to start TLS")
                conn = server.tls().wrap_socket(conn, server_side=True)
                reader = conn.makefile("rb")
                secure, mail_from, rcpts = True, "", []
            elif verb in ("NOOP", "RSET"):
                mail_from, rcpts = ("", []) if verb == "RSET" else (mail_from, rcpts)
                say("250 2.0.0 OK")
            elif verb == "QUIT":
                say("221 2.0.0 Bye")
                return
            elif not secure:
                say("530 5.7.0 Must issue a STARTTLS command first")
            elif verb == "MAIL":
                mail_from, rcpts = line[5:], []
                say("250 2.1.0 OK")
            elif verb == "RCPT" and mail_from:
                rcpts.append(line[5:])
                say("250 2.1.5 OK")
            elif verb == "DATA" and rcpts:
                say("354 End data with <CR><LF>.<CR><LF>")
                data = _read_data(reader)
                if data is None:
                    return
                ticket = server.desks.mail(data)
                say(f"250 2.0.0 Ok: queued as {ticket}")
                mail_from, rcpts = "", []
            else:
                say("503 5.5.1 Bad sequence of commands")


def _read_data(reader: Any) -> bytes | None:
    """The message up to the lone dot, dot-unstuffed (None when the client went away)."""
    lines: list[bytes] = []
    size = 0
    while True:
        raw = reader.readline(SMTP_MAX_LINE)
        if not raw:
            return None
        if raw in (b".\r\n", b".\n"):
            return b"".join(lines)
        size += len(raw)
        if size <= SMTP_MAX_MESSAGE:
            lines.append(raw[1:] if raw.startswith(b"..") else raw)
