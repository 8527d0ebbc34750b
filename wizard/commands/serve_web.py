"""The web server behind `wallet-wizard serve`: textual-serve's page and sessions, guarded.

textual-serve starts a wizard process for every websocket that any page opens, answers any
`Host`, lists its static folder and writes `http://HOST:PORT` into the page. A web page open in
the operator's browser could therefore drive the wizard (a cross-site websocket) or read it
through DNS rebinding. This server keeps textual-serve's page, static files and `AppService`
(the part that runs and talks to a wizard process) and adds, before anything is started:

- `Host` must name the address served (or `localhost` on loopback); serving on every address
  (`0.0.0.0`, `::`), any IP literal is accepted but never a DNS name (that is what rebinding
  needs) — else 403;
- a websocket is upgraded only when its `Origin` is the page's own origin — else 403;
- at most `max_sessions` wizards run at once; the page says so, in both languages, when full;
- no directory listing, no framing by other sites, and URLs built from the request's own Host,
  so `[::1]` gets its brackets and a browser on another machine reaches the address it used.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, WSMsgType, web

log = logging.getLogger("wallet-wizard.serve")

DEFAULT_MAX_SESSIONS = 4
PROCESS_EXIT_S = 5.0
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
LOOPBACK_NAMES = ("localhost",)
# Terminal sizes a browser may ask for: a page cannot make a wizard allocate a huge screen.
COLUMNS = (20, 400)
ROWS = (8, 200)
_SECURITY_HEADERS = {
    # The page must not be framed by another site (a frame would share its origin).
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
FULL_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>wallet-wizard</title>
<style>body{{font-family:sans-serif;background:#0c181f;color:#eee;margin:4em auto;
max-width:40em;line-height:1.6}}</style></head>
<body><h1>wallet-wizard</h1>
<p lang="zh-CN">所有 {count} 个会话都在使用中。请稍后刷新本页再试。</p>
<p lang="en">All {count} sessions are in use. Please reload this page in a moment.</p>
</body></html>
"""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def bracketed(host: str) -> str:
    """An address as it is written in a URL: IPv6 literals in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _split_host(value: str) -> tuple[str, int] | None:
    """(host, port) from a Host header or an origin's authority; None when malformed."""
    try:
        parts = urlsplit(f"//{value}")
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host or parts.username is not None or parts.path or parts.query:
        return None
    return host.lower(), port if port is not None else 80


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class HostRule:
    """Which `Host` values a server bound to `bind` on `port` answers."""

    def __init__(self, bind: str, port: int) -> None:
        self.port = port
        name = bind.strip().strip("[]").lower()
        self.wildcard = name in WILDCARD_HOSTS
        self.names = {name}
        if _is_loopback(name):
            self.names |= set(LOOPBACK_NAMES)
            if name in LOOPBACK_NAMES:  # "localhost" is bound on both loopback addresses
                self.names |= {"127.0.0.1", "::1"}

    def allows(self, header: str) -> bool:
        """Whether a request carrying this Host header is for us."""
        split = _split_host(header)
        if split is None:
            return False
        host, port = split
        if port != self.port:
            return False
        if host in self.names:
            return True
        # Serving on every address: any of this machine's addresses may be typed, but never
        # a name, because a name is what a rebinding attacker controls.
        return self.wildcard and (_is_ip(host) or host in LOOPBACK_NAMES)


def origin_matches(origin: str | None, host_header: str) -> bool:
    """Whether a websocket's Origin is the page's own origin (http://<the Host it used>)."""
    if not origin:
        return False
    return origin.strip().lower() == f"http://{host_header.strip().lower()}"


def _clamp(text: str | None, bounds: tuple[int, int], default: int) -> int:
    try:
        value = int(text) if text is not None else default
    except ValueError:
        value = default
    return max(bounds[0], min(bounds[1], value))


def static_dir() -> Path:
    """textual-serve's static files (xterm, its script, the Roboto Mono fonts)."""
    return Path(str(resources.files("textual_serve").joinpath("static")))


async def _end(service: Any) -> None:
    """Stop a session's wizard and wait until its process is gone.

    textual-serve's `stop()` asks the wizard to quit but does not wait for the process; one
    still running when the server's loop closes ends in a traceback on the operator's console.
    """
    await service.stop()
    process = getattr(service, "_process", None)
    if process is None:
        return
    try:
        await asyncio.wait_for(process.wait(), PROCESS_EXIT_S)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


class WizardServer:
    """Serve the wizard (`command`, one process per session) on `host`:`port`."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        page_html: str,
        title: str = "wallet-wizard",
        max_sessions: int = DEFAULT_MAX_SESSIONS,
    ) -> None:
        from textual_serve.download_manager import DownloadManager

        self.command = command
        self.host = host
        self.port = port
        self.page_html = page_html
        self.title = title
        self.max_sessions = max_sessions
        self.rule = HostRule(host, port)
        self.sessions = 0
        self._sockets: set[web.WebSocketResponse] = set()
        self.download_manager = DownloadManager()

    # -- the application --------------------------------------------------------------------

    def make_app(self) -> web.Application:
        """The aiohttp application: guarded routes, no directory listing."""
        import aiohttp_jinja2
        import jinja2

        app = web.Application(middlewares=[self._guard], client_max_size=64 * 1024)
        aiohttp_jinja2.setup(
            app,
            loader=jinja2.DictLoader({"app_index.html": self.page_html}),
            autoescape=jinja2.select_autoescape(default=True),
        )
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", static_dir(), show_index=False, follow_symlinks=False),
            ]
        )
        app.on_response_prepare.append(self._add_headers)
        app.on_shutdown.append(self._close_sessions)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse, before any handler runs, a request whose Host is not an address we serve."""
        if not self.rule.allows(request.headers.get("Host", "")):
            return web.Response(status=403, text="403: this address is not served here\n")
        return await handler(request)

    async def _add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)

    async def _close_sessions(self, app: web.Application) -> None:
        for socket in list(self._sockets):
            await socket.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown")

    # -- handlers ---------------------------------------------------------------------------

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, with URLs made from the Host the browser used; a notice when full."""
        import aiohttp_jinja2

        if self.sessions >= self.max_sessions:
            return self._full()
        authority = request.headers["Host"]  # checked by the guard
        context: dict[str, Any] = {
            "font_size": _clamp(request.query.get("fontsize"), (8, 48), 16),
            "app_websocket_url": f"ws://{authority}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
            "ping_url": "",
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    def _full(self) -> web.Response:
        return web.Response(
            status=503,
            text=FULL_PAGE.format(count=self.max_sessions),
            content_type="text/html",
            headers={"Retry-After": "30"},
        )

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """One wizard session: checked Origin and capacity first, then a process."""
        from textual_serve.app_service import AppService

        if not origin_matches(request.headers.get("Origin"), request.headers["Host"]):
            return web.Response(status=403, text="403: not this page's origin\n")
        if self.sessions >= self.max_sessions:
            return self._full()
        self.sessions += 1
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=256 * 1024)
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            self._sockets.add(websocket)

            async def close() -> None:
                await websocket.close()

            service = AppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
            )
            width = _clamp(request.query.get("width"), COLUMNS, 80)
            height = _clamp(request.query.get("height"), ROWS, 24)
            await service.start(width, height)
            await self._relay(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # a broken session must not take the server down
            log.warning("session ended with an error: %s", type(error).__name__)
        finally:
            self._sockets.discard(websocket)
            if service is not None:
                await _end(service)
            self.sessions -= 1
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, service: Any) -> None:
        """Pass the page's keys and sizes to the wizard; anything malformed is dropped."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                width = _clamp(str(data.get("width")), COLUMNS, 80)
                height = _clamp(str(data.get("height")), ROWS, 24)
                await service.set_terminal_size(width, height)
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file the wizard offers to the browser (textual's deliver_* API)."""
        key = request.match_info["key"]
        try:
            meta = await self.download_manager.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="no such download\n") from None
        response = web.StreamResponse()
        content_type = meta.mime_type + (f"; charset={meta.encoding}" if meta.encoding else "")
        response.headers["Content-Type"] = content_type
        disposition = "inline" if meta.open_method == "browser" else "attachment"
        safe_name = "".join(c for c in meta.file_name if c.isalnum() or c in "._-") or "download"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{safe_name}"'
        await response.prepare(request)
        async for chunk in self.download_manager.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    # -- running ----------------------------------------------------------------------------

    def serve(self) -> None:
        """Run until SIGINT or SIGTERM; raises OSError when the address cannot be bound."""
        web.run_app(
            self.make_app(),
            host=self.host or None,
            port=self.port,
            print=None,
            access_log=None,
            shutdown_timeout=5.0,
            handle_signals=True,
        )
