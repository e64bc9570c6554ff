"""Screening packs: a YAML file naming the scenarios, their order, time limits, a typing test and the pass
thresholds, checked like a scenario file (positions, did-you-mean, every problem at once).

A pack is the same for every candidate: a shuffled order comes from the pack's own seed.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

from csrpractice.scenario.diagnostics import Diagnostic, did_you_mean
from csrpractice.scenario.format import COMPETENCIES, ID
from csrpractice.scenario.schema import Enum, ListOf, MapOf, Num, Obj, Str
from csrpractice.scenario.yamlsrc import YamlError, load

TYPING = Obj({
    "mode": Enum(("time", "words", "passage"), "the typing test: timed, a word count, or a CSR passage"),
    "seconds": Num("a timed test's length: 15, 30, 60 or 120", integer=True, min=15, max=120),
    "words": Num("a word test's length: 10, 25, 50 or 100", integer=True, min=10, max=100),
    "passage": Str("a passage id (see csrpractice type --mode passage)"),
}, required=("mode",), doc="the typing test, after the scenarios", name="a typing mapping")

PASS = Obj({
    "overall": Num("the bar for the average overall score across the scenarios", min=0, max=100),
    "competencies": MapOf(Num("the bar for this competency", min=0, max=100), "bars per competency"),
    "typing_wpm": Num("the bar for typing speed (WPM)", min=0, max=300),
    "typing_accuracy": Num("the bar for typing accuracy (%)", min=0, max=100),
}, doc="pass thresholds: shown beside each figure in the report", name="a pass mapping")

PACK = Obj({
    "pack": Str("the pack's id: lowercase letters, digits and dashes", pattern=ID,
                pattern_help="use lowercase letters, digits and dashes, e.g. chat-support-2026"),
    "version": Num("the pack's version: raise it whenever you change the pack", integer=True, min=1),
    "title": Str("the title candidates and managers see"),
    "instructions": Str("what the candidate reads before starting"),
    "scenarios": ListOf(Str("a scenario id"), "the scenarios, in order", 1, True),
    "order": Enum(("fixed", "shuffle"), "fixed (as listed, the default) or shuffle (seeded: the same for all)"),
    "seed": Num("the seed for the shuffle and the customers' line variants (default 0)", integer=True, min=0),
    "scenario_minutes": Num("the time limit for each scenario, in minutes", min=1, max=120),
    "reply_seconds": Num("the time limit for each reply, in seconds (over it costs 10 points)", min=10, max=600),
    "typing": TYPING,
    "pass": PASS,
}, required=("pack", "version", "title", "instructions", "scenarios"), doc="a screening pack",
    name="a pack mapping")


@dataclass
class Pack:
    id: str
    version: int
    title: str
    instructions: str
    scenario_ids: list[str]  # in the order candidates take them
    seed: int
    scenario_seconds: float | None
    reply_seconds: float | None
    typing: dict | None
    thresholds: dict
    content_hash: str
    file: str
    scenarios: list = field(default_factory=list)  # the Scenario objects, time limits applied

    def header(self) -> dict:
        return {"id": self.id, "version": self.version, "title": self.title, "content_hash": self.content_hash}


def is_pack(data) -> bool:
    return isinstance(data, dict) and "pack" in data


def load_pack(path: Path, library: dict) -> tuple[Pack | None, list[Diagnostic]]:
    """Check a pack file against the format and the scenario library ({id: Scenario}); every problem is
    reported, with its line and column."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        src = load(path)
    except YamlError as exc:
        return None, [exc.diagnostic]
    except OSError as exc:
        return None, [Diagnostic(str(path), None, None, "", f"cannot read the pack: {exc.strerror or exc}")]
    errs: list[Diagnostic] = []
    PACK.check(src.data, (), src, errs)
    d = src.data
    if not isinstance(d, dict):
        return None, errs
    # References too, so that one run reports every problem.
    listed = [x for x in d.get("scenarios") or [] if isinstance(x, str)] if isinstance(d.get("scenarios"), list) else []
    for i, sid in enumerate(listed):
        if sid not in library:
            errs.append(src.error(("scenarios", i), f"no scenario {sid!r} in the library{did_you_mean(sid, library)}"))
    if len(set(listed)) != len(listed):
        errs.append(src.error(("scenarios",), "a scenario is listed twice"))
    bars = d.get("pass") if isinstance(d.get("pass"), dict) else {}
    for comp in bars.get("competencies") or {} if isinstance(bars.get("competencies"), dict) else {}:
        if comp not in COMPETENCIES:
            errs.append(src.error(("pass", "competencies", comp), f"unknown competency {comp!r}"
                                  f"{did_you_mean(comp, COMPETENCIES)}", key=True))
    if errs:
        return None, errs
    typing = d.get("typing")
    if typing:
        needs = {"time": "seconds", "words": "words", "passage": "passage"}[typing["mode"]]
        for option in ("seconds", "words", "passage"):
            if option in typing and option != needs:
                errs.append(src.error(("typing", option), f"{option} does not go with mode {typing['mode']} "
                                                          f"(which takes {needs})", key=True))
        if not errs:
            from csrpractice.drills import DrillError, make_drill

            try:
                make_drill(typing["mode"], seconds=typing.get("seconds"), count=typing.get("words"),
                           passage=typing.get("passage"), seed=d.get("seed", 0))
            except DrillError as exc:
                errs.append(src.error(("typing",), str(exc)))
    if errs:
        return None, errs
    order = list(d["scenarios"])
    seed = d.get("seed", 0)
    if d.get("order") == "shuffle":
        random.Random(f"{d['pack']}:{seed}").shuffle(order)
    minutes, reply = d.get("scenario_minutes"), d.get("reply_seconds")
    scenarios = []
    for sid in order:
        s = library[sid]
        scenarios.append(replace(s, scenario_seconds=minutes * 60 if minutes else s.scenario_seconds,
                                 reply_seconds=reply or s.reply_seconds))
    pack = Pack(d["pack"], d["version"], d["title"], d["instructions"], order, seed,
                minutes * 60 if minutes else None, reply, typing, dict(d.get("pass") or {}),
                "sha256:" + hashlib.sha256(raw).hexdigest(), str(path), scenarios)
    return pack, []
