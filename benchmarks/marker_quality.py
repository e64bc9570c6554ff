"""Prints precision, recall and F1 per marker on the tuning set and on the held-out set.

    python benchmarks/marker_quality.py [--errors tune|holdout]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.evaluate import evaluate, load_set  # noqa: E402

SETS = {"tune": ROOT / "tests/data/markers_tune.jsonl", "holdout": ROOT / "tests/data/markers_holdout.jsonl"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", choices=sorted(SETS), help="also list the misclassified replies of one set")
    args = ap.parse_args()
    for name, path in SETS.items():
        report = evaluate(load_set(path), name)
        print(report.format())
        if args.errors == name:
            for e in report.errors:
                print(f"  {e['id']}: missed={e['missed']} extra={e['extra']}\n      {e['text']}")


if __name__ == "__main__":
    main()
