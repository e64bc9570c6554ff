"""Matches compiled phrase patterns against a reply: typo-tolerant words, negation scope, sentence anchors.

Both the marker library and a scenario's own key phrases use this one matcher.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from scoring.patterns import Compiled
from scoring.text import Token, tokenize

NEGATION_CUES = frozenset(
    "not no never cannot nothing nobody none neither nor without unable hardly barely nowhere".split()
)
# Words that end a negation's scope, as "but" does in "I can't refund it, but I can credit it".
SCOPE_ENDS = frozenset(
    "but however although though and so because instead except yet while whereas otherwise".split()
)
# Phrases that contain a cue word but negate nothing: "no problem", "don't worry".
PSEUDO_NEGATIONS = tuple(
    tuple(p.split()) for p in (
        "no problem", "not a problem", "no worries", "no worry", "do not worry", "do not hesitate",
        "not hesitate", "never hesitate", "not only", "no doubt", "no later than", "no more than",
        "no longer than", "not longer than", "not more than", "why do not", "no matter", "never mind",
        "not to worry", "nothing to worry", "no rush", "no need to worry", "no trouble",
    )
)
PRONOUNS = frozenset("i you we he she they it".split())
LOOKBACK = 6


@dataclass(frozen=True, slots=True)
class Hit:
    """One pattern matched: the tokens it covers and the characters of the original reply."""

    pattern: str
    start: int  # character offsets in the original text
    end: int
    first_token: int
    last_token: int  # inclusive
    sentence: int


def base_form(token: str, words: frozenset[str], shortest: int) -> str | None:
    """The word of `words` that `token` inflects, if any: "refunded" -> "refund", "cancelled" -> "cancel",
    "closing" -> "close", "applied" -> "apply", "charges" -> "charge"."""
    for suffix in ("ing", "ied", "ies", "ed", "es", "s", "d"):
        if not token.endswith(suffix):
            continue
        stem = token[: -len(suffix)]
        if len(stem) < shortest:
            continue
        forms = (stem + "y",) if suffix in ("ied", "ies") else (
            stem, stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else "", stem + "e" if suffix in ("ing", "ed") else "")
        for form in forms:
            if form and form in words:
                return form
    return None


class Vocabulary:
    """Maps a reply's words onto the words the patterns use, forgiving small typos in longer words."""

    def __init__(self, words: set[str], affixes: set[tuple[str, str]] = frozenset()):
        self.words = frozenset(words)
        # A word that a prefix or suffix pattern covers ("automatic" for automatic*) is left as typed.
        self.prefixes = tuple(sorted(a for kind, a in affixes if kind == "prefix"))
        self.suffixes = tuple(sorted(a for kind, a in affixes if kind == "suffix"))
        buckets: dict[str, list[str]] = defaultdict(list)
        for w in sorted(self.words):
            if w:
                buckets[w[0]].append(w)
        self._buckets = dict(buckets)
        self.canonical = lru_cache(maxsize=65536)(self._canonical)

    def _canonical(self, token: str) -> str:
        if token in self.words or len(token) < 4 or not token.isalpha():
            return token
        if token.startswith(self.prefixes) and self.prefixes or token.endswith(self.suffixes) and self.suffixes:
            return token
        # An inflected form of a pattern word is that word: "refunded" -> "refund", "charges" -> "charge".
        stem = base_form(token, self.words, 4)
        if stem:
            return stem
        bucket = self._buckets.get(token[0])
        if not bucket:
            return token
        limit = 2 if len(token) >= 9 else 1
        best = process.extractOne(token, bucket, scorer=OSA.distance, score_cutoff=limit)
        if best is None:
            return token
        word, dist = best[0], best[1]
        if dist == 2 and len(word) < 9:
            return token
        # In short words a changed letter usually makes another word ("plane" is not "place",
        # "want" is not "wait"); a dropped or swapped letter is a typo ("sory", "thnak").
        if len(word) < 6 and len(token) == len(word) and sorted(token) != sorted(word):
            return token
        if max(len(word), len(token)) < 5:
            return token
        return word


class LayeredVocabulary(Vocabulary):
    """A few extra words (a scenario's key phrases) on top of a shared vocabulary whose cache stays warm."""

    def __init__(self, extra: set[str], base: Vocabulary, affixes: set[tuple[str, str]] = frozenset()):
        super().__init__(set(extra), affixes | {("prefix", p) for p in base.prefixes}
                         | {("suffix", x) for x in base.suffixes})
        self.base = base
        self.own = self.words
        self.words = base.words | self.own

    def _canonical(self, token: str) -> str:
        if token in self.own:
            return token  # a word of the scenario's own phrases is itself, not a near-miss of a marker word
        stem = base_form(token, self.own, 3)
        if stem:
            return stem  # "sending" -> "send" when the scenario's phrase says "send"
        own = super()._canonical(token)
        return own if own != token else self.base.canonical(token)


@dataclass
class Prepared:
    """A reply prepared once for matching many patterns."""

    text: str
    tokens: list[Token]
    canon: list[str]
    string: str
    char_to_token: dict[int, int]
    sentence_of: list[int]
    sentences: int
    present: frozenset[str]


def prepare(text: str, vocab: Vocabulary, tokens: list[Token] | None = None) -> Prepared:
    """The reply as patterns see it; pass `tokens` when the same text was tokenized already."""
    tokens = list(tokenize(text) if tokens is None else tokens)
    if tokens and tokens[-1].kind != "stop":
        # The end of the reply ends its last sentence, as a full stop would.
        tokens.append(Token(".", len(text), len(text), "stop"))
    canon = [t.text if t.kind != "word" else vocab.canonical(t.text) for t in tokens]
    pieces = [" "]
    char_to_token: dict[int, int] = {}
    pos = 1
    sentence_of: list[int] = []
    sentence = 0
    for i, word in enumerate(canon):
        char_to_token[pos] = i
        pieces.append(word)
        pieces.append(" ")
        pos += len(word) + 1
        sentence_of.append(sentence)
        if tokens[i].kind == "stop":
            sentence += 1
    return Prepared(text, tokens, canon, "".join(pieces), char_to_token, sentence_of, max(sentence, 1),
                    frozenset(canon))


def _pseudo_at(canon: list[str], i: int) -> bool:
    """True when the cue at token i is part of a phrase like "no problem" that negates nothing."""
    for phrase in PSEUDO_NEGATIONS:
        for k, word in enumerate(phrase):
            if word == canon[i]:
                start = i - k
                if start >= 0 and tuple(canon[start:start + len(phrase)]) == phrase:
                    return True
    return False


def negated(p: Prepared, first: int, last: int, literals: frozenset[str]) -> bool:
    """Is the match tokens[first..last] inside a negation's scope?"""
    canon, tokens = p.canon, p.tokens
    for i in range(first, last + 1):
        if canon[i] in NEGATION_CUES and canon[i] not in literals and not _pseudo_at(canon, i):
            return True
    if tokens[first].clause_break:
        return False
    i = first - 1
    while i >= 0 and first - i <= LOOKBACK:
        word = canon[i]
        if tokens[i].kind == "stop" or word in SCOPE_ENDS:
            return False
        if word in NEGATION_CUES and not _pseudo_at(canon, i):
            if word == "no" and (canon[first] in PRONOUNS or any(canon[k] in PRONOUNS for k in range(i + 1, first))):
                return False  # "no, I can help" answers a question; it does not negate the help
            return True
        if tokens[i].clause_break:
            return False
        i -= 1
    return False


def slot_hits(p: Prepared, pattern: Compiled, check_negation: bool = True) -> tuple[list[Hit], float]:
    """A slot pattern's hits (every part's, in the first sentence that has them all) and the largest share
    of its parts any one sentence has (1.0 when it matched)."""
    by_sentence: dict[int, dict[int, list[Hit]]] = defaultdict(dict)
    for k, part in enumerate(pattern.parts):
        for h in find(p, part, check_negation):
            by_sentence[h.sentence].setdefault(k, []).append(h)
    best = 0.0
    for sentence in sorted(by_sentence):
        found = by_sentence[sentence]
        if len(found) == len(pattern.parts):
            return [Hit(pattern.source, h.start, h.end, h.first_token, h.last_token, h.sentence)
                    for k in sorted(found) for h in found[k][:1]], 1.0
        best = max(best, len(found) / len(pattern.parts))
    return [], best


def find(p: Prepared, pattern: Compiled, check_negation: bool = True) -> list[Hit]:
    """Every place `pattern` matches the prepared reply, negated matches left out when asked."""
    if pattern.parts:
        return slot_hits(p, pattern, check_negation)[0]
    hits: list[Hit] = []
    for m in pattern.regex.finditer(p.string):
        first = p.char_to_token[m.start()]
        # A match ends where the next token starts, or at the end of the string.
        last = p.char_to_token.get(m.end(), len(p.canon)) - 1
        sentence = p.sentence_of[first]
        if pattern.first_sentence and sentence != 0:
            continue
        if pattern.last_sentence and (sentence != p.sentences - 1 or sentence == 0):
            continue
        if check_negation and negated(p, first, last, pattern.literals):
            continue
        hits.append(Hit(pattern.source, p.tokens[first].start, p.tokens[last].end, first, last, sentence))
    return hits
