"""Where one outbox row goes: the help desk and what reaching it takes, fixed when it is saved.

A message can wait in the outbox for days and be sent by another process (`outbox send`) with
another profile, or none. So each row keeps its own destination — the desk (CONTRACT §5), its
endpoint, the name of the variable holding the credential (never the credential), the CA bundle
the profile trusted (CONTRACT §2: the help desk's connection included) and the desk's own
settings — and is delivered later with the same address and the same trust.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wizard.profile import Profile

WEBHOOK = "webhook"


@dataclass(frozen=True)
class Destination:
    """A row's help desk: `desk` is a CONTRACT §5 kind, `options` that desk's own settings."""

    desk: str = WEBHOOK
    endpoint: str = ""
    token_env: str = ""
    # The profile's `network.ca_bundle` (an absolute path), trusted besides the default CAs.
    ca_bundle: str = ""
    # Settings only one kind of desk reads (Zendesk's API, a requester, an email sender).
    options: dict[str, str] = field(default_factory=dict)

    @classmethod
    def webhook(cls, endpoint: str, token_env: str | None) -> Destination:
        """A CONTRACT §4 webhook at `endpoint`, authorized by the variable `token_env`."""
        return cls(desk=WEBHOOK, endpoint=endpoint or "", token_env=token_env or "")

    @classmethod
    def of_profile(cls, profile: Profile) -> Destination:
        """The destination a profile's `[support]` (and `network.ca_bundle`) describe, with
        the settings its kind of desk reads (CONTRACT §2's added `[support]` keys)."""
        support = profile.support
        options: dict[str, str] = {}
        if support.desk == "zendesk":
            options = {"zendesk_api": support.zendesk_api}
        if support.desk in ("zendesk", "freshdesk") and support.requester_email:
            options["requester_email"] = support.requester_email
        if support.desk == "email":
            options = {"to": support.email, "sender": support.sender}
        return cls(
            desk=support.desk,
            endpoint=support.endpoint,
            token_env=support.token_env,
            ca_bundle=profile.network.ca_bundle,
            options=options,
        )

    def option(self, name: str) -> str:
        """One of the desk's own settings ("" when it is not set)."""
        return self.options.get(name, "")

    def extras_json(self) -> str:
        """What the outbox keeps beside its desk, endpoint and token_env columns."""
        extras: dict[str, Any] = {}
        if self.ca_bundle:
            extras["ca_bundle"] = self.ca_bundle
        if self.options:
            extras["options"] = dict(sorted(self.options.items()))
        import json  # when a message is saved: not on the wizard's start (issue 10)

        return json.dumps(extras, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_columns(cls, desk: str, endpoint: str, token_env: str, extras: str) -> Destination:
        """A destination read back from the outbox (a row written before schema 2: a webhook)."""
        import json

        try:
            data = json.loads(extras or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        options = data.get("options")
        return cls(
            desk=desk or WEBHOOK,
            endpoint=endpoint,
            token_env=token_env,
            ca_bundle=str(data.get("ca_bundle") or ""),
            options=(
                {str(k): str(v) for k, v in options.items()} if isinstance(options, dict) else {}
            ),
        )
