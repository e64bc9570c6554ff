"""Where voice settings come from: the config file (platformdirs, overridden by CSRPRACTICE_CONFIG) and the
environment variable naming the speech model. Kept beside csrpractice.locations until the two are merged."""
from __future__ import annotations

import os
from pathlib import Path

ENV_MODEL = "CSRPRACTICE_VOSK_MODEL"
ENV_CONFIG = "CSRPRACTICE_CONFIG"
CONFIG_NAME = "config.toml"


def config_file() -> Path:
    """The config file's path (it need not exist)."""
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG]).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("csrpractice", appauthor=False)) / CONFIG_NAME
