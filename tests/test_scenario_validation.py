"""The scenario loader and validator: compiler-quality errors, every error at once, graph checks."""
import pytest

from scenario_helpers import base, errors, load


def test_the_base_scenario_is_valid():
    scenario, diags = load(base())
    assert scenario is not None and diags == []
    assert scenario.persona.patience == 2 and scenario.turns["opening"].rubric.required[1].weight == 2


def test_unknown_keys_get_did_you_mean_with_line_and_column():
    text = """id: x
title: T
version: 1
industy: retail
industry: retail
channel: chat
difficulty: 2
estimated_minutes: 3
brief: B
persona: {name: P, situation: S, mood: 3}
start: a
turns:
  a:
    customer: hi
    rubric: {required: [empaty]}
    hint: h
    model_answers: [m]
    branches: [{else: done}]
endings:
  done: {outcome: resolved, customer: bye}
"""
    errs = errors(text)
    assert errs == ["t.yaml:4:1: error: industy: unknown key 'industy' (did you mean \"industry\"?); expected one of: "
                    "id, title, version, kind, industry, channel, difficulty, tags, estimated_minutes, brief, persona, "
                    "variables, time_limits, compliance, auto_fail_cap, start, give_up, fallback_ending, turns, endings"]
    errs = errors(text.replace("industy: retail\n", ""))
    assert errs == ["t.yaml:14:25: error: turns.a.rubric.required[0]: unknown rubric item 'empaty' (did you mean "
                    "\"empathy\"?): use a marker id (csrpractice markers) or a name defined under key_phrases"]


def test_every_error_is_reported_at_once():
    d = base()
    d["difficulty"] = 9
    d["channel"] = "fax"
    d["persona"]["mood"] = "angry"
    del d["brief"]
    d["turns"]["opening"]["hint"] = 5
    errs = errors(d)
    assert len(errs) == 5
    joined = "\n".join(errs)
    assert "difficulty: expected a whole number from 1 to 5, found 9" in joined
    assert "channel: expected one of chat, voice, email, found 'fax'" in joined
    assert "persona.mood: expected a whole number from 0 to 10, found text" in joined
    assert "missing required key 'brief'" in joined
    assert "turns.opening.hint: expected text, found a number" in joined


def test_missing_goto_target_with_suggestion():
    d = base()
    d["turns"]["opening"]["branches"][0]["goto"] = "detail"
    (err,) = errors(d)
    assert "turns.opening.branches[0].goto: 'detail' is not a turn or an ending (did you mean \"details\"?)" in err


def test_unreachable_turn_and_ending():
    d = base()
    d["turns"]["orphan"] = dict(d["turns"]["details"])
    d["endings"]["never"] = {"outcome": "escalated", "customer": "x"}
    errs = "\n".join(errors(d))
    assert "turn 'orphan' is unreachable" in errs and "ending 'never' is unreachable" in errs


def test_dead_end_and_unbounded_loop():
    d = base()
    d["turns"]["details"]["branches"] = [{"when": {"score_min": 50}, "goto": "opening"}, {"else": "details"}]
    d["turns"]["opening"]["branches"] = [{"when": {"score_min": 60}, "goto": "details"}, {"else": "left"}]
    d["endings"]["done"] = d["endings"].pop("done")
    errs = "\n".join(errors(d))
    assert "loop with no bound" in errs


def test_bounded_loop_needs_a_fallback_ending():
    d = base()
    d["turns"]["details"]["branches"] = [{"when": {"has": "when"}, "goto": "done"}, {"else": "details"}]
    d["turns"]["details"]["max_visits"] = 2
    assert "needs `fallback_ending`" in "\n".join(errors(d))
    d["fallback_ending"] = "left"
    assert errors(d) == []


def test_dead_end_turn():
    d = base()
    d["turns"]["details"]["branches"] = [{"else": "details"}]
    d["turns"]["details"]["max_visits"] = 2
    d["fallback_ending"] = "left"
    d["endings"]["done"] = {"outcome": "resolved", "customer": "x"}
    errs = "\n".join(errors(d))
    assert "ending 'done' is unreachable" in errs


def test_fallback_branch_is_required_and_last():
    d = base()
    d["turns"]["opening"]["branches"] = [{"when": {"score_min": 60}, "goto": "details"}]
    assert "the last branch must be `- else: TARGET`" in "\n".join(errors(d))
    d["turns"]["opening"]["branches"] = [{"else": "left"}, {"when": {"score_min": 60}, "goto": "details"}]
    assert "must be the last one" in "\n".join(errors(d))
    d["turns"]["opening"]["branches"] = [{"else": "left", "goto": "details"}]
    assert "exactly one of 'goto' or 'else'" in "\n".join(errors(d))


def test_undeclared_variables_and_unknown_condition_items():
    d = base()
    d["turns"]["opening"]["branches"][0]["set"] = {"verifed": True}
    d["turns"]["details"]["branches"][0]["when"]["has"] = "wen"
    errs = "\n".join(errors(d))
    assert "variable 'verifed' is not declared under `variables` (did you mean \"verified\"?)" in errs
    assert "unknown marker or key phrase 'wen' (did you mean \"when\"?)" in errs


def test_bad_key_phrase_pattern_and_unknown_bank():
    d = base()
    d["turns"]["details"]["rubric"]["key_phrases"]["when"] = {"any": ["(tomorrow|monday"], "bank": "timelin"}
    errs = "\n".join(errors(d))
    assert "missing ')' in pattern" in errs and "unknown phrase bank 'timelin'" in errs


def test_calibration_items_must_be_rubric_items():
    d = base()
    d["turns"]["details"]["calibration"] = {"items": {"whn": {"match": "tomorrow"}},
                                            "replies": [{"reply": "x"}]}
    errs = "\n".join(errors(d))
    assert "'whn' is not an item of this turn's rubric" in errs and "needs `min` and/or `max`" in errs


@pytest.mark.parametrize("text, expected", [
    ("id: x\n\ttitle: y\n", "t.yaml:2:1: error: YAML syntax error: a tab character; indent YAML with spaces"),
    ("id: [1, 2\n", "t.yaml:2:1: error: YAML syntax error:"),
    ("id: a\nid: b\n", "t.yaml:2:1: error: duplicate key 'id' (first defined at line 1)"),
    ("id: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
     "t.yaml:1:5: error: YAML tags such as !!python/object/apply:os.system are not allowed"),
    ("- just\n- a list\n", "t.yaml:1:1: error: expected a scenario mapping, found a list"),
    ("", "t.yaml:1:1: error: the file is empty"),
])
def test_broken_files_get_one_clear_error(text, expected):
    errs = errors(text)
    assert errs and errs[0].startswith(expected), errs
