"""Speech to text with word times: a Decoding feeds 16-bit audio to one vosk recogniser and collects every
result; transcribe() runs one over a whole recording, the microphone Recorder runs one block by block."""
from __future__ import annotations

import json
from dataclasses import dataclass

from csrpractice.audio.models import SpeechModel

CHUNK_FRAMES = 4000  # samples fed to vosk at a time, as in vosk's own examples


@dataclass(frozen=True)
class Word:
    word: str
    start: float  # seconds from the start of the recording
    end: float
    confidence: float  # 0-1

    def to_dict(self) -> dict:
        return {"word": self.word, "start": self.start, "end": self.end, "confidence": self.confidence}


@dataclass(frozen=True)
class Transcript:
    """What was said, with each word's time. Store it: the same audio can come out slightly differently when a
    loaded model is reused, so a spoken reply is re-scored from its stored text, never by transcribing again."""

    text: str
    duration: float  # seconds of audio
    words: tuple[Word, ...]

    def to_dict(self) -> dict:
        return {"text": self.text, "duration": self.duration, "words": [w.to_dict() for w in self.words]}

    @classmethod
    def from_dict(cls, data: dict) -> Transcript:
        return cls(data["text"], data["duration"],
                   tuple(Word(w["word"], w["start"], w["end"], w["confidence"]) for w in data["words"]))


class Decoding:
    """One pass of the recogniser over one recording, fed 16-bit mono audio at the model's rate."""

    def __init__(self, model: SpeechModel, grammar: list[str] | None = None) -> None:
        self._recognizer = model.recognizer(grammar)
        self._rate = model.rate
        self._results: list[dict] = []  # one per stretch of speech vosk closed at a silence
        self.frames = 0

    def feed(self, pcm: bytes) -> None:
        self.frames += len(pcm) // 2
        if self._recognizer.AcceptWaveform(pcm):
            self._results.append(json.loads(self._recognizer.Result()))

    def partial_text(self) -> str:
        """Everything heard so far: the closed stretches and the one still open, which may yet change."""
        partial = json.loads(self._recognizer.PartialResult()).get("partial", "")
        return " ".join(t for t in [*(r.get("text", "") for r in self._results), partial] if t)

    def finish(self) -> Transcript:
        self._results.append(json.loads(self._recognizer.FinalResult()))
        words = tuple(Word(w["word"], round(w["start"], 3), round(w["end"], 3), round(w.get("conf", 1.0), 3))
                      for r in self._results for w in r.get("result", ()))
        text = " ".join(r["text"] for r in self._results if r.get("text"))
        return Transcript(text, round(self.frames / self._rate, 3), words)


def transcribe(model: SpeechModel, samples, rate: int, grammar: list[str] | None = None) -> Transcript:
    """Transcribe mono samples on the 16-bit scale (an int16 or float numpy array) recorded at `rate`,
    resampled to the model's rate first when they differ."""
    import numpy as np

    from csrpractice.audio.resample import resample, to_int16

    if rate != model.rate:
        samples = resample(samples, rate, model.rate)
    pcm = (samples if samples.dtype == np.int16 else to_int16(samples)).astype("<i2").tobytes()
    decoding = Decoding(model, grammar)
    step = CHUNK_FRAMES * 2
    for pos in range(0, len(pcm), step):
        decoding.feed(pcm[pos:pos + step])
    return decoding.finish()
