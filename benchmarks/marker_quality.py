"""Prints precision, recall and F1 per marker on every labelled set, blind test split last.

Sets: the two earlier sets in tests/data (markers_tune, markers_holdout: read while writing the library),
the second author's 707 replies in ../shared/data (training data, when present), and the blind sets in
tests/data/blind/markers (one file per writer, none of whom saw scoring/), split by a hash of each
reply's id into a tune half, which may be read, and a test half, which is only measured.

    python benchmarks/marker_quality.py [--errors SET] [--writers]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.evaluate import blind_sets, evaluate, load_set, shared_set  # noqa: E402

READABLE = ("tune", "holdout", "shared", "blind-tune")


def sets() -> dict[str, list[dict]]:
    out = {"tune": load_set(ROOT / "tests/data/markers_tune.jsonl"),
           "holdout": load_set(ROOT / "tests/data/markers_holdout.jsonl")}
    shared = shared_set(ROOT.parent / "shared/data/markers_second_author.jsonl")
    if shared:
        out["shared"] = shared
    out.update(blind_sets(ROOT / "tests/data/blind/markers"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", choices=READABLE, help="also list the misclassified replies of a readable set")
    ap.add_argument("--writers", action="store_true", help="macro-F1 per blind writer, tune and test halves")
    args = ap.parse_args()
    for name, rows in sets().items():
        report = evaluate(rows, name)
        print(report.format())
        if args.errors == name:
            for e in report.errors:
                print(f"  {e['id']}: missed={e['missed']} extra={e['extra']}\n      {e['text']}")
    if args.writers:
        for name, rows in sets().items():
            if name.startswith("blind"):
                for writer in sorted({r["id"].split("-")[0] for r in rows}):
                    mine = [r for r in rows if r["id"].startswith(writer + "-")]
                    print(f"{name} {writer}: {len(mine)} replies, macro-F1 {evaluate(mine, writer).macro_f1:.3f}")


if __name__ == "__main__":
    main()
