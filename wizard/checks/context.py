"""What a check receives: the profile, the person's inputs, and run-scoped resources."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from wizard.checks.model import Inputs
from wizard.net.trust import trust_context
from wizard.profile import Profile

if TYPE_CHECKING:
    # Imported when a check first asks for a client: `wallet-wizard` (the TUI) and `message`
    # load this module at start-up, and httpx alone costs ~50 ms there.
    import httpx


class CheckContext:
    """Run-scoped state shared by the checks of one run.

    Every HTTP client a check asks for is created fresh for this run and closed when the run
    ends: httpx 0.28's connection pool can wedge after a cancelled request, and Re-check
    cancels, so no client ever outlives its run.
    """

    def __init__(
        self,
        profile: Profile,
        inputs: Inputs,
        *,
        on_waiting: Callable[[str, str], None] | None = None,
    ) -> None:
        self.profile = profile
        self.inputs = inputs
        self._on_waiting = on_waiting
        self._clients: list[httpx.AsyncClient] = []
        self._ssl: ssl.SSLContext | None = None
        loop = asyncio.get_running_loop()
        self.deadline = loop.time() + self.timeout_s + 1.0

    @property
    def timeout_s(self) -> float:
        """The per-probe timeout of the profile (or `--timeout`)."""
        return self.profile.network.timeout_s

    def remaining(self) -> float:
        """Seconds left until the step deadline (never negative)."""
        return max(0.0, self.deadline - asyncio.get_running_loop().time())

    def waiting(self, check_id: str, what: str) -> None:
        """Tell the UI what a check is waiting for (shown when it takes a while)."""
        if self._on_waiting is not None:
            self._on_waiting(check_id, what)

    def ssl_context(self) -> ssl.SSLContext:
        """The trust of checks and delivery alike (`wizard.net.trust`): httpx's defaults
        (or SSL_CERT_FILE) plus the profile's `ca_bundle`, built once per process."""
        if self._ssl is None:
            self._ssl = trust_context(self.profile.network.ca_bundle)
        return self._ssl

    def http(self, **kwargs: Any) -> httpx.AsyncClient:
        """A new AsyncClient owned by this run; closed by `aclose()`."""
        import httpx

        kwargs.setdefault("timeout", httpx.Timeout(self.timeout_s))
        if "verify" not in kwargs:
            # A plain-HTTP probe never uses TLS, yet httpx would load a trust store for its
            # client (tens of ms, on the UI's loop): the run's shared one costs nothing. An
            # unreadable ca_bundle leaves httpx's default (the TLS checks report the bundle).
            with contextlib.suppress(ssl.SSLError, OSError):
                kwargs["verify"] = self.ssl_context()
        kwargs.setdefault("headers", {"User-Agent": _user_agent()})
        client = httpx.AsyncClient(**kwargs)
        self._clients.append(client)
        return client

    async def aclose(self) -> None:
        """Close every client of this run; errors while closing are irrelevant by now."""
        clients, self._clients = self._clients, []
        for client in clients:
            with contextlib.suppress(Exception):
                await client.aclose()


def _user_agent() -> str:
    from wizard import TOOL_NAME, __version__

    return f"{TOOL_NAME}/{__version__}"
