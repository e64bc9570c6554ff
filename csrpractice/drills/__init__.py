"""Typing drills: the shipped content (passages, common words, chat scripts) and drill texts per mode."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

TIMED = (15, 30, 60, 120)
WORD_COUNTS = (10, 25, 50, 100)
MAX_CUSTOM_CHARS = 20_000


class DrillError(Exception):
    """A drill cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Drill:
    mode: str  # time | words | passage | custom
    key: str  # what personal bests are kept under, e.g. "time-60"
    label: str
    text: str
    seconds: int | None = None  # a timed drill's length

    @property
    def timed(self) -> bool:
        return self.seconds is not None


@dataclass(frozen=True)
class ChatMessage:
    at: float
    text: str


@dataclass(frozen=True)
class ChatScript:
    customer: str
    topic: str
    messages: tuple[ChatMessage, ...]


@dataclass(frozen=True)
class ChatSession:
    id: str
    title: str
    chats: tuple[ChatScript, ...]


def _data(name: str) -> str:
    return resources.files("csrpractice.drills").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def words() -> tuple[str, ...]:
    return tuple(w.strip() for w in _data("words.txt").splitlines() if w.strip())


@lru_cache(maxsize=1)
def passages() -> dict[str, dict]:
    return {p["id"]: p for p in yaml.safe_load(_data("passages.yaml"))["passages"]}


@lru_cache(maxsize=1)
def chat_sessions() -> dict[str, ChatSession]:
    out = {}
    for s in yaml.safe_load(_data("chats.yaml"))["sessions"]:
        chats = tuple(ChatScript(c["customer"], c.get("topic", ""),
                                 tuple(ChatMessage(float(m["at"]), m["text"]) for m in c["messages"]))
                      for c in s["chats"])
        out[s["id"]] = ChatSession(s["id"], s["title"], chats)
    return out


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def make_drill(mode: str, seconds: int | None = None, count: int | None = None, passage: str | None = None,
               file: str | Path | None = None, seed: int = 0) -> Drill:
    """A drill of the given mode; raises DrillError with a clear message for bad choices."""
    rng = random.Random(f"{mode}:{seed}")
    if mode == "time":
        seconds = 30 if seconds is None else seconds
        if seconds not in TIMED:
            raise DrillError(f"a timed drill lasts {', '.join(map(str, TIMED))} seconds, not {seconds}")
        pool = words()[:200]
        text = " ".join(rng.choice(pool) for _ in range(seconds * 4))  # more than anyone types in time
        return Drill("time", f"time-{seconds}", f"Timed, {seconds} s", text, seconds)
    if mode == "words":
        count = 25 if count is None else count
        if count not in WORD_COUNTS:
            raise DrillError(f"a word drill has {', '.join(map(str, WORD_COUNTS))} words, not {count}")
        pool = words()[:200]
        return Drill("words", f"words-{count}", f"{count} words", " ".join(rng.choice(pool) for _ in range(count)))
    if mode == "passage":
        table = passages()
        if passage is None:
            passage = rng.choice(sorted(table))
        if passage not in table:
            from csrpractice.scenario.diagnostics import did_you_mean

            raise DrillError(f"no passage {passage!r}{did_you_mean(passage, table)}")
        p = table[passage]
        return Drill("passage", "passage", f"Passage: {p['title']} ({p['kind'].replace('_', ' ')})", _tidy(p["text"]))
    if mode == "custom":
        if not file:
            raise DrillError("a custom drill needs a text file: --file PATH")
        path = Path(file)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise DrillError(f"cannot read {path}: {exc.strerror or exc}") from None
        if b"\x00" in raw:
            raise DrillError(f"{path} is a binary file, not text")
        try:
            text = _tidy(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise DrillError(f"{path} is not UTF-8 text (byte {exc.start + 1}); save it as UTF-8") from None
        if not text:
            raise DrillError(f"{path} has no text to type")
        if len(text) > MAX_CUSTOM_CHARS:
            raise DrillError(f"{path} has {len(text):,} characters; a drill takes at most {MAX_CUSTOM_CHARS:,}")
        return Drill("custom", "custom", f"Custom: {path.name}", text)
    raise DrillError(f"unknown drill mode {mode!r}: use time, words, passage, custom or chat")
