"""Other ways a message leaves the wizard: files, clipboard, a mailto: link, a QR code.

The QR code carries only the reference and the support contact, never the message: it is
for taking the reference away on a phone, and must fit a 80×24 terminal.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import quote

import segno

from wizard.i18n import t
from wizard.profile import SupportSection
from wizard.support.message import Message
from wizard.text import one_line

MAILTO_MAX = 2000
QR_MAX_VERSION = 4  # 33 modules: with a 2-module border, 19 text rows of half blocks
QR_BORDER = 2
FILE_MODE = 0o600


def clipboard_text(message: Message) -> str:
    """Subject and body as plain text, for the clipboard or a paste into any form."""
    return f"{message.subject}\n\n{message.body}"


def to_json_text(message: Message) -> str:
    """The CONTRACT §4 payload as readable JSON."""
    return json.dumps(message.payload(), ensure_ascii=False, indent=2) + "\n"


def to_markdown(message: Message) -> str:
    """The message as Markdown: the subject as a title, the body verbatim in a code block."""
    longest = max((len(m) for m in re.findall(r"`+", message.body)), default=0)
    fence = "`" * max(3, longest + 1)
    title = message.subject.replace("#", "\\#")
    return f"# {title}\n\n{fence}text\n{message.body.rstrip()}\n{fence}\n"


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path` atomically with mode 0600 from the start."""
    fd, tmp = tempfile.mkstemp(prefix=".wallet-wizard-", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    path.chmod(FILE_MODE)


def save_files(message: Message, folder: Path) -> tuple[Path, Path]:
    """Save the message as Markdown and JSON (mode 0600) named after its reference."""
    folder = Path(folder)
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
    stem = f"wallet-wizard-{message.reference}"
    markdown = folder / f"{stem}.md"
    data = folder / f"{stem}.json"
    _write_private(markdown, to_markdown(message))
    _write_private(data, to_json_text(message))
    return markdown, data


def _encode(text: str) -> str:
    # RFC 6068: line breaks in a body are CRLF, and every reserved character is encoded.
    return quote(text.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")


def mailto_url(message: Message, to: str) -> str:
    """A mailto: link (RFC 6068) with subject and body; a short body when the whole is too long."""
    address = quote(one_line(to, max_len=254), safe="@")
    head = f"mailto:{address}?subject={_encode(message.subject)}"
    url = f"{head}&body={_encode(message.body)}"
    if len(url) <= MAILTO_MAX:
        return url
    short = t(message.language, "message.handoff.mailto_short", reference=message.reference)
    url = f"{head}&body={_encode(short)}"
    if len(url) <= MAILTO_MAX:
        return url
    return f"mailto:{address}?subject={_encode(message.reference)}&body={_encode(short)}"


def _fits(payload: str) -> bool:
    try:
        code = segno.make(payload, error="l", micro=False, boost_error=False)
    except Exception:
        return False
    return int(code.version) <= QR_MAX_VERSION


def qr_payload(message: Message, support: SupportSection) -> str:
    """Reference and support phone/email for a QR code: never the message itself."""
    phone = one_line(support.phone, max_len=40)
    email = one_line(support.email, max_len=120)
    tel = t(message.language, "message.handoff.qr_phone")
    lines = [message.reference]
    candidates = [
        [*lines, *([f"{tel}:{phone}"] if phone else []), *([email] if email else [])],
        [*lines, *([f"{tel}:{phone}"] if phone else [])],
        lines,
    ]
    for candidate in candidates:
        payload = "\n".join(candidate)
        if _fits(payload):
            return payload
    return message.reference


def qr_text(payload: str, *, invert: bool = True) -> str:
    """The QR code as terminal text, two modules a character (half blocks), compact level L.

    With `invert` (the default, for the usual dark terminal) light modules are drawn as
    blocks, so the code reads dark-on-light to a camera.
    """
    code = segno.make(payload, error="l", micro=False, boost_error=False)
    rows = [[bool(m) != invert for m in row] for row in code.matrix_iter(scale=1, border=QR_BORDER)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    glyphs = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    lines = []
    for top, bottom in zip(rows[0::2], rows[1::2], strict=True):
        lines.append("".join(glyphs[(a, b)] for a, b in zip(top, bottom, strict=True)))
    return "\n".join(lines)
