"""Reading a WAV file as mono speech samples: PCM at 8, 16, 24 or 32 bits or 32/64-bit float, any sample rate,
any number of channels (averaged), including the WAVE_FORMAT_EXTENSIBLE headers that Python 3.11's `wave`
rejects. Everything else gets a message that says what the file is and how to convert it."""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from csrpractice.audio.errors import AudioFileError

if TYPE_CHECKING:
    import numpy as np

PCM, FLOAT, EXTENSIBLE = 1, 3, 0xFFFE
_COMPRESSED = {2: "Microsoft ADPCM", 6: "A-law", 7: "µ-law", 0x11: "IMA ADPCM", 0x31: "GSM 6.10", 0x55: "MP3"}
_OTHER_FORMATS = {b"ID3": "an MP3", b"\xff\xfb": "an MP3", b"fLaC": "a FLAC", b"OggS": "an Ogg",
                  b"FORM": "an AIFF", b"\x1aE\xdf\xa3": "a WebM/Matroska"}
_UNKNOWN_SIZE = (0, 0xFFFFFFFF)  # written by programs that stream a WAV out before knowing its length
CONVERT = "convert it with: sox INPUT -e signed-integer -b 16 OUTPUT.wav (or ffmpeg -i INPUT OUTPUT.wav)"


@dataclass(frozen=True)
class Audio:
    """Mono samples (float32 on the 16-bit scale, -32768..32767) at the file's own rate."""

    samples: np.ndarray
    rate: int
    channels: int  # in the file, before averaging
    bits: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate


def read_wav(path: str | Path) -> Audio:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AudioFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise AudioFileError(f"{path} is a folder, not a WAV file") from None
    except OSError as exc:
        raise AudioFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_wav(data, str(path))


def parse_wav(data: bytes, name: str) -> Audio:
    if not data:
        raise AudioFileError(f"{name} is empty")
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        kind = next((k for magic, k in _OTHER_FORMATS.items() if data.startswith(magic)), None)
        if kind or data[4:8] == b"ftyp":
            raise AudioFileError(f"{name} is {kind or 'an MP4/M4A'} file, not WAV: {CONVERT}")
        raise AudioFileError(f"{name} is not a WAV file (it does not start with a RIFF/WAVE header): {CONVERT}")
    fmt, pcm = None, None
    pos = 12
    while pos + 8 <= len(data):
        chunk, size = data[pos:pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        body = pos + 8
        if chunk == b"fmt ":
            fmt = data[body:body + size]
        elif chunk == b"data" and pcm is None:
            available = len(data) - body
            if size in _UNKNOWN_SIZE:
                size = available
            pcm = (data[body:body + size], size)
        pos = body + size + (size & 1)
    if fmt is None or len(fmt) < 16:
        raise AudioFileError(f"{name} is truncated or damaged: its format header is missing")
    tag, channels, rate, _byte_rate, block, bits = struct.unpack_from("<HHIIHH", fmt)
    if tag == EXTENSIBLE and len(fmt) >= 26:
        tag = struct.unpack_from("<H", fmt, 24)[0]  # the first two bytes of the sub-format GUID
    if tag in _COMPRESSED or tag not in (PCM, FLOAT):
        what = _COMPRESSED.get(tag, f"format code {tag}")
        raise AudioFileError(f"{name} is a compressed WAV ({what}); only PCM and float WAV are read: {CONVERT}")
    if channels == 0 or rate == 0 or block == 0 or block % channels:
        raise AudioFileError(f"{name} is damaged: its header says {channels} channel(s) at {rate} Hz")
    width = block // channels  # bytes per sample as stored (24-bit audio may sit in 4 bytes)
    if (tag == PCM and width not in (1, 2, 3, 4)) or (tag == FLOAT and width not in (4, 8)):
        raise AudioFileError(f"{name}: {bits}-bit {'float' if tag == FLOAT else 'PCM'} in {width}-byte samples "
                             f"is not supported: {CONVERT}")
    if pcm is None:
        raise AudioFileError(f"{name} is truncated or damaged: it has no audio data chunk")
    raw, declared = pcm
    if len(raw) < declared:
        raise AudioFileError(f"{name} is truncated: the header promises {declared / (block * rate):.2f} s of audio "
                             f"but the file holds {len(raw) / (block * rate):.2f} s; record or export it again")
    frames = len(raw) // block
    if frames == 0:
        raise AudioFileError(f"{name} has no audio (0 samples)")
    return Audio(_decode(raw[:frames * block], tag, width, channels), rate, channels, bits)


def _decode(raw: bytes, tag: int, width: int, channels: int):
    import numpy as np

    if tag == FLOAT:
        x = np.frombuffer(raw, dtype="<f4" if width == 4 else "<f8").astype(np.float32) * 32768
    elif width == 1:  # 8-bit WAV is unsigned
        x = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128) * 256
    elif width == 2:
        x = np.frombuffer(raw, dtype="<i2").astype(np.float32)
    elif width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        x = ((b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8).astype(np.float32) / 256
    else:
        x = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 65536
    return x.reshape(-1, channels).mean(axis=1, dtype=np.float32) if channels > 1 else x
