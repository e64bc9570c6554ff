"""Reading WAV files (real ones written by espeak-ng and sox in every layout we read, and broken ones made by
hand) and the resampler."""
import struct

import numpy as np
import pytest

from csrpractice.audio import AudioFileError
from csrpractice.audio.resample import Resampler, resample
from csrpractice.audio.wav import read_wav
from voice_helpers import espeak, sox, write_wav


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    return espeak("안녕하세요", tmp_path_factory.mktemp("wav") / "speech.wav")


@pytest.mark.parametrize("options, channels, bits", [
    ((), 1, 16),
    (("-b", "8", "-e", "unsigned-integer"), 1, 8),
    (("-b", "24"), 1, 24),  # sox writes WAVE_FORMAT_EXTENSIBLE here, which Python 3.11's wave rejects
    (("-b", "32"), 1, 32),
    (("-e", "floating-point", "-b", "32"), 1, 32),
    (("-c", "2"), 2, 16),
    (("-c", "3", "-b", "24"), 3, 24),
])
def test_every_pcm_and_float_layout_reads_as_the_same_mono_samples(speech, tmp_path, options, channels, bits):
    reference = read_wav(speech)
    audio = read_wav(sox(speech, tmp_path / "out.wav", *options))
    assert (audio.rate, audio.channels, audio.bits) == (22050, channels, bits)
    assert audio.duration == pytest.approx(reference.duration)
    tolerance = 512 if bits == 8 else 1e-3  # 8-bit keeps the top byte, and sox dithers it
    assert np.abs(audio.samples - reference.samples).max() <= tolerance


def test_stereo_is_averaged(tmp_path):
    left = np.full(800, 1000, dtype=np.int16)
    audio = read_wav(write_wav(tmp_path / "s.wav", np.stack([left, -left // 2], axis=1), 8000))
    assert audio.channels == 2 and audio.rate == 8000 and np.all(audio.samples == 250)


def wav_bytes(frames: bytes = b"\x00\x00" * 100, tag: int = 1, bits: int = 16, data_size: int | None = None,
              channels: int = 1, rate: int = 16000) -> bytes:
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    size = len(frames) if data_size is None else data_size
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", size) + frames
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"just some text, not audio\n", "is not a WAV file (it does not start with a RIFF/WAVE header)"),
    (b"ID3\x04\x00" + b"\x00" * 100, "is an MP3 file, not WAV"),
    (b"fLaC" + b"\x00" * 100, "is a FLAC file, not WAV"),
    (wav_bytes()[:30], "is truncated or damaged: its format header is missing"),
    (wav_bytes()[:36], "is truncated or damaged: it has no audio data chunk"),
    (wav_bytes(data_size=32000)[:300],
     "is truncated: the header promises 1.00 s of audio but the file holds 0.01 s"),
    (wav_bytes(b""), "has no audio (0 samples)"),
    (wav_bytes(tag=7, bits=8), "is a compressed WAV (µ-law)"),
    (wav_bytes(tag=0x55), "is a compressed WAV (MP3)"),
    (wav_bytes(channels=0), "is damaged: its header says 0 channel(s)"),
])
def test_bad_files_get_a_message_that_names_the_file_and_the_problem(tmp_path, content, message):
    path = tmp_path / "reply.wav"
    path.write_bytes(content)
    with pytest.raises(AudioFileError) as err:
        read_wav(path)
    assert str(err.value).startswith(f"{path} ") and message in str(err.value)
    if "WAV" in message or "compressed" in message:
        assert "sox INPUT -e signed-integer -b 16 OUTPUT.wav" in str(err.value)


def test_a_compressed_wav_written_by_sox(speech, tmp_path):
    with pytest.raises(AudioFileError, match="compressed WAV \\(A-law\\)"):
        read_wav(sox(speech, tmp_path / "alaw.wav", "-e", "a-law"))


def test_missing_folder_and_unreadable_files(tmp_path):
    with pytest.raises(AudioFileError, match="no such file"):
        read_wav(tmp_path / "nope.wav")
    with pytest.raises(AudioFileError, match="is a folder, not a WAV file"):
        read_wav(tmp_path)
    # Permissions do not stop root (the tests may run as root); a socket cannot be opened by anyone.
    import socket

    path = tmp_path / "socket.wav"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(AudioFileError, match=f"cannot read {path}: No such device or address"):
            read_wav(path)


def test_a_stream_written_wav_with_unknown_length_reads_to_the_end(tmp_path):
    path = tmp_path / "stream.wav"
    path.write_bytes(wav_bytes(b"\x01\x00" * 160, data_size=0xFFFFFFFF))
    audio = read_wav(path)
    assert len(audio.samples) == 160 and np.all(audio.samples == 1)


# --- resampling ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("rate_in, rate_out", [(48000, 16000), (44100, 16000), (22050, 16000), (8000, 16000)])
def test_resampling_keeps_a_tone_and_the_duration(rate_in, rate_out):
    t = np.arange(rate_in) / rate_in
    out = resample((10000 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), rate_in, rate_out)
    assert len(out) == rate_out
    expected = 10000 * np.sin(2 * np.pi * 440 * np.arange(rate_out) / rate_out)
    assert np.abs(out[100:-100] - expected[100:-100]).max() < 10  # 0.1% of the amplitude


def test_downsampling_removes_what_the_lower_rate_cannot_hold():
    t = np.arange(48000) / 48000
    out = resample((10000 * np.sin(2 * np.pi * 12000 * t)).astype(np.float32), 48000, 16000)
    assert np.sqrt(np.mean(out[100:-100] ** 2)) < 10  # 12 kHz would alias to 4 kHz; it is filtered out instead


def test_block_by_block_gives_the_same_as_all_at_once():
    x = np.random.default_rng(1).normal(0, 3000, 44100).astype(np.float32)
    whole = resample(x, 44100, 16000)
    r = Resampler(44100, 16000)
    parts = [r.process(x[i:i + 4410]) for i in range(0, len(x), 4410)] + [r.process(x[:0], final=True)]
    assert np.allclose(np.concatenate(parts), whole, atol=0.05)
