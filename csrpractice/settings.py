"""The user's settings file (config.toml): the speech model and the microphone for voice answers.

Read with tomllib; written whole (a temporary file renamed into place) from the few plain values it holds.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from csrpractice.files import write_atomic


class SettingsError(Exception):
    """The settings file cannot be read or written; the message names the file and the reason."""


def settings_file() -> Path:
    from csrpractice.locations import config_file

    return config_file()


def read_settings(path: Path | None = None) -> dict:
    path = path or settings_file()
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SettingsError(f"cannot read the settings file {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"the settings file {path} is not valid TOML ({exc}); fix or remove it") from None


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    text = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def dumps(settings: dict) -> str:
    """TOML for a mapping of tables of plain values (strings, whole numbers, booleans)."""
    lines = []
    for table, values in settings.items():
        if not isinstance(values, dict):
            continue
        lines.append(f"[{table}]")
        lines += [f"{key} = {_value(v)}" for key, v in values.items() if v is not None]
        lines.append("")
    return "\n".join(lines)


def save_voice(model: str | None = ..., device: str | int | None = ..., path: Path | None = None) -> Path:
    """Set (or with None, clear) voice.model and voice.device, keeping everything else in the file."""
    path = path or settings_file()
    settings = read_settings(path)
    voice = dict(settings.get("voice") or {})
    for key, value in (("model", model), ("device", device)):
        if value is ...:
            continue
        if value is None:
            voice.pop(key, None)
        else:
            voice[key] = value
    settings["voice"] = voice
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, dumps(settings))
    except OSError as exc:
        raise SettingsError(f"cannot save the settings in {path}: {exc.strerror or exc}") from None
    return path
