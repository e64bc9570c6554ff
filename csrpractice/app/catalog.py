"""What the browser shows of each scenario, and the filter logic (plain Python, testable without a terminal)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    kind: str
    industry: str
    channel: str
    difficulty: int
    minutes: float
    brief: str
    persona: str
    assessed: tuple[str, ...]
    tags: tuple[str, ...]
    time_limit: str = ""


def entry(s) -> Entry:
    """A browser entry for a loaded Scenario."""
    p = s.persona
    who = f"{p.name}" + (f", {p.role}" if p.role else "") + f". {p.situation}"
    limits = []
    if s.reply_seconds:
        limits.append(f"{s.reply_seconds:g} s per reply")
    if s.scenario_seconds:
        limits.append(f"{s.scenario_seconds / 60:g} min in all")
    return Entry(s.id, s.title, s.kind, s.industry, s.channel, s.difficulty, s.estimated_minutes, s.brief, who,
                 tuple(s.assessed()), tuple(s.tags), ", ".join(limits))


def matches(e: Entry, text: str = "", industry: str | None = None, channel: str | None = None,
            difficulty: int | None = None) -> bool:
    """Does the entry pass the filters? Free text matches every word against title, brief, tags and persona."""
    if industry and e.industry != industry:
        return False
    if channel and e.channel != channel:
        return False
    if difficulty and e.difficulty != difficulty:
        return False
    hay = " ".join([e.title, e.brief, e.persona, e.industry, e.channel, e.kind, *e.tags, *e.assessed]).casefold()
    return all(word in hay for word in text.casefold().split())
