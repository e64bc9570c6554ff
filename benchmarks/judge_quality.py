"""How the judge's scenario scores agree with a QA reviewer's, on blind playthroughs.

Every playthrough in tests/data/blind/playthroughs.jsonl was written by a helper who saw only the brief and
the customer's lines (scripts/blind_play.py), as one of six kinds of candidate, and scored 0-100 by a
reviewer who saw only the transcript. Each reply is re-judged against the turn it answered, along the path
it took. Prints rank correlations, how often the excellent candidate scores below the plain one, false lows
and harmful playthroughs scored above 20.

Scenarios are split in two by a hash of their id: the tune half may be read to find what the judge gets
wrong; the test half is only measured (its transcripts are never read while changing the judge), so the
gap between the two shows overfitting. --list lists the tune half only.

    python benchmarks/judge_quality.py [--list]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from statistics import mean, median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from csrpractice.scenario.library import load_library  # noqa: E402
from csrpractice.session import judge_transcript  # noqa: E402

PLAYTHROUGHS = ROOT / "tests/data/blind/playthroughs.jsonl"
GOOD_KINDS = ("excellent", "plain", "nonnative")


def split_of(scenario_id: str) -> str:
    """'tune' or 'test': a fixed split of the scenarios, the same on every machine."""
    return ("tune", "test")[int(hashlib.sha256(scenario_id.encode()).hexdigest(), 16) % 2]


@dataclass
class Judged:
    id: str
    scenario: str
    candidate: str
    reviewer: float
    harmful: bool
    app: float
    outcome: str


def ranks(values: list[float]) -> list[float]:
    """Ranks from 1, ties sharing their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation (Pearson's over ranks); nan when either side is constant."""
    rx, ry = ranks(xs), ranks(ys)
    mx, my = mean(rx), mean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / (sxx * syy) ** 0.5 if sxx and syy else float("nan")


def judge_all(path: Path = PLAYTHROUGHS) -> list[Judged]:
    lib = load_library()
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        play = json.loads(line)
        card = judge_transcript(lib.get(play["scenario"]), [(e["turn"], e["reply"]) for e in play["exchanges"]],
                                play.get("seed", 0))
        reviews = play["reviews"]
        out.append(Judged(play["id"], play["scenario"], play["candidate"], mean(r["score"] for r in reviews),
                          any(r["harmful"] for r in reviews), card.overall, card.outcome))
    return out


@dataclass
class Figures:
    playthroughs: int
    scenarios: int
    rho_all: float
    rho_good_half: float
    rho_per_scenario: dict[str, float]
    excellent_ge_plain: int
    false_lows: list[Judged]
    harmful_above_20: list[Judged]
    harmful: int


def figures(judged: list[Judged]) -> Figures:
    by_scenario: dict[str, dict[str, Judged]] = {}
    for j in judged:
        by_scenario.setdefault(j.scenario, {})[j.candidate] = j
    cut = median(j.reviewer for j in judged)
    good = [j for j in judged if j.reviewer >= cut]
    per = {sid: spearman([j.reviewer for j in js.values()], [j.app for j in js.values()])
           for sid, js in sorted(by_scenario.items())}
    return Figures(
        len(judged), len(by_scenario),
        spearman([j.reviewer for j in judged], [j.app for j in judged]),
        spearman([j.reviewer for j in good], [j.app for j in good]),
        per,
        sum(1 for js in by_scenario.values()
            if "excellent" in js and "plain" in js and js["excellent"].app >= js["plain"].app),
        [j for j in judged if j.reviewer >= 70 and j.app < 50],
        [j for j in judged if j.harmful and j.app > 20],
        sum(j.harmful for j in judged))


def report(name: str, judged: list[Judged]) -> None:
    f = figures(judged)
    print(f"{name}: {f.playthroughs} blind playthroughs of {f.scenarios} scenarios")
    print(f"  rank correlation, all:                  {f.rho_all:.3f}   (target >= 0.90)")
    print(f"  rank correlation, reviewer's good half: {f.rho_good_half:.3f}   (target >= 0.70)")
    worst = sorted(f.rho_per_scenario.items(), key=lambda kv: kv[1])[:4]
    print(f"  per scenario: median {median(f.rho_per_scenario.values()):.3f}; lowest "
          + ", ".join(f"{s} {r:.2f}" for s, r in worst))
    print(f"  excellent >= plain:                     {f.excellent_ge_plain} of {f.scenarios} scenarios")
    print(f"  false lows (reviewer >= 70, app < 50):  {len(f.false_lows)}")
    print(f"  harmful scored above 20:                {len(f.harmful_above_20)} of {f.harmful}")
    print("  mean score by candidate:  " + "  ".join(
        f"{kind} {mean(j.reviewer for j in js):.0f}/{mean(j.app for j in js):.0f}"
        for kind in ("excellent", "plain", "nonnative", "vague", "curt", "harmful")
        if (js := [j for j in judged if j.candidate == kind])) + "   (reviewer/app)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="also list the tune half's playthroughs with both scores")
    args = ap.parse_args()
    judged = judge_all()
    report("all", judged)
    for split in ("tune", "test"):
        report(split, [j for j in judged if split_of(j.scenario) == split])
    if args.list:
        for j in sorted((j for j in judged if split_of(j.scenario) == "tune"), key=lambda j: (j.scenario, j.candidate)):
            print(f"  {j.id:<48} reviewer {j.reviewer:5.1f}{' harmful' if j.harmful else '        '}  "
                  f"app {j.app:5.1f}  {j.outcome}")


if __name__ == "__main__":
    main()
