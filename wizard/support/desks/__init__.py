"""Help desks behind one protocol (CONTRACT §5), and which of them this version delivers to.

A new desk is one module implementing `HelpDesk` (base.py) and one line in `DESKS`. The
profile may already name every kind CONTRACT §5 lists; a kind missing from `DESKS` is a
configuration error wherever a message would be sent, never a message saved for nowhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from wizard.profile import Profile
from wizard.support.desks.base import (
    Delivered,
    DeskAnswer,
    DeskRequest,
    HelpDesk,
    Queued,
    Rejected,
    Verdict,
)
from wizard.support.desks.webhook import WebhookDesk
from wizard.support.destination import Destination

__all__ = [
    "DESKS",
    "Delivered",
    "DeskAnswer",
    "DeskRequest",
    "DeskUnavailable",
    "HelpDesk",
    "Queued",
    "Rejected",
    "Verdict",
    "WebhookDesk",
    "destination_for",
]

# The desks this version delivers to, by `support.desk`.
DESKS: Mapping[str, HelpDesk] = MappingProxyType({WebhookDesk.kind: WebhookDesk()})


class DeskUnavailable(Exception):
    """The profile names a help desk this version cannot deliver to; the message is one line."""


def destination_for(profile: Profile, desks: Mapping[str, HelpDesk] = DESKS) -> Destination:
    """Where the profile's messages go; DeskUnavailable when its desk is not in `desks`."""
    desk = profile.support.desk
    if desk not in desks:
        where = profile.source or "<profile>"
        available = ", ".join(sorted(desks))
        raise DeskUnavailable(
            f'{where}: support.desk "{desk}" is not supported by this version of wallet-wizard'
            f" (supported: {available})"
        )
    return Destination.of_profile(profile)
