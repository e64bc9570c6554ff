"""Voice answers, without the UI: finding and loading a Vosk speech model, reading WAV files, transcribing,
capturing from a microphone, and measuring delivery. sounddevice, vosk and numpy are imported on first use,
so `import csrpractice.audio` costs nothing and works without the voice extra."""
from csrpractice.audio.errors import AudioFileError, DeviceError, ModelError, NoModelError, VoiceError

__all__ = ["AudioFileError", "DeviceError", "ModelError", "NoModelError", "VoiceError"]
