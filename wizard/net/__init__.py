"""The one HTTP layer every check and delivery share (no Textual, no UI, no support imports).

- `classify`: what went wrong with a request, as a stable code, by exception type.
- `capped`: reading a response body without ever holding more than a set number of bytes.
- `resolver`: DNS through the profile's servers or the system, within a caller's budget.
- `proxy`: which proxy the environment applies to a URL, shown without credentials.
- `trace`: httpcore's trace events as phase timings (connect, TLS, first byte).
- `trust`: which certificates are trusted, one context per bundle and process.
- `httpx_private`: the one place that imports httpx's private helpers.
"""
