"""The voice errors: each message says what is missing and how to get it, ready to show the user as is."""
from __future__ import annotations

INSTALL_VOICE = "pip install 'csrpractice[voice]'"


class VoiceError(Exception):
    """Voice cannot be used right now; the message names the cause and the fix."""


class NoModelError(VoiceError):
    """No speech model was given or found."""


class ModelError(VoiceError):
    """A speech model was found but cannot be used (incomplete, damaged, or vosk is missing)."""


class AudioFileError(VoiceError):
    """An audio file cannot be read as speech."""


class DeviceError(VoiceError):
    """No microphone, PortAudio missing, or the input device cannot be opened."""
