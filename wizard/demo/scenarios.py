"""What each demo scenario serves: the status page, the manifest and how the API behaves.

Pure data and small builders, so the servers stay free of scenario knowledge beyond
"which certificate, how long to wait, which status".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Certificates the HTTPS port can present (see wizard.demo.tls).
TLS_GOOD = "api"
TLS_PORTAL = "portal"
TLS_INTERCEPT = "intercept"

OUTAGE_INCIDENT = "Phone number and email changes failing"


@dataclass(frozen=True)
class Behaviour:
    """How the demo service acts in one scenario."""

    portal: bool = False  # every plain-HTTP request is redirected to the sign-in page
    tls: str = TLS_GOOD  # which certificate the HTTPS port presents
    api_status: int = 200
    api_delay_s: float = 0.0
    status_delay_s: float = 0.0
    outage: bool = False
    old_app: bool = False


BEHAVIOURS: dict[str, Behaviour] = {
    "ok": Behaviour(),
    # A real portal intercepts plain HTTP with a redirect to its sign-in page. It cannot do
    # the same to HTTPS without a certificate the device trusts, so, like hotel and airport
    # portals that hijack DNS, it answers the wallet's HTTPS address with its own
    # certificate, issued for its own name by its own CA: the device sees an untrusted one.
    "captive_portal": Behaviour(portal=True, tls=TLS_PORTAL),
    "outage": Behaviour(api_status=503, outage=True),
    "old_app": Behaviour(old_app=True),
    # A corporate proxy or VPN that inspects TLS re-signs every site with its own root CA,
    # which the wallet's certificate bundle does not contain.
    "tls_intercept": Behaviour(tls=TLS_INTERCEPT),
    # Above slow_ms (1500) and below timeout_s (3) of the demo profile: a warning, not a fail.
    "slow": Behaviour(api_delay_s=2.0, status_delay_s=0.6),
}

_DOWNLOAD = {
    "android": "https://download.demo-wallet.example/android/DemoWallet-{v}.apk",
    "ios": "https://apps.apple.com/app/demo-wallet/id0000000000",
    "harmonyos": "https://appgallery.huawei.com/app/C000000000",
    "default": "https://www.demo-wallet.example/download",
}


def manifest(behaviour: Behaviour) -> dict[str, Any]:
    """The app-version manifest of CONTRACT §2 for this scenario."""
    if behaviour.old_app:
        # Every version people commonly have (10.x) is below the minimum: update required.
        versions = {
            "android": ("11.2.0", "11.0.0"),
            "ios": ("11.2.0", "11.0.0"),
            "harmonyos": ("11.1.5", "11.0.0"),
            "default": ("11.2.0", "11.0.0"),
        }
    else:
        versions = {
            "android": ("10.6.20", "10.5.0"),
            "ios": ("10.6.18", "10.5.0"),
            "harmonyos": ("10.6.10", "10.5.0"),
            "default": ("10.6.20", "10.5.0"),
        }
    return {
        "platforms": {
            name: {
                "latest": latest,
                "minimum": minimum,
                "download_url": _DOWNLOAD[name].format(v=latest),
            }
            for name, (latest, minimum) in versions.items()
        }
    }


_COMPONENTS = (
    ("Account and profile updates", "cmp-profile"),
    ("Payments", "cmp-payments"),
    ("SMS verification codes", "cmp-sms"),
    ("Email verification", "cmp-email"),
)


def status_summary(behaviour: Behaviour, now: str) -> dict[str, Any]:
    """A Statuspage v2 `summary.json` for this scenario; `now` is an ISO 8601 time."""
    page = {
        "id": "demo-wallet",
        "name": "Demo Wallet",
        "url": "https://status.demo-wallet.example",
        "time_zone": "Asia/Shanghai",
        "updated_at": now,
    }
    broken = {"cmp-profile", "cmp-sms"} if behaviour.outage else set()
    components = [
        {
            "id": cid,
            "name": name,
            "status": "major_outage" if cid in broken else "operational",
            "updated_at": now,
        }
        for name, cid in _COMPONENTS
    ]
    incidents: list[dict[str, Any]] = []
    if behaviour.outage:
        status = {"indicator": "major", "description": "Major System Outage"}
        incidents.append(
            {
                "id": "inc-demo-1",
                "name": OUTAGE_INCIDENT,
                "status": "investigating",
                "impact": "major",
                "created_at": now,
                "updated_at": now,
                "shortlink": "https://status.demo-wallet.example/incidents/inc-demo-1",
                "incident_updates": [
                    {
                        "status": "investigating",
                        "body": "We are investigating failures when changing a phone number "
                        "or email address.",
                        "created_at": now,
                    }
                ],
            }
        )
    else:
        status = {"indicator": "none", "description": "All Systems Operational"}
    return {
        "page": page,
        "status": status,
        "components": components,
        "incidents": incidents,
        "scheduled_maintenances": [],
    }
