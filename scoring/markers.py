"""The built-in library of conduct markers and the detector that finds them in a reply, with evidence."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from scoring.acts import SPEECH_ACTS, Acts, find_acts
from scoring.cards import find_sensitive, luhn_ok
from scoring.matcher import Hit, Prepared, Vocabulary, find, prepare
from scoring.patterns import Compiled, PatternError, compile_pattern

# A digit run right after one of these words is an order or account number, not a card read back.
_ID_LABEL_RE = re.compile(
    r"\b(?:order|tracking|confirmation|reference|ref|account|acct|case|ticket|invoice|routing|claim|policy|"
    r"member|booking|phone|number\s+is)\b[^\d\n]{0,6}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Evidence:
    """Why a marker was detected: the words in the reply and the pattern (or rule) they matched."""

    start: int
    end: int
    text: str
    pattern: str


@dataclass(frozen=True)
class Detection:
    """A marker found in a reply, with every piece of evidence for it."""

    marker: str
    description: str
    evidence: tuple[Evidence, ...]

    @property
    def spans(self) -> list[list[int]]:
        """Character spans in the original reply, merged where they overlap."""
        merged: list[list[int]] = []
        for ev in sorted(self.evidence, key=lambda e: (e.start, e.end)):
            if merged and ev.start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], ev.end)
            else:
                merged.append([ev.start, ev.end])
        return merged


@dataclass
class Marker:
    id: str
    description: str
    patterns: list[Compiled]
    counters: list[Compiled]
    suppressed_by: tuple[str, ...] = ()
    card_rule: bool = False
    # Speech acts in which this marker's words are not the agent's own act: "quoted" (quoted or reported
    # speech), "secure_entry" (a sentence telling the customer to key a number in where no one hears it).
    not_when: frozenset[str] = frozenset()


@dataclass
class MarkerLibrary:
    """The compiled marker library: markers, the shared vocabulary and an index from words to patterns."""

    markers: dict[str, Marker]
    vocab: Vocabulary
    classes: dict[str, list[str]]
    _index: dict[str, list[tuple[str, bool, Compiled]]] = field(default_factory=dict)
    _always: list[tuple[str, bool, Compiled]] = field(default_factory=list)
    _class_cache: dict = field(default_factory=dict)
    _only: dict = field(default_factory=dict)
    _compiled: dict[str, Compiled] = field(default_factory=dict)

    def compile(self, pattern: str) -> Compiled:
        """Compile a phrase pattern with this library's word classes; shared patterns compile once."""
        c = self._compiled.get(pattern)
        if c is None:
            c = self._compiled[pattern] = compile_pattern(pattern, self.classes, self._class_cache)
        return c

    def __post_init__(self) -> None:
        index: dict[str, list] = defaultdict(list)
        for marker in self.markers.values():
            for counter, group in ((False, marker.patterns), (True, marker.counters)):
                for c in group:
                    entry = (marker.id, counter, c)
                    if c.must is None:
                        self._always.append(entry)
                    else:
                        for w in c.must:
                            index[w].append(entry)
        self._index = dict(index)

    @property
    def ids(self) -> list[str]:
        return list(self.markers)

    def candidates(self, p: Prepared, only: frozenset[str] | None = None) -> list[tuple[str, bool, Compiled]]:
        index, always = self._index, self._always
        if only is not None:  # an index of just these markers, built once per set
            if only not in self._only:
                self._only[only] = ({w: [e for e in es if e[0] in only] for w, es in self._index.items()},
                                    [e for e in self._always if e[0] in only])
            index, always = self._only[only]
        seen: set[int] = set()
        out = []
        for w in p.present:
            for entry in index.get(w, ()):
                if id(entry[2]) not in seen:
                    seen.add(id(entry[2]))
                    out.append(entry)
        out.extend(always)
        return out

    def needs(self, markers) -> frozenset[str]:
        """The markers whose detection decides `markers` (with the ones that can suppress them)."""
        out = set(markers)
        for mid in list(out):
            if mid in self.markers:
                out.update(self.markers[mid].suppressed_by)
        return frozenset(out)

    def detect(self, text: str, only: frozenset[str] | None = None, tokens=None) -> list[Detection]:
        """Every marker in `text` (or just those in `only`, see `needs`), in library order, with evidence."""
        p = prepare(text, self.vocab, tokens)
        positive: dict[str, list[Hit]] = defaultdict(list)
        counter: dict[str, list[Hit]] = defaultdict(list)
        for marker_id, is_counter, c in self.candidates(p, only):
            hits = find(p, c, check_negation=not is_counter)
            if hits:
                (counter if is_counter else positive)[marker_id].extend(hits)
        self._card_rule(text, p, positive)
        kept: dict[str, list[Hit]] = {}
        acts: Acts | None = None
        for marker_id, hits in positive.items():
            vetoes = counter.get(marker_id, ())
            hits = [h for h in hits if not any(_overlap(h, v) for v in vetoes)]
            not_when = self.markers[marker_id].not_when
            if hits and not_when:
                acts = acts or find_acts(p)
                hits = [h for h in hits if h.pattern.startswith("rule:") or not (
                    "quoted" in not_when and acts.covers(h.first_token, h.last_token)
                    or "secure_entry" in not_when and h.sentence in acts.secure_entry)]
            if hits:
                kept[marker_id] = hits
        out: list[Detection] = []
        for marker_id, marker in self.markers.items():
            if only is not None and marker_id not in only:
                continue
            hits = kept.get(marker_id)
            if not hits:
                continue
            for other in marker.suppressed_by:
                blocked = {h.sentence for h in kept.get(other, ())}
                hits = [h for h in hits if h.sentence not in blocked]
            if hits:
                by_span: dict[tuple[int, int], Evidence] = {}
                for h in hits:  # one piece of evidence per span: the first pattern that found it
                    by_span.setdefault((h.start, h.end), Evidence(h.start, h.end, text[h.start:h.end], h.pattern))
                evidence = tuple(sorted(by_span.values(), key=lambda e: (e.start, e.end)))
                out.append(Detection(marker_id, marker.description, evidence))
        return out

    def _card_rule(self, text: str, p: Prepared, positive: dict[str, list[Hit]]) -> None:
        rule_markers = [m.id for m in self.markers.values() if m.card_rule]
        if not rule_markers:
            return
        for s in find_sensitive(text):
            if s.kind == "card" and _ID_LABEL_RE.search(text[max(0, s.start - 40):s.start]):
                continue
            first = next((i for i, t in enumerate(p.tokens) if t.end > s.start), 0)
            rule = {"card": "rule: a Luhn-valid card number", "code": "rule: a labelled security code",
                    "ssn": "rule: a full social security number"}[s.kind]
            sentence = p.sentence_of[first] if p.tokens else 0
            for marker_id in rule_markers:
                positive[marker_id].append(Hit(rule, s.start, s.end, first, first, sentence))
        for i, tok in enumerate(p.tokens):  # a card number read out in words ("four one one one ...")
            spelled = tok.kind == "num" and not text[tok.start].isdigit()  # typed digits: find_sensitive
            if spelled and 13 <= len(tok.text) <= 19 and luhn_ok(tok.text):
                for marker_id in rule_markers:
                    positive[marker_id].append(Hit("rule: a Luhn-valid card number read out", tok.start, tok.end, i, i,
                                                   p.sentence_of[i]))


def _overlap(a: Hit, b: Hit) -> bool:
    return a.first_token <= b.last_token and b.first_token <= a.last_token


class LibraryError(ValueError):
    """The marker library file is malformed."""


def build_library(data: dict, source: str = "markers.yaml") -> MarkerLibrary:
    """Compile a marker library from its parsed YAML; errors name the marker and pattern."""
    if not isinstance(data, dict) or not isinstance(data.get("markers"), dict):
        raise LibraryError(f"{source}: expected a mapping with a 'markers' mapping")
    classes = {str(k): [str(v) for v in vs] for k, vs in (data.get("classes") or {}).items()}
    cache: dict = {}
    words: set[str] = set()
    affixes: set[tuple[str, str]] = set()
    markers: dict[str, Marker] = {}
    for mid, spec in data["markers"].items():
        try:
            pats = [compile_pattern(s, classes, cache) for s in spec.get("patterns", [])]
            counters = [compile_pattern(s, classes, cache) for s in spec.get("counter", [])]
        except PatternError as exc:
            raise LibraryError(f"{source}: marker {mid}: {exc}") from None
        for c in pats + counters:
            words |= c.words
            affixes |= c.affixes
        not_when = frozenset(spec.get("not_when", ()))
        if not_when - SPEECH_ACTS:
            raise LibraryError(f"{source}: marker {mid}: not_when takes {' and '.join(sorted(SPEECH_ACTS))}, not "
                               f"{sorted(not_when - SPEECH_ACTS)}")
        markers[mid] = Marker(mid, str(spec.get("description", "")).strip(), pats, counters,
                              tuple(spec.get("suppressed_by", ())), bool(spec.get("card_rule", False)), not_when)
    for m in markers.values():
        unknown = [o for o in m.suppressed_by if o not in markers]
        if unknown:
            raise LibraryError(f"{source}: marker {m.id}: suppressed_by names unknown marker(s) {unknown}")
    return MarkerLibrary(markers, Vocabulary(words, affixes), classes, _class_cache=cache)


@lru_cache(maxsize=1)
def default_library() -> MarkerLibrary:
    """The built-in library shipped inside the package (loaded once)."""
    text = resources.files("scoring").joinpath("markers.yaml").read_text(encoding="utf-8")
    return build_library(yaml.safe_load(text))


def detect_markers(text: str, library: MarkerLibrary | None = None) -> list[Detection]:
    """Detect the conduct markers in a reply; each Detection carries its spans and matching patterns."""
    return (library or default_library()).detect(text)
