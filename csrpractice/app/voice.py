"""Voice answers in the app: the speech model (loaded once per run, in a thread worker) and the chosen
microphone. Whatever is missing (the voice extra, a model, a microphone, PortAudio) is kept as a sentence
that says what is missing and how to get it, for the screens to show."""
from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass


def missing_extra() -> str:
    """'' when the voice extra is installed, else what to install (checked without importing anything)."""
    missing = [name for name in ("vosk", "sounddevice", "numpy") if importlib.util.find_spec(name) is None]
    if not missing:
        return ""
    return (f"Voice answers need {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} not installed: "
            "pip install 'csrpractice[voice]' (see docs/voice.md).")


@dataclass
class Speech:
    status: str = "idle"  # idle | loading | ready | failed
    model: object | None = None  # csrpractice.audio.models.SpeechModel
    problem: str = ""
    started: float = 0.0
    seconds: float = 0.0  # how long loading took

    def loading_for(self) -> float:
        return time.monotonic() - self.started


def chosen_device():
    """The microphone from the settings file (voice.device: an index or a name), or None for the default."""
    from csrpractice.settings import SettingsError, read_settings

    try:
        voice = read_settings().get("voice") or {}
    except SettingsError:
        return None
    device = voice.get("device") if isinstance(voice, dict) else None
    return device if isinstance(device, (int, str)) and not isinstance(device, bool) else None
