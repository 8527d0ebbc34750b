"""Help desks behind one protocol (CONTRACT §5), and which of them this version delivers to.

A new desk is one module implementing `HelpDesk` (base.py) and one line in `DESKS`: the
webhook of §4, Zendesk (both APIs), Freshdesk and email over SMTP. A kind missing from the
desks a caller passes is a configuration error wherever a message would be sent, never a
message saved for nowhere.
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
from wizard.support.desks.email import EmailDesk
from wizard.support.desks.freshdesk import FreshdeskDesk
from wizard.support.desks.webhook import WebhookDesk
from wizard.support.desks.zendesk import ZendeskDesk
from wizard.support.destination import Destination

__all__ = [
    "DESKS",
    "Delivered",
    "DeskAnswer",
    "DeskRequest",
    "DeskUnavailable",
    "EmailDesk",
    "FreshdeskDesk",
    "HelpDesk",
    "Queued",
    "Rejected",
    "Verdict",
    "WebhookDesk",
    "ZendeskDesk",
    "destination_for",
]

# The desks this version delivers to, by `support.desk`.
DESKS: Mapping[str, HelpDesk] = MappingProxyType(
    {desk.kind: desk for desk in (WebhookDesk(), ZendeskDesk(), FreshdeskDesk(), EmailDesk())}
)


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
