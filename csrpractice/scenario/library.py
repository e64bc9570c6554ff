"""A library of scenarios: finding the files, loading them with their phrase banks, checking ids are
unique, running every calibration example, and walking every branch for coverage."""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
import importlib.util
from pathlib import Path

from csrpractice.scenario.diagnostics import Diagnostic
from csrpractice.scenario.model import Banks, Scenario, load_banks, load_scenario
from scoring.rubric import Rubric, evaluate

SUFFIXES = (".yaml", ".yml")


def builtin_dir() -> Path:
    """The scenario library shipped with the app: inside the installed wheel, or scenarios/ in a checkout."""
    checkout = Path(__file__).resolve().parents[2] / "scenarios"
    if checkout.is_dir():
        return checkout
    # Installed: scenarios/ is the data-only package csrpractice.library (a namespace package).
    spec = importlib.util.find_spec("csrpractice.library")
    return Path(list(spec.submodule_search_locations)[0])


@dataclass
class LoadedLibrary:
    scenarios: list[Scenario] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    calibration_examples: int = 0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def get(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)


def _is_bank_file(path: Path) -> bool:
    return path.parent.name == "banks"


def builtin_bank_files() -> list[Path]:
    """The shipped phrase banks: available to every scenario unless the user's own banks define the name."""
    d = builtin_dir() / "banks"
    return sorted(f for f in d.glob("*") if f.suffix in SUFFIXES) if d.is_dir() else []


def load_all_banks(bank_files: list[Path], diags: list[Diagnostic]) -> Banks:
    banks = Banks()
    for f in bank_files:
        load_banks(f, banks, diags)
    mine = {f.resolve() for f in bank_files}
    for f in builtin_bank_files():
        if f.resolve() not in mine:
            load_banks(f, banks, diags, fallback=True)
    return banks


def discover(paths: list[Path]) -> tuple[list[Path], list[Path], list[Diagnostic]]:
    """Scenario files and bank files under `paths`, plus the banks folders beside them."""
    scenario_files: list[Path] = []
    bank_files: list[Path] = []
    diags: list[Diagnostic] = []
    bank_dirs: set[Path] = set()
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.suffix in SUFFIXES and f.is_file():
                    (bank_files if _is_bank_file(f) else scenario_files).append(f)
            bank_dirs.add(p / "banks")
        elif p.is_file():
            (bank_files if _is_bank_file(p) else scenario_files).append(p)
            bank_dirs.add(p.parent / "banks")
        else:
            diags.append(Diagnostic(str(p), None, None, "", "no such file or folder"))
    known = {f.resolve() for f in bank_files}
    for d in sorted(bank_dirs):
        if d.is_dir():
            for f in sorted(d.glob("*")):
                if f.suffix in SUFFIXES and f.resolve() not in known:
                    bank_files.append(f)
                    known.add(f.resolve())
    return scenario_files, bank_files, diags


def _id_place(s: Scenario) -> tuple:
    """(id, file, line, column) of a scenario's id: what a duplicate-id error points at."""
    line, col = s.source.where(("id",))
    return s.id, s.file, line, col


def _duplicate(place: tuple, first: dict[str, tuple]) -> Diagnostic | None:
    """An error when this id was seen before (in file order), else None; records the first place."""
    sid, file, line, col = place
    if sid not in first:
        first[sid] = place
        return None
    _, other_file, other_line, _ = first[sid]
    return Diagnostic(file, line, col, "id", f"duplicate scenario id {sid!r}: also used by {other_file}:{other_line}")


def load_library(paths: list[Path] | None = None, calibrate: bool = False) -> LoadedLibrary:
    """Load every scenario under `paths` (default: the built-in library); never raises for bad files."""
    paths = paths or [builtin_dir()]
    scenario_files, bank_files, diags = discover(paths)
    lib = LoadedLibrary(diagnostics=diags, files=len(scenario_files))
    banks = load_all_banks(bank_files, lib.diagnostics)
    first: dict[str, tuple] = {}
    for f in scenario_files:
        scenario, found = load_scenario(f, banks)
        lib.diagnostics.extend(found)
        if scenario is None:
            continue
        duplicate = _duplicate(_id_place(scenario), first)
        if duplicate:
            lib.diagnostics.append(duplicate)
            continue
        lib.scenarios.append(scenario)
        if calibrate:
            found = run_calibration(scenario)
            lib.calibration_examples += count_calibration(scenario)
            lib.diagnostics.extend(found)
    return lib


def count_calibration(s: Scenario) -> int:
    n = 0
    for t in s.turns.values():
        n += len(t.calibration.get("replies") or [])
        for spec in (t.calibration.get("items") or {}).values():
            n += len(_listify(spec.get("match"))) + len(_listify(spec.get("no_match")))
    return n


def _listify(v) -> list:
    return [] if v is None else v if isinstance(v, list) else [v]


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def run_calibration(s: Scenario) -> list[Diagnostic]:
    """Score every calibration example; each one outside its band is a diagnostic at the example."""
    out: list[Diagnostic] = []
    for tid, t in s.turns.items():
        base = ("turns", tid, "calibration")
        for i, ex in enumerate(t.calibration.get("replies") or []):
            result = evaluate(ex["reply"], t.rubric, s.library, s.phrases, all_markers=False, explain=False)
            lo, hi = ex.get("min"), ex.get("max")
            if (lo is not None and result.score < lo) or (hi is not None and result.score > hi):
                result = evaluate(ex["reply"], t.rubric, s.library, s.phrases, all_markers=False)
                band = f"at least {lo:g}" if hi is None else f"at most {hi:g}" if lo is None else f"{lo:g}-{hi:g}"
                why = "; ".join(result.explanation) or "no rubric item matched"
                out.append(s.source.error(base + ("replies", i), f"calibration reply scored {result.score:g}, "
                                          f"expected {band}: \"{_short(ex['reply'])}\" ({why})"))
        for name, spec in (t.calibration.get("items") or {}).items():
            item = t.item(name)
            if item is None:
                continue
            alone = Rubric(required=[item])  # only this item is looked for
            for role, want in (("match", True), ("no_match", False)):
                for j, reply in enumerate(_listify(spec.get(role))):
                    result = evaluate(reply, alone, s.library, s.phrases, all_markers=False, explain=False)
                    got = result.items[0].matched
                    if got != want:
                        out.append(s.source.error(base + ("items", name, role) +
                                                  ((j,) if isinstance(spec.get(role), list) else ()),
                                                  f"{name!r} {'did not match' if want else 'matched'} "
                                                  f"\"{_short(reply)}\""))
    return out


@dataclass
class Coverage:
    scenario: str
    reached: set[str]
    unreached: list[str]
    walks: int


def walk(s: Scenario, max_states: int = 2000) -> Coverage:
    """Drive the scenario down every branch the model answers, calibration replies and an empty reply take,
    and report the turns and endings no walk reached."""
    from csrpractice.session import Session

    def candidates(tid: str) -> list[str]:
        t = s.turns[tid]
        replies = list(t.model_answers) + [ex["reply"] for ex in t.calibration.get("replies") or []] + [""]
        for spec in (t.calibration.get("items") or {}).values():
            replies += _listify(spec.get("match")) + _listify(spec.get("no_match"))
        return list(dict.fromkeys(replies))

    reached: set[str] = {s.start}
    queue: deque[list[str]] = deque([[]])
    seen_states: set = set()
    walks = 0
    while queue and walks < max_states:
        history = queue.popleft()
        session = Session(s)
        for reply in history:
            session.submit(reply)
        if session.finished:
            continue
        state = (session.node, session.mood, session.poor, tuple(sorted(session.variables.items())),
                 tuple(sorted(session.visits.items())))
        if state in seen_states:
            continue
        seen_states.add(state)
        for reply in candidates(session.node):
            walks += 1
            probe = Session(s)
            for r in history:
                probe.submit(r)
            probe.submit(reply)
            reached.add(probe.node)
            if not probe.finished:
                queue.append(history + [reply])
    names = list(s.turns) + list(s.endings)
    return Coverage(s.id, reached, [n for n in names if n not in reached], walks)


@dataclass
class ValidationReport:
    files: int = 0
    scenarios: int = 0
    calibration_examples: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def _check_files(files: list[Path], bank_files: list[Path], do_walk: bool) -> list[tuple]:
    """Check a batch of scenario files; runs in a worker process for large libraries."""
    banks = load_all_banks(bank_files, [])
    out = []
    for f in files:
        scenario, diags = load_scenario(f, banks)
        if scenario is None:
            out.append((diags, None, 0, None))
            continue
        diags = diags + run_calibration(scenario)
        out.append((diags, _id_place(scenario), count_calibration(scenario),
                    walk(scenario) if do_walk else None))
    return out


def validate_paths(paths: list[Path] | None = None, do_walk: bool = False, workers: int | None = None
                   ) -> ValidationReport:
    """Everything `csrpractice validate` reports, with large libraries checked on every core."""
    paths = paths or [builtin_dir()]
    scenario_files, bank_files, diags = discover(paths)
    report = ValidationReport(files=len(scenario_files), diagnostics=diags)
    load_all_banks(bank_files, report.diagnostics)  # reported once here; each worker loads its own copy
    workers = workers or min(os.cpu_count() or 1, max(1, len(scenario_files) // 50))
    if workers > 1:
        chunks = [scenario_files[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            parts = list(pool.map(_check_files, chunks, [bank_files] * workers, [do_walk] * workers))
        # Put the results back in file order, so output is the same however many workers ran.
        order = {f: (i % workers, i // workers) for i, f in enumerate(scenario_files)}
        results = [parts[order[f][0]][order[f][1]] for f in scenario_files]
    else:
        results = _check_files(scenario_files, bank_files, do_walk)
    first: dict[str, tuple] = {}
    for diags_, place, n, cov in results:
        report.diagnostics.extend(diags_)
        if place is None:
            continue
        duplicate = _duplicate(place, first)
        if duplicate:
            report.diagnostics.append(duplicate)
            continue
        report.scenarios += 1
        report.calibration_examples += n
        if cov is not None:
            report.coverage.append(cov)
    return report
