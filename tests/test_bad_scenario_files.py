"""Broken scenario files through the real `csrpractice validate`: a clear error naming the file (and the
line where there is one), never a traceback, never executing anything."""
import json

import pytest
import yaml

from conftest import run_cli
from scenario_helpers import base

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))


def cases(tmp_path):
    good = yaml.safe_dump(base(), sort_keys=False)
    pwned = tmp_path / "pwned"
    return {
        "syntax.yaml": (good.replace("title: A test", "title: [A test"), r"syntax.yaml:\d+:\d+: error: YAML syntax"),
        "tabs.yaml": (good.replace("\n  name: Pat", "\n\tname: Pat"), r"tabs.yaml:\d+:1: error: .*tab character"),
        "types.yaml": (good.replace("difficulty: 2", "difficulty: hard"),
                       r"types.yaml:\d+:\d+: error: difficulty: expected a whole number"),
        "unknown.yaml": (good.replace("brief: A brief.", "brief: A brief.\nbreif: typo"),
                         r"unknown.yaml:\d+:1: error: breif: unknown key 'breif' \(did you mean \"brief\"\?\)"),
        "target.yaml": (good.replace("goto: details", "goto: detials"),
                        r"target.yaml:\d+:\d+: error: .*'detials' is not a turn or an ending"),
        "dupes.yaml": (good + "title: Again\n", r"dupes.yaml:\d+:1: error: duplicate key 'title'"),
        "bomb.yaml": (ALIAS_BOMB, r"bomb.yaml:\d+:\d+: error: the document expands to more than"),
        "python.yaml": (f"id: !!python/object/apply:os.system ['touch {pwned}']\n",
                        r"python.yaml:1:5: error: YAML tags such as !!python/object/apply:os.system are not allowed"),
        "deep.yaml": ("a: " + "[" * 5000 + "]" * 5000 + "\n", r"deep.yaml:(\d+:\d+: )?error: .*(nest|YAML)"),
    }, pwned


def test_each_broken_file_gets_a_clear_error(tmp_path):
    files, pwned = cases(tmp_path)
    for name, (text, _) in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "huge.yaml").write_bytes(b"# padding\n" * 2_100_000)  # 21 MB
    (tmp_path / "binary.yaml").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "latin1.yaml").write_bytes("id: caf\u00e9\ntitle: x\n".encode("latin-1"))
    r = run_cli("validate", str(tmp_path), timeout=60)
    out = r.stdout.decode()
    assert r.returncode == 1
    assert "Traceback" not in out + r.stderr.decode()
    import re
    for name, (_, pattern) in files.items():
        assert re.search(pattern, out), f"{name}: {pattern!r} not in:\n{out}"
    assert re.search(r"huge.yaml: error: the file is 21.0 MB; a scenario file may be at most 1 MB", out)
    assert re.search(r"binary.yaml: error: this is a binary file", out)
    assert re.search(r"latin1.yaml:1:8: error: not valid UTF-8 \(byte 0xe9\)", out)
    assert not pwned.exists()


def test_json_output_for_ci(tmp_path):
    (tmp_path / "bad.yaml").write_text("id: x\n", encoding="utf-8")
    r = run_cli("validate", "--json", str(tmp_path / "bad.yaml"))
    result = json.loads(r.stdout)
    assert r.returncode == 1 and result["ok"] is False and result["errors"] >= 1
    first = result["diagnostics"][0]
    assert first["file"].endswith("bad.yaml") and first["line"] == 1 and "missing required key" in first["message"]


def test_missing_path_is_a_clear_error(tmp_path):
    r = run_cli("validate", str(tmp_path / "nope.yaml"))
    assert r.returncode == 1 and b"nope.yaml: error: no such file or folder" in r.stdout


def test_duplicate_ids_across_a_library(tmp_path):
    text = yaml.safe_dump(base(), sort_keys=False)
    (tmp_path / "one.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "two.yaml").write_text(text, encoding="utf-8")
    r = run_cli("validate", str(tmp_path))
    assert r.returncode == 1
    assert b"two.yaml:1:5: error: id: duplicate scenario id 'test-scenario': also used by" in r.stdout


@pytest.mark.parametrize("bad", ["Bad_ID", "../etc", "a b"])
def test_new_refuses_bad_ids(tmp_path, bad):
    r = run_cli("new", bad, "--dir", str(tmp_path))
    assert r.returncode == 2 and b"not a valid scenario id" in r.stderr


def test_own_banks_may_redefine_shipped_ones_but_not_each_other(tmp_path):
    (tmp_path / "banks").mkdir()
    (tmp_path / "banks" / "mine.yaml").write_text("banks:\n  refund_offer:\n    phrases: ['money back']\n")
    text = yaml.safe_dump(base(), sort_keys=False)
    (tmp_path / "s.yaml").write_text(text)
    r = run_cli("validate", str(tmp_path))
    assert r.returncode == 0, r.stdout  # a user's refund_offer replaces the shipped one, no error
    (tmp_path / "banks" / "again.yaml").write_text("banks:\n  refund_offer:\n    phrases: ['refund']\n")
    r = run_cli("validate", str(tmp_path))
    assert r.returncode == 1 and b"phrase bank 'refund_offer' is also defined at" in r.stdout
