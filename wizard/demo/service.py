"""DemoService: the embedded demo wallet, running in background threads of this process.

It serves plain HTTP (connectivity probes, status page, manifest, help desk), HTTPS (the
wallet API's health, so TLS is really exercised) and DNS, all on 127.0.0.1. Threads, not an
event loop, so it works alike under `asyncio.run()` in a CLI and inside a Textual app.

Starting is two steps, so that `wallet-wizard --demo` paints its first screen without waiting
for the servers: `reserve()` (cheap: the cached certificates, the listening sockets, hence a
complete profile) and `serve()` (imports the servers, about 0.1 s, and starts answering on
those sockets). `start()` does both at once; the full-screen wizard calls `serve()` after its
first paint. This module imports no server at import time.
"""

from __future__ import annotations

import ipaddress
import json
import threading
from typing import TYPE_CHECKING, Any

from wizard.demo.answers import Log
from wizard.demo.desks import DEMO_DESKS, DEMO_KEY, DEMO_KEY_ENV, DeskTicket
from wizard.demo.helpdesk import HelpDesk, Ticket
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
from wizard.demo.sockets import Listeners, reserve
from wizard.demo.tls import DemoTLS, load_demo_tls
from wizard.profile import Profile, profile_from_dict
from wizard.vocabulary import SCENARIOS

if TYPE_CHECKING:
    from wizard.demo.reactor import Reactor
    from wizard.demo.web import DemoHTTPServer

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
        self._stopping = threading.Event()
        # reserve(), serve() and stop() may run in different threads (the wizard serves from
        # a worker after its first paint, and stops when the person quits).
        self._lock = threading.RLock()
        self._tls: DemoTLS | None = None
        self._listeners: Listeners | None = None
        self._http: DemoHTTPServer | None = None
        self._https: DemoHTTPServer | None = None
        self._reactor: Reactor | None = None
        self._stopped = False

    # -- life cycle -------------------------------------------------------------------

    def start(self) -> DemoService:
        """Bind every socket and start serving; raise DemoError when a port is taken."""
        with self._lock:
            self.reserve()
            return self.serve()

    def reserve(self) -> DemoService:
        """Load the cached certificates and bind every socket, without serving yet.

        Afterwards the ports, `ca_path` and `profile()` are final, and a client that connects
        waits (in the listen backlog) until `serve()`. Raises DemoError when a port is taken.
        """
        with self._lock:
            if self._listeners is not None:
                return self
            from wizard.locations import data_dir

            self._stopping.clear()
            try:
                tls_dir = data_dir() / "demo-tls"
            except OSError:
                tls_dir = None
            tls = load_demo_tls(tls_dir)
            try:
                self._listeners = reserve(self._host, self._port, smtp=self._desk == "email")
            except OSError as exc:
                tls.cleanup()
                where = f"{self._host}:{self._port}" if self._port else self._host
                raise DemoError(f"cannot listen on {where}: {exc.strerror or exc}") from None
            self._tls = tls
            self._stopped = False
            self._state.portal_url = f"{self.base_url}{LOGIN_PATH}"
            return self

    def serve(self) -> DemoService:
        """Start answering on the sockets `reserve()` bound (binding them first if needed).

        Imports the servers (dnspython, `http.server`: most of the start-up time). After
        `stop()` it does nothing: a late call from the wizard once the person has quit. When
        serving cannot start, every socket is closed (a waiting client is refused, not left
        hanging) and DemoError says why.
        """
        with self._lock:
            if self._stopped or self._reactor is not None:
                return self
            self.reserve()
            listeners, tls = self._bound(), self._tls
            if tls is None:
                raise DemoError("the demo service is not running")
            reactor: Reactor | None = None
            try:
                from wizard.demo.dns_server import dns_servers
                from wizard.demo.reactor import Reactor
                from wizard.demo.web import DemoHTTPServer

                http = DemoHTTPServer(
                    listeners.http, self._app, stopping=self._stopping, log=self._log
                )
                https = DemoHTTPServer(
                    listeners.https,
                    self._app,
                    stopping=self._stopping,
                    tls=lambda: tls.server_context(self._state.behaviour.tls),
                    log=self._log,
                )
                dns = dns_servers(listeners.dns_udp, listeners.dns_tcp)
                servers: list[Any] = [http, https, *dns]
                if listeners.smtp is not None:
                    from wizard.demo.smtp import DemoSMTPServer

                    # STARTTLS with the wallet API's certificate: the profile's CA bundle
                    # trusts it.
                    mailbox = DemoSMTPServer(
                        listeners.smtp, lambda: tls.server_context(TLS_GOOD), self._state.desks
                    )
                    servers.append(mailbox)
                reactor = Reactor(servers)
                reactor.start()
            except Exception as exc:  # whatever it is, the sockets must not stay open unserved
                if reactor is not None:
                    reactor.stop()
                self._release(listeners)
                self._stopped = True
                detail = str(exc) or type(exc).__name__
                raise DemoError(f"the demo service could not start serving: {detail}") from exc
            self._http, self._https, self._reactor = http, https, reactor
            return self

    @property
    def serving(self) -> bool:
        """Whether the servers answer (after `serve()` or `start()`, until `stop()`)."""
        return self._reactor is not None

    def stop(self) -> None:
        """Stop serving and close every socket; safe to call twice, or before `start()`."""
        with self._lock:
            self._stopped = True
            reactor, self._reactor = self._reactor, None
            listeners = self._listeners
            if listeners is None:
                return
            self._stopping.set()  # cuts short any delayed ("slow") answer
            if reactor is not None:
                reactor.stop()  # closes the servers, hence the sockets
                for server in (self._http, self._https):
                    if server is not None:
                        server.close_connections()
            self._http = self._https = None
            self._release(listeners)

    def _release(self, listeners: Listeners) -> None:
        """Close the sockets (again is harmless) and remove temporary certificates."""
        listeners.close()
        self._listeners = None
        if self._tls is not None:
            self._tls.cleanup()
            self._tls = None

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
        return self._bound().port

    @property
    def tls_port(self) -> int:
        """The HTTPS port (the wallet API)."""
        return self._bound().tls_port

    @property
    def dns_port(self) -> int:
        """The DNS port (UDP, and TCP when it was free too)."""
        return self._bound().dns_port

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
        tls = self._tls
        if tls is None:
            raise DemoError("the demo service is not running")
        return str(tls.ca_path)

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
            port = self._bound().smtp_port
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

    def _bound(self) -> Listeners:
        """The sockets (reserved or served); DemoError when the service is not running."""
        listeners = self._listeners
        if listeners is None:
            raise DemoError("the demo service is not running")
        return listeners


def _toml_value(value: Any) -> str:
    """A TOML literal; JSON strings are valid TOML basic strings (same escapes)."""
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return repr(float(value))
    return json.dumps(str(value), ensure_ascii=False)
