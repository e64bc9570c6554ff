"""The practice-history store: real SQLite files in tmp_path, driven through the real session, drills and scoring."""
import dataclasses
import json
import random
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from csrpractice.drills import Drill, make_drill
from csrpractice.scenario.library import load_library
from csrpractice.session import Session
from csrpractice.store import Store, StoreError, local_day
from csrpractice.store.export import document, import_document, rows
from csrpractice.store.schema import MIGRATIONS, SCHEMA_VERSION, statements
from csrpractice.store.stats import bucket_size, stats, streaks
from scoring.rubric import TurnScore
from scoring.typing import score_drill

from history_helpers import GOOD_1, GOOD_2, NOW, Clock

sys.path.insert(0, str(ROOT / "benchmarks"))
from history_data import generate  # noqa: E402

FIXTURES = DATA / "app_scenarios"
DAY = local_day(NOW)  # the local calendar day of NOW (2026-11-20 in any time zone from UTC-11 to UTC+11)

POOR_1 = "ok"
POOR_2 = "Just calm down."

CARD_FORMS = [b"4111 1111 1111 1111", b"4111111111111111", b"4111-1111-1111-1111"]


@pytest.fixture(scope="module")
def billing():
    lib = load_library([FIXTURES])
    assert not lib.errors
    return lib.get("billing-double-charge")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    s = Store.open(tmp_path / "history.db", now=clock)
    yield s
    s.close()


def play(store, scenario, replies, clock=None, seed=0, finish=True):
    """One attempt as the app records it: begin, commit each reply as it is sent, then the scorecard."""
    session = Session(scenario, seed=seed)
    attempt = store.begin_scenario(scenario, seed)
    records = []
    for seq, (text, seconds) in enumerate(replies):
        if clock:
            clock.tick(seconds)
        record = session.submit(text, seconds)
        store.add_reply(attempt, seq, record)
        records.append(record)
    card = session.scorecard()
    if finish:
        store.finish_scenario(attempt, card)
    return attempt, records, card


def typing_result(wpm: float, accuracy: float, text: str = "thank you for waiting"):
    """A real drill result (scored from keystrokes), with the WPM and accuracy the test needs."""
    drill = Drill("custom", "custom", "Custom: test.txt", text)
    result = score_drill(text, [(i * 0.2, ch) for i, ch in enumerate(text)])
    return drill, dataclasses.replace(result, wpm=wpm, accuracy=accuracy)


def as_json(obj):
    return json.loads(json.dumps(obj))


def recomputed_totals(conn) -> dict:
    """The daily totals as they should be, recomputed from the attempts themselves."""
    out: dict[tuple[str, str], list] = {}

    def add(day, metric, value):
        n, total = out.get((day, metric), (0, 0.0))
        out[(day, metric)] = (n + 1, total + value)

    for aid, kind, day, overall, wpm, acc in conn.execute(
            "SELECT id, kind, day, overall, wpm, accuracy FROM attempts WHERE status = 'finished' "
            "AND mode = 'practice'"):
        add(day, kind, (overall or 0.0) if kind == "scenario" else 0.0)
        if kind == "typing" and wpm is not None:
            add(day, "typing.wpm", wpm)
            add(day, "typing.accuracy", acc)
    for day, comp, score in conn.execute(
            "SELECT a.day, c.competency, c.score FROM attempt_competencies c JOIN attempts a ON a.id = c.attempt_id "
            "WHERE a.status = 'finished' AND a.mode = 'practice'"):
        add(day, f"competency.{comp}", score)
    return out


def stored_totals(conn) -> dict:
    return {(d, m): (n, t) for d, m, n, t in conn.execute("SELECT day, metric, n, total FROM daily_totals")}


def assert_totals_consistent(conn) -> None:
    want, got = recomputed_totals(conn), stored_totals(conn)
    assert set(got) == set(want)
    for key, (n, total) in want.items():
        assert got[key][0] == n, key
        assert got[key][1] == pytest.approx(total), key


# --- 1. a whole scenario attempt ---------------------------------------------------------------------------
def test_a_scenario_attempt_is_stored_as_the_session_played_it(store, billing, clock):
    good, good_records, good_card = play(store, billing, [(GOOD_1, 20.0), (GOOD_2, 30.5)], clock)
    clock.tick(60)
    poor, _, poor_card = play(store, billing, [(POOR_1, 5.0), (POOR_2, 7.0)], clock, seed=2)
    assert good_card.outcome == "resolved" and poor_card.outcome == "customer_left"
    assert good_card.overall > poor_card.overall

    # The replies, exactly as the session produced them, with the turn results' spans and markers.
    stored = store.replies(good)
    assert [r["seq"] for r in stored] == [0, 1]
    for r, rec in zip(stored, good_records):
        assert (r["turn"], r["customer"], r["reply"], r["seconds"], r["score"]) == \
               (rec.turn, rec.customer, rec.reply, rec.seconds, rec.score)
        assert (r["mood_before"], r["mood_after"], r["next"], r["over_time"]) == \
               (rec.mood_before, rec.mood_after, rec.next, rec.over_time)
        assert r["result"] == as_json(rec.result.to_dict())
        assert TurnScore.from_dict(r["result"]).to_dict() == rec.result.to_dict()
    assert stored[0]["result"]["markers"] and any(i["spans"] for i in stored[0]["result"]["items"] if i["matched"])
    matched = [i for i in stored[0]["result"]["items"] if i["matched"] and i["spans"]]
    assert all(GOOD_1[s:e] for i in matched for s, e in i["spans"])  # spans point into the reply as sent

    # The scorecard, overall score, outcome and competencies.
    (card_json, overall, outcome, status, ended), = store.query(
        "SELECT scorecard, overall, outcome, status, ended_at FROM attempts WHERE id = ?", (good,))
    assert json.loads(card_json) == as_json(good_card.to_dict())
    assert (overall, outcome, status) == (good_card.overall, "resolved", "finished") and ended
    comps = dict(store.query("SELECT competency, score FROM attempt_competencies WHERE attempt_id = ?", (good,)))
    assert comps == good_card.competencies and comps

    # The statistics reflect both attempts.
    f = stats(store, today=DAY)
    assert f["attempts"] == {"scenarios": 2, "typing": 0, "chat": 0}
    assert f["days_practised"] == 1 and f["streak"]["current"] == 1
    assert f["overall"]["attempts"] == 2
    assert f["overall"]["average"] == pytest.approx((good_card.overall + poor_card.overall) / 2, abs=0.051)
    names = set(good_card.competencies) | set(poor_card.competencies)
    assert set(f["competencies"]) == names
    for name in names:
        values = [c.competencies[name] for c in (good_card, poor_card) if name in c.competencies]
        assert f["competencies"][name]["attempts"] == len(values)
        assert f["competencies"][name]["average"] == pytest.approx(sum(values) / len(values), abs=0.051)
    assert [b["best"] for b in f["bests"]["scenarios"]] == [good_card.overall]
    assert f["bests"]["scenarios"][0]["attempts"] == 2

    # And the history row.
    newest, oldest = rows(store, newest_first=True)
    assert oldest["item_id"] == "billing-double-charge" and oldest["title"] == billing.title
    assert (oldest["kind"], oldest["status"], oldest["outcome"], oldest["overall"], oldest["replies"]) == \
           ("scenario", "finished", "resolved", good_card.overall, 2)
    assert oldest["competencies"] == good_card.competencies
    assert oldest["duration_seconds"] == 50.5 and oldest["day"] == DAY
    assert oldest["content_hash"] == billing.content_hash and oldest["item_version"] == billing.version
    assert newest["overall"] == poor_card.overall and newest["outcome"] == "customer_left"


def test_replies_and_drafts_are_committed_as_sent_and_resumable(tmp_path, billing, clock):
    path = tmp_path / "history.db"
    store = Store.open(path, now=clock)
    session = Session(billing, seed=4)
    attempt = store.begin_scenario(billing, 4)
    record = session.submit(GOOD_1, 12.0)
    store.add_reply(attempt, 0, record)
    store.save_draft(attempt, "Thanks! I've refunded")
    # A second connection (another instance of the app, or the app after a kill) sees it all at once.
    other = Store.open(path, now=clock)
    (found,) = other.unfinished()
    assert (found["id"], found["scenario"], found["seed"], found["replies"], found["draft"]) == \
           (attempt, "billing-double-charge", 4, 1, "Thanks! I've refunded")
    assert other.replies(attempt)[0]["reply"] == record.reply
    # Sending the next reply clears the draft; leaving the scenario takes it out of the unfinished list.
    store.add_reply(attempt, 1, session.submit(GOOD_2, 9.0))
    assert other.unfinished()[0]["draft"] is None and other.unfinished()[0]["replies"] == 2
    store.set_status(attempt, "left")
    assert other.unfinished() == []
    assert rows(other)[0]["status"] == "left"
    assert stats(other, today=DAY)["attempts"]["scenarios"] == 0  # a left attempt is kept but not scored
    # A discarded attempt disappears from the history rows, but stays in a full export.
    discarded = store.begin_scenario(billing, 5)
    store.set_status(discarded, "discarded")
    assert len(rows(other)) == 1
    assert [a["status"] for a in document(other)["attempts"]] == ["left", "discarded"]
    other.close()
    store.close()


def test_finishing_twice_counts_once(store, billing):
    attempt, _, card = play(store, billing, [(GOOD_1, 3.0), (GOOD_2, 3.0)])
    store.finish_scenario(attempt, card)
    assert stats(store, today=DAY)["attempts"]["scenarios"] == 1
    assert store.query("SELECT COUNT(*) FROM attempt_competencies")[0][0] == len(card.competencies)
    assert_totals_consistent(store.conn)


def test_typing_and_chat_drills_are_stored(store):
    drill = make_drill("words", count=10, seed=3)
    result = score_drill(drill.text, [(i * 0.15, ch) for i, ch in enumerate(drill.text)])
    attempt, previous = store.record_typing(drill, result)
    assert previous is None
    (wpm, acc, pastes, per_second, typed), = store.query(
        "SELECT wpm, accuracy, pastes, per_second, typed FROM typing_results WHERE attempt_id = ?", (attempt,))
    assert (wpm, acc, pastes, typed) == (result.wpm, result.accuracy, 0, result.typed)
    assert json.loads(per_second) == result.per_second
    chat = store.record_chat("retail", "Retail chats", {"duration": 90, "longest_wait": 40.0},
                             [{"chat": 0, "text": "Hi! Let me check.", "wait": 4.0, "wpm": 40.0, "accuracy": 98.0,
                               "markers": ["greeting"]}])
    (card, started, ended), = store.query("SELECT scorecard, started_at, ended_at FROM attempts WHERE id = ?", (chat,))
    assert json.loads(card)["replies"][0]["markers"] == ["greeting"]
    (chat_row,) = [r for r in rows(store) if r["kind"] == "chat"]
    assert chat_row["duration_seconds"] == 90.0 and chat_row["ended_at"] == ended == "2026-11-20T12:00:00.000Z"
    assert started == "2026-11-20T11:58:30.000Z"
    f = stats(store, today=DAY)
    assert f["attempts"] == {"scenarios": 0, "typing": 1, "chat": 1}
    assert f["wpm"]["average"] == round(result.wpm, 1)


# --- 2. redaction ----------------------------------------------------------------------------------------
def test_card_numbers_never_reach_the_file(tmp_path, billing, clock):
    path = tmp_path / "history.db"
    store = Store.open(path, now=clock)
    reply = "I'm so sorry. My card is 4111 1111 1111 1111 and the CVV is 123, can you confirm the email?"
    play(store, billing, [(reply, 10.0), (GOOD_2, 10.0)], clock)
    in_progress = store.begin_scenario(billing, 1)
    store.save_draft(in_progress, "the number is 4111111111111111, expiry 12/29")
    drill, result = typing_result(40.0, 95.0, "card 4111-1111-1111-1111 please")
    store.record_typing(drill, dataclasses.replace(result, typed="card 4111-1111-1111-1111 please"))
    store.record_chat("retail", "Retail chats", {"duration": 10},
                      [{"chat": 0, "text": "read me 4111 1111 1111 1111", "wait": 1.0, "wpm": 30.0,
                        "accuracy": 90.0, "markers": []}])

    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the writes are in the WAL while the store is open
    raw = path.read_bytes() + wal.read_bytes()
    for form in CARD_FORMS:
        assert form not in raw
    assert b"CVV is 123" not in raw and b"CVV is ***" in raw
    assert b"**** **** **** 1111" in raw and b"************1111" in raw and b"****-****-****-1111" in raw

    # Every text value of every table, read back through SQL (a value may span pages in the raw file).
    texts = []
    for (table,) in store.query("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in store.query(f"SELECT * FROM {table}"):
            texts += [v for v in row if isinstance(v, str)]
    everything = "\n".join(texts).encode()
    for form in CARD_FORMS:
        assert form not in everything
    assert store.unfinished()[0]["draft"] == "the number is ************1111, expiry 12/29"
    assert store.replies(1)[0]["reply"].startswith("I'm so sorry. My card is **** **** **** 1111 and the CVV is ***")
    store.close()
    for form in CARD_FORMS:  # after the checkpoint too
        assert form not in path.read_bytes()


def test_imported_text_is_redacted_too(store, tmp_path):
    doc = {"format": "csrpractice-history", "version": 1, "attempts": [{
        "uid": "imported-1", "kind": "scenario", "mode": "practice", "item_id": "x", "title": "X",
        "engine_version": "1", "app_version": "0.1", "started_at": "2026-10-01T10:00:00.000Z",
        "ended_at": None, "day": "2026-10-01", "status": "in_progress", "draft": "4111111111111111",
        "replies": [{"seq": 0, "turn": "t", "customer": "c", "reply": "my card 4111 1111 1111 1111",
                     "sent_at": "2026-10-01T10:01:00.000Z", "score": 1, "result": {"explanation": [
                         "4111 1111 1111 1111"]}}]}]}
    assert import_document(store, doc, "x.json") == (1, 0)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = store.path.read_bytes()
    for form in CARD_FORMS:
        assert form not in raw
    assert store.replies(1)[0]["reply"] == "my card **** **** **** 1111"


# --- 3. migrations ---------------------------------------------------------------------------------------
def make_v1(path: Path) -> None:
    """A database as version 1 of the store left it: only the first migration, with a few v1-shaped rows."""
    conn = sqlite3.connect(path)
    for s in statements(MIGRATIONS[0][1]):
        conn.execute(s)
    conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")

    def attempt(uid, kind, item, day, status, overall=None, card=None):
        return conn.execute(
            "INSERT INTO attempts (uid, kind, mode, item_id, title, item_version, content_hash, engine_version, "
            "app_version, seed, started_at, ended_at, day, status, overall, outcome, scorecard) VALUES "
            "(?, ?, 'practice', ?, ?, 1, 'sha256:abc', '1', '0.1.0', 0, ?, ?, ?, ?, ?, ?, ?)",
            (uid, kind, item, item.title(), f"{day}T18:00:00.000Z", f"{day}T18:06:00.000Z", day, status, overall,
             "resolved" if overall is not None else None, json.dumps(card) if card else None)).lastrowid

    a = attempt("v1-a", "scenario", "billing-double-charge", "2026-11-01", "finished", 80.0,
                {"overall": 80.0, "competencies": {"empathy": 90.0, "clarity": 70.0}, "outcome": "resolved"})
    for seq in range(2):
        conn.execute("INSERT INTO replies (attempt_id, seq, turn, customer, reply, seconds, sent_at, score, "
                     "mood_before, mood_after, next_turn, over_time, result) VALUES (?, ?, ?, 'Hi', ?, 10, "
                     "'2026-11-01T18:01:00.000Z', 80, 5, 6, 'next', 0, ?)",
                     (a, seq, f"t{seq}", f"reply {seq}", json.dumps({"score": 80, "markers": ["empathy"],
                                                                      "items": []})))
    attempt("v1-b", "scenario", "insurance-late-claim", "2026-11-02", "finished", 60.0,
            {"overall": 60.0, "competencies": {"empathy": 50.0}})
    attempt("v1-c", "scenario", "insurance-late-claim", "2026-11-02", "in_progress")
    t = attempt("v1-d", "typing", "time-30", "2026-11-02", "finished")
    p = attempt("v1-e", "typing", "time-30", "2026-11-03", "finished")
    for aid, wpm, pastes in ((t, 50.0, 0), (p, 90.0, 1)):
        conn.execute("INSERT INTO typing_results (attempt_id, wpm, raw_wpm, net_wpm, accuracy, pastes, per_second) "
                     "VALUES (?, ?, ?, ?, 95.0, ?, '[40, 50]')", (aid, wpm, wpm + 2, wpm - 1, pastes))
    attempt("v1-f", "chat", "chat-retail", "2026-11-03", "finished")
    conn.commit()
    conn.close()


def test_a_version_1_database_is_migrated_and_backfilled(tmp_path, clock):
    path = tmp_path / "history.db"
    make_v1(path)
    conn = sqlite3.connect(path)
    before = conn.execute("SELECT * FROM attempts ORDER BY id").fetchall()
    replies_before = conn.execute("SELECT * FROM replies ORDER BY attempt_id, seq").fetchall()
    conn.close()

    store = Store.open(path, now=clock)
    assert store.notice == ""
    assert store.query("SELECT value FROM meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
    assert SCHEMA_VERSION == MIGRATIONS[-1][0] >= 2
    n = len(before[0])  # the v1 columns come first, unchanged
    assert [r[:n] for r in store.query("SELECT * FROM attempts ORDER BY id")] == before
    assert [r[:len(replies_before[0])] for r in store.query("SELECT * FROM replies ORDER BY attempt_id, seq")] \
        == replies_before
    assert store.query("SELECT attempt_id, competency, score FROM attempt_competencies ORDER BY 1, 2") == \
        [(1, "clarity", 70.0), (1, "empathy", 90.0), (2, "empathy", 50.0)]
    assert store.query("SELECT uid, wpm, accuracy FROM attempts WHERE kind = 'typing' ORDER BY id") == \
        [("v1-d", 50.0, 95.0), ("v1-e", None, None)]  # the pasted result never counts
    assert_totals_consistent(store.conn)

    f = stats(store, today="2026-11-03")
    assert f["attempts"] == {"scenarios": 2, "typing": 2, "chat": 1}
    assert f["overall"]["average"] == 70.0
    assert f["competencies"]["empathy"]["average"] == 70.0 and f["competencies"]["clarity"]["average"] == 70.0
    assert f["wpm"]["average"] == 50.0 and f["wpm"]["attempts"] == 1
    assert f["streak"] == {"current": 3, "longest": 3, "last_day": "2026-11-03"}
    assert store.typing_best("time-30") == {"wpm": 50.0, "accuracy": 95.0, "when": "2026-11-02"}

    # What version 2 added works on the migrated file.
    (unfinished,) = store.unfinished()
    store.save_draft(unfinished["id"], "Let me check the claim")
    assert store.unfinished()[0]["draft"] == "Let me check the claim"
    assert store.query("PRAGMA integrity_check") == [("ok",)]
    store.close()
    # Opening again migrates nothing twice.
    again = Store.open(path, now=clock)
    assert again.query("SELECT COUNT(*) FROM attempt_competencies") == [(3,)]
    again.close()


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_newer_schema_is_refused_and_left_untouched(tmp_path, journal):
    path = tmp_path / "history.db"
    if journal == "wal":  # as a newer csrpractice (using the store) would leave it
        s = Store.open(path)
        s.conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
        s.close()
    else:  # a plain SQLite file, rollback journal
        conn = sqlite3.connect(path)
        for s in statements(MIGRATIONS[0][1]):
            conn.execute(s)
        conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION + 1),))
        conn.commit()
        conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer") as err:
        Store.open(path)
    assert str(path) in str(err.value) and f"schema version {SCHEMA_VERSION + 1}" in str(err.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.db"]


# --- 4. damaged files ------------------------------------------------------------------------------------
def _assert_set_aside(store: Store, path: Path, original: bytes) -> Path:
    asides = sorted(path.parent.glob(path.name + ".damaged-*"))
    main = [a for a in asides if not a.name.endswith(("-wal", "-shm"))]
    assert len(main) == 1
    aside = main[0]
    assert aside.read_bytes() == original  # kept whole, nothing deleted
    assert str(path) in store.notice and aside.name in store.notice and "damaged" in store.notice
    # A fresh, working history in its place.
    assert store.query("SELECT COUNT(*) FROM attempts") == [(0,)]
    drill, result = typing_result(45.0, 96.0)
    store.record_typing(drill, result)
    assert store.typing_best("custom")["wpm"] == 45.0
    assert store.query("PRAGMA integrity_check") == [("ok",)]
    return aside


def test_a_file_of_garbage_is_set_aside(tmp_path, clock):
    path = tmp_path / "history.db"
    garbage = random.Random(7).randbytes(8192)
    path.write_bytes(garbage)
    wal = path.with_name("history.db-wal")
    wal.write_bytes(b"left over from a crash")
    store = Store.open(path, now=clock)
    aside = _assert_set_aside(store, path, garbage)
    assert aside.with_name(aside.name + "-wal").read_bytes() == b"left over from a crash"
    store.close()


def test_a_truncated_database_is_set_aside(tmp_path, clock):
    path = tmp_path / "history.db"
    generate(path, 300, today=date(2026, 11, 20)).close()
    assert not path.with_name("history.db-wal").exists()  # checkpointed: every page is in the file
    whole = path.read_bytes()
    half = whole[:len(whole) // 2]
    path.write_bytes(half)
    store = Store.open(path, now=clock)
    _assert_set_aside(store, path, half)
    store.close()
    # Opening again keeps the new history and sets nothing else aside.
    again = Store.open(path, now=clock)
    assert again.notice == "" and again.query("SELECT COUNT(*) FROM attempts") == [(1,)]
    assert len([p for p in tmp_path.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))]) \
        == 1
    again.close()


def test_a_damaged_file_and_its_wal_are_kept_as_found(tmp_path, clock):
    """A crash leaves recent commits in the -wal; if the main file is then damaged, both are set aside exactly
    as they were (not checkpointed into the damaged file, not deleted)."""
    live = tmp_path / "live"
    live.mkdir()
    store = Store.open(live / "history.db", now=clock)
    for wpm in range(30, 60):
        drill, result = typing_result(float(wpm), 95.0)
        store.record_typing(drill, result)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.record_chat("retail", "Retail chats", {"duration": 5}, [])  # only in the WAL
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for name in ("history.db", "history.db-wal"):  # the files as a killed process leaves them
        (crashed / name).write_bytes((live / name).read_bytes())
    store.close()
    path = crashed / "history.db"
    damaged = bytearray(path.read_bytes())
    damaged[4096:len(damaged)] = random.Random(3).randbytes(len(damaged) - 4096)  # every page but the first
    path.write_bytes(bytes(damaged))
    wal = (crashed / "history.db-wal").read_bytes()
    assert len(wal) > 0

    store = Store.open(path, now=clock)
    aside = _assert_set_aside(store, path, bytes(damaged))
    assert aside.with_name(aside.name + "-wal").read_bytes() == wal
    store.close()


# --- 5. places the store cannot use ----------------------------------------------------------------------
def test_a_missing_folder_is_an_error_unless_asked_to_create_it(tmp_path):
    missing = tmp_path / "nope" / "history.db"
    with pytest.raises(StoreError) as err:
        Store.open(missing)
    assert f"the folder {tmp_path / 'nope'} does not exist" in str(err.value) and "--db" in str(err.value)
    assert not (tmp_path / "nope").exists()
    made = tmp_path / "a" / "b" / "history.db"
    store = Store.open(made, create_folder=True)
    assert made.is_file() and store.query("SELECT COUNT(*) FROM attempts") == [(0,)]
    store.close()


def test_a_folder_at_the_path_is_an_error(tmp_path):
    folder = tmp_path / "history.db"
    folder.mkdir()
    with pytest.raises(StoreError, match="is a folder, not a file") as err:
        Store.open(folder)
    assert str(folder) in str(err.value)
    assert list(folder.iterdir()) == []


# --- 6. concurrent writers -------------------------------------------------------------------------------
WORKER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from csrpractice.drills import make_drill
    from csrpractice.scenario.library import load_library
    from csrpractice.session import Session
    from csrpractice.store import Store
    from scoring.typing import score_drill

    db, fixtures, n_typing, n_scenarios = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    scenario = load_library([Path(fixtures)]).get("billing-double-charge")
    session = Session(scenario, seed=1)
    records = [session.submit({good_1!r}, 10.0), session.submit({good_2!r}, 12.0)]
    card = session.scorecard()
    drill = make_drill("words", count=10, seed=1)
    result = score_drill(drill.text, [(i * 0.2, ch) for i, ch in enumerate(drill.text)])
    print("ready", flush=True)
    sys.stdin.readline()  # all start together
    store = Store.open(db)  # a new file: the first opening races too
    for i in range(max(n_typing, n_scenarios)):
        if i < n_typing:
            store.record_typing(drill, result, pastes=int(i % 10 == 0))
        if i < n_scenarios:
            attempt = store.begin_scenario(scenario, 1)
            for seq, record in enumerate(records):
                store.add_reply(attempt, seq, record)
            store.finish_scenario(attempt, card)
    store.close()
    print("done", len(card.competencies), flush=True)
""").format(good_1=GOOD_1, good_2=GOOD_2)


def all_at_once(n: int, script: str, *args, timeout: float) -> tuple[list, list]:
    """n processes running `script`, each released at the same moment once all have started; their
    (stdout, stderr)."""
    procs = [subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT) for _ in range(n)]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        return procs, [p.communicate(timeout=timeout) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()


def test_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "history.db"
    writers, n_typing, n_scenarios = 3, 200, 50
    procs, outputs = all_at_once(writers, WORKER, path, FIXTURES, n_typing, n_scenarios, timeout=90)
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0 and "Error" not in err, err
        assert out.startswith("done")
    n_comps = int(outputs[0][0].split()[1])

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    counts = dict(conn.execute("SELECT kind, COUNT(*) FROM attempts GROUP BY kind"))
    assert counts == {"typing": writers * n_typing, "scenario": writers * n_scenarios}
    assert conn.execute("SELECT COUNT(*) FROM attempts WHERE status = 'finished'").fetchone()[0] == \
        writers * (n_typing + n_scenarios)
    assert conn.execute("SELECT COUNT(*) FROM replies").fetchone()[0] == writers * n_scenarios * 2
    assert conn.execute("SELECT COUNT(*) FROM typing_results").fetchone()[0] == writers * n_typing
    assert conn.execute("SELECT COUNT(*) FROM typing_results WHERE pastes = 1").fetchone()[0] == writers * 20
    assert conn.execute("SELECT COUNT(*) FROM attempt_competencies").fetchone()[0] == \
        writers * n_scenarios * n_comps
    assert conn.execute("SELECT COUNT(DISTINCT uid) FROM attempts").fetchone()[0] == writers * (n_typing + n_scenarios)
    assert_totals_consistent(conn)
    conn.close()


OPENER = textwrap.dedent("""
    import sys
    from csrpractice.store import Store
    print("ready", flush=True)
    sys.stdin.readline()
    store = Store.open(sys.argv[1])
    print(store.query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0], flush=True)
    store.close()
""")


def test_instances_opening_a_new_file_at_once_all_succeed(tmp_path):
    """Switching a new file to WAL does not wait for another connection's lock; every instance must still open."""
    path = tmp_path / "history.db"
    procs, outputs = all_at_once(8, OPENER, path, timeout=60)
    assert [(p.returncode, out.strip(), err) for p, (out, err) in zip(procs, outputs)] == \
        [(0, str(SCHEMA_VERSION), "")] * len(procs)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


# --- 10. streaks, buckets, ranges, bests -----------------------------------------------------------------
def test_streaks():
    assert streaks([], "2026-11-20") == {"current": 0, "longest": 0, "last_day": None}
    assert streaks(["2026-11-18", "2026-11-19", "2026-11-20"], "2026-11-20") == \
        {"current": 3, "longest": 3, "last_day": "2026-11-20"}
    # Ending yesterday still counts (today is not over yet).
    assert streaks(["2026-11-19", "2026-11-17", "2026-11-18", "2026-11-18"], "2026-11-20") == \
        {"current": 3, "longest": 3, "last_day": "2026-11-19"}
    # Broken: the last practice was two days ago.
    assert streaks(["2026-11-15", "2026-11-16", "2026-11-18"], "2026-11-20") == \
        {"current": 0, "longest": 2, "last_day": "2026-11-18"}
    # The longest run is not the current one; across a month's end.
    days = ["2026-10-29", "2026-10-30", "2026-10-31", "2026-11-01", "2026-11-10", "2026-11-11"]
    assert streaks(days, "2026-11-11") == {"current": 2, "longest": 4, "last_day": "2026-11-11"}
    assert streaks(["2026-11-20"], "2026-11-20") == {"current": 1, "longest": 1, "last_day": "2026-11-20"}


@pytest.mark.parametrize("since, until, size", [
    ("2026-11-20", "2026-11-20", "day"), ("2026-01-01", "2026-03-03", "day"),  # 62 days
    ("2026-01-01", "2026-03-04", "week"), ("2025-01-01", "2026-01-01", "week"),  # 63, 366 days
    ("2025-01-01", "2026-01-02", "month"), ("2020-01-01", "2026-11-20", "month")])
def test_bucket_size(since, until, size):
    assert bucket_size(since, until) == size


def test_stats_count_only_the_attempts_in_range(store, billing, clock):
    days = [0, 1, 5, 9, 10, 40]  # days before NOW
    for back in days:
        clock.t = NOW - timedelta(days=back)
        drill, result = typing_result(30.0 + back, 90.0)
        store.record_typing(drill, result)
        play(store, billing, [(GOOD_1, 5.0), (GOOD_2, 5.0)], clock)
    since, until = local_day(NOW - timedelta(days=9)), local_day(NOW - timedelta(days=1))
    f = stats(store, since=since, until=until, today=DAY)
    assert f["attempts"] == {"scenarios": 3, "typing": 3, "chat": 0}
    assert f["days_practised"] == 3
    assert f["wpm"]["average"] == pytest.approx((31 + 35 + 39) / 3, abs=0.051)
    assert f["wpm"]["first"] == 39.0 and f["wpm"]["latest"] == 31.0
    assert f["range"] == {"since": since, "until": until, "first_day": since, "last_day": until}
    assert f["trend"]["bucket"] == "day" and len(f["trend"]["periods"]) == 9
    assert f["trend"]["wpm"].count(None) == 6  # days without practice are gaps
    # The streak and the bests are over the whole history.
    assert f["streak"]["current"] == 2 and f["streak"]["last_day"] == DAY
    assert stats(store, today=DAY)["attempts"]["typing"] == 6
    assert len(rows(store, since=since, until=until)) == 6
    long = stats(store, since=local_day(NOW - timedelta(days=400)), today=DAY)
    assert long["trend"]["bucket"] == "month" and long["attempts"]["typing"] == 6


def test_typing_bests_never_count_pasted_results(store, clock):
    drill, r50 = typing_result(50.0, 96.0)
    assert store.record_typing(drill, r50) == (1, None)
    clock.tick(86400)
    _, r70 = typing_result(70.0, 91.0)
    assert store.record_typing(drill, r70)[1] == {"wpm": 50.0, "accuracy": 96.0, "when": DAY}
    clock.tick(86400)
    _, r60 = typing_result(60.0, 99.0)
    store.record_typing(drill, r60)
    _, pasted = typing_result(200.0, 100.0)
    _, previous = store.record_typing(drill, pasted, pastes=3)
    assert previous["wpm"] == 70.0
    best = store.typing_best("custom")
    assert best == {"wpm": 70.0, "accuracy": 91.0, "when": local_day(NOW + timedelta(days=1))}
    assert store.typing_best("time-60") is None
    f = stats(store, today=local_day(NOW + timedelta(days=2)))
    assert f["bests"]["typing"] == [{"drill": "custom", "label": "Custom: test.txt", "wpm": 70.0, "accuracy": 91.0,
                                     "when": local_day(NOW + timedelta(days=1))}]
    assert f["attempts"]["typing"] == 4 and f["wpm"]["attempts"] == 3  # kept, never counted in the trend
    assert f["wpm"]["average"] == 60.0
    (pastes, wpm), = store.query("SELECT t.pastes, a.wpm FROM typing_results t JOIN attempts a ON a.id = t.attempt_id "
                                 "WHERE t.wpm = 200")
    assert (pastes, wpm) == (3, None)


# --- 11. legacy typing bests -----------------------------------------------------------------------------
def test_legacy_bests_are_imported_once_then_renamed(store, tmp_path):
    legacy = tmp_path / "typing-bests.json"
    legacy.write_text(json.dumps({"time-30": {"wpm": 52.0, "accuracy": 97.0, "when": "2026-10-01"},
                                  "words-25": {"wpm": 44.5, "accuracy": 92.0, "when": "2026-09-15"}}))
    assert store.import_legacy_bests(legacy) == 2
    assert not legacy.exists() and (tmp_path / "typing-bests.json.imported").is_file()
    assert store.import_legacy_bests(legacy) == 0  # once
    assert store.typing_best("time-30") == {"wpm": 52.0, "accuracy": 97.0, "when": "2026-10-01"}
    assert store.typing_best("words-25")["wpm"] == 44.5
    assert stats(store, today=DAY)["wpm"]["attempts"] == 2
    assert len(rows(store)) == 2
    assert_totals_consistent(store.conn)


@pytest.mark.parametrize("content", [b"{not json", b'{"time-30": 52}', b'["time-30"]',
                                     b'{"time-30": {"wpm": 52, "when": "yesterday"}}', b"\xff\xfe{}"])
def test_a_damaged_legacy_file_is_left_untouched(store, tmp_path, content):
    legacy = tmp_path / "typing-bests.json"
    legacy.write_bytes(content)
    assert store.import_legacy_bests(legacy) == 0
    assert legacy.read_bytes() == content and not (tmp_path / "typing-bests.json.imported").exists()
    assert store.query("SELECT COUNT(*) FROM attempts") == [(0,)]


# --- 8. (store level) imports are checked before anything is written -------------------------------------
def _valid_attempt(uid: str) -> dict:
    return {"uid": uid, "kind": "scenario", "mode": "practice", "item_id": "x", "title": "X", "engine_version": "1",
            "app_version": "0.1.0", "started_at": "2026-10-01T10:00:00.000Z", "ended_at": "2026-10-01T10:05:00.000Z",
            "day": "2026-10-01", "status": "finished", "overall": 80.0, "competencies": {"empathy": 80.0},
            "replies": [{"seq": 0, "turn": "t", "customer": "c", "reply": "r", "sent_at": "2026-10-01T10:01:00.000Z",
                         "score": 80.0, "result": {"score": 80.0}}]}


@pytest.mark.parametrize("change, message", [
    ({"day": "2026-02-30"}, '"day" \'2026-02-30\' is not a YYYY-MM-DD date'),
    ({"day": "20261001"}, "is not a YYYY-MM-DD date"),
    ({"kind": "essay"}, "unknown kind 'essay'"),
    ({"status": "done"}, "unknown status 'done'"),
    ({"uid": ""}, '"uid" is missing'),
    ({"started_at": "yesterday"}, '"started_at" \'yesterday\' is not an ISO 8601 time'),
    ({"ended_at": "2026-10-01T10:05:00"}, '"ended_at"'),  # no time zone: its duration cannot be computed
    ({"replies": [{"seq": 0, "customer": "c", "reply": "r", "sent_at": "s", "score": 1, "result": {}}]}, '"replies"'),
    ({"replies": [{"seq": 0, "turn": "t", "customer": "c", "reply": "r", "sent_at": "s", "score": 1}]}, '"replies"'),
    ({"replies": "none"}, '"replies"'),
    ({"replies": [_valid_attempt("r")["replies"][0]] * 2}, 'two replies have the same "seq"'),
    ({"overall": "high"}, '"overall" must be a number'),
    ({"competencies": {"empathy": "good"}}, '"competencies"'),
    ({"kind": "typing", "replies": [], "typing": {"wpm": 50.0}}, '"typing" must be an object with wpm, accuracy'),
    ({"kind": "typing", "replies": [], "typing": {"wpm": 50.0, "accuracy": 90.0, "pastes": "2"}}, '"typing"'),
])
def test_a_bad_attempt_imports_nothing(store, change, message):
    store.record_chat("retail", "Retail chats", {"duration": 5}, [])
    before = document(store)["attempts"]
    totals = stored_totals(store.conn)
    doc = {"format": "csrpractice-history", "version": 1,
           "attempts": [_valid_attempt("ok-1"), {**_valid_attempt("bad-2"), **change}]}
    with pytest.raises(StoreError) as err:
        import_document(store, doc, "moved.json")
    assert str(err.value).startswith("moved.json: attempt 2: ") and message in str(err.value)
    assert "nothing was imported" in str(err.value)
    assert document(store)["attempts"] == before and stored_totals(store.conn) == totals


def test_a_valid_import_adds_its_totals(store):
    doc = {"format": "csrpractice-history", "version": 1, "attempts": [_valid_attempt("ok-1"), _valid_attempt("ok-2")]}
    assert import_document(store, doc, "a.json") == (2, 0)
    assert import_document(store, doc, "a.json") == (0, 2)
    assert stats(store, today=DAY)["overall"] == {"attempts": 2, "average": 80.0, "first": 80.0, "latest": 80.0}
    assert_totals_consistent(store.conn)


# --- spoken replies ------------------------------------------------------------------------------------------
def test_spoken_replies_keep_their_transcript_and_trend_their_delivery(store, billing, clock):
    from csrpractice.audio.delivery import measure
    from csrpractice.audio.transcribe import Transcript, Word

    def spoken(text: str, gap: float = 0.0) -> dict:
        words, t = [], 0.0
        for i, w in enumerate(text.split()):
            t += gap if i == 3 else 0.0
            words.append(Word(w, round(t, 3), round(t + 0.3, 3), 0.9))
            t += 0.4
        transcript = Transcript(text, round(t + 0.5, 3), tuple(words))
        return {"transcript": transcript.to_dict(), "delivery": measure(transcript).to_dict()}

    session = Session(billing)
    attempt = store.begin_scenario(billing, 0)
    first = spoken("um I'm so sorry about the double charge can you confirm the email on the account", gap=2.5)
    second = spoken("I have refunded the duplicate charge you will see it within three to five business days")
    for seq, voice in enumerate([first, second]):
        record = session.submit(voice["transcript"]["text"], 20.0, voice=voice)
        store.add_reply(attempt, seq, record)
    card = session.scorecard()
    assert [t.delivery for t in card.turns] == [first["delivery"], second["delivery"]]
    store.finish_scenario(attempt, card)

    stored = store.replies(attempt)
    assert [r["voice"] for r in stored] == [first, second]  # the transcript is kept: re-scored from its text
    f = stats(store, today=clock().date())
    d1, d2 = first["delivery"], second["delivery"]
    assert d1["filler_count"] == 1 and len(d1["long_pauses"]) == 1 and d2["filler_count"] == 0
    talk = d1["talk_time"] + d2["talk_time"]
    assert f["voice"]["fillers_per_minute"]["average"] == round(60 / talk, 1)
    assert f["voice"]["long_pauses"]["average"] == 0.5  # one in two spoken replies
    assert f["voice"]["wpm"]["average"] == round((d1["word_count"] + d2["word_count"]) / talk * 60, 1)
    assert f["trend"]["voice"]["wpm"][-1] == f["voice"]["wpm"]["average"]


def test_screenings_are_kept_but_not_counted_as_practice(store, billing, clock):
    play(store, billing, [(GOOD_1, 20.0), (GOOD_2, 30.0)])
    before = stats(store, today=clock().date())
    session = Session(billing, mode="screening")
    attempt = store.begin_scenario(billing, 0, "screening")
    for seq, text in enumerate(["You probably signed up twice.", "Refunds are handled by another team."]):
        if not session.finished:
            store.add_reply(attempt, seq, session.submit(text, 5.0))
    store.finish_scenario(attempt, session.scorecard())
    drill, result = typing_result(95.0, 99.0)
    store.record_typing(drill, result, mode="screening")
    after = stats(store, today=clock().date())
    assert {k: v for k, v in after.items() if k != "practise_next"} == \
        {k: v for k, v in before.items() if k != "practise_next"}
    assert store.typing_best(drill.key) is None  # a screening's typing test is not a personal best
    assert store.query("SELECT COUNT(*) FROM attempts WHERE mode = 'screening' AND status = 'finished'") == [(2,)]


def test_a_typing_drill_is_stored_with_its_duration(store, clock):
    from csrpractice.store.export import rows

    drill, result = typing_result(50.0, 98.0)
    store.record_typing(drill, dataclasses.replace(result, duration=30.0))
    (row,) = rows(store)
    assert row["duration_seconds"] == 30.0 and row["started_at"] < row["ended_at"]
