"""The capture path through the real sounddevice and PortAudio: an ALSA test microphone (a `file` capture
device behind a `plug`, added through ALSA_CONFIG_PATH) plays espeak-ng speech into the Recorder, which feeds
the real recogniser. Each run is a subprocess, since PortAudio reads the ALSA configuration at import."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from csrpractice.audio.capture import portaudio_missing
from voice_helpers import SENTENCE, VOICE_DATA, assert_word_times_within, espeak, is_hangul, korean_model_path, \
    sox, voice_cli
from csrpractice.audio.transcribe import Transcript

SYSTEM_ALSA = "/usr/share/alsa/alsa.conf"


def alsa_env(config: Path | None) -> dict:
    return {"ALSA_CONFIG_PATH": SYSTEM_ALSA + (f":{config}" if config else "")}


@pytest.fixture(scope="module")
def test_mic(tmp_path_factory):
    """The ALSA config of the test microphone and its source: speech then 2 s of silence (past the end of
    the file, the device repeats stale audio), raw 16 kHz S16_LE mono."""
    folder = tmp_path_factory.mktemp("mic")
    source = sox(espeak(SENTENCE, folder / "speech.wav"), folder / "source.raw", "-r", "16000", "-c", "1", "-b",
                 "16", "-e", "signed-integer", "-t", "raw", effects=("pad", "0", "2"))
    config = folder / "test-mic.conf"
    config.write_text((VOICE_DATA / "test-mic.conf").read_text().replace("{infile}", str(source)))
    return config, source


@pytest.fixture(scope="module")
def recorded(test_mic):
    config, source = test_mic
    r = subprocess.run([sys.executable, str(VOICE_DATA / "record_from_test_mic.py"), str(korean_model_path()),
                        str(source)], capture_output=True, text=True, timeout=120,
                       env={**os.environ, **alsa_env(config)})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout), source.read_bytes()


def test_the_test_microphone_is_listed(recorded):
    out, _ = recorded
    (mic,) = [d for d in out["devices"] if d["name"] == "csrtest_mic"]
    assert mic["host"] == "ALSA" and mic["channels"] >= 1 and mic["default_rate"] == 16000


def test_the_recorder_captures_the_source_byte_for_byte_and_transcribes_it(recorded):
    out, source = recorded
    rec = out["recorded"]
    assert rec["rate"] == 16000 and rec["overflows"] == 0
    assert rec["bytes"] == len(source) and rec["same_bytes"]
    transcript = Transcript.from_dict(rec["transcript"])
    assert is_hangul(transcript.text)
    assert_word_times_within(transcript, len(source) / 32000)
    assert any(is_hangul(p) for p in rec["partials"])  # the live transcript while speaking
    assert all(0 <= level <= 1 for level in rec["levels"])
    assert max(rec["levels"]) > 0.01 and rec["levels"][-1] < 0.001  # speech, then the silence padding


def test_the_recording_transcribes_like_the_file_itself(recorded):
    out, _ = recorded
    live, file = Transcript.from_dict(out["recorded"]["transcript"]), Transcript.from_dict(out["file"])
    assert live.duration == file.duration
    assert is_hangul(file.text) and is_hangul(live.text)
    assert abs(len(live.words) - len(file.words)) <= max(2, len(file.words) // 2)
    assert abs(live.words[0].start - file.words[0].start) < 0.3
    assert abs(live.words[-1].end - file.words[-1].end) < 0.3


def test_a_device_rate_other_than_the_models_is_resampled(recorded):
    out, source = recorded
    rec = out["at_44k"]
    assert rec["rate"] == 44100
    assert abs(rec["bytes"] - len(source) * 44100 / 16000) <= 2
    transcript = Transcript.from_dict(rec["transcript"])
    assert is_hangul(transcript.text)
    assert_word_times_within(transcript, len(source) / 32000)


def test_stop_and_cancel(recorded):
    out, _ = recorded
    assert out["released_at_once"] == {"bytes": 0, "text": ""}
    assert out["cancelled"] == {"result": None, "blocks": 1}


def test_a_device_that_cannot_be_opened_is_a_clear_error(recorded):
    out, _ = recorded
    assert out["bad_rate"].startswith("cannot open the input device 'csrtest_mic' at 1 Hz: ")
    assert "Invalid sample rate" in out["bad_rate"] and "csrpractice devices" in out["bad_rate"]


def test_devices_command_lists_the_test_microphone(test_mic):
    config, _ = test_mic
    r = voice_cli("devices", env=alsa_env(config))
    assert r.returncode == 0, r.stderr
    assert "csrtest_mic  (ALSA; " in r.stdout.decode() and "16000 Hz" in r.stdout.decode()


def test_no_input_device(tmp_path):
    """The system's ALSA config alone, on a machine with no sound card: PortAudio lists no device."""
    env = alsa_env(None)
    r = voice_cli("devices", env=env)
    assert r.returncode == 1 and r.stderr == b""
    assert r.stdout.decode().startswith("No microphone found: the sound system lists no input device.")
    assert voice_cli("devices", "--json", env=env).stdout.decode().strip() == "[]"
    code = ("from csrpractice.audio.capture import Recorder\n"
            "from csrpractice.audio import DeviceError\n"
            "try:\n    Recorder(None).run()\nexcept DeviceError as exc:\n    print(exc)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env})
    assert r.stdout.startswith("no microphone found") and r.stderr == ""


def test_portaudio_missing_is_explained():
    """Without Debian's libportaudio2, `import sounddevice` raises OSError('PortAudio library not found').
    That cannot be caused for real here without removing the library, so this checks the message sounddevice
    raises (in its source) and the translation of exactly that exception."""
    import sounddevice

    assert "raise OSError('PortAudio library not found')" in Path(sounddevice.__file__).read_text()
    message = str(portaudio_missing(OSError("PortAudio library not found")))
    assert message.startswith("the microphone needs the PortAudio library, which is missing (PortAudio library "
                              "not found): install it")
    assert "sudo apt install libportaudio2" in message
