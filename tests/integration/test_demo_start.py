"""The demo service starts in two steps: `reserve()` binds its sockets (cheap: the profile is
complete, no server is imported) and `serve()` starts answering on them, so `--demo` can paint
its first screen first. Whatever connects in between is answered once serving starts; a serve
that fails closes the sockets and says why. All on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import dns.message
import dns.rdatatype

from wizard.checks.model import Inputs, Report
from wizard.checks.runner import CheckStarted, Event, run_report
from wizard.demo import DemoService

ROOT = Path(__file__).resolve().parents[2]
# What the servers import: none of it may be loaded before the wizard's first paint.
SERVER_MODULES = (
    "dns.message",
    "http.server",
    "socketserver",
    "email.parser",
    "wizard.demo.web",
    "wizard.demo.dns_server",
    "wizard.demo.smtp",
    "wizard.demo.reactor",
)
INPUTS = Inputs(
    phone="13800138000",
    region="CN",
    email="user@qq.com",
    app_version="10.6.20",
    platform="android",
)
WAIT_S = 30.0


def run_python(code: str, home: Path, *, pythonpath: str = "") -> str:
    """Run `code` in a fresh interpreter (its own modules), the demo's data under `home`."""
    env = {**os.environ, "WALLET_WIZARD_HOME": str(home)}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_reserving_imports_no_server_and_makes_the_whole_profile(tmp_path: Path) -> None:
    code = (
        "import socket, sys\n"
        "from wizard.demo import DemoService\n"
        "service = DemoService(desk='email').reserve()\n"
        "profile = service.profile()\n"
        f"print(sorted(m for m in {SERVER_MODULES!r} if m in sys.modules))\n"
        "print(service.serving, profile.network.ca_bundle == service.ca_path)\n"
        "for port in (service.port, service.tls_port, profile.support.endpoint.rsplit(':')[-1]):\n"
        "    socket.create_connection(('127.0.0.1', int(port)), timeout=10).close()\n"
        "print(profile.network.dns_servers == (f'127.0.0.1:{service.dns_port}',))\n"
        "service.stop()\n"
    )
    lines = run_python(code, tmp_path).splitlines()
    # Listening already (a connection is accepted by the kernel), with nothing imported to
    # answer it yet.
    assert lines == ["[]", "False True", "True"]


async def test_what_arrives_before_serving_is_answered_once_serving_starts() -> None:
    service = DemoService("ok").reserve()
    started = threading.Event()
    reports: list[Report] = []

    def on_event(event: Event) -> None:
        if isinstance(event, CheckStarted) and event.check_id == "api":
            started.set()

    def check() -> None:
        reports.append(asyncio.run(run_report(profile, INPUTS, on_event=on_event)))

    try:
        profile = service.profile()
        with (
            socket.create_connection(("127.0.0.1", service.port), timeout=WAIT_S) as http,
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp,
        ):
            # Asked before any server exists: the request waits in the listen backlog, the
            # DNS query in the socket's buffer.
            http.sendall(b"GET /generate_204 HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n")
            udp.settimeout(WAIT_S)
            query = dns.message.make_query("qq.com", dns.rdatatype.MX)
            udp.sendto(query.to_wire(), ("127.0.0.1", service.dns_port))
            # And the whole report, its checks under way before serving begins.
            runner = threading.Thread(target=check)
            runner.start()
            assert started.wait(WAIT_S)
            assert not service.serving
            service.serve()
            assert service.serving
            assert http.recv(4096).startswith(b"HTTP/1.1 204 ")
            answer = dns.message.from_wire(udp.recv(4096))
            assert answer.id == query.id and answer.answer
            runner.join(WAIT_S)
    finally:
        service.stop()
    assert len(reports) == 1 and reports[0].overall.value == "pass"


def test_a_serve_that_fails_closes_the_sockets_and_says_why(tmp_path: Path) -> None:
    # A damaged dnspython (found first on the path): reserving never imports it, serving does.
    broken = tmp_path / "broken"
    (broken / "dns").mkdir(parents=True)
    (broken / "dns" / "__init__.py").write_text('raise ImportError("dnspython is damaged")\n')
    code = (
        "import socket\n"
        "from wizard.demo import DemoError, DemoService\n"
        "service = DemoService().reserve()\n"
        "waiting = socket.create_connection(('127.0.0.1', service.port), timeout=20)\n"
        "waiting.sendall(b'GET / HTTP/1.1\\r\\nHost: demo\\r\\n\\r\\n')\n"
        "try:\n"
        "    service.serve()\n"
        "except DemoError as exc:\n"
        "    print(exc)\n"
        "try:\n"
        "    print('closed' if waiting.recv(1) == b'' else 'answered')\n"
        "except ConnectionResetError:\n"
        "    print('closed')\n"
        "except TimeoutError:\n"
        "    print('left hanging')\n"
        "print(service.serving, service.serve().serving)\n"
        "service.stop()\n"
    )
    lines = run_python(code, tmp_path / "home", pythonpath=f"{broken}{os.pathsep}{ROOT}")
    assert lines.splitlines() == [
        "the demo service could not start serving: dnspython is damaged",
        "closed",
        "False False",
    ]
