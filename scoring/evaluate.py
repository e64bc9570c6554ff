"""Precision, recall and F1 per marker for a labelled set of replies (JSON Lines: text, markers)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from scoring.markers import MarkerLibrary, default_library

# The markers the labelled sets carry (docs/markers.md); the compliance layer's own (abuse, misconduct) are not.
LABELLED = ("greeting", "empathy", "apology", "ownership", "next_steps", "verification", "pci_violation", "blame",
            "dismissive", "escalation", "closing", "hold_etiquette", "unlicensed_advice")


@dataclass
class MarkerScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class QualityReport:
    name: str
    size: int
    per_marker: dict[str, MarkerScore]
    errors: list[dict] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.per_marker.values()) / len(self.per_marker)

    def format(self) -> str:
        lines = [f"{self.name}: {self.size} replies",
                 f"  {'marker':<18} {'prec':>6} {'recall':>6} {'F1':>6}   tp  fp  fn"]
        for mid, s in self.per_marker.items():
            lines.append(f"  {mid:<18} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4d}{s.fp:4d}{s.fn:4d}")
        worst = min(self.per_marker.items(), key=lambda kv: kv[1].f1)
        lines.append(f"  macro-F1 {self.macro_f1:.3f}; lowest {worst[0]} {worst[1].f1:.3f}")
        return "\n".join(lines)


def load_set(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split_of(reply_id: str) -> str:
    """'tune' or 'test' for a blind reply: a fixed half-and-half split by a hash of its id."""
    return ("tune", "test")[int(hashlib.sha256(reply_id.encode()).hexdigest(), 16) % 2]


# Writers whose every reply is test data: nobody changing the judge has read a line of theirs.
UNSEEN_WRITERS = ("eli",)


def blind_sets(folder: Path) -> dict[str, list[dict]]:
    """The blind writers' replies (one JSON Lines file per writer): 'blind-tune' and 'blind-test' halves of
    the writers whose tune half may be read, and 'blind-unseen' for the writers kept wholly apart."""
    files = sorted(folder.glob("*.jsonl"))
    rows = [r for f in files if f.stem not in UNSEEN_WRITERS for r in load_set(f)]
    out = {f"blind-{half}": [r for r in rows if split_of(r["id"]) == half] for half in ("tune", "test")}
    out["blind-unseen"] = [r for f in files if f.stem in UNSEEN_WRITERS for r in load_set(f)]
    return out


def shared_set(path: Path) -> list[dict]:
    """The second author's labelled replies ({"labels": [...]}) in this module's row form; [] if absent."""
    if not path.is_file():
        return []
    return [{"id": r["id"], "text": r["text"], "markers": r["labels"]} for r in load_set(path)]


def evaluate(rows: list[dict], name: str, library: MarkerLibrary | None = None) -> QualityReport:
    lib = library or default_library()
    scores = {mid: MarkerScore() for mid in lib.ids if mid in LABELLED}
    errors = []
    for row in rows:
        found = {d.marker for d in lib.detect(row["text"])} & set(scores)
        gold = set(row["markers"])
        for mid, s in scores.items():
            if mid in found and mid in gold:
                s.tp += 1
            elif mid in found:
                s.fp += 1
            elif mid in gold:
                s.fn += 1
        if found != gold:
            errors.append({"id": row.get("id"), "text": row["text"], "missed": sorted(gold - found),
                           "extra": sorted(found - gold)})
    return QualityReport(name, len(rows), scores, errors)
