"""Every path the app uses, in one place: the user's data directory (platformdirs), overridden by the
CSRPRACTICE_DATA_DIR environment variable or a command-line option."""
from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "CSRPRACTICE_DATA_DIR"


def data_dir(override: str | Path | None = None) -> Path:
    """Where results are kept (not created here: the code that writes creates it)."""
    if override:
        return Path(override).expanduser()
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("csrpractice", appauthor=False))


def typing_bests_file(override: str | Path | None = None) -> Path:
    return data_dir(override) / "typing-bests.json"
