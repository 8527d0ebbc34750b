"""What the demo's HTTP servers exchange with its routes: a request, an answer, builders.

Kept apart from the servers (`wizard.demo.web`, which imports `http.server`), so that the
routes and the desks' state can be built before the first paint of `--demo` without them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    """One request: method, path (without the query), lower-cased headers, body, query."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    query: str = ""


@dataclass(frozen=True)
class Response:
    """One answer; `delay_s` is waited before answering (cut short when the server stops)."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def json_response(status: int, data: Any, **kwargs: Any) -> Response:
    """A JSON answer."""
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Response(status, body, "application/json; charset=utf-8", **kwargs)


def html_response(status: int, html: str, **kwargs: Any) -> Response:
    """An HTML answer."""
    return Response(status, html.encode("utf-8"), "text/html; charset=utf-8", **kwargs)


App = Callable[[Request], Response]
Log = Callable[[str], None]
