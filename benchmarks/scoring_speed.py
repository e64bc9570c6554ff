"""Scoring speed: 10,000 replies against the full marker library on one core.

Prints replies per second, the per-reply latency at the 50th and 99th percentile, and, measured in the
same run as the floor of what is possible, the time rapidfuzz's raw `process.cdist` needs to compare
the same replies with the library's phrases (one C call, no negation, no explanation).

    python benchmarks/scoring_speed.py [--replies N]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from scoring import normalize  # noqa: E402
from scoring.markers import default_library  # noqa: E402

TARGET_RPS = 2000
TARGET_P99_MS = 5.0


def corpus(n: int) -> list[str]:
    """n realistic replies: the labelled sets, varied so the word cache cannot just replay them."""
    base = []
    for name in ("markers_tune.jsonl", "markers_holdout.jsonl"):
        for line in (ROOT / "tests/data" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                base.append(json.loads(line)["text"])
    names = ["Maria", "Dev", "Ahmed", "Chen", "Olu", "Sofia", "Ravi", "Kim", "Lena", "Tom"]
    out = []
    for i in range(n):
        text = base[i % len(base)]
        if i >= len(base):
            text = f"{names[i % len(names)]}, {text} (ref {100000 + i})"
        out.append(text)
    return out


def library_phrases() -> list[str]:
    """One plain phrase per pattern: its words, with the pattern syntax removed."""
    lib = default_library()
    phrases = []
    for marker in lib.markers.values():
        for c in marker.patterns + marker.counters:
            phrase = re.sub(r"\[[^\]]*\]|@\w+|~\d+|[()<>^$#_?*]", " ", c.source)
            phrase = " ".join(w.split("|")[0] for w in phrase.split())
            phrases.append(phrase)
    return phrases


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--replies", type=int, default=10_000)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    replies = corpus(args.replies)
    t0 = time.perf_counter()
    lib = default_library()
    load_s = time.perf_counter() - t0

    # Warm-up, then the measured run.
    for text in replies[:200]:
        lib.detect(text)
    lat = []
    t0 = time.perf_counter()
    for text in replies:
        s = time.perf_counter()
        lib.detect(text)
        lat.append(time.perf_counter() - s)
    total = time.perf_counter() - t0
    lat.sort()
    p50 = lat[len(lat) // 2] * 1000
    p99 = lat[int(len(lat) * 0.99)] * 1000

    phrases = library_phrases()
    normalized = [normalize(t) for t in replies]
    t0 = time.perf_counter()
    process.cdist(normalized, phrases, scorer=fuzz.ratio, workers=1)
    cdist_s = time.perf_counter() - t0

    rps = len(replies) / total
    print(f"library: {len(lib.markers)} markers, {len(phrases)} patterns, loaded in {load_s * 1000:.0f} ms")
    print(f"scored {len(replies):,} replies in {total:.2f} s on one core: {rps:,.0f} replies/s "
          f"(target >= {TARGET_RPS:,}) {'OK' if rps >= TARGET_RPS else 'MISSED'}")
    print(f"per reply: p50 {p50:.3f} ms, p99 {p99:.3f} ms, mean {statistics.fmean(lat) * 1000:.3f} ms "
          f"(target p99 < {TARGET_P99_MS} ms) {'OK' if p99 < TARGET_P99_MS else 'MISSED'}")
    print(f"floor: rapidfuzz process.cdist(fuzz.ratio), same {len(replies):,} replies x {len(phrases)} phrases, "
          f"one worker: {cdist_s:.2f} s; ratio ours / cdist = {total / cdist_s:.2f}x")


if __name__ == "__main__":
    main()
