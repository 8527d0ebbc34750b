"""A loopback DNS server that holds its answers for chosen names until the test lets them go.

Everything else is answered at once, exactly as `LoopbackDNSServer` answers it. A held query
is answered (with the zone's answer, as it stands then) only after `release(name)`, which
lets a test put a slow answer exactly where it wants it: after the person typed something
new, for instance.
"""

from __future__ import annotations

import contextlib
import threading

from dnslib import DNSRecord

from tests.loopback.dns import NXDOMAIN, LoopbackDNSServer, Zone


class HeldDNSServer(LoopbackDNSServer):
    """`LoopbackDNSServer` over UDP, with the answers for `held` names kept back."""

    def __init__(
        self, zones: dict[str, Zone], *, held: tuple[str, ...], default: Zone = NXDOMAIN
    ) -> None:
        super().__init__(zones, default=default)
        self._gates = {self._key(name): threading.Event() for name in held}
        self._held_seen: dict[str, int] = dict.fromkeys(self._gates, 0)

    def held_queries(self, name: str) -> int:
        """How many queries for the held `name` arrived so far."""
        with self._lock:
            return self._held_seen[self._key(name)]

    def release(self, name: str) -> None:
        """Answer every query for `name`, those waiting and those to come."""
        self._gates[self._key(name)].set()

    def _gate_for(self, data: bytes) -> threading.Event | None:
        try:
            name = self._key(str(DNSRecord.parse(data).q.qname))
        except Exception:
            return None
        gate = self._gates.get(name)
        if gate is not None and not gate.is_set():
            with self._lock:
                self._held_seen[name] += 1
            return gate
        return None

    def _answer_when_released(
        self, gate: threading.Event, data: bytes, peer: tuple[str, int]
    ) -> None:
        while not gate.wait(0.05):
            if self._stop.is_set():
                return
        reply = self.answer(data)
        if reply is not None:
            with contextlib.suppress(OSError):
                self._udp.sendto(reply, peer)

    def _serve_udp(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self._udp.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            gate = self._gate_for(data)
            if gate is not None:
                threading.Thread(
                    target=self._answer_when_released, args=(gate, data, peer), daemon=True
                ).start()
                continue
            reply = self.answer(data)
            if reply is not None:
                with contextlib.suppress(OSError):
                    self._udp.sendto(reply, peer)
