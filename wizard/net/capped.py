"""The one capped read: a response body without ever holding more than a set number of bytes.

Servers can be huge, slow or hostile. Every body this tool reads (the wallet's API, the
captive-portal probes, a manifest or status page, a help desk's answer) goes through
`read_capped`: it streams, never keeps more than `cap` bytes, optionally refuses a body
whose declared Content-Length (or actual size) is over the cap, and appends to the caller's
buffer as chunks arrive, so what came in before a timeout cut the read off is kept.
"""

from __future__ import annotations

import httpx

# Ask for the body as it is: the cap then bounds what the server sends, not what a
# compressed body (a "gzip bomb") expands to.
IDENTITY = {"Accept-Encoding": "identity"}


class BodyTooLarge(Exception):
    """The body is larger than the cap (as declared by Content-Length, or as it arrived)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"body larger than {limit} bytes")
        self.limit = limit


def declared_length(response: httpx.Response) -> int | None:
    """The Content-Length the server declared, or None (absent or not a plain number)."""
    text = response.headers.get("content-length", "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


async def read_capped(
    response: httpx.Response,
    cap: int,
    *,
    into: bytearray | None = None,
    decoded: bool = False,
    refuse_larger: bool = False,
) -> bytes:
    """At most `cap` bytes of a streamed response's body; the rest is never read.

    `into`: a buffer the chunks are appended to as they arrive, so a caller whose read is
    cut off (a timeout around a dripping server) keeps the part that came.
    `decoded`: the body after httpx undoes Content-Encoding; otherwise the bytes as sent.
    `refuse_larger`: raise BodyTooLarge when the declared length or the body itself is over
    `cap`, instead of returning its first `cap` bytes.
    """
    body = into if into is not None else bytearray()
    if refuse_larger:
        declared = declared_length(response)
        if declared is not None and declared > cap:
            raise BodyTooLarge(cap)
    chunks = response.aiter_bytes() if decoded else response.aiter_raw()
    async for chunk in chunks:
        room = cap - len(body)
        if len(chunk) > room:
            if refuse_larger:
                raise BodyTooLarge(cap)
            body += chunk[:room]
            break
        body += chunk
        if len(body) >= cap and not refuse_larger:
            # Full: stop here rather than wait for bytes that would be thrown away.
            break
    return bytes(body)
