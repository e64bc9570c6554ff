"""`csrpractice validate`, `schema`, `new` and `playtest`, run as the real command."""
import json

import jsonschema
import yaml

from conftest import ROOT, run_cli
from scenario_helpers import base

EXAMPLE = ROOT / "scenarios" / "billing-double-charge.yaml"


def test_schema_is_valid_json_schema_and_accepts_the_library():
    r = run_cli("schema")
    schema = json.loads(r.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for f in sorted((ROOT / "scenarios").glob("*.yaml")):
        errors = list(validator.iter_errors(yaml.safe_load(f.read_text(encoding="utf-8"))))
        assert not errors, f"{f.name}: {errors[0].message}"
    bad = base()
    bad["channel"] = "fax"
    assert list(validator.iter_errors(bad))


def test_new_writes_a_template_that_validates(tmp_path):
    r = run_cli("new", "retail-late-gift", "--dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    target = tmp_path / "retail-late-gift.yaml"
    assert "id: retail-late-gift" in target.read_text()
    v = run_cli("validate", str(target))
    assert v.returncode == 0 and b"0 error(s), 0 warning(s)" in v.stdout
    again = run_cli("new", "retail-late-gift", "--dir", str(tmp_path))
    assert again.returncode == 2 and b"already exists" in again.stderr


def test_playtest_prints_transcript_and_scorecard(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(yaml.safe_dump({"replies": [
        "I'm so sorry about the double charge, that's frustrating. Can you confirm the email on the account?",
        {"text": "I've refunded the duplicate charge; you'll see it within 3-5 business days.", "seconds": 30},
    ]}))
    r = run_cli("playtest", str(EXAMPLE), "--answers", str(answers))
    out = r.stdout.decode()
    assert r.returncode == 0, out + r.stderr.decode()
    assert "Dana Whitfield:" in out and "You: I'm so sorry" in out and "Outcome: Resolved" in out
    assert "+ verification (+2)" in out
    j = json.loads(run_cli("playtest", str(EXAMPLE), "--answers", str(answers), "--json").stdout)
    assert j["scorecard"]["outcome"] == "resolved" and len(j["transcript"]) == 2
    assert j["scorecard"]["content_hash"] and j["scorecard"]["engine_version"]
    first = {i["item"]: i for i in j["transcript"][0]["items"]}
    assert first["verification"]["result"] == "matched" and first["verification"]["points"] == 2
    assert first["verification"]["spans"][0]["text"].startswith("Can you confirm")
    assert first["pci_violation"]["layer"] == "rubric"  # the scenario lists it itself
    assert first["abuse"] == {**first["abuse"], "role": "auto_fail", "result": "clear", "layer": "compliance"}


def test_playtest_by_turn_and_running_out(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(yaml.safe_dump({"turns": {"opening": "I'm sorry. Can you confirm your ZIP code?"}}))
    r = run_cli("playtest", str(EXAMPLE), "--answers", str(answers))
    assert r.returncode == 1 and b"answers ran out at turn 'fix_it'" in r.stdout


def test_playtest_bad_inputs(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("replies: [1, 2]\n")
    r = run_cli("playtest", str(EXAMPLE), "--answers", str(answers))
    assert r.returncode == 2 and b"each reply is text" in r.stderr
    answers.write_text("replies: [x\n")
    r = run_cli("playtest", str(EXAMPLE), "--answers", str(answers))
    assert r.returncode == 2 and b"a.yaml:2:1: error: YAML syntax error" in r.stderr
    r = run_cli("playtest", str(tmp_path / "nope.yaml"), "--answers", str(answers))
    assert r.returncode == 2 and b"no such file" in r.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\n")
    answers.write_text("replies: [hi]\n")
    r = run_cli("playtest", str(broken), "--answers", str(answers))
    assert r.returncode == 2 and b"the scenario has errors" in r.stderr and b"Traceback" not in r.stderr


def test_playtest_unknown_turn_and_new_into_a_missing_folder(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(yaml.safe_dump({"turns": {"openin": "Hi"}}))
    r = run_cli("playtest", str(EXAMPLE), "--answers", str(answers))
    assert r.returncode == 2 and b"'openin' is not a turn of billing-double-charge (did you mean \"opening\"?)" in r.stderr
    r = run_cli("new", "x-1", "--dir", str(tmp_path / "nope"))
    assert r.returncode == 2 and b"does not exist" in r.stderr
