"""How a spoken reply was delivered, from its word times: speaking rate, filler words, long pauses and talk
time. Pure functions of a Transcript; the definitions are in docs/voice.md.

Filler rule: when a word could be a filler or an ordinary word, it counts only where it is clearly a filler;
a missed "like" costs less than telling someone off for a sentence they said well."""
from __future__ import annotations

import re
from dataclasses import dataclass

from csrpractice.audio.transcribe import Transcript, Word

LONG_PAUSE = 2.0  # seconds of silence between two words that count as a long pause ("dead air")
MIN_TALK_TIME = 2.0  # below this, a words-per-minute figure says more about word boundaries than about pace

HESITATIONS = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "hmm", "hm", "mm"})
HEDGES = frozenset({"basically", "actually", "literally", "honestly"})  # always counted: coaches flag them all
_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "these", "those", "what", "which", "any", "some",
                          "every", "each", "one", "no", "same", "different", "other", "another", "whatever",
                          "my", "your", "our", "their", "his", "her", "its", "right", "wrong", "new", "only"})
_BEFORE_REAL_YOU_KNOW = frozenset({"do", "did", "does", "don't", "didn't", "doesn't", "if", "as", "so", "would",
                                   "will", "may", "might", "could", "should", "let", "whether", "what"})
_AFTER_REAL_YOU_KNOW = frozenset({"what", "that", "how", "where", "when", "why", "who", "whether", "if", "about",
                                  "it", "this", "him", "her", "them", "me", "us", "the", "a", "an", "your",
                                  "my", "our", "their"})
_BEFORE_REAL_I_MEAN = frozenset({"what", "if", "do", "did", "don't", "didn't"})
_AFTER_REAL_I_MEAN = frozenset({"it", "that", "this", "to", "what", "business", "no", "nothing", "you"})
_BEFORE_LIKE_FILLER = frozenset({"and", "so", "but", "or", "because", "cause"})
_LIKE_AS_VERB = frozenset({"i", "you", "we", "they", "he", "she", "would", "i'd", "you'd", "we'd", "they'd",
                           "he'd", "she'd", "do", "don't", "did", "didn't", "does", "doesn't", "to", "might",
                           "also", "really", "not", "will", "who", "people"})
_NUMBERS = frozenset("one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
                     "fifty sixty hundred thousand half couple few".split())


@dataclass(frozen=True)
class Filler:
    text: str  # "um", "you know"
    start: float
    end: float

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Pause:
    start: float  # the end of the word before
    end: float  # the start of the word after
    after: str
    before: str

    @property
    def length(self) -> float:
        return round(self.end - self.start, 3)

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "length": self.length, "after": self.after,
                "before": self.before}


@dataclass(frozen=True)
class Delivery:
    duration: float  # seconds of audio
    talk_time: float  # from the first word to the last, less the long pauses
    word_count: int  # words spoken, hesitation sounds and unknown-word markers left out
    wpm: float | None  # word_count per minute of talk time; None when talk time is under MIN_TALK_TIME
    fillers: tuple[Filler, ...]
    long_pauses: tuple[Pause, ...]

    @property
    def filler_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.fillers:
            counts[f.text] = counts.get(f.text, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def to_dict(self) -> dict:
        return {"duration": self.duration, "talk_time": self.talk_time, "word_count": self.word_count,
                "wpm": self.wpm, "filler_count": len(self.fillers), "filler_counts": self.filler_counts,
                "fillers": [f.to_dict() for f in self.fillers],
                "long_pauses": [p.to_dict() for p in self.long_pauses]}


def _norm(word: str) -> str:
    return re.sub(r"[^\w']+", "", word.lower().replace("’", "'"))


def _is_marker(word: str) -> bool:
    """Vosk's placeholders for sounds it could not place, like [unk]: no words at all."""
    return word.startswith("[") and word.endswith("]")


def find_fillers(words: list[Word] | tuple[Word, ...]) -> list[Filler]:
    tokens = [_norm(w.word) for w in words]
    found: list[Filler] = []
    last_filler = -2  # the index of the last word that was (part of) a filler
    i = 0
    while i < len(tokens):
        prev = tokens[i - 1] if i else ""
        tok, nxt = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else ""
        after = tokens[i + 2] if i + 2 < len(tokens) else ""
        pair = f"{tok} {nxt}"
        if pair in ("kind of", "sort of") and prev not in _DETERMINERS \
                or pair == "you know" and prev not in _BEFORE_REAL_YOU_KNOW and after not in _AFTER_REAL_YOU_KNOW \
                or pair == "i mean" and prev not in _BEFORE_REAL_I_MEAN and after not in _AFTER_REAL_I_MEAN:
            found.append(Filler(pair, words[i].start, words[i + 1].end))
            last_filler = i + 1
            i += 2
            continue
        if tok in HESITATIONS or tok in HEDGES or tok == "like" and _like_is_filler(prev, nxt, last_filler == i - 1):
            found.append(Filler(tok, words[i].start, words[i].end))
            last_filler = i
        i += 1
    return found


def _like_is_filler(prev: str, nxt: str, after_filler: bool) -> bool:
    """"like" right after another filler ("um like") or a conjunction ("so like"), or before a number ("like
    five days") unless it follows a subject or an auxiliary and so is the verb ("I'd like two")."""
    if after_filler or prev in _BEFORE_LIKE_FILLER:
        return True
    return (nxt in _NUMBERS or nxt.isdigit()) and prev not in _LIKE_AS_VERB


def find_long_pauses(words: list[Word] | tuple[Word, ...], threshold: float = LONG_PAUSE) -> list[Pause]:
    """Silences longer than the threshold between two words (not before the first or after the last)."""
    return [Pause(a.end, b.start, a.word, b.word) for a, b in zip(words, words[1:])
            if b.start - a.end > threshold]


def measure(transcript: Transcript) -> Delivery:
    words = transcript.words
    pauses = find_long_pauses(words)
    talk = 0.0
    if words:
        talk = max(0.0, words[-1].end - words[0].start - sum(p.end - p.start for p in pauses))
    count = sum(1 for w in words if _norm(w.word) not in HESITATIONS and not _is_marker(w.word))
    wpm = round(count / talk * 60, 1) if talk >= MIN_TALK_TIME else None
    return Delivery(transcript.duration, round(talk, 3), count, wpm, tuple(find_fillers(words)), tuple(pauses))
