"""wallet-wizard: find out why a wallet refuses to update a phone number or email."""

import sys

__version__ = "0.1.0"
TOOL_NAME = "wallet-wizard"

# httpx imports its own command-line client whenever click and pygments are installed (click
# comes with import-linter, pygments with rich): about 100 ms of click, pygments and rich's
# syntax highlighting on every `check` and every send (DESIGN.md budget: `check --json`
# ≤ 0.8 s). The wizard never runs httpx's CLI; marked absent, it is httpx's own stub.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
