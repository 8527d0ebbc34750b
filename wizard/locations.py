"""Where wallet-wizard keeps its files: one place, so every module agrees."""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "WALLET_WIZARD_HOME"
PIN_STATE_FILE = "kiosk-pin-lockout.json"


def data_dir(create: bool = True) -> Path:
    """The data directory (`WALLET_WIZARD_HOME`, else the platformdirs user data dir), 0700."""
    override = os.environ.get(ENV_HOME, "").strip()
    if override:
        path = Path(override).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("wallet-wizard", appauthor=False))
    if create:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        # mkdir's mode is filtered by the umask and ignored for an existing folder.
        path.chmod(0o700)
    return path


def documents_dir() -> Path:
    """Where a saved support message goes: the person's Documents folder, else their home.

    Not the data directory: that is hidden, and a file saved for the person to attach or
    print must be somewhere they will look.
    """
    from platformdirs import user_documents_dir

    documents = Path(user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def pin_state_path() -> Path:
    """The kiosk's staff-exit lockout record (failures, locked until), kept across restarts."""
    return data_dir() / PIN_STATE_FILE
