"""Help desks behind one protocol (CONTRACT §5), and which of them this version delivers to.

A new desk is one module implementing `HelpDesk` (base.py) and one line in `DESKS`: the
webhook of §4, Zendesk (both APIs), Freshdesk and email over SMTP. A kind missing from the
desks a caller passes is a configuration error wherever a message would be sent, never a
message saved for nowhere.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from wizard.profile import Profile
from wizard.support.destination import Destination

if TYPE_CHECKING:
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

# The desks this version delivers to, by `support.desk`: the module and class of each.
_DESK_CLASSES = {
    "webhook": ("webhook", "WebhookDesk"),
    "zendesk": ("zendesk", "ZendeskDesk"),
    "freshdesk": ("freshdesk", "FreshdeskDesk"),
    "email": ("email", "EmailDesk"),
}


def _desk_class(kind: str) -> type[Any]:
    module, name = _DESK_CLASSES[kind]
    return getattr(importlib.import_module(f"wizard.support.desks.{module}"), name)  # type: ignore[no-any-return]


class _Desks(Mapping[str, "HelpDesk"]):
    """The desks by kind, each made the first time it is asked for: the wizard's start
    checks only that the profile's desk is one of them, and the desks' modules (the email
    desk brings Python's whole email package) wait until a message is sent (issue 10)."""

    def __init__(self) -> None:
        self._made: dict[str, HelpDesk] = {}

    def __getitem__(self, kind: str) -> HelpDesk:
        if kind not in self._made:
            if kind not in _DESK_CLASSES:
                raise KeyError(kind)
            self._made[kind] = _desk_class(kind)()
        return self._made[kind]

    def __contains__(self, kind: object) -> bool:
        return kind in _DESK_CLASSES

    def __iter__(self) -> Iterator[str]:
        return iter(_DESK_CLASSES)

    def __len__(self) -> int:
        return len(_DESK_CLASSES)


DESKS: Mapping[str, HelpDesk] = _Desks()


# What base.py defines and this package offers too (imported when first named).
_FROM_BASE = frozenset(
    {"Delivered", "DeskAnswer", "DeskRequest", "HelpDesk", "Queued", "Rejected", "Verdict"}
)


def __getattr__(name: str) -> Any:
    """The desk classes and base.py's types by name (`from wizard.support.desks import
    EmailDesk`), each module imported when first named: at start-up the wizard only checks
    the profile's desk (`destination_for`)."""
    if name in _FROM_BASE:
        return getattr(importlib.import_module("wizard.support.desks.base"), name)
    for kind, (_module, class_name) in _DESK_CLASSES.items():
        if name == class_name:
            return _desk_class(kind)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
