"""The history database's schema, as an ordered list of migrations; the store runs the missing ones on open.

SQL here stays portable between SQLite and PostgreSQL (a later release adds PostgreSQL for teams): standard
types only (INTEGER, REAL, TEXT), JSON kept as TEXT, times as ISO 8601 text in UTC, and local calendar days
as 'YYYY-MM-DD' text, computed in Python rather than with a dialect's date functions. The one dialect
difference, the auto-numbered key, is the `{pk}` placeholder.
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Callable

DIALECT = {"sqlite": {"pk": "INTEGER PRIMARY KEY"}, "postgresql": {"pk": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"}}

# Version 1: attempts, the replies of each, typing results.
V1 = [
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE attempts (
        id {pk},
        uid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('scenario', 'typing', 'chat')),
        mode TEXT NOT NULL CHECK (mode IN ('practice', 'screening')),
        item_id TEXT NOT NULL,
        title TEXT NOT NULL,
        item_version INTEGER,
        content_hash TEXT,
        engine_version TEXT NOT NULL,
        app_version TEXT NOT NULL,
        seed INTEGER,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        day TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('in_progress', 'finished', 'left', 'discarded')),
        overall REAL,
        outcome TEXT,
        scorecard TEXT
    )""",
    """CREATE TABLE replies (
        attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        turn TEXT NOT NULL,
        customer TEXT NOT NULL,
        reply TEXT NOT NULL,
        seconds REAL,
        sent_at TEXT NOT NULL,
        score REAL NOT NULL,
        mood_before INTEGER,
        mood_after INTEGER,
        next_turn TEXT,
        over_time INTEGER NOT NULL DEFAULT 0,
        result TEXT NOT NULL,
        PRIMARY KEY (attempt_id, seq)
    )""",
    """CREATE TABLE typing_results (
        attempt_id INTEGER PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
        wpm REAL NOT NULL,
        raw_wpm REAL,
        net_wpm REAL,
        accuracy REAL NOT NULL,
        consistency REAL,
        errors INTEGER,
        duration REAL,
        keystrokes INTEGER,
        backspaces INTEGER,
        pastes INTEGER NOT NULL DEFAULT 0,
        typed TEXT,
        per_second TEXT,
        raw_per_second TEXT,
        key_errors TEXT
    )""",
    "CREATE INDEX attempts_kind_day ON attempts (kind, day)",
]

# Version 2: the reply box's draft, voice metrics per reply, per-competency scores, typing figures on the
# attempt, daily totals for the progress trends, and a catalog of the scenario library.
V2 = [
    "ALTER TABLE attempts ADD COLUMN draft TEXT",
    "ALTER TABLE attempts ADD COLUMN draft_at TEXT",
    "ALTER TABLE attempts ADD COLUMN wpm REAL",
    "ALTER TABLE attempts ADD COLUMN accuracy REAL",
    "ALTER TABLE replies ADD COLUMN voice TEXT",
    """CREATE TABLE attempt_competencies (
        attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
        competency TEXT NOT NULL,
        score REAL NOT NULL,
        PRIMARY KEY (attempt_id, competency)
    )""",
    # Running totals per day and figure of practice attempts (not screenings), updated in the same transaction
    # as the attempt they count: the progress trends read a few rows per day however long the history is.
    """CREATE TABLE daily_totals (
        day TEXT NOT NULL,
        week TEXT NOT NULL,
        metric TEXT NOT NULL,
        n INTEGER NOT NULL,
        total REAL NOT NULL,
        PRIMARY KEY (day, metric)
    )""",
    "DROP INDEX attempts_kind_day",
    "CREATE INDEX attempts_day ON attempts (day, started_at)",
    "CREATE INDEX attempts_item ON attempts (kind, mode, item_id, status, overall, wpm, accuracy, day)",
    "CREATE INDEX attempts_status ON attempts (status, kind)",
    """CREATE TABLE scenario_catalog (
        scenario_id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        kind TEXT NOT NULL,
        difficulty INTEGER NOT NULL,
        competencies TEXT NOT NULL,
        source TEXT NOT NULL
    )""",
]


def week_of(day: str) -> str:
    """The Monday of the week a 'YYYY-MM-DD' day is in."""
    d = date.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).isoformat()


def voice_figures(deliveries: list[dict]) -> dict[str, float]:
    """One attempt's delivery over its spoken replies: words per minute and fillers per minute of talk
    time, and long pauses per spoken reply."""
    try:
        return _voice_figures([d for d in deliveries if d])
    except (TypeError, ValueError, KeyError, ZeroDivisionError, AttributeError):
        return {}  # figures this version did not write (an edited import): left out of the trends


def _voice_figures(spoken: list[dict]) -> dict[str, float]:
    talk = float(sum(d.get("talk_time") or 0.0 for d in spoken))
    if not spoken or talk <= 0:
        return {}
    out = {"voice.fillers_per_minute": sum(d.get("filler_count", 0) for d in spoken) / talk * 60,
           "voice.long_pauses": sum(len(d.get("long_pauses") or ()) for d in spoken) / len(spoken)}
    paced = [d for d in spoken if d.get("wpm") is not None]
    if paced:
        out["voice.wpm"] = sum(d["word_count"] for d in paced) / sum(d["talk_time"] for d in paced) * 60
    return out


def totals_for(kind: str, overall: float | None, wpm: float | None, accuracy: float | None,
               competencies: dict[str, float], deliveries: list[dict] = ()) -> dict[str, float]:
    """The daily-total figures one finished attempt adds: metric -> value (counted once, summed)."""
    if kind == "scenario":
        out = {"scenario": overall or 0.0}
        out.update({f"competency.{c}": float(v) for c, v in competencies.items()})
        out.update(voice_figures(list(deliveries)))
        return out
    if kind == "typing":
        out = {"typing": 0.0}
        if wpm is not None:  # pasted results have none: they never count in the trends
            out.update({"typing.wpm": wpm, "typing.accuracy": accuracy or 0.0})
        return out
    return {kind: 0.0}


def add_totals(conn, day: str, figures: dict[str, float]) -> None:
    conn.executemany(
        "INSERT INTO daily_totals (day, week, metric, n, total) VALUES (?, ?, ?, 1, ?) "
        "ON CONFLICT (day, metric) DO UPDATE SET n = daily_totals.n + 1, total = daily_totals.total + excluded.total",
        [(day, week_of(day), metric, value) for metric, value in figures.items()])


def _backfill_v2(conn) -> None:
    """Fill what version 2 added from what version 1 kept (scorecards and typing results)."""
    conn.execute("UPDATE attempts SET wpm = (SELECT t.wpm FROM typing_results t WHERE t.attempt_id = attempts.id), "
                 "accuracy = (SELECT t.accuracy FROM typing_results t WHERE t.attempt_id = attempts.id) "
                 "WHERE kind = 'typing' AND (SELECT t.pastes FROM typing_results t WHERE t.attempt_id = attempts.id) = 0")
    rows = conn.execute("SELECT id, kind, day, overall, wpm, accuracy, scorecard, mode FROM attempts "
                        "WHERE status = 'finished'").fetchall()
    for attempt_id, kind, day, overall, wpm, accuracy, card, mode in rows:
        competencies = {}
        if kind == "scenario" and card:
            try:
                competencies = {c: float(v) for c, v in (json.loads(card).get("competencies") or {}).items()}
            except (ValueError, AttributeError, TypeError):
                competencies = {}
        conn.executemany("INSERT INTO attempt_competencies (attempt_id, competency, score) VALUES (?, ?, ?)",
                         [(attempt_id, c, v) for c, v in competencies.items()])
        if mode == "practice":  # screenings are kept, but they are not practice
            add_totals(conn, day, totals_for(kind, overall, wpm, accuracy, competencies))


# (version, statements, then a Python step over the same connection, inside the same transaction)
MIGRATIONS: list[tuple[int, list[str], Callable | None]] = [
    (1, V1, None),
    (2, V2, _backfill_v2),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def statements(sql: list[str], dialect: str = "sqlite") -> list[str]:
    return [s.format(**DIALECT[dialect]) for s in sql]
