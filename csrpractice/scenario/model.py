"""Scenarios compiled from their YAML: checked against the format, cross-referenced and graph-checked.

Every problem becomes a Diagnostic with file:line:column; a scenario is built only when it has none.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from csrpractice.scenario.diagnostics import Diagnostic, did_you_mean
from csrpractice.scenario.format import BANKS, SCENARIO
from csrpractice.scenario.yamlsrc import Source, YamlError, parse, read_text
from scoring.compliance import CRITICAL_CAP, with_compliance
from scoring.markers import MarkerLibrary, default_library
from scoring.patterns import Compiled, PatternError
from scoring.rubric import MARKER_COMPETENCY, Item, Penalised, PhraseMatcher, Rubric

DEFAULT_PENALTY = 20.0


@dataclass(frozen=True)
class Condition:
    score_min: float | None = None
    score_max: float | None = None
    has: tuple[str, ...] = ()
    lacks: tuple[str, ...] = ()
    mood_min: int | None = None
    mood_max: int | None = None
    turn_min: int | None = None
    turn_max: int | None = None
    vars: tuple[tuple[str, object], ...] = ()

    def holds(self, score: float, found: set[str], mood: int, turns: int, variables: dict) -> bool:
        return ((self.score_min is None or score >= self.score_min)
                and (self.score_max is None or score <= self.score_max)
                and all(h in found for h in self.has) and not any(x in found for x in self.lacks)
                and (self.mood_min is None or mood >= self.mood_min)
                and (self.mood_max is None or mood <= self.mood_max)
                and (self.turn_min is None or turns >= self.turn_min)
                and (self.turn_max is None or turns <= self.turn_max)
                and all(variables.get(k) == v for k, v in self.vars))


@dataclass(frozen=True)
class Branch:
    target: str
    when: Condition | None  # None: the fallback (`else`)
    set: tuple[tuple[str, object], ...] = ()
    mood: int = 0


@dataclass
class Turn:
    id: str
    customer: list[str]
    rubric: Rubric
    hint: str
    model_answers: list[str]
    branches: list[Branch]
    mood_good: int = -1
    mood_poor: int = 1
    good_at: float = 70
    poor_below: float = 40
    weight: float = 1.0
    max_visits: int | None = None
    reply_seconds: float | None = None
    calibration: dict = field(default_factory=dict)

    def item(self, name: str) -> Item | None:
        return next((i for i in self.rubric.items() if i.name == name), None)


@dataclass(frozen=True)
class Ending:
    id: str
    outcome: str
    customer: str
    summary: str = ""


@dataclass
class Persona:
    name: str
    situation: str
    mood: int
    patience: int | None = None
    role: str = ""


@dataclass
class Scenario:
    id: str
    title: str
    version: int
    kind: str
    industry: str
    channel: str
    difficulty: int
    tags: list[str]
    estimated_minutes: float
    brief: str
    persona: Persona
    variables: dict
    reply_seconds: float | None
    scenario_seconds: float | None
    auto_fail_cap: float
    start: str
    give_up: str | None
    fallback_ending: str | None
    turns: dict[str, Turn]
    endings: dict[str, Ending]
    content_hash: str
    file: str
    phrases: PhraseMatcher
    library: MarkerLibrary
    source: Source | None = None

    def assessed(self) -> list[str]:
        """What the scenario assesses, in the words of its rubric items, for the preview pane."""
        seen: dict[str, None] = {}
        for t in self.turns.values():
            for i in t.rubric.required + t.rubric.bonus:
                seen.setdefault(i.name)
        return list(seen)

    def competencies(self) -> list[str]:
        """The competencies its required items train, most points first (what "practise next" goes by)."""
        points: dict[str, float] = {}
        for t in self.turns.values():
            for i in t.rubric.required:
                points[i.competency] = points.get(i.competency, 0) + i.weight
        return sorted(points, key=lambda c: (-points[c], c))


@dataclass
class Banks:
    phrases: dict[str, list[str]] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)  # bank name -> file:line


def load_banks(path: Path, banks: Banks, diags: list[Diagnostic], label: str | None = None,
               fallback: bool = False) -> None:
    """Add the banks of one file; `fallback` (the shipped banks) skips names already defined."""
    file = label or str(path)
    try:
        src = parse(read_text(path, file), file)
    except YamlError as exc:
        diags.append(exc.diagnostic)
        return
    errs: list[Diagnostic] = []
    BANKS.check(src.data, (), src, errs)
    if not errs:
        for name, bank in src.data["banks"].items():
            line, _ = src.where(("banks", name), key=True)
            if name in banks.phrases:
                if fallback:
                    continue
                errs.append(src.error(("banks", name), f"phrase bank {name!r} is also defined at "
                                                       f"{banks.where[name]}", key=True))
                continue
            for i, phrase in enumerate(bank["phrases"]):
                try:
                    default_library().compile(phrase)
                except PatternError as exc:
                    errs.append(src.error(("banks", name, "phrases", i), str(exc)))
            banks.phrases[name] = list(bank["phrases"])
            banks.where[name] = f"{file}:{line}"
    diags.extend(errs)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class _Builder:
    """Turns checked data into a Scenario, collecting every cross-reference problem on the way."""

    def __init__(self, src: Source, banks: Banks, library: MarkerLibrary, text: str):
        self.src, self.banks, self.lib, self.text = src, banks, library, text
        self.diags: list[Diagnostic] = []

    def err(self, path: tuple, message: str, key: bool = False, severity: str = "error") -> None:
        self.diags.append(self.src.error(path, message, key, severity))

    def compile(self, pattern: str, path: tuple) -> Compiled | None:
        try:
            return self.lib.compile(pattern)
        except PatternError as exc:
            self.err(path, str(exc))
            return None

    def build(self) -> Scenario | None:
        d = self.src.data
        variables = dict(d.get("variables") or {})
        names = set(d["turns"]) | set(d["endings"])
        both = set(d["turns"]) & set(d["endings"])
        for n in sorted(both):
            self.err(("endings", n), f"{n!r} is both a turn and an ending; give them different names", key=True)
        turns = {tid: self.turn(tid, t, names, variables) for tid, t in d["turns"].items()}
        endings = {eid: Ending(eid, e["outcome"], e["customer"], e.get("summary", ""))
                   for eid, e in d["endings"].items()}
        if d["start"] not in turns:
            self.err(("start",), f"start {d['start']!r} is not a turn{did_you_mean(d['start'], turns)}")
        for key in ("give_up", "fallback_ending"):
            if key in d and d[key] not in endings:
                self.err((key,), f"{d[key]!r} is not an ending{did_you_mean(d[key], endings)}")
        persona = d["persona"]
        if persona.get("patience") is not None and "give_up" not in d:
            self.err(("persona", "patience"), "a persona with patience needs a `give_up` ending to go to when "
                                              "it runs out")
        if not self.diags:
            self.graph(d, turns, endings)
        if any(x.severity == "error" for x in self.diags):
            return None
        limits = d.get("time_limits") or {}
        phrase_items = [i for t in turns.values() for i in t.rubric.items() if i.kind == "phrase"]
        return Scenario(
            id=d["id"], title=d["title"], version=d["version"], kind=d.get("kind", "customer"),
            industry=d["industry"], channel=d["channel"], difficulty=d["difficulty"], tags=list(d.get("tags", [])),
            estimated_minutes=d["estimated_minutes"], brief=d["brief"].strip(),
            persona=Persona(persona["name"], persona["situation"].strip(), persona["mood"], persona.get("patience"),
                            persona.get("role", "")),
            variables=variables, reply_seconds=limits.get("reply_seconds"),
            scenario_seconds=limits.get("scenario_seconds"), auto_fail_cap=d.get("auto_fail_cap", CRITICAL_CAP),
            start=d["start"], give_up=d.get("give_up"), fallback_ending=d.get("fallback_ending"),
            turns=turns, endings=endings,
            content_hash=hashlib.sha256(self.text.replace("\r\n", "\n").encode()).hexdigest(),
            file=self.src.file, phrases=PhraseMatcher(phrase_items, self.lib), library=self.lib, source=self.src)

    def turn(self, tid: str, t: dict, names: set[str], variables: dict) -> Turn:
        base = ("turns", tid)
        r = t["rubric"]
        phrase_items: dict[str, Item] = {}
        for pname, spec in (r.get("key_phrases") or {}).items():
            ppath = base + ("rubric", "key_phrases", pname)
            if pname in self.lib.markers:
                self.err(ppath, f"key phrase {pname!r} has the name of a library marker; rename it", key=True)
            if "any" not in spec and "bank" not in spec:
                self.err(ppath, "a key phrase needs `any` (its phrases) and/or `bank` (phrase banks)")
            compiled = []
            for i, pattern in enumerate(_as_list(spec.get("any"))):
                c = self.compile(pattern, ppath + ("any",) if not isinstance(spec.get("any"), list)
                                 else ppath + ("any", i))
                if c:
                    compiled.append(c)
            for i, bank in enumerate(_as_list(spec.get("bank"))):
                bpath = ppath + (("bank", i) if isinstance(spec.get("bank"), list) else ("bank",))
                if bank not in self.banks.phrases:
                    self.err(bpath, f"unknown phrase bank {bank!r}{did_you_mean(bank, self.banks.phrases)}")
                    continue
                for pattern in self.banks.phrases[bank]:
                    c = self.compile(pattern, bpath)
                    if c:
                        compiled.append(c)
            phrase_items[pname] = Item(pname, "phrase", 1.0, spec.get("competency", "problem_solving"),
                                       tuple(compiled), spec.get("description", ""))

        def resolve(ref, path: tuple, weight_key: str = "weight") -> tuple[Item, float] | None:
            name = ref if isinstance(ref, str) else ref["item"]
            weight = 1.0 if isinstance(ref, str) else ref.get(weight_key, 1.0 if weight_key == "weight" else None)
            if name in phrase_items:
                item = phrase_items[name]
            elif name in self.lib.markers:
                item = Item(name, "marker", 1.0, MARKER_COMPETENCY.get(name, "problem_solving"),
                            description=self.lib.markers[name].description)
            else:
                choices = list(self.lib.markers) + list(phrase_items)
                self.err(path if isinstance(ref, str) else path + ("item",),
                         f"unknown rubric item {name!r}{did_you_mean(name, choices)}: use a marker id "
                         "(csrpractice markers) or a name defined under key_phrases")
                return None
            if not isinstance(ref, str) and "competency" in ref:
                item = Item(item.name, item.kind, item.weight, ref["competency"], item.patterns, item.description)
            return item, weight

        rubric = Rubric()
        seen: dict[str, tuple] = {}
        for role in ("required", "bonus", "forbidden", "auto_fail"):
            for i, ref in enumerate(r.get(role) or []):
                path = base + ("rubric", role, i)
                got = resolve(ref, path, "penalty" if role == "forbidden" else "weight")
                if not got:
                    continue
                item, weight = got
                if item.name in seen:
                    self.err(path, f"{item.name!r} is already listed under {seen[item.name][0]}")
                    continue
                seen[item.name] = (role,)
                if role == "forbidden":
                    rubric.forbidden.append(Penalised(item, DEFAULT_PENALTY if weight is None else weight))
                elif role == "auto_fail":
                    rubric.auto_fail.append(item)
                else:
                    item = Item(item.name, item.kind, weight, item.competency, item.patterns, item.description)
                    (rubric.required if role == "required" else rubric.bonus).append(item)
        for pname in phrase_items:
            if pname not in seen:
                self.err(base + ("rubric", "key_phrases", pname), f"key phrase {pname!r} is defined but not used "
                         "in required, bonus, forbidden or auto_fail", key=True, severity="warning")
        kind = self.src.data.get("kind", "customer")
        exempt = (self.src.data.get("compliance") or {}).get("exempt") or ()
        rubric = with_compliance(rubric, kind, self.lib, exempt)
        known = set(self.lib.markers) | set(phrase_items)

        branches: list[Branch] = []
        for i, b in enumerate(t["branches"]):
            bpath = base + ("branches", i)
            target = b.get("goto", b.get("else"))
            if target not in names:
                self.err(bpath + ("goto" if "goto" in b else "else",),
                         f"{target!r} is not a turn or an ending{did_you_mean(target, names)}")
            is_else = "else" in b
            if is_else and "when" in b:
                self.err(bpath + ("when",), "an `else` branch takes no condition; use `goto` with `when`")
            if is_else and i != len(t["branches"]) - 1:
                self.err(bpath, "the `else` branch must be the last one (branches after it are never taken)")
            cond = None
            if not is_else:
                w = b.get("when")
                if w is None:
                    self.err(bpath, "a `goto` branch needs a `when` condition; the unconditional fallback is "
                                    "written `- else: TARGET`")
                    w = {}
                for key in ("has", "lacks"):
                    for j, name in enumerate(_as_list(w.get(key))):
                        if name not in known:
                            self.err(bpath + ("when", key), f"unknown marker or key phrase {name!r}"
                                     f"{did_you_mean(name, known)}")
                for var in (w.get("vars") or {}):
                    if var not in variables:
                        self.err(bpath + ("when", "vars", var), f"variable {var!r} is not declared under "
                                 f"`variables`{did_you_mean(var, variables)}", key=True)
                for lo, hi in (("score_min", "score_max"), ("mood_min", "mood_max"), ("turn_min", "turn_max")):
                    if lo in w and hi in w and w[lo] > w[hi]:
                        self.err(bpath + ("when", lo), f"{lo} {w[lo]} is above {hi} {w[hi]}: never true")
                cond = Condition(w.get("score_min"), w.get("score_max"), tuple(_as_list(w.get("has"))),
                                 tuple(_as_list(w.get("lacks"))), w.get("mood_min"), w.get("mood_max"),
                                 w.get("turn_min"), w.get("turn_max"), tuple((w.get("vars") or {}).items()))
            for var in (b.get("set") or {}):
                if var not in variables:
                    self.err(bpath + ("set", var), f"variable {var!r} is not declared under `variables`"
                             f"{did_you_mean(var, variables)}", key=True)
            branches.append(Branch(target, cond, tuple((b.get("set") or {}).items()), b.get("mood", 0)))
        if branches and branches[-1].when is not None:
            self.err(base + ("branches",), "the last branch must be `- else: TARGET`, the fallback for replies "
                                           "that match no condition")

        cal = t.get("calibration") or {}
        for i, ex in enumerate(cal.get("replies") or []):
            if "min" not in ex and "max" not in ex:
                self.err(base + ("calibration", "replies", i), "a calibration reply needs `min` and/or `max`")
            elif ex.get("min", 0) > ex.get("max", 100):
                self.err(base + ("calibration", "replies", i, "min"), "min is above max")
        rubric_names = {i.name for i in rubric.items()}
        for name in (cal.get("items") or {}):
            if name not in rubric_names:
                self.err(base + ("calibration", "items", name), f"{name!r} is not an item of this turn's rubric"
                         f"{did_you_mean(name, rubric_names)}", key=True)
        mood = t.get("mood") or {}
        return Turn(tid, _as_list(t["customer"]), rubric, t["hint"], _as_list(t["model_answers"]), branches,
                    mood.get("good", -1), mood.get("poor", 1), mood.get("good_at", 70), mood.get("poor_below", 40),
                    t.get("weight", 1.0), t.get("max_visits"), t.get("reply_seconds"), cal)

    def graph(self, d: dict, turns: dict[str, Turn], endings: dict[str, Ending]) -> None:
        edges = {tid: [b.target for b in t.branches] for tid, t in turns.items()}
        extra = [d[k] for k in ("give_up", "fallback_ending") if k in d]
        reach, stack = set(), [d["start"], *extra]
        while stack:
            n = stack.pop()
            if n in reach:
                continue
            reach.add(n)
            stack.extend(edges.get(n, ()))
        for tid in turns:
            if tid not in reach:
                self.err(("turns", tid), f"turn {tid!r} is unreachable: no branch leads to it from "
                                         f"start {d['start']!r}", key=True)
        for eid in endings:
            if eid not in reach:
                self.err(("endings", eid), f"ending {eid!r} is unreachable: no branch leads to it", key=True)
        # Turns from which no ending can be reached.
        can_end = set(endings)
        changed = True
        while changed:
            changed = False
            for tid, targets in edges.items():
                if tid not in can_end and any(x in can_end for x in targets):
                    can_end.add(tid)
                    changed = True
        for tid in turns:
            if tid in reach and tid not in can_end:
                self.err(("turns", tid), f"turn {tid!r} is a dead end: no ending can be reached from it", key=True)
        for cycle in _cycles(edges):
            if not any(turns[n].max_visits for n in cycle):
                loop = " -> ".join([*cycle, cycle[0]])
                self.err(("turns", cycle[0]), f"loop with no bound: {loop}; give one of these turns "
                                              "`max_visits`", key=True)
            elif "fallback_ending" not in d:
                self.err(("turns", cycle[0]), "a scenario with a loop needs `fallback_ending`, reached when every "
                                              "branch leads to a turn already visited its maximum times", key=True)


def _cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected parts of the turn graph that loop (Tarjan), each in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on, stack, out = set(), [], []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in edges.get(v, ()):
                out.append(sorted(comp))

    for v in edges:
        if v not in index:
            visit(v)
    return out


def load_scenario_text(text: str, file: str, banks: Banks | None = None,
                       library: MarkerLibrary | None = None) -> tuple[Scenario | None, list[Diagnostic]]:
    try:
        src = parse(text, file)
    except YamlError as exc:
        return None, [exc.diagnostic]
    if src.data is None:
        return None, [Diagnostic(file, 1, 1, "", "the file is empty; a scenario starts with `id:`, `title:`, ... "
                                                 "(csrpractice new ID writes a template)")]
    errs: list[Diagnostic] = []
    SCENARIO.check(src.data, (), src, errs)
    if errs:
        return None, errs
    builder = _Builder(src, banks or Banks(), library or default_library(), text)
    scenario = builder.build()
    return scenario, builder.diags


def load_scenario(path: Path, banks: Banks | None = None, library: MarkerLibrary | None = None,
                  label: str | None = None) -> tuple[Scenario | None, list[Diagnostic]]:
    """Load and check one scenario file; the scenario is None when there were errors."""
    file = label or str(path)
    try:
        text = read_text(path, file)
    except YamlError as exc:
        return None, [exc.diagnostic]
    return load_scenario_text(text, file, banks, library)


__all__ = ["Scenario", "Turn", "Ending", "Branch", "Condition", "Banks", "load_scenario", "load_scenario_text",
           "load_banks"]
