"""Typing-drill metrics from a keystroke log, with monkeytype's definitions (docs/typing-metrics.md).

A log is a list of (seconds_since_start, key): key is one character, or "backspace". The typed text is
rebuilt from the log, split into words at spaces and compared word by word with the target, as
monkeytype does: a space always moves on to the next word, and a space on an empty word is ignored.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

BACKSPACE = "backspace"
CHAT_ROLE_WPM = 40  # the bar chat-support roles commonly ask for; compared with `wpm`


@dataclass(frozen=True)
class CharCounts:
    """monkeytype's character counts for the typed words against the target words."""

    correct_word_chars: int = 0  # characters of correctly typed words (and a correct partial last word in timed drills)
    correct_spaces: int = 0  # spaces after correctly typed words
    all_correct_chars: int = 0  # every character typed correctly, in correct words or not
    incorrect_chars: int = 0  # typed, but not the target character
    extra_chars: int = 0  # typed past the end of a target word
    missed_chars: int = 0  # target characters of a word left unfinished (skipped with a space)
    spaces: int = 0  # spaces typed between words


@dataclass
class DrillResult:
    wpm: float  # monkeytype WPM: (correct word chars + correct spaces) / 5 per minute
    raw_wpm: float  # every typed character and space / 5 per minute
    net_wpm: float  # the standard net WPM: gross WPM minus uncorrected errors per minute
    accuracy: float  # percent of keystrokes (backspaces aside) that were right when typed
    consistency: float  # monkeytype's: 100 x (1 - tanh(cv + cv^3/3 + cv^5/5)) of per-second raw WPM
    errors: int  # uncorrected errors: incorrect + extra + missed characters in the final text
    duration: float  # seconds
    per_second: list[float]  # WPM (monkeytype's) at the end of each second
    raw_per_second: list[float]  # raw WPM within each second (keystrokes in that second / 5 x 60)
    counts: CharCounts
    keystrokes: int
    backspaces: int
    key_errors: dict[str, tuple[int, int]] = field(default_factory=dict)  # target char -> (wrong, attempts)
    typed: str = ""
    meets_chat_bar: bool = False  # wpm >= 40, the chat-role bar

    @property
    def error_rate(self) -> float:
        """Wrong keystrokes per keystroke (backspaces aside), 0-1."""
        return 0.0 if not self.keystrokes else round(1 - self.accuracy / 100, 4)

    def weakest_keys(self, n: int = 5) -> list[tuple[str, int, int]]:
        """The keys mistyped most often: (key, wrong, attempts), worst first."""
        # The space is left out: a space after a mistyped word counts as wrong, but the word was the problem.
        ranked = sorted(((k, w, a) for k, (w, a) in self.key_errors.items() if w and k != " "),
                        key=lambda t: (-t[1] / t[2], -t[1], t[0]))
        return ranked[:n]


REPEAT_INTERVAL = 0.035  # the same key again this soon is the terminal's auto-repeat, not a finger


class RepeatFilter:
    """Tells keystrokes from a held key's auto-repeat: the previous key again within 35 ms.

    People do not strike one key twice that fast; a terminal's auto-repeat does, so a held key must not
    inflate a drill's score."""

    def __init__(self) -> None:
        self.last: str | None = None
        self.last_t = -1.0
        self.dropped = 0

    def accept(self, t: float, key: str) -> bool:
        repeat = key == self.last and t - self.last_t < REPEAT_INTERVAL
        self.last, self.last_t = key, t
        self.dropped += repeat
        return not repeat


def filter_auto_repeat(events: list[tuple[float, str]]) -> tuple[list[tuple[float, str]], int]:
    """The keystrokes without a held key's auto-repeat: (kept, dropped)."""
    f = RepeatFilter()
    kept = [(t, key) for t, key in events if f.accept(t, key)]
    return kept, f.dropped


class Typed:
    """The words typed so far, keystroke by keystroke: a character is appended, a backspace removes the
    last one (also back over a space into the previous word), and a space on an empty word is ignored,
    as monkeytype does. The one place these rules live: metrics and the drill screen both use it."""

    def __init__(self) -> None:
        self.finished: list[str] = []
        self.current = ""

    def push(self, key: str) -> str:
        """Apply a key; returns what it did: char, space, back, back_word or ignored."""
        if key == BACKSPACE:
            if self.current:
                self.current = self.current[:-1]
                return "back"
            if self.finished:
                self.current = self.finished.pop()
                return "back_word"
            return "ignored"
        if key == " ":
            if not self.current:
                return "ignored"
            self.finished.append(self.current)
            self.current = ""
            return "space"
        self.current += key
        return "char"

    @property
    def words(self) -> list[str]:
        """Finished words and the current one (empty right after a space)."""
        return [*self.finished, self.current]

    @property
    def text(self) -> str:
        return " ".join(self.words) if self.finished or self.current else ""


def rebuild(events: list[tuple[float, str]]) -> str:
    """The text the keystrokes leave behind (see Typed)."""
    typed = Typed()
    for _, key in events:
        typed.push(key)
    return typed.text


def count_chars(typed_words: list[str], target_words: list[str], count_partial_last: bool) -> CharCounts:
    """monkeytype's countChars: word by word, with the last typed word counted as monkeytype does."""
    cwc = cs = correct = incorrect = extra = missed = spaces = 0
    n = len(typed_words)
    for i, word in enumerate(typed_words):
        target = target_words[i] if i < len(target_words) else ""
        last = i == n - 1
        if word == target:
            cwc += len(target)
            correct += len(target)
            if not last:
                cs += 1
        elif len(word) >= len(target):
            for c, ch in enumerate(word):
                if c < len(target):
                    if ch == target[c]:
                        correct += 1
                    else:
                        incorrect += 1
                else:
                    extra += 1
        else:
            ok = bad = 0
            for c in range(len(word)):
                if word[c] == target[c]:
                    ok += 1
                else:
                    bad += 1
            correct += ok
            incorrect += bad
            if last and count_partial_last:
                if bad == 0:
                    cwc += ok
            else:
                missed += len(target) - len(word)
        if not last:
            spaces += 1
    return CharCounts(cwc, cs, correct, incorrect, extra, missed, spaces)


def _word(word: str, target: str, last: bool, count_partial_last: bool) -> tuple[int, ...]:
    """One typed word's share of CharCounts (spaces aside)."""
    return astuple_counts(count_chars([word], [target], count_partial_last)) if last else \
        astuple_counts(count_chars([word, ""], [target, ""], count_partial_last))


def astuple_counts(c: CharCounts) -> tuple[int, ...]:
    return (c.correct_word_chars, c.correct_spaces, c.all_correct_chars, c.incorrect_chars, c.extra_chars,
            c.missed_chars, c.spaces)


class _Running:
    """Counts kept up to date keystroke by keystroke: finished words are counted once, so a per-second
    series over a long log costs no more than the log itself."""

    def __init__(self, target_words: list[str]):
        self.target = target_words
        self.typed = Typed()
        self.done: list[tuple[int, ...]] = []  # counts of each finished word, its space included
        self.total = [0] * 7

    def _goal(self, i: int) -> str:
        return self.target[i] if i < len(self.target) else ""

    def push(self, key: str) -> None:
        effect = self.typed.push(key)
        if effect == "back_word":
            part = self.done.pop()
            self.total = [a - b for a, b in zip(self.total, part)]
        elif effect == "space":
            i = len(self.typed.finished) - 1
            part = _word(self.typed.finished[i], self._goal(i), False, False)
            self.done.append(part)
            self.total = [a + b for a, b in zip(self.total, part)]

    def counts(self, count_partial_last: bool) -> CharCounts:
        word = self.typed.current
        if not word:
            return CharCounts(*self.total)  # an empty current word adds nothing
        last = _word(word, self._goal(len(self.typed.finished)), True, count_partial_last)
        return CharCounts(*[a + b for a, b in zip(self.total, last)])


def kogasa(cv: float) -> float:
    """monkeytype's consistency curve: 100 for no variation, falling towards 0."""
    return 100 * (1 - math.tanh(cv + cv ** 3 / 3 + cv ** 5 / 5))


def _wpm(chars: int, seconds: float) -> float:
    return 0.0 if seconds <= 0 else chars * (60 / seconds) / 5


def _split(typed: str) -> list[str]:
    return typed.split(" ") if typed else []


def score_drill(target: str, events: list[tuple[float, str]], duration: float | None = None) -> DrillResult:
    """Score a drill. duration=None: the drill ended with the last keystroke (its time is the first to the
    last keystroke). A number: a timed drill of that many seconds (a correctly begun, unfinished last
    word then counts, as in monkeytype's timed tests)."""
    events = sorted(events, key=lambda e: e[0])
    target_words = target.split()
    timed = duration is not None
    if duration is None:
        duration = events[-1][0] - events[0][0] if len(events) > 1 else 0.0
        start = events[0][0] if events else 0.0
    else:
        start = 0.0
    typed = rebuild(events)
    counts = count_chars(_split(typed), target_words, count_partial_last=timed)

    wpm = _wpm(counts.correct_word_chars + counts.correct_spaces, duration)
    raw = _wpm(counts.all_correct_chars + counts.spaces + counts.incorrect_chars + counts.extra_chars, duration)

    # Accuracy: each keystroke judged when typed (backspaces are not keystrokes here; a corrected mistake
    # still counts against it).
    right = wrong = 0
    key_errors: dict[str, list[int]] = {}
    typed_so_far = Typed()
    for _, key in events:
        if key != BACKSPACE:
            w = len(typed_so_far.finished)
            goal = target_words[w] if w < len(target_words) else ""
            current = typed_so_far.current
            if key == " ":
                ok, expected = current == goal, " "
            else:
                expected = goal[len(current)] if len(current) < len(goal) else ""
                ok = key == expected
        if typed_so_far.push(key) in ("back", "back_word", "ignored"):
            continue  # backspaces and ignored spaces are not judged
        right += ok
        wrong += not ok
        if expected:
            stat = key_errors.setdefault(expected, [0, 0])
            stat[1] += 1
            stat[0] += not ok
    typed_keys = right + wrong
    accuracy = 100.0 * right / typed_keys if typed_keys else 0.0

    # Per-second series: monkeytype's WPM at the end of each second (the partial last word counting, as
    # it does during a test) and raw speed within each second.
    seconds = max(1, math.ceil(duration - 1e-9)) if duration > 0 else 0
    per_second: list[float] = []
    raw_per_second: list[float] = []
    running = _Running(target_words)
    in_second = [0] * seconds
    idx = 0
    for s in range(seconds):
        edge = start + s + 1
        while idx < len(events) and (events[idx][0] < edge or s == seconds - 1):
            running.push(events[idx][1])
            in_second[s] += 1
            idx += 1
        c = running.counts(count_partial_last=True)
        per_second.append(round(_wpm(c.correct_word_chars + c.correct_spaces, min(s + 1, duration)), 2))
        span = min(1.0, duration - s) if not timed else 1.0
        raw_s = in_second[s] / 5 * 60
        if 0.5 <= span < 1:
            raw_s = raw_s / span  # a last, partial second scaled to a full one, as monkeytype does
        raw_per_second.append(round(raw_s))
    if raw_per_second and sum(raw_per_second):
        mean = sum(raw_per_second) / len(raw_per_second)
        sd = math.sqrt(sum((x - mean) ** 2 for x in raw_per_second) / len(raw_per_second))
        consistency = kogasa(sd / mean)
    else:
        consistency = 0.0

    errors = counts.incorrect_chars + counts.extra_chars + counts.missed_chars
    gross = _wpm(len(typed), duration)
    net = max(0.0, gross - (errors / (duration / 60) if duration > 0 else 0.0))
    backspaces = sum(1 for _, k in events if k == BACKSPACE)
    return DrillResult(
        wpm=round(wpm, 2), raw_wpm=round(raw, 2), net_wpm=round(net, 2), accuracy=round(accuracy, 2),
        consistency=round(consistency, 2), errors=errors,
        duration=round(duration, 3), per_second=per_second, raw_per_second=raw_per_second, counts=counts,
        keystrokes=typed_keys, backspaces=backspaces,
        key_errors={k: (v[0], v[1]) for k, v in sorted(key_errors.items())}, typed=typed,
        meets_chat_bar=wpm >= CHAT_ROLE_WPM)
