"""Microphone capture: listing input devices and recording one spoken reply. PortAudio calls a callback with
each block of audio; the callback only queues it, and Recorder.run (in the app's thread worker) resamples,
feeds the recogniser, reports the partial transcript and the input level, and returns the final transcript."""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from csrpractice.audio.errors import INSTALL_VOICE, DeviceError, VoiceError
from csrpractice.audio.models import SpeechModel
from csrpractice.audio.transcribe import Decoding, Transcript

BLOCK_SECONDS = 0.1  # one block per callback: ten level and partial updates a second
MAX_SECONDS = 300.0  # a reply longer than five minutes is surely a forgotten push-to-talk
_WAIT = 0.1  # seconds the consumer waits for a block before it looks at stop and cancel again
_STALLED = 0.5  # after stop(), seconds without a block after which the device is taken to have stopped
_END = None  # queued when the capture ends by itself


def portaudio_missing(exc: OSError) -> DeviceError:
    """`import sounddevice` raises OSError("PortAudio library not found") without the PortAudio library."""
    return DeviceError(f"the microphone needs the PortAudio library, which is missing ({exc}): install it with "
                       "your system's package manager, e.g. sudo apt install libportaudio2 (Debian, Ubuntu), "
                       "sudo dnf install portaudio (Fedora), brew install portaudio (macOS)")


def import_sounddevice():
    try:
        import sounddevice
    except ImportError as exc:
        raise VoiceError(f"the microphone needs the sounddevice package, which is not installed ({exc}): "
                         f"{INSTALL_VOICE}") from None
    except OSError as exc:
        raise portaudio_missing(exc) from None
    return sounddevice


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    host: str  # the sound system: ALSA, PulseAudio, Core Audio, WASAPI...
    channels: int
    default_rate: int
    default: bool

    def to_dict(self) -> dict:
        return {"index": self.index, "name": self.name, "host": self.host, "channels": self.channels,
                "default_rate": self.default_rate, "default": self.default}


NO_DEVICE = ("no microphone found: the sound system lists no input device. Connect a microphone (or check "
             "that it is enabled and not in use), then run csrpractice devices")


def list_input_devices() -> list[InputDevice]:
    sd = import_sounddevice()
    try:
        devices = sd.query_devices()
        hosts = sd.query_hostapis()
        default = _default_input(sd)
    except sd.PortAudioError as exc:
        raise DeviceError(f"cannot list the sound devices: {exc}") from None
    return [InputDevice(i, d["name"], hosts[d["hostapi"]]["name"], d["max_input_channels"],
                        int(d["default_samplerate"]), i == default)
            for i, d in enumerate(devices) if d["max_input_channels"] > 0]


def _default_input(sd) -> int:
    """The default input device's index, or -1 when the sound system names none."""
    value = sd.default.device[0]
    return value if isinstance(value, int) else sd.query_devices(value, kind="input")["index"]


def _pick_device(sd, device: int | str | None) -> dict:
    """The chosen input device's description: by index, by name or a unique part of it, or the default
    (else the first input device)."""
    inputs = list_input_devices()
    if not inputs:
        raise DeviceError(NO_DEVICE)
    if device is None:
        chosen = [next((d for d in inputs if d.default), inputs[0])]
    elif isinstance(device, int) or str(device).isdigit():
        chosen = [d for d in inputs if d.index == int(device)]
    else:
        chosen = [d for d in inputs if d.name == device] or \
                 [d for d in inputs if str(device).lower() in d.name.lower()]
    if len(chosen) != 1:
        names = "; ".join(f"{d.index}: {d.name}" for d in inputs)
        what = "more than one input device matches" if chosen else "no input device matches"
        raise DeviceError(f"{what} {device!r}; give its number or full name. Input devices: {names}")
    return sd.query_devices(chosen[0].index)


@dataclass(frozen=True)
class Recording:
    transcript: Transcript  # word times from the start of the recording
    audio: bytes  # what the device gave: 16-bit little-endian mono at `rate`
    rate: int
    overflows: int  # blocks in which PortAudio reported input lost (the system too busy to fetch it in time)


class Recorder:
    """One push-to-talk reply: run() records until stop(), max_seconds, or cancellation, transcribing as it
    goes. stop() may be called from any thread, before or during run(); the recording then ends with the
    block PortAudio delivers next, so it holds what was said up to the release."""

    def __init__(self, model: SpeechModel, device: int | str | None = None, *, rate: int | None = None,
                 max_seconds: float = MAX_SECONDS, on_partial: Callable[[str], None] | None = None,
                 on_level: Callable[[float], None] | None = None) -> None:
        self.model = model
        self.device = device
        self.rate = rate  # None: the model's rate if the device takes it, else the device's default rate
        self.max_seconds = max_seconds
        self.on_partial = on_partial
        self.on_level = on_level
        self._stop = threading.Event()
        self._blocks: queue.Queue[bytes | None] = queue.Queue()
        self._frames = 0
        self._max_frames = 0
        self._overflows = 0
        self._sd = None

    def stop(self) -> None:
        self._stop.set()

    def run(self, cancelled: Callable[[], bool] = lambda: False) -> Recording | None:
        """Record and transcribe; the Recording, or None if cancelled() became true."""
        sd = self._sd = import_sounddevice()
        info = _pick_device(sd, self.device)
        rate = self.rate or self._choose_rate(sd, info)
        self._max_frames = int(self.max_seconds * rate)
        try:
            stream = sd.RawInputStream(samplerate=rate, blocksize=int(rate * BLOCK_SECONDS), device=info["index"],
                                       channels=1, dtype="int16", callback=self._callback)
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            raise DeviceError(f"cannot open the input device {info['name']!r} at {rate} Hz: {exc}. Check that "
                              "it is connected and not in use, or choose another (csrpractice devices)") from None
        try:
            return self._consume(stream, rate, cancelled)
        finally:
            stream.close(ignore_errors=True)

    def _choose_rate(self, sd, info: dict) -> int:
        try:
            sd.check_input_settings(device=info["index"], channels=1, dtype="int16", samplerate=self.model.rate)
            return self.model.rate
        except (sd.PortAudioError, ValueError):
            return int(info["default_samplerate"])

    def _callback(self, indata, frames: int, time_info, status) -> None:
        # PortAudio's thread: no waiting and no work here, only hand the block over.
        if status.input_overflow:
            self._overflows += 1
        room = 0 if self._stop.is_set() else self._max_frames - self._frames
        if frames < room:
            self._frames += frames
            self._blocks.put(bytes(indata))
            return
        if room > 0:
            self._frames += room
            self._blocks.put(bytes(indata)[:room * 2])
        self._blocks.put(_END)
        raise self._sd.CallbackStop

    def _consume(self, stream, rate: int, cancelled: Callable[[], bool]) -> Recording | None:
        import numpy as np

        from csrpractice.audio.resample import Resampler, to_int16

        decoding = Decoding(self.model)
        resampler = Resampler(rate, self.model.rate) if rate != self.model.rate else None
        audio = bytearray()
        shown = ""

        def take(block: bytes) -> None:
            nonlocal shown
            audio.extend(block)
            samples = np.frombuffer(block, dtype="<i2")
            if self.on_level and len(samples):
                self.on_level(float(np.sqrt(np.mean(samples.astype(np.float32) ** 2))) / 32768)
            pcm = to_int16(resampler.process(samples)).tobytes() if resampler else block
            if pcm:
                decoding.feed(pcm)
            if self.on_partial:
                text = decoding.partial_text()
                if text != shown:
                    shown = text
                    self.on_partial(text)

        quiet = 0  # waits in a row with no block: a device that stops delivering must not hang a stop()
        while True:
            try:
                block, quiet = self._blocks.get(timeout=_WAIT), 0
            except queue.Empty:
                block, quiet = b"", quiet + 1
            if cancelled():
                stream.abort(ignore_errors=True)
                return None
            if block is _END or (self._stop.is_set() and quiet * _WAIT >= _STALLED):
                break
            if block:
                take(block)
        if resampler:
            decoding.feed(to_int16(resampler.process(np.zeros(0, np.float32), final=True)).tobytes())
        return Recording(decoding.finish(), bytes(audio), rate, self._overflows)
