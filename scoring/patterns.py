"""The phrase-pattern language of the marker library and key phrases, compiled to regular expressions
over a reply's canonical token string.

A pattern is words separated by spaces, with:
  (a|b c)  alternatives          [x y] or (x|y)?  optional     ~3   up to 3 other words
  @class   a named word class    word*  a word prefix   *ing  a word suffix
  #        any number            _      any one word
  <        at the start of a sentence
  ^        only in the reply's first sentence                  $    only in its last sentence (not the first)
  a & b    slots: every part in one sentence, in any order ("(cancel|close) * & @when")
Words go through the same normalisation as replies, so "can't" in a pattern matches "cannot" and "cant".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from scoring.text import _fold, tokenize

_LEX_RE = re.compile(r"\s*(?:(?P<sym>[()\[\]|^$#<?_])|(?P<gap>~\d+)|(?P<cls>@[a-z_]+)|(?P<word>[^\s()\[\]|~#$^<?_]+))")

STOPWORDS = frozenset(
    "i you we he she it they me us him her them my your our their a an the to of for in on at by with "
    "is am are was were be been being do does did have has had will would can could should may might "
    "shall must this that these those and or but so if then there here what which who how when where "
    "not no all any some just very really please let get got make".split()
)


class PatternError(ValueError):
    """A pattern that cannot be compiled; the message says where and why."""


@dataclass
class Compiled:
    """A compiled pattern: its source, regex, the words of which at least one must be present, and anchors."""

    source: str
    regex: re.Pattern
    must: frozenset[str] | None
    literals: frozenset[str]
    first_sentence: bool = False
    last_sentence: bool = False
    words: set[str] = field(default_factory=set)
    affixes: set[tuple[str, str]] = field(default_factory=set)  # ("prefix", "apolog"), ("suffix", "triptan")
    parts: tuple["Compiled", ...] = ()  # slots: each part must match in the same sentence, in any order


class _Parser:
    def __init__(self, source: str, classes: dict[str, list[str]], class_cache: dict):
        self.source = source
        self.classes = classes
        self.class_cache = class_cache
        self.items = []
        pos, end = 0, len(source.rstrip())
        while pos < end:
            m = _LEX_RE.match(source, pos)
            if not m or not m.lastgroup:
                raise PatternError(f"cannot read pattern {source!r} at column {pos + 1}")
            self.items.append((m.lastgroup, m.group(m.lastgroup)))
            pos = m.end()
        self.i = 0
        self.words: set[str] = set()
        self.affixes: set[tuple[str, str]] = set()
        self.first = self.last = False

    def peek(self):
        return self.items[self.i] if self.i < len(self.items) else (None, None)

    def take(self):
        item = self.peek()
        self.i += 1
        return item

    # Each parse method returns (regex, must) where must is a set of words one of which must occur,
    # or None when nothing can be said (an optional part, a gap, a prefix).
    def sequence(self, closers: tuple[str, ...]) -> tuple[str, list]:
        parts: list[str] = []
        musts: list = []
        while True:
            kind, val = self.peek()
            if kind is None or (kind == "sym" and val in closers):
                break
            self.take()
            if kind == "sym" and val == "(":
                rx, must = self.alternatives(")")
                parts.append(rx)
                musts.append(must)
            elif kind == "sym" and val == "[":
                rx, _ = self.alternatives("]")
                parts.append(f"(?:{rx})?")
            elif kind == "sym" and val == "^":
                self.first = True
            elif kind == "sym" and val == "$":
                self.last = True
            elif kind == "sym" and val == "?":
                if not parts:
                    raise PatternError(f"'?' with nothing before it in pattern {self.source!r}")
                parts[-1] = f"(?:{parts[-1]})?"
                if musts:
                    musts[-1] = None
            elif kind == "sym" and val == "<":
                parts.append(r"(?:(?<=^ )|(?<=\. ))")
            elif kind == "sym" and val == "_":
                parts.append(r"[^. ]+ ")
            elif kind == "sym" and val == "#":
                parts.append(r"\d[^ ]* ")
            elif kind == "gap":
                parts.append(r"(?:[^. ][^ ]* ){0,%d}" % int(val[1:]))
            elif kind == "cls":
                rx, must = self.klass(val[1:])
                parts.append(rx)
                musts.append(must)
            elif kind == "word":
                rx, must = self.word(val)
                parts.append(rx)
                musts.append(must)
            else:
                raise PatternError(f"unexpected {val!r} in pattern {self.source!r}")
        return "".join(parts), musts

    def alternatives(self, closer: str) -> tuple[str, frozenset | None]:
        alts: list[str] = []
        must: set | None = set()
        while True:
            rx, musts = self.sequence(("|", closer))
            if not rx:
                raise PatternError(f"empty alternative in pattern {self.source!r}")
            alts.append(rx)
            best = _best(musts)
            must = None if (must is None or best is None) else must | best
            kind, val = self.take()
            if val == closer:
                break
            if val != "|":
                raise PatternError(f"missing {closer!r} in pattern {self.source!r}")
        return "(?:" + "|".join(alts) + ")", (frozenset(must) if must is not None else None)

    def klass(self, name: str) -> tuple[str, frozenset | None]:
        if name not in self.classes:
            raise PatternError(f"unknown word class @{name} in pattern {self.source!r}")
        if name not in self.class_cache:
            sub = _Parser("(" + "|".join(self.classes[name]) + ")", self.classes, self.class_cache)
            sub.take()
            rx, must = sub.alternatives(")")
            self.class_cache[name] = (rx, must, sub.words, sub.affixes)
        rx, must, words, affixes = self.class_cache[name]
        self.words |= words
        self.affixes |= affixes
        return rx, must

    def word(self, raw: str) -> tuple[str, frozenset | None]:
        if raw.startswith("*"):
            self.affixes.add(("suffix", _fold(raw[1:])))
            return r"[^ ]*" + re.escape(_fold(raw[1:])) + " ", None
        if raw.endswith("*"):
            stem = _fold(raw[:-1])
            self.affixes.add(("prefix", stem))
            return re.escape(stem) + r"[^ ]* ", None
        parts = ["."] if raw == "." else [t.text for t in tokenize(raw) if t.kind != "stop"]
        if not parts:
            raise PatternError(f"{raw!r} in pattern {self.source!r} is not a word")
        self.words.update(parts)
        rx = "".join(re.escape(p) + " " for p in parts)
        return rx, _best([frozenset([p]) for p in parts])


def _best(musts: list) -> frozenset | None:
    """The most selective of the must-sets of a sequence: fewest stopwords, then fewest words."""
    candidates = [m for m in musts if m]
    if not candidates:
        return None
    return min(candidates, key=lambda m: (sum(w in STOPWORDS for w in m) / len(m), len(m)))


_NEVER = re.compile(r"(?!)")


def _split_slots(source: str) -> list[str]:
    """The parts of a slot pattern ("a & b"), split at top-level ampersands only."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(source):
        depth += ch in "([" and 1 or ch in ")]" and -1 or 0
        if ch == "&" and depth == 0:
            parts.append(source[start:i].strip())
            start = i + 1
    parts.append(source[start:].strip())
    if len(parts) > 1 and not all(parts):
        raise PatternError(f"empty slot in pattern {source!r}: write 'part & part'")
    return parts


def compile_pattern(source: str, classes: dict[str, list[str]] | None = None,
                    class_cache: dict | None = None) -> Compiled:
    """Compile one pattern; raises PatternError with a readable message."""
    slots = _split_slots(source)
    if len(slots) > 1:
        parts = tuple(compile_pattern(s, classes, class_cache) for s in slots)
        return Compiled(source, _NEVER, _best([c.must for c in parts]), frozenset().union(*(c.literals for c in parts)),
                        words=set().union(*(c.words for c in parts)), affixes=set().union(*(c.affixes for c in parts)),
                        parts=parts)
    p = _Parser(source, classes or {}, {} if class_cache is None else class_cache)
    rx, musts = p.sequence(())
    if p.i < len(p.items):
        raise PatternError(f"unbalanced {p.items[p.i][1]!r} in pattern {source!r}")
    if not rx:
        raise PatternError(f"empty pattern {source!r}")
    literals = frozenset(p.words)
    return Compiled(source, re.compile("(?<= )" + rx), _best(musts), literals, p.first, p.last, p.words, p.affixes)
