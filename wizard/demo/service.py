"""DemoService: the embedded demo wallet, running in background threads of this process.

It serves plain HTTP (connectivity probes, status page, manifest, help desk), HTTPS (the
wallet API's health, so TLS is really exercised) and DNS, all on 127.0.0.1. Threads, not an
event loop, so it works alike under `asyncio.run()` in a CLI and inside a Textual app.
"""

from __future__ import annotations

import ipaddress
import json
import threading
from typing import Any

from wizard.demo.desks import DEMO_DESKS, DEMO_KEY, DEMO_KEY_ENV, DemoSMTPServer, DeskTicket
from wizard.demo.dns_server import dns_servers, server_port
from wizard.demo.helpdesk import HelpDesk, Ticket
from wizard.demo.reactor import Reactor
from wizard.demo.routes import (
    HEALTH_PATH,
    LOGIN_PATH,
    MANIFEST_PATH,
    PROBE_PATHS,
    STATUS_PATH,
    TICKETS_PATH,
    DemoState,
    route,
)
from wizard.demo.scenarios import TLS_GOOD
from wizard.demo.tls import DemoTLS, load_demo_tls
from wizard.demo.web import DemoHTTPServer, Log
from wizard.profile import Profile, profile_from_dict
from wizard.vocabulary import SCENARIOS

LOOPBACK = "127.0.0.1"


class DemoError(Exception):
    """The demo service cannot start (port taken, bad scenario); one line."""


class DemoService:
    """The demo wallet service; use as a context manager, or `start()` and `stop()`."""

    def __init__(
        self,
        scenario: str = "ok",
        *,
        host: str = LOOPBACK,
        port: int = 0,
        token: str | None = None,
        log: Log | None = None,
        desk: str = "webhook",
    ) -> None:
        """`desk` is the help desk the profile points at: the webhook, or Zendesk, Freshdesk
        or email played by the service itself."""
        if scenario not in SCENARIOS:
            raise DemoError(f"unknown demo scenario {scenario!r} (one of {', '.join(SCENARIOS)})")
        if desk not in DEMO_DESKS:
            raise DemoError(f"unknown demo help desk {desk!r} (one of {', '.join(DEMO_DESKS)})")
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            shown = f"{host!r}"[:60]
            raise DemoError(
                f"the host must be an IPv4 address such as 127.0.0.1 (got {shown})"
            ) from None
        if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
            raise DemoError(f"the port must be a number from 0 to 65535 (got {port!r})")
        self._host = host
        self._port = port
        self._log = log
        self._desk = desk
        self._state = DemoState(scenario, HelpDesk(token), desk)
        self._smtp: DemoSMTPServer | None = None
        self._stopping = threading.Event()
        self._tls: DemoTLS | None = None
        self._http: DemoHTTPServer | None = None
        self._https: DemoHTTPServer | None = None
        self._dns_port = 0
        self._reactor: Reactor | None = None

    # -- life cycle -------------------------------------------------------------------

    def start(self) -> DemoService:
        """Bind every server and start serving; raise DemoError when a port is taken."""
        if self._reactor is not None:
            return self
        from wizard.locations import data_dir

        self._stopping.clear()
        try:
            tls_dir = data_dir() / "demo-tls"
        except OSError:
            tls_dir = None
        self._tls = tls = load_demo_tls(tls_dir)
        servers: list[Any] = []
        try:
            self._http = DemoHTTPServer(
                (self._host, self._port), self._app, stopping=self._stopping, log=self._log
            )
            servers.append(self._http)
            self._https = DemoHTTPServer(
                (self._host, 0),
                self._app,
                stopping=self._stopping,
                tls=lambda: tls.server_context(self._state.behaviour.tls),
                log=self._log,
            )
            servers.append(self._https)
            dns = dns_servers(self._host)
            servers.extend(dns)
            self._dns_port = server_port(dns)
            if self._desk == "email":
                # STARTTLS with the wallet API's certificate: the profile's CA bundle trusts it.
                self._smtp = DemoSMTPServer(
                    self._host, lambda: tls.server_context(TLS_GOOD), self._state.desks
                )
                servers.append(self._smtp)
        except OSError as exc:
            for server in servers:
                server.server_close()
            tls.cleanup()
            self._tls = None
            where = f"{self._host}:{self._port}" if self._port else self._host
            raise DemoError(f"cannot listen on {where}: {exc.strerror or exc}") from None
        self._reactor = Reactor(servers)
        self._state.portal_url = f"{self.base_url}{LOGIN_PATH}"
        self._reactor.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every socket; safe to call twice."""
        reactor, self._reactor = self._reactor, None
        if reactor is None:
            return
        self._stopping.set()  # cuts short any delayed ("slow") answer
        reactor.stop()
        for server in (self._http, self._https):
            if server is not None:
                server.close_connections()
        if self._tls is not None:
            self._tls.cleanup()

    def __enter__(self) -> DemoService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what it serves ---------------------------------------------------------------

    def _app(self, request: Any) -> Any:
        return route(self._state, request)

    @property
    def scenario(self) -> str:
        """The scenario being played ("captive_portal" becomes "ok" once signed in)."""
        return self._state.scenario

    @scenario.setter
    def scenario(self, name: str) -> None:
        if name not in SCENARIOS:
            raise DemoError(f"unknown demo scenario {name!r} (one of {', '.join(SCENARIOS)})")
        self._state.scenario = name

    @property
    def port(self) -> int:
        """The plain-HTTP port."""
        return self._running(self._http).port

    @property
    def tls_port(self) -> int:
        """The HTTPS port (the wallet API)."""
        return self._running(self._https).port

    @property
    def dns_port(self) -> int:
        """The DNS port (UDP, and TCP when it was free too)."""
        self._running(self._http)
        return self._dns_port

    @property
    def base_url(self) -> str:
        """The plain-HTTP base URL, e.g. `http://127.0.0.1:8080`."""
        return f"http://{self._host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        """The HTTPS base URL of the wallet API."""
        return f"https://{self._host}:{self.tls_port}"

    @property
    def ca_path(self) -> str:
        """The PEM file of the demo CA (the profile's `network.ca_bundle`)."""
        if self._tls is None:
            raise DemoError("the demo service is not running")
        return str(self._tls.ca_path)

    @property
    def tickets(self) -> list[Ticket]:
        """The tickets the help desk accepted, oldest first (a snapshot)."""
        return self._state.helpdesk.tickets

    @property
    def desk(self) -> str:
        """The help desk the service plays (webhook, zendesk, freshdesk or email)."""
        return self._desk

    @property
    def desk_tickets(self) -> list[DeskTicket]:
        """The tickets the played Zendesk, Freshdesk or mailbox made, oldest first."""
        return self._state.desks.made()

    @property
    def credentials(self) -> dict[str, str]:
        """The variables the profile's help desk reads its credential from, with values."""
        return {DEMO_KEY_ENV: DEMO_KEY} if self._desk == "freshdesk" else {}

    @property
    def ticket_attempts(self) -> int:
        """How many POSTs reached the help desk (replays and rejections included)."""
        return self._state.helpdesk.attempts

    def profile_data(self) -> dict[str, dict[str, Any]]:
        """The profile as the TOML document's tables (CONTRACT §2)."""
        base = self.base_url
        return {
            # No language: the person's locale (or --lang) decides, as for any wallet.
            "wallet": {"name": "Demo Wallet", "default_region": "CN"},
            "network": {
                "api_url": f"{self.api_base_url}{HEALTH_PATH}",
                "connectivity_urls": [f"{base}{path}" for path in PROBE_PATHS],
                "dns_servers": [f"{self._host}:{self.dns_port}"],
                "timeout_s": 3.0,
                "slow_ms": 1500.0,
                "ca_bundle": self.ca_path,
            },
            "service": {"status_url": f"{base}{STATUS_PATH}"},
            "app": {"manifest_url": f"{base}{MANIFEST_PATH}"},
            "support": self._support(base),
        }

    def _support(self, base: str) -> dict[str, Any]:
        """The `[support]` table for the help desk played."""
        contact = {
            "email": "help@demo-wallet.example",
            "phone": "95188",
            "hours": "08:00-22:00",
        }
        station = "station@demo-wallet.example"
        if self._desk == "zendesk":
            # A station's way in: the Requests API, anonymous (no agent token).
            return {
                "desk": "zendesk",
                "endpoint": base,
                "zendesk_api": "requests",
                "token_env": "",
                "requester_email": station,
                **contact,
            }
        if self._desk == "freshdesk":
            return {
                "desk": "freshdesk",
                "endpoint": base,
                "token_env": DEMO_KEY_ENV,
                "requester_email": station,
                **contact,
            }
        if self._desk == "email":
            port = self._smtp.port if self._smtp is not None else 0
            return {
                "desk": "email",
                "endpoint": f"smtp://{self._host}:{port}",
                "token_env": "",
                "sender": station,
                **contact,
            }
        return {"endpoint": f"{base}{TICKETS_PATH}", "token_env": "WALLET_SUPPORT_TOKEN", **contact}

    def profile(self) -> Profile:
        """A profile whose every URL points at this service."""
        return profile_from_dict(self.profile_data(), where=f"<demo {self.scenario}>")

    def profile_toml(self) -> str:
        """The same profile as TOML text, loadable by `wizard.profile.load_profile`."""
        lines: list[str] = []
        for table, values in self.profile_data().items():
            if lines:
                lines.append("")
            lines.append(f"[{table}]")
            lines.extend(f"{key} = {_toml_value(value)}" for key, value in values.items())
        return "\n".join(lines) + "\n"

    def _running(self, server: DemoHTTPServer | None) -> DemoHTTPServer:
        if server is None or self._reactor is None:
            raise DemoError("the demo service is not running")
        return server


def _toml_value(value: Any) -> str:
    """A TOML literal; JSON strings are valid TOML basic strings (same escapes)."""
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return repr(float(value))
    return json.dumps(str(value), ensure_ascii=False)
