"""Rubric evaluation: scores one reply against one turn's rubric and explains every point won or lost.

A rubric has required and bonus items (markers from the library, or scenario key phrases), forbidden
items with penalties, and critical (auto-fail) items kept apart from the weighted ones, as QA scorecards
keep critical errors apart. The semantics:
- required items make the score; bonus points make up at most half of the required points missed,
  so a bonus never hides a miss;
- the same words earn at most one conduct marker ("sorry to hear" is empathy or apology, not both);
- penalties add up to at most PENALTY_CAP points a turn, so one long reply cannot sink below what its
  worst conduct deserves;
- a critical finding zeroes the turn.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from scoring.cards import redact
from scoring.markers import Detection, MarkerLibrary
from scoring.matcher import LayeredVocabulary, find, prepare, slot_hits
from scoring.text import tokenize
from scoring.patterns import Compiled

# The competency a marker counts towards when a rubric does not say.
MARKER_COMPETENCY = {
    "greeting": "courtesy", "closing": "courtesy", "hold_etiquette": "courtesy",
    "empathy": "empathy", "apology": "empathy",
    "ownership": "ownership", "next_steps": "clarity",
    "verification": "compliance", "pci_violation": "compliance", "unlicensed_advice": "compliance",
    "escalation": "problem_solving", "blame": "professionalism", "dismissive": "professionalism",
    "abuse": "professionalism", "misconduct": "professionalism",
}
PENALTY_CAP = 40.0
BONUS_SHARE = 0.5
DEFAULT_PHRASE_COMPETENCY = "problem_solving"


@dataclass(frozen=True)
class Item:
    """One rubric item: a library marker (`marker`) or a named group of key phrases (`patterns`)."""

    name: str
    kind: str  # "marker" | "phrase"
    weight: float = 1.0
    competency: str = DEFAULT_PHRASE_COMPETENCY
    patterns: tuple[Compiled, ...] = ()
    description: str = ""
    layer: str = ""  # "compliance" for a check the always-on layer added


@dataclass(frozen=True)
class Penalised:
    item: Item
    penalty: float


@dataclass
class Rubric:
    required: list[Item] = field(default_factory=list)
    bonus: list[Item] = field(default_factory=list)
    forbidden: list[Penalised] = field(default_factory=list)
    auto_fail: list[Item] = field(default_factory=list)

    def items(self) -> list[Item]:
        return [*self.required, *self.bonus, *(p.item for p in self.forbidden), *self.auto_fail]


@dataclass(frozen=True)
class ItemResult:
    """How one item fared: matched or not, where, and what it was worth."""

    name: str
    role: str  # required | bonus | forbidden | auto_fail
    matched: bool
    points: float  # earned (required, bonus) or lost (forbidden, as a negative number)
    possible: float
    competency: str
    spans: tuple[tuple[int, int], ...] = ()
    evidence: str = ""  # the pattern or rule that matched
    layer: str = ""  # "compliance" for the always-on layer's checks
    note: str = ""  # why a match earned nothing ("the same words already earned empathy")


@dataclass
class TurnScore:
    score: float  # 0-100
    items: list[ItemResult]
    auto_failed: list[str]
    markers: list[str]  # every library marker detected, whether the rubric asks for it or not
    explanation: list[str]

    @property
    def matched(self) -> list[ItemResult]:
        return [i for i in self.items if i.matched]

    def to_dict(self) -> dict:
        return {"score": self.score, "auto_failed": list(self.auto_failed), "markers": list(self.markers),
                "explanation": list(self.explanation),
                "items": [{"name": i.name, "role": i.role, "matched": i.matched, "points": i.points,
                           "possible": i.possible, "competency": i.competency, "spans": [list(s) for s in i.spans],
                           "evidence": i.evidence, "layer": i.layer, "note": i.note} for i in self.items]}

    @classmethod
    def from_dict(cls, d: dict) -> "TurnScore":
        """The inverse of to_dict: a stored turn result, exactly as it was scored."""
        items = [ItemResult(i["name"], i["role"], i["matched"], i["points"], i["possible"], i["competency"],
                            tuple(tuple(s) for s in i["spans"]), i.get("evidence", ""), i.get("layer", ""),
                            i.get("note", "")) for i in d["items"]]
        return cls(d["score"], items, list(d["auto_failed"]), list(d["markers"]), list(d["explanation"]))

    @property
    def missed(self) -> list[ItemResult]:
        return [i for i in self.items if not i.matched and i.role in ("required", "bonus")]


class PhraseMatcher:
    """Matches a scenario's key phrases, with a vocabulary that knows their words (for typo tolerance)."""

    def __init__(self, items: list[Item], library: MarkerLibrary):
        words: set[str] = set()
        affixes: set[tuple[str, str]] = set()
        for item in items:
            for c in item.patterns:
                words |= c.words
                affixes |= c.affixes
        self.vocab = LayeredVocabulary(words, library.vocab, affixes)

    def _prepared(self, text: str, cache: dict):
        if "prepared" not in cache:
            cache["prepared"] = prepare(text, self.vocab, cache.get("tokens"))
        return cache["prepared"]

    def find(self, text: str, item: Item, cache: dict) -> list:
        prepared = self._prepared(text, cache)
        hits = []
        for c in item.patterns:
            if c.must is None or not c.must.isdisjoint(prepared.present):  # a word it needs is there
                hits.extend(find(prepared, c))
        return hits

    def partly(self, text: str, item: Item, cache: dict) -> float:
        """The largest share of a slot pattern's parts that one sentence has (0 when the item has no slots)."""
        prepared = self._prepared(text, cache)
        return max((slot_hits(prepared, c)[1] for c in item.patterns if c.parts), default=0.0)


def evaluate(text: str, rubric: Rubric, library: MarkerLibrary, phrases: PhraseMatcher | None = None,
             detections: list[Detection] | None = None, all_markers: bool = True,
             explain: bool = True) -> TurnScore:
    """Score `text` against `rubric`: 0-100 with an explanation of every item.

    With all_markers=False only the rubric's own markers are looked for (faster, for calibration);
    TurnScore.markers then lists just those."""
    cache: dict = {"tokens": tokenize(text)}  # tokenized once for the markers and the key phrases
    if detections is None:
        only = None if all_markers else library.needs(i.name for i in rubric.items() if i.kind == "marker")
        detections = library.detect(text, only, cache["tokens"])
    by_marker = {d.marker: d for d in detections}

    def check(item: Item) -> tuple[bool, tuple, str]:
        if item.kind == "marker":
            d = by_marker.get(item.name)
            if not d:
                return False, (), ""
            return True, tuple(tuple(s) for s in d.spans), d.evidence[0].pattern
        hits = phrases.find(text, item, cache) if phrases else []
        if not hits:
            return False, (), ""
        return True, tuple(sorted({(h.start, h.end) for h in hits})), hits[0].pattern

    results: list[ItemResult] = []
    claimed: list[tuple[int, int]] = []  # spans that already earned a conduct marker

    def earn(item: Item, role: str) -> tuple[bool, float]:
        # Conduct markers compete for words: a stock phrase is one act, not two. A scenario's own key
        # phrases say what was done, and the same words may also show how ("I'll refund it" is both).
        ok, spans, ev = check(item)
        note, points = "", item.weight if ok else 0.0
        marker = item.kind == "marker"
        if ok and marker and spans and all(any(a <= s and e <= b for a, b in claimed) for s, e in spans):
            ok, points, note = False, 0.0, "the same words already earned another item"
        if ok and marker:
            claimed.extend(spans)
        if not ok and not marker and phrases:
            share = phrases.partly(text, item, cache)
            if share >= 0.5:  # half or more of a slot item's parts in one sentence: partly met
                points, note = round(item.weight * share, 2), f"partly met ({share:.0%} of its parts)"
        results.append(ItemResult(item.name, role, ok, points, item.weight, item.competency,
                                  spans if ok else (), ev if ok else "", item.layer, note))
        return ok, points

    earned = possible = bonus = penalty = 0.0
    for item in rubric.required:
        earned += earn(item, "required")[1]
        possible += item.weight
    for item in rubric.bonus:
        bonus += earn(item, "bonus")[1]
    for p in rubric.forbidden:
        ok, spans, ev = check(p.item)
        penalty += p.penalty if ok else 0
        results.append(ItemResult(p.item.name, "forbidden", ok, -p.penalty if ok else 0, 0,
                                  p.item.competency, spans, ev, p.item.layer))
    failed = []
    for item in rubric.auto_fail:
        ok, spans, ev = check(item)
        if ok:
            failed.append(item.name)
        results.append(ItemResult(item.name, "auto_fail", ok, 0, 0, item.competency, spans, ev, item.layer))

    if possible:
        base = 100.0 * (earned + min(bonus, BONUS_SHARE * (possible - earned))) / possible
    else:
        base = 100.0 if text.strip() else 0.0
    score = 0.0 if failed else max(0.0, min(100.0, base) - min(penalty, PENALTY_CAP))
    if not text.strip():
        score = 0.0
    explanation = explain_items(results, text) if explain else []
    if explain and penalty > PENALTY_CAP and not failed:
        explanation.append(f"  penalties capped at {PENALTY_CAP:g} points a turn")
    return TurnScore(round(score, 1), results, failed, [d.marker for d in detections], explanation)


def explain_items(results: list[ItemResult], text: str) -> list[str]:
    """One readable line per item: what was found (with the words) or what was missing.

    The words are quoted from the redacted reply: an explanation never repeats a full card number."""
    text = redact(text)
    lines = []
    for r in results:
        words = " / ".join(f'"{text[s:e]}"' for s, e in r.spans[:3])
        layer = " (always checked)" if r.layer else ""
        if r.role == "auto_fail":
            if r.matched:
                lines.append(f"CRITICAL {r.name}{layer}: {words}")
        elif r.role == "forbidden":
            if r.matched:
                lines.append(f"- {r.name} ({r.points:+g}){layer}: {words}")
        elif r.matched:
            lines.append(f"+ {r.name} (+{r.points:g}{' bonus' if r.role == 'bonus' else ''}): {words}")
        elif r.role == "required" and r.points:
            lines.append(f"~ {r.name} (+{r.points:g} of {r.possible:g}): {r.note}")
        elif r.role == "required":
            lines.append(f"  missed {r.name} (worth {r.possible:g})" + (f": {r.note}" if r.note else ""))
    return lines
