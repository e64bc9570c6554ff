"""The shipped scenario library: valid, calibrated, covered, varied, and it ranks good answers above poor ones."""
import pytest

from conftest import DATA, ROOT
from csrpractice.scenario.library import load_library, validate_paths, walk
from csrpractice.scenario.yamlsrc import load
from csrpractice.session import Session

PLAYTESTS = DATA / "playtests"


@pytest.fixture(scope="module")
def library():
    lib = load_library(calibrate=True)
    return lib


def test_library_is_clean_and_every_calibration_example_passes(library):
    assert [d.format() for d in library.diagnostics] == []
    assert library.calibration_examples >= 200


def test_library_breadth(library):
    by_kind = {}
    for s in library.scenarios:
        by_kind.setdefault(s.kind, []).append(s)
    assert len(by_kind["customer"]) >= 15
    assert len(by_kind["interview"]) >= 3
    assert len(by_kind["knowledge_check"]) >= 5
    customers = by_kind["customer"]
    assert {s.difficulty for s in customers} == {1, 2, 3, 4, 5}
    assert {s.channel for s in customers} == {"chat", "voice", "email"}
    assert len({s.industry for s in customers}) >= 7
    for s in library.scenarios:
        assert len(s.turns) >= 2 and s.brief and s.persona.name
        for t in s.turns.values():
            assert t.calibration.get("replies"), f"{s.id}.{t.id} has no calibration replies"


def test_every_turn_and_ending_is_reached_by_some_walk(library):
    for s in library.scenarios:
        assert walk(s).unreached == [], s.id


def test_model_answers_score_well(library):
    from scoring.rubric import evaluate

    for s in library.scenarios:
        for t in s.turns.values():
            best = max(evaluate(a, t.rubric, s.library, s.phrases).score for a in t.model_answers)
            assert best >= 70, f"{s.id}.{t.id}: the best model answer scores {best}"


def _play(scenario, path):
    replies = load(path).data["replies"]
    session = Session(scenario)
    for r in replies:
        if session.finished:
            break
        text, seconds = (r, None) if isinstance(r, str) else (r["text"], r.get("seconds"))
        session.submit(text, seconds)
    assert session.finished, f"{path.name}: the scenario did not finish"
    return session.scorecard()


def test_playtests_rank_good_above_poor(library):
    for s in library.scenarios:
        good = _play(s, PLAYTESTS / f"{s.id}.good.yaml")
        poor = _play(s, PLAYTESTS / f"{s.id}.poor.yaml")
        assert good.overall >= 70, f"{s.id}: good answers scored {good.overall}"
        assert good.overall > poor.overall + 30, f"{s.id}: good {good.overall} vs poor {poor.overall}"
        assert good.outcome in ("resolved", "escalated"), f"{s.id}: good answers ended {good.outcome}"


def test_parallel_validation_matches_serial():
    serial = validate_paths([ROOT / "scenarios"], workers=1)
    parallel = validate_paths([ROOT / "scenarios"], workers=2)
    assert [d.format() for d in serial.diagnostics] == [d.format() for d in parallel.diagnostics]
    assert (serial.scenarios, serial.calibration_examples) == (parallel.scenarios, parallel.calibration_examples)
