"""`csrpractice history`, `stats`, `export` and `import`: the real command in a subprocess, on real database files."""
import csv
import io
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import DATA, ROOT, run_cli
from csrpractice.scenario.library import load_library
from csrpractice.session import Session
from csrpractice.store import Store, local_day
from csrpractice.store.stats import stats
from scoring.typing import score_drill

from history_helpers import GOOD_1, GOOD_2, Clock

sys.path.insert(0, str(ROOT / "benchmarks"))
from history_data import generate  # noqa: E402

FIXTURES = DATA / "app_scenarios"

# The CSV columns are a documented, stable interface: this list is the contract, not a copy of the code's.
CSV_COLUMNS = ["attempt", "kind", "mode", "item_id", "title", "item_version", "content_hash", "engine_version",
               "app_version", "started_at", "ended_at", "day", "status", "outcome", "overall", "wpm", "accuracy",
               "replies", "duration_seconds", "courtesy", "empathy", "ownership", "clarity", "compliance",
               "problem_solving", "professionalism", "knowledge", "structure"]


@pytest.fixture(scope="module")
def billing():
    return load_library([FIXTURES]).get("billing-double-charge")


def err_line(result) -> str:
    """The one clear line a user error prints: `csrpractice: ...` on standard error, never a traceback."""
    err = result.stderr.decode()
    assert "Traceback" not in err and err.startswith("csrpractice: ") and err.count("\n") == 1, err
    return err


def populate(path: Path, billing, clock: Clock | None = None) -> dict:
    """Every kind of attempt the app records, through the store's own calls."""
    clock = clock or Clock()
    store = Store.open(path, now=clock)
    session = Session(billing, seed=1)
    finished = store.begin_scenario(billing, 1)
    for seq, text in enumerate([GOOD_1, GOOD_2]):
        clock.tick(30)
        store.add_reply(finished, seq, session.submit(text, 30.0))
    store.finish_scenario(finished, session.scorecard())
    clock.tick(600)
    left = store.begin_scenario(billing, 2)
    store.add_reply(left, 0, Session(billing, seed=2).submit("ok", 4.0))
    store.set_status(left, "left")
    clock.tick(600)
    unfinished = store.begin_scenario(billing, 3, mode="screening")
    store.add_reply(unfinished, 0, Session(billing, seed=3).submit(GOOD_1, 20.0))
    store.save_draft(unfinished, "Thanks! I've refunded the dupl")
    discarded = store.begin_scenario(billing, 4)
    store.set_status(discarded, "discarded")
    from csrpractice.drills import make_drill

    drill = make_drill("time", seconds=15, seed=2)
    text = drill.text[:60]
    result = score_drill(drill.text, [(i * 0.18, ch) for i, ch in enumerate(text)], duration=15)
    clock.tick(3600)
    store.record_typing(drill, result)
    clock.tick(60)
    store.record_typing(drill, result, pastes=2)
    clock.tick(600)  # a chat drill is recorded at its end, with its start `duration` seconds before
    store.record_chat("retail", "Retail chats", {"duration": 120, "longest_wait": 35.0, "wpm": 38.0},
                      [{"chat": 0, "text": "Hi! Let me check that.", "wait": 3.5, "wpm": 41.0, "accuracy": 97.0,
                        "markers": ["greeting"]}])
    store.close()
    return {"attempts": 7, "shown": 6, "typing_wpm": result.wpm}


def snapshot(path: Path) -> dict:
    """Every row of every table (to show a failed command changed nothing)."""
    conn = sqlite3.connect(path)
    out = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for (t,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")}
    conn.close()
    return out


# --- 12. an empty history ---------------------------------------------------------------------------------
def test_an_empty_history():
    r = run_cli("history")
    assert r.returncode == 0 and r.stdout.decode() == "No practice recorded yet. Run csrpractice to start.\n"
    r = run_cli("history", "--since", "2026-01-01")
    assert r.returncode == 0 and "No practice recorded in that range" in r.stdout.decode()
    r = run_cli("history", "--json")
    assert r.returncode == 0 and json.loads(r.stdout) == []
    r = run_cli("stats", "--json")
    assert r.returncode == 0, r.stderr
    f = json.loads(r.stdout)
    assert f["attempts"] == {"scenarios": 0, "typing": 0, "chat": 0} and f["days_practised"] == 0
    assert f["streak"] == {"current": 0, "longest": 0, "last_day": None}
    assert f["overall"] == {"attempts": 0, "average": None, "first": None, "latest": None}
    assert f["bests"] == {"scenarios": [], "typing": []} and f["competencies"] == {}
    assert f["practise_next"]["catalog_size"] > 0  # the built-in library, to suggest a first scenario
    r = run_cli("stats")
    out = r.stdout.decode()
    assert r.returncode == 0 and r.stderr == b""
    assert "Practice: 0 scenario(s), 0 typing drill(s), 0 chat drill(s)" in out
    assert "no attempts in this range" in out and "none yet" in out


def test_the_default_database_is_in_the_data_folder(own_data_dir, billing):
    populate(own_data_dir / "history.db", billing)
    r = run_cli("history", "--json")
    assert r.returncode == 0 and len(json.loads(r.stdout)) == 6
    other = own_data_dir / "elsewhere.db"
    populate(other, billing)
    r = run_cli("history", "--json", "--kind", "chat", env={"CSRPRACTICE_DB": str(other)})
    assert r.returncode == 0 and [x["kind"] for x in json.loads(r.stdout)] == ["chat"]


# --- history ----------------------------------------------------------------------------------------------
def test_history_lists_every_kind_newest_first(tmp_path, billing):
    db = tmp_path / "h.db"
    populate(db, billing)
    r = run_cli("--db", str(db), "history")
    assert r.returncode == 0 and r.stderr == b""
    lines = r.stdout.decode().splitlines()
    assert len(lines) == 6  # the discarded attempt is hidden
    assert "chat" in lines[0] and "Retail chats" in lines[0] and "chat drill" in lines[0]
    assert "pasted: not scored" in lines[1] and "WPM" in lines[2]
    assert "1 reply" in lines[3] and "(unfinished screening)" in lines[3]
    assert "(left)" in lines[4]
    assert "/100 resolved" in lines[5] and "Charged twice for one month" in lines[5]
    assert all(" UTC  " in line for line in lines)

    r = run_cli("history", "--db", str(db), "--limit", "2")
    out = r.stdout.decode().splitlines()
    assert r.returncode == 0 and len(out) == 3 and out[2] == "(the newest 2; --limit 0 shows everything)"
    r = run_cli("history", "--db", str(db), "--json", "--kind", "typing")
    found = json.loads(r.stdout)
    assert [x["kind"] for x in found] == ["typing", "typing"] and found[0]["wpm"] is None
    r = run_cli("history", "--db", str(db), "--json", "--limit", "0")
    assert len(json.loads(r.stdout)) == 6


# --- 9. dates and limits ---------------------------------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    (["history", "--since", "2026-13-01"], "--since '2026-13-01' is not a date: use YYYY-MM-DD, today, or"),
    (["stats", "--until", "2026-02-30"], "--until '2026-02-30' is not a date"),
    (["export", "--format", "csv", "--since", "last week"], "--since 'last week' is not a date"),
    (["history", "--since", "2026-11-20", "--until", "2026-11-01"], "--since 2026-11-20 is after --until 2026-11-01"),
    (["stats", "--since", "today", "--until", "2000-01-01"], "is after --until 2000-01-01"),
    (["history", "--limit", "-1"], "--limit must be 0 (everything) or more"),
])
def test_bad_dates_and_limits_are_clear_errors(tmp_path, args, message):
    db = tmp_path / "h.db"
    r = run_cli(*args, "--db", str(db))
    assert r.returncode == 2 and message in err_line(r)
    assert r.stdout == b"" and not db.exists()  # checked before the database is even opened


def test_since_a_number_of_days(tmp_path, billing):
    db = tmp_path / "h.db"
    now = datetime.now(timezone.utc)
    populate(db, billing, Clock(now - timedelta(days=12)))
    populate(db, billing, Clock(now - timedelta(days=2)))  # a second, recent history in the same file
    r = run_cli("history", "--db", str(db), "--json", "--since", "7d")
    assert r.returncode == 0, r.stderr
    found = json.loads(r.stdout)
    assert len(found) == 6 and {x["day"] for x in found} <= {local_day(now - timedelta(days=2)),
                                                              local_day(now - timedelta(days=1))}
    r = run_cli("history", "--db", str(db), "--json", "--until", (date.today() - timedelta(days=7)).isoformat())
    assert len(json.loads(r.stdout)) == 6
    r = run_cli("stats", "--db", str(db), "--json", "--since", "7d", "--until", "today")
    f = json.loads(r.stdout)
    assert r.returncode == 0 and f["attempts"] == {"scenarios": 1, "typing": 2, "chat": 1}
    assert f["range"]["until"] == date.today().isoformat()


# --- 4. a damaged database -------------------------------------------------------------------------------
def test_a_damaged_database_is_set_aside_with_a_clear_message(tmp_path):
    db = tmp_path / "h.db"
    garbage = random.Random(11).randbytes(5000)
    db.write_bytes(garbage)
    r = run_cli("--db", str(db), "history")
    assert r.returncode == 0
    err = r.stderr.decode()
    assert "Traceback" not in err and err.startswith(f"csrpractice: The history database {db} was damaged")
    (aside,) = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert aside.name in err and "a new, empty history was started" in err
    assert aside.read_bytes() == garbage
    assert r.stdout.decode() == "No practice recorded yet. Run csrpractice to start.\n"
    r = run_cli("--db", str(db), "history")  # the new one is fine: said once
    assert r.returncode == 0 and r.stderr == b""


# --- 5. places the history cannot be kept ----------------------------------------------------------------
def test_a_missing_folder_is_a_clear_error(tmp_path):
    db = tmp_path / "nope" / "x.db"
    for args, env in ((["history", "--db", str(db)], None), (["stats"], {"CSRPRACTICE_DB": str(db)}),
                      (["export", "--format", "json", "--db", str(db)], None)):
        r = run_cli(*args, env=env)
        assert r.returncode == 2 and r.stdout == b""
        assert err_line(r) == (f"csrpractice: cannot open the history database {db}: the folder {db.parent} does "
                               "not exist; choose another place with --db PATH or the CSRPRACTICE_DB environment "
                               "variable\n")
    assert not db.parent.exists()


def test_a_folder_at_the_path_is_a_clear_error(tmp_path):
    r = run_cli("history", "--db", str(tmp_path))
    assert r.returncode == 2 and f"{tmp_path}: it is a folder, not a file" in err_line(r)


UNPRIVILEGED = 65534  # nobody
AS_NOBODY = """
import io, os, sys
from csrpractice.cli import main
main(["--db", sys.argv[1], "history"], stdout=io.StringIO())  # first load what the command uses, as root
os.setgid(%d)
os.setuid(%d)
sys.exit(main(sys.argv[2:]))
""" % (UNPRIVILEGED, UNPRIVILEGED)


def _run_read_only(folder: Path, *args: str):
    if os.geteuid() != 0:
        return run_cli(*args)
    # Root writes through any permission, so the command runs as an unprivileged user. The interpreter may be
    # in a place that user cannot reach (e.g. under /root): the process starts as root, loads the command,
    # then drops to that user for the command itself.
    warm = folder.parent / "warm.db"  # beside the read-only folder, in the fixture's own temporary folder
    return subprocess.run([sys.executable, "-c", AS_NOBODY, str(warm), *args], capture_output=True,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=60, cwd=ROOT)


@pytest.fixture
def read_only_folder():
    top = Path(tempfile.mkdtemp(dir="/tmp"))
    top.chmod(0o755)  # world-traversable: the unprivileged user must reach the folder inside
    folder = top / "ro"
    folder.mkdir()
    Store.open(folder / "existing.db").close()
    (folder / "existing.db").chmod(0o666)  # the file is writable; the folder (for the -wal file) is not
    folder.chmod(0o555)
    if os.geteuid() != 0 and os.access(folder, os.W_OK):
        pytest.skip("this file system ignores folder permissions")
    yield folder
    folder.chmod(0o755)
    import shutil

    shutil.rmtree(top)


@pytest.mark.parametrize("name", ["new.db", "existing.db"])
def test_a_read_only_folder_is_a_clear_error(read_only_folder, name):
    db = read_only_folder / name
    r = _run_read_only(read_only_folder, "--db", str(db), "history")
    assert r.returncode == 2, r.stderr
    assert err_line(r) == (f"csrpractice: cannot open the history database {db}: {read_only_folder} is read-only "
                           "here (it and the database file must be writable); choose another place with --db PATH "
                           "or the CSRPRACTICE_DB environment variable\n")
    assert sorted(p.name for p in read_only_folder.iterdir()) == ["existing.db"]


# --- 7. export and import --------------------------------------------------------------------------------
def test_json_export_import_round_trip(tmp_path, billing):
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    generate(first, 300, today=date(2026, 11, 19)).close()
    populate(first, billing)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    r = run_cli("export", "--format", "json", "--out", str(a), "--db", str(first))
    assert r.returncode == 0 and r.stderr.decode() == f"wrote {a}\n" and r.stdout == b""
    doc = json.loads(a.read_text(encoding="utf-8"))
    assert doc["format"] == "csrpractice-history" and doc["version"] == 1 and len(doc["attempts"]) == 307
    kinds = {(x["kind"], x["status"]) for x in doc["attempts"]}
    assert {("scenario", "finished"), ("scenario", "left"), ("scenario", "in_progress"), ("scenario", "discarded"),
            ("typing", "finished"), ("chat", "finished")} <= kinds
    (draft,) = [x for x in doc["attempts"] if x["status"] == "in_progress"]
    assert draft["draft"] == "Thanks! I've refunded the dupl" and draft["mode"] == "screening"
    assert len(draft["replies"]) == 1 and draft["replies"][0]["result"]["items"]
    pasted = [x for x in doc["attempts"] if x["typing"] and x["typing"]["pastes"]]
    assert len(pasted) == 1 and pasted[0]["wpm"] is None and pasted[0]["typing"]["wpm"] > 0

    r = run_cli("import", str(a), "--db", str(second))
    assert r.returncode == 0 and r.stdout.decode() == f"imported 307 attempt(s) into {second}\n", r.stderr
    r = run_cli("export", "--format", "json", "--out", str(b), "--db", str(second))
    assert r.returncode == 0
    again = json.loads(b.read_text(encoding="utf-8"))
    assert again["attempts"] == doc["attempts"]
    assert {k: v for k, v in again.items() if k not in ("attempts", "exported_at")} == \
           {k: v for k, v in doc.items() if k not in ("attempts", "exported_at")}

    r = run_cli("import", str(a), "--db", str(second))
    assert r.returncode == 0
    assert r.stdout.decode() == f"imported 0 attempt(s) into {second}; 307 were already there\n"
    s1, s2 = Store.open(first), Store.open(second)
    f1, f2 = stats(s1, today="2026-11-20"), stats(s2, today="2026-11-20")
    assert f1["attempts"]["scenarios"] > 200
    assert {k: v for k, v in f1.items() if k != "practise_next"} == \
           {k: v for k, v in f2.items() if k != "practise_next"}
    assert f1["practise_next"]["weakest"] and \
        [w["competency"] for w in f1["practise_next"]["weakest"]] == \
        [w["competency"] for w in f2["practise_next"]["weakest"]]  # (the catalog itself is not exported)
    assert s1.query("SELECT day, metric, n, ROUND(total, 6) FROM daily_totals ORDER BY 1, 2") == \
        s2.query("SELECT day, metric, n, ROUND(total, 6) FROM daily_totals ORDER BY 1, 2")
    s1.close()
    s2.close()


def test_csv_export_matches_history(tmp_path, billing):
    db = tmp_path / "h.db"
    populate(db, billing)
    r = run_cli("export", "--format", "csv", "--db", str(db))
    assert r.returncode == 0 and r.stderr == b""
    table = list(csv.reader(io.StringIO(r.stdout.decode())))
    assert table[0] == CSV_COLUMNS
    body = table[1:]
    assert len(body) == 6  # one per attempt, the discarded one aside
    r = run_cli("history", "--json", "--db", str(db))
    by_uid = {x["attempt"]: x for x in json.loads(r.stdout)}
    assert set(by_uid) == {row[0] for row in body}
    for row in body:
        cells = dict(zip(CSV_COLUMNS, row))
        h = by_uid[cells["attempt"]]
        for column in CSV_COLUMNS:
            value = h["competencies"].get(column) if column not in h else h[column]
            assert cells[column] == ("" if value is None else str(value)), column
    (finished,) = [dict(zip(CSV_COLUMNS, row)) for row in body if row[12] == "finished" and row[1] == "scenario"]
    assert finished["empathy"] and finished["outcome"] == "resolved" and finished["replies"] == "2"
    assert finished["duration_seconds"] == "60.0"
    # A date range.
    r = run_cli("export", "--format", "csv", "--db", str(db), "--since", "2026-11-21")
    assert r.returncode == 0 and r.stdout.decode().splitlines() == [",".join(CSV_COLUMNS)]


def test_export_out_into_a_missing_folder_or_onto_a_folder(tmp_path, billing):
    db = tmp_path / "h.db"
    populate(db, billing)
    target = tmp_path / "missing" / "history.csv"
    r = run_cli("export", "--format", "csv", "--out", str(target), "--db", str(db))
    assert r.returncode == 2 and r.stdout == b""
    assert err_line(r) == f"csrpractice: cannot write {target}: the folder {target.parent} does not exist\n"
    assert not target.parent.exists()
    r = run_cli("export", "--format", "json", "--out", str(tmp_path), "--db", str(db))
    assert r.returncode == 2 and f"{tmp_path} is a folder; give a file name" in err_line(r)


def test_export_out_replaces_a_file_whole(tmp_path, billing):
    db = tmp_path / "h.db"
    populate(db, billing)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "history.csv"
    target.write_text("old line\n" * 20000)
    r = run_cli("export", "--format", "csv", "--out", str(target), "--db", str(db))
    assert r.returncode == 0 and r.stderr.decode() == f"wrote {target}\n"
    expected = run_cli("export", "--format", "csv", "--db", str(db)).stdout
    assert target.read_bytes() == expected and b"old line" not in target.read_bytes()
    assert [p.name for p in out_dir.iterdir()] == ["history.csv"]  # no temporary file left behind


# --- 8. importing bad files ------------------------------------------------------------------------------
def _attempt(uid: str, **change) -> dict:
    a = {"uid": uid, "kind": "typing", "mode": "practice", "item_id": "time-30", "title": "Timed, 30 s",
         "engine_version": "1", "app_version": "0.1.0", "started_at": "2026-10-01T10:00:00.000Z",
         "ended_at": "2026-10-01T10:00:30.000Z", "day": "2026-10-01", "status": "finished", "wpm": 50.0,
         "accuracy": 96.0, "typing": {"wpm": 50.0, "accuracy": 96.0, "pastes": 0}, "replies": []}
    return {**a, **change}


def _doc(*attempts) -> bytes:
    return json.dumps({"format": "csrpractice-history", "version": 1, "exported_at": "", "attempts": list(attempts)}
                      ).encode()


REPLY = {"seq": 0, "turn": "opening", "customer": "Hi", "reply": "Hello", "sent_at": "2026-10-01T10:00:05.000Z",
         "score": 50, "result": {"score": 50}}


@pytest.mark.parametrize("content, message", [
    (b'{"format": "csrpractice-history", "attempts": [', "is not valid JSON: Expecting value at line 1, column"),
    (b"\xff\xfe{\x00}\x00", "is not UTF-8 text; expected a file from csrpractice export --format json"),
    (b"[1, 2, 3]", 'is not a csrpractice history export (no "format": "csrpractice-history")'),
    (b'{"format": "csrpractice-history", "version": 9, "attempts": []}', "is export version 9"),
    (b'{"format": "csrpractice-history", "version": 1, "attempts": {}}', '"attempts" must be a list'),
    (_doc(_attempt("ok"), _attempt("bad", day="2026-10-32")), "attempt 2: \"day\" '2026-10-32' is not a YYYY-MM-DD"),
    (_doc(_attempt("ok"), _attempt("bad", kind="quiz")), "attempt 2: unknown kind 'quiz'"),
    (_doc(_attempt("ok"), _attempt("bad", kind="scenario", typing=None, replies=[
        {k: v for k, v in REPLY.items() if k != "sent_at"}])), 'attempt 2: "replies" must be a list of reply objects'),
    (_doc(_attempt("ok"), _attempt("bad", kind="scenario", typing=None, replies=[{**REPLY, "score": "high"}])),
     'attempt 2: "replies" must be a list'),
    (_doc(_attempt("ok"), _attempt("ok2"), "not an attempt"), "attempt 3: not an object"),
])
def test_a_bad_import_file_changes_nothing(tmp_path, billing, content, message):
    db = tmp_path / "h.db"
    populate(db, billing)
    before = snapshot(db)
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    r = run_cli("import", str(bad), "--db", str(db))
    assert r.returncode == 2 and r.stdout == b""
    err = err_line(r)
    assert err.startswith(f"csrpractice: {bad}") and message in err
    if "attempt " in message:
        assert err.endswith("; nothing was imported\n")
    assert snapshot(db) == before


def test_an_import_file_that_cannot_be_read(tmp_path):
    r = run_cli("import", str(tmp_path / "missing.json"), "--db", str(tmp_path / "h.db"))
    assert r.returncode == 2 and f"cannot read {tmp_path / 'missing.json'}: No such file" in err_line(r)
    assert not (tmp_path / "h.db").exists()


def test_a_good_import_file_adds_its_attempts(tmp_path):
    db = tmp_path / "h.db"
    good = tmp_path / "good.json"
    good.write_bytes(_doc(_attempt("one"), _attempt("two", day="2026-10-02", wpm=60.0,
                                                     typing={"wpm": 60.0, "accuracy": 90.0})))
    r = run_cli("import", str(good), "--db", str(db))
    assert r.returncode == 0 and r.stdout.decode() == f"imported 2 attempt(s) into {db}\n"
    r = run_cli("stats", "--json", "--db", str(db), "--since", "2026-10-01", "--until", "2026-10-02")
    f = json.loads(r.stdout)
    assert f["wpm"] == {"attempts": 2, "average": 55.0, "first": 50.0, "latest": 60.0}
    assert f["bests"]["typing"][0]["wpm"] == 60.0


# --- 11. legacy typing bests -----------------------------------------------------------------------------
def test_legacy_bests_are_imported_once_by_the_command(own_data_dir):
    legacy = own_data_dir / "typing-bests.json"
    legacy.write_text(json.dumps({"time-30": {"wpm": 52.0, "accuracy": 97.0, "when": "2026-10-01"}}))
    r = run_cli("history", "--json")
    assert r.returncode == 0, r.stderr
    (row,) = json.loads(r.stdout)
    assert (row["kind"], row["item_id"], row["wpm"], row["accuracy"], row["day"]) == \
           ("typing", "time-30", 52.0, 97.0, "2026-10-01")
    assert not legacy.exists() and (own_data_dir / "typing-bests.json.imported").is_file()
    r = run_cli("history", "--json")
    assert len(json.loads(r.stdout)) == 1  # once


def test_a_damaged_legacy_file_is_left_alone_by_the_command(own_data_dir):
    legacy = own_data_dir / "typing-bests.json"
    legacy.write_bytes(b'{"time-30": {"wpm": 52.0,')
    r = run_cli("history")
    assert r.returncode == 0 and r.stderr == b"" and b"No practice recorded yet" in r.stdout
    assert legacy.read_bytes() == b'{"time-30": {"wpm": 52.0,'
