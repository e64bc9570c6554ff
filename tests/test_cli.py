"""The real `csrpractice` command, run in a subprocess as a user would."""
import json

from conftest import run_cli
from csrpractice import __version__


def test_version():
    r = run_cli("--version")
    assert r.returncode == 0
    assert r.stdout.decode().strip() == f"csrpractice {__version__}"


def test_score_prints_markers_with_highlighted_words():
    r = run_cli("score", "Hi Maria, I'm so sorry about the double charge. I'll refund it today.")
    out = r.stdout.decode()
    assert r.returncode == 0, r.stderr
    assert "apology" in out and "[I'm so sorry about the double charge]" in out
    assert "greeting" in out and "[Hi]" in out


def test_score_json_and_redaction():
    r = run_cli("score", "--json", "Your card is 4111 1111 1111 1111, right?")
    result = json.loads(r.stdout)
    assert result["markers"] == ["pci_violation"]
    assert "4111 1111" not in r.stdout.decode()
    assert "**** **** **** 1111" in {e["text"] for e in result["evidence"]["pci_violation"]}


def test_score_without_text_is_a_clear_error():
    r = run_cli("score")
    assert r.returncode == 2
    assert b"nothing to score" in r.stderr and b"Traceback" not in r.stderr


def test_score_empty_and_odd_text():
    assert b"empty" in run_cli("score", "").stdout
    r = run_cli("score", "\x1b[2J\x07 sorry for the wait \U0001F64F")
    assert r.returncode == 0 and b"\x1b[2J" not in r.stdout and b"apology" in r.stdout
    r = run_cli("score", "مرحبا، أنا آسف")
    assert r.returncode == 0 and b"No markers" in r.stdout


def test_jsonl_in_order_with_errors_per_line():
    lines = [
        json.dumps({"id": 1, "text": "I'm sorry for the delay."}).encode(),
        b"this is not json",
        json.dumps({"id": "b", "text": "Can you read me the CVV on the back?"}).encode(),
        b"\xff\xfe\x00 broken utf-8",
        b"",
        b'["a list"]',
        json.dumps({"id": 7}).encode(),
        json.dumps({"id": 8, "text": 5}).encode(),
        json.dumps({"id": 9, "text": "I can't help you with that"}).encode(),
    ]
    r = run_cli("score", "--jsonl", input=b"\n".join(lines) + b"\n")
    assert r.returncode == 1
    out = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert out[0] == {"id": 1, "markers": ["apology"], "spans": {"apology": [[0, 23]]}}
    assert out[1]["line"] == 2 and "JSON" in out[1]["error"]
    assert out[2]["id"] == "b" and out[2]["markers"] == ["pci_violation"]
    assert out[3] == {"line": 4, "error": out[3]["error"]} and "UTF-8" in out[3]["error"]
    assert out[4]["line"] == 6 and "object" in out[4]["error"]  # the blank line 5 is skipped
    assert out[5]["line"] == 7 and "missing" in out[5]["error"]
    assert out[6]["line"] == 8 and "string" in out[6]["error"]
    assert out[7]["id"] == 9 and "ownership" not in out[7]["markers"]
    assert b"Traceback" not in r.stderr


def test_jsonl_all_good_exits_zero_and_handles_big_and_odd_text():
    rows = [{"id": i, "text": t} for i, t in enumerate(
        ["", "😀 sorry about that", "\u202eI apologize", "x" * 100_000, "I'll fix it " * 9000])]
    r = run_cli("score", "--jsonl", input="\n".join(json.dumps(x) for x in rows).encode())
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == [0, 1, 2, 3, 4]
    assert out[0]["markers"] == [] and out[1]["markers"] == ["apology"] and out[2]["markers"] == ["apology"]
    assert "ownership" in out[4]["markers"]


def test_jsonl_rejects_a_reply_over_the_limit():
    r = run_cli("score", "--jsonl", input=json.dumps({"id": 1, "text": "a" * 1_000_001}).encode())
    assert r.returncode == 1 and "limit" in json.loads(r.stdout)["error"]


def test_markers_lists_the_library():
    r = run_cli("markers", "--json")
    ids = [m["id"] for m in json.loads(r.stdout)]
    assert "pci_violation" in ids and len(ids) >= 13


def test_app_refuses_to_start_without_a_terminal():
    r = run_cli()
    assert r.returncode == 2 and b"needs a terminal" in r.stderr
