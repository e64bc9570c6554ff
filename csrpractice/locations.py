"""Every path the app uses, in one place: the user's data directory (platformdirs), overridden by the
CSRPRACTICE_DATA_DIR environment variable, and the history database in it, overridden by CSRPRACTICE_DB or
the --db option; the config folder, with the settings file (CSRPRACTICE_CONFIG) and the screening key; and
the environment variable naming the speech model."""
from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "CSRPRACTICE_DATA_DIR"
ENV_DB = "CSRPRACTICE_DB"
DB_NAME = "history.db"
ENV_CONFIG = "CSRPRACTICE_CONFIG"
ENV_MODEL = "CSRPRACTICE_VOSK_MODEL"


def data_dir(override: str | Path | None = None) -> Path:
    """Where results are kept (not created here: the code that writes creates it)."""
    if override:
        return Path(override).expanduser()
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("csrpractice", appauthor=False))


def legacy_bests_file(override: str | Path | None = None) -> Path:
    """Where version 0.1 kept typing personal bests (imported into the history database once)."""
    return data_dir(override) / "typing-bests.json"


def history_db(db: str | Path | None = None, data: str | Path | None = None) -> tuple[Path, bool]:
    """The history database's path, and whether it is the default place (whose folder may be created:
    a folder the user named is never created, since a missing one is most likely a typo)."""
    if db:
        return Path(db).expanduser(), False
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser(), False
    explicit = bool(data or os.environ.get(ENV_DATA_DIR))
    return data_dir(data) / DB_NAME, not explicit


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("csrpractice", appauthor=False))


def config_file() -> Path:
    """The settings file (config.toml; it need not exist): CSRPRACTICE_CONFIG, else in the config folder."""
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG]).expanduser()
    return config_dir() / "config.toml"


def screening_key_file() -> Path:
    """The hiring manager's signing key (csrpractice keygen): in the config folder by default."""
    return config_dir() / "screening.key"
