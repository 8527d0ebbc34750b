"""What the demo wallet answers on each path, in the current scenario."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from wizard.demo.answers import Request, Response, html_response, json_response
from wizard.demo.desks import DemoDesks, desk_route
from wizard.demo.helpdesk import HelpDesk
from wizard.demo.scenarios import BEHAVIOURS, Behaviour, manifest, status_summary

PROBE_PATHS = ("/generate_204", "/gen_204")
HEALTH_PATH = "/health"
STATUS_PATH = "/api/v2/summary.json"
MANIFEST_PATH = "/app-version.json"
TICKETS_PATH = "/api/tickets"
LOGIN_PATH = "/login"

_SIGN_IN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to Wi-Fi</title></head>
<body><h1>Sign in to Wi-Fi</h1>
<p>Welcome to the hotel Wi-Fi. Accept the terms to connect to the internet.</p>
<p>欢迎使用酒店 Wi-Fi。请同意条款后连接互联网。</p>
<form method="post" action="/login"><button type="submit">Accept and connect</button></form>
</body></html>
"""

_SIGNED_IN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Connected</title></head>
<body><h1>You are connected</h1><p>You can close this page.</p></body></html>
"""


class DemoState:
    """The scenario being played (it may change: signing in to the portal ends it)."""

    def __init__(self, scenario: str, helpdesk: HelpDesk, desk: str = "webhook") -> None:
        self._lock = threading.Lock()
        self._scenario = scenario
        self.helpdesk = helpdesk
        # The help desk played besides the webhook (zendesk, freshdesk, email), and its state.
        self.desk = desk
        self.desks = DemoDesks()
        self.portal_url = ""

    @property
    def scenario(self) -> str:
        """The scenario name."""
        with self._lock:
            return self._scenario

    @scenario.setter
    def scenario(self, name: str) -> None:
        if name not in BEHAVIOURS:
            raise ValueError(f"unknown demo scenario {name!r}")
        with self._lock:
            self._scenario = name

    @property
    def behaviour(self) -> Behaviour:
        """How the current scenario acts."""
        return BEHAVIOURS[self.scenario]

    def sign_in(self) -> None:
        """The person accepted the portal's terms: from now on the network works."""
        with self._lock:
            if self._scenario == "captive_portal":
                self._scenario = "ok"


def route(state: DemoState, request: Request) -> Response:
    """The answer to one request."""
    behaviour = state.behaviour
    method = "GET" if request.method == "HEAD" else request.method
    path = request.path
    if path == LOGIN_PATH:
        return _login(state, method)
    if behaviour.portal:
        # Every plain-HTTP request, whatever its address, goes to the sign-in page.
        return html_response(
            302,
            f'<a href="{state.portal_url}">Sign in to Wi-Fi</a>',
            headers={"Location": state.portal_url},
        )
    played = desk_route(state.desks, state.desk, request)
    if played is not None:
        return played
    if path == TICKETS_PATH:
        if method == "POST":
            answer = state.helpdesk.submit(
                request.body,
                request.headers.get("authorization"),
                request.headers.get("idempotency-key"),
            )
            return json_response(answer.status, answer.body, headers=answer.headers)
        if method == "GET":
            return json_response(200, state.helpdesk.listing())
        return _not_allowed("GET, POST")
    if method != "GET":
        return _not_allowed("GET, HEAD") if _known(path) else _not_found()
    if path in PROBE_PATHS:
        return Response(204)
    if path == HEALTH_PATH:
        return _health(behaviour)
    if path == STATUS_PATH:
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return json_response(200, status_summary(behaviour, now), delay_s=behaviour.status_delay_s)
    if path == MANIFEST_PATH:
        return json_response(200, manifest(behaviour))
    if path == "/":
        return json_response(200, _index(state))
    return _not_found()


def _health(behaviour: Behaviour) -> Response:
    if behaviour.api_status >= 500:
        return json_response(
            behaviour.api_status,
            {"status": "unavailable", "error": "the service is temporarily unavailable"},
            headers={"Retry-After": "120"},
            delay_s=behaviour.api_delay_s,
        )
    return json_response(behaviour.api_status, {"status": "ok"}, delay_s=behaviour.api_delay_s)


def _login(state: DemoState, method: str) -> Response:
    if method == "POST":
        state.sign_in()
        return html_response(200, _SIGNED_IN_PAGE)
    if method == "GET":
        return html_response(200, _SIGN_IN_PAGE)
    return _not_allowed("GET, POST")


def _index(state: DemoState) -> dict[str, object]:
    return {
        "service": "wallet-wizard demo wallet",
        "scenario": state.scenario,
        "endpoints": [
            *PROBE_PATHS,
            HEALTH_PATH,
            STATUS_PATH,
            MANIFEST_PATH,
            TICKETS_PATH,
            LOGIN_PATH,
        ],
    }


def _known(path: str) -> bool:
    return path in (*PROBE_PATHS, HEALTH_PATH, STATUS_PATH, MANIFEST_PATH, "/")


def _not_allowed(allow: str) -> Response:
    return json_response(405, {"error": "method not allowed"}, headers={"Allow": allow})


def _not_found() -> Response:
    return json_response(404, {"error": "not found"})
