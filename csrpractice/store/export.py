"""The history as rows (`history`, CSV export) and as a full JSON document (export and import).

The CSV columns and the JSON fields are stable: docs/history.md documents them, and a test holds them fixed.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Iterable

from csrpractice.competencies import COMPETENCIES
from csrpractice.store import Store, StoreError
from csrpractice.store.schema import add_totals, totals_for, week_of

EXPORT_FORMAT = "csrpractice-history"
EXPORT_VERSION = 1

# One row per attempt. Competency columns are empty where the attempt did not assess that competency.
ROW_COLUMNS = ["attempt", "kind", "mode", "item_id", "title", "item_version", "content_hash", "engine_version",
               "app_version", "started_at", "ended_at", "day", "status", "outcome", "overall", "wpm", "accuracy",
               "replies", "duration_seconds"]
CSV_COLUMNS = ROW_COLUMNS + list(COMPETENCIES)

_ATTEMPT_FIELDS = ["uid", "kind", "mode", "item_id", "title", "item_version", "content_hash", "engine_version",
                   "app_version", "seed", "started_at", "ended_at", "day", "status", "overall", "outcome", "wpm",
                   "accuracy", "draft", "draft_at"]
_REPLY_FIELDS = ["seq", "turn", "customer", "reply", "seconds", "sent_at", "score", "mood_before", "mood_after",
                 "next_turn", "over_time", "result", "voice"]
_TYPING_FIELDS = ["wpm", "raw_wpm", "net_wpm", "accuracy", "consistency", "errors", "duration", "keystrokes",
                  "backspaces", "pastes", "typed", "per_second", "raw_per_second", "key_errors"]
_JSON_COLUMNS = {"result", "voice", "per_second", "raw_per_second", "key_errors", "scorecard"}
_TEXT_FIELDS = {"title", "draft", "customer", "reply", "typed"}  # free text, redacted on import


def _duration(start: str, end: str | None) -> float | None:
    if not end:
        return None
    return round((datetime.fromisoformat(end.replace("Z", "+00:00")) -
                  datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds(), 1)


def _where(since: str | None, until: str | None, kind: str | None, include_discarded: bool) -> tuple[str, list]:
    clauses, params = [], []
    if since:
        clauses.append("a.day >= ?")
        params.append(since)
    if until:
        clauses.append("a.day <= ?")
        params.append(until)
    if kind:
        clauses.append("a.kind = ?")
        params.append(kind)
    if not include_discarded:
        clauses.append("a.status <> 'discarded'")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def rows(store: Store, since: str | None = None, until: str | None = None, kind: str | None = None,
         limit: int | None = None, newest_first: bool = False) -> list[dict]:
    """One dict per attempt with the ROW_COLUMNS, plus `competencies` ({name: score})."""
    where, params = _where(since, until, kind, include_discarded=False)
    order = "DESC" if newest_first else "ASC"
    sql = ("SELECT a.id, a.uid, a.kind, a.mode, a.item_id, a.title, a.item_version, a.content_hash, a.engine_version, "
           "a.app_version, a.started_at, a.ended_at, a.day, a.status, a.outcome, a.overall, a.wpm, a.accuracy, "
           "(SELECT COUNT(*) FROM replies r WHERE r.attempt_id = a.id) FROM attempts a" + where +
           f" ORDER BY a.started_at {order}, a.id {order}" + (" LIMIT ?" if limit else ""))
    found = store.query(sql, tuple(params + ([limit] if limit else [])))
    comps: dict[int, dict[str, float]] = {}
    if found:
        ids = [r[0] for r in found]
        for i in range(0, len(ids), 500):  # bounded IN lists, portable and quick
            chunk = ids[i:i + 500]
            for aid, comp, score in store.query(
                    "SELECT attempt_id, competency, score FROM attempt_competencies WHERE attempt_id IN "
                    f"({', '.join('?' * len(chunk))})", tuple(chunk)):
                comps.setdefault(aid, {})[comp] = score
    out = []
    for (aid, uid, kind_, mode, item, title, version, chash, engine, app, start, end, day, status, outcome, overall,
         wpm, acc, replies) in found:
        out.append({"attempt": uid, "kind": kind_, "mode": mode, "item_id": item, "title": title,
                    "item_version": version, "content_hash": chash, "engine_version": engine, "app_version": app,
                    "started_at": start, "ended_at": end, "day": day, "status": status, "outcome": outcome,
                    "overall": overall, "wpm": wpm, "accuracy": acc, "replies": replies,
                    "duration_seconds": _duration(start, end), "competencies": comps.get(aid, {})})
    return out


def csv_rows(store: Store, **filters) -> Iterable[list]:
    """The CSV table: CSV_COLUMNS, then one row per attempt (empty cells for missing values)."""
    yield CSV_COLUMNS
    for r in rows(store, **filters):
        yield [("" if r[c] is None else r[c]) for c in ROW_COLUMNS] + \
              [("" if comp not in r["competencies"] else r["competencies"][comp]) for comp in COMPETENCIES]


def document(store: Store, since: str | None = None, until: str | None = None, exported_at: str = "") -> dict:
    """Everything about every attempt (discarded ones too: nothing is lost), for a JSON export."""
    from csrpractice.store.schema import SCHEMA_VERSION

    where, params = _where(since, until, None, include_discarded=True)
    attempts = []
    cols = ", ".join(f"a.{f}" for f in _ATTEMPT_FIELDS)
    found = store.query(f"SELECT a.id, {cols}, a.scorecard FROM attempts a{where} ORDER BY a.started_at, a.id",
                        tuple(params))
    by_id: dict[int, dict] = {}
    for row in found:
        a = dict(zip(_ATTEMPT_FIELDS, row[1:-1]))
        a["scorecard"] = json.loads(row[-1]) if row[-1] else None
        a["competencies"] = {}
        a["replies"] = []
        a["typing"] = None
        by_id[row[0]] = a
        attempts.append(a)
    if by_id:
        lo = min(by_id)
        for aid, comp, score in store.query("SELECT attempt_id, competency, score FROM attempt_competencies "
                                            "WHERE attempt_id >= ? ORDER BY attempt_id, competency", (lo,)):
            if aid in by_id:
                by_id[aid]["competencies"][comp] = score
        for row in store.query(f"SELECT attempt_id, {', '.join(_REPLY_FIELDS)} FROM replies WHERE attempt_id >= ? "
                               "ORDER BY attempt_id, seq", (lo,)):
            if row[0] in by_id:
                reply = dict(zip(_REPLY_FIELDS, row[1:]))
                for k in ("result", "voice"):
                    reply[k] = json.loads(reply[k]) if reply[k] else None
                reply["over_time"] = bool(reply["over_time"])
                by_id[row[0]]["replies"].append(reply)
        for row in store.query(f"SELECT attempt_id, {', '.join(_TYPING_FIELDS)} FROM typing_results "
                               "WHERE attempt_id >= ?", (lo,)):
            if row[0] in by_id:
                t = dict(zip(_TYPING_FIELDS, row[1:]))
                for k in ("per_second", "raw_per_second", "key_errors"):
                    t[k] = json.loads(t[k]) if t[k] else None
                by_id[row[0]]["typing"] = t
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "schema_version": SCHEMA_VERSION,
            "exported_at": exported_at, "attempts": attempts}


def import_document(store: Store, doc, source: str) -> tuple[int, int]:
    """Add the attempts of an exported document that this history does not have yet (matched by their
    `uid`); all or nothing. Returns (added, already there)."""
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        raise StoreError(f"{source} is not a csrpractice history export (no \"format\": \"{EXPORT_FORMAT}\")")
    if not isinstance(doc.get("version"), int) or doc["version"] > EXPORT_VERSION:
        raise StoreError(f"{source} is export version {doc.get('version')!r}; this csrpractice reads up to version "
                         f"{EXPORT_VERSION}: upgrade csrpractice")
    attempts = doc.get("attempts")
    if not isinstance(attempts, list):
        raise StoreError(f"{source}: \"attempts\" must be a list")
    for n, a in enumerate(attempts, start=1):
        problem = _check_attempt(a)
        if problem:
            raise StoreError(f"{source}: attempt {n}: {problem}; nothing was imported")
    from csrpractice.store import _json
    from scoring import redact

    def text(v):  # free text is redacted on the way in, as everything the store writes
        return redact(v) if isinstance(v, str) else v

    added = skipped = 0
    with store._write() as c:
        for a in attempts:
            if c.execute("SELECT 1 FROM attempts WHERE uid = ?", (a["uid"],)).fetchone():
                skipped += 1
                continue
            aid = c.execute(
                f"INSERT INTO attempts ({', '.join(_ATTEMPT_FIELDS)}, scorecard) VALUES "
                f"({', '.join('?' * (len(_ATTEMPT_FIELDS) + 1))}) RETURNING id",
                tuple(text(a.get(f)) if f in _TEXT_FIELDS else a.get(f) for f in _ATTEMPT_FIELDS) +
                (_json(a["scorecard"]) if a.get("scorecard") is not None else None,)).fetchone()[0]
            competencies = a.get("competencies") or {}
            c.executemany("INSERT INTO attempt_competencies (attempt_id, competency, score) VALUES (?, ?, ?)",
                          [(aid, k, v) for k, v in competencies.items()])
            if a["status"] == "finished" and a["mode"] == "practice":
                card = a.get("scorecard") if isinstance(a.get("scorecard"), dict) else {}
                deliveries = [t["delivery"] for t in card.get("turns") or []
                              if isinstance(t, dict) and isinstance(t.get("delivery"), dict)]
                add_totals(c, a["day"], totals_for(a["kind"], a.get("overall"), a.get("wpm"), a.get("accuracy"),
                                                   competencies, deliveries))
            c.executemany(
                f"INSERT INTO replies (attempt_id, {', '.join(_REPLY_FIELDS)}) VALUES "
                f"(?, {', '.join('?' * len(_REPLY_FIELDS))})",
                [(aid, *[(_json(r.get(f)) if f in _JSON_COLUMNS and r.get(f) is not None else
                          int(r.get(f) or 0) if f == "over_time" else
                          text(r.get(f)) if f in _TEXT_FIELDS else r.get(f)) for f in _REPLY_FIELDS])
                 for r in a.get("replies") or []])
            t = a.get("typing")
            if t:
                c.execute(f"INSERT INTO typing_results (attempt_id, {', '.join(_TYPING_FIELDS)}) VALUES "
                          f"(?, {', '.join('?' * len(_TYPING_FIELDS))})",
                          (aid, *[(_json(t.get(f)) if f in _JSON_COLUMNS and t.get(f) is not None else
                                   int(t.get(f) or 0) if f == "pastes" else
                                   text(t.get(f)) if f in _TEXT_FIELDS else t.get(f)) for f in _TYPING_FIELDS]))
            added += 1
    return added, skipped


def _check_attempt(a) -> str:
    if not isinstance(a, dict):
        return "not an object"
    for f in ("uid", "kind", "mode", "item_id", "title", "engine_version", "app_version", "started_at", "day",
              "status"):
        if not isinstance(a.get(f), str) or not a[f]:
            return f"\"{f}\" is missing or not text"
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", a["day"]):
            raise ValueError
        week_of(a["day"])
    except ValueError:
        return f"\"day\" {a['day']!r} is not a YYYY-MM-DD date"
    for f in ("started_at", "ended_at"):
        if a.get(f) is not None and not _is_time(a[f]):
            return f"\"{f}\" {a[f]!r} is not an ISO 8601 time with its time zone, like 2026-10-01T18:00:00Z"
    if a["kind"] not in ("scenario", "typing", "chat"):
        return f"unknown kind {a['kind']!r}"
    if a["mode"] not in ("practice", "screening"):
        return f"unknown mode {a['mode']!r}"
    if a["status"] not in ("in_progress", "finished", "left", "discarded"):
        return f"unknown status {a['status']!r}"
    if not isinstance(a.get("replies", []), list) or not all(
            isinstance(r, dict) and isinstance(r.get("seq"), int) and isinstance(r.get("result"), dict)
            and all(isinstance(r.get(f), str) for f in ("turn", "customer", "reply", "sent_at"))
            and isinstance(r.get("score"), (int, float)) for r in a.get("replies") or []):
        return "\"replies\" must be a list of reply objects with seq, turn, customer, reply, sent_at, score, result"
    seqs = [r["seq"] for r in a.get("replies") or []]
    if len(seqs) != len(set(seqs)):
        return "two replies have the same \"seq\""
    for f in ("overall", "wpm", "accuracy"):
        if a.get(f) is not None and not isinstance(a[f], (int, float)):
            return f"\"{f}\" must be a number"
    comps = a.get("competencies") or {}
    if not isinstance(comps, dict) or not all(isinstance(v, (int, float)) for v in comps.values()):
        return "\"competencies\" must be an object of scores"
    if a.get("typing") is not None and not (isinstance(a["typing"], dict) and
                                           isinstance(a["typing"].get("wpm"), (int, float)) and
                                           isinstance(a["typing"].get("accuracy"), (int, float)) and
                                           isinstance(a["typing"].get("pastes") or 0, int)):
        return "\"typing\" must be an object with wpm, accuracy and a whole number of pastes"
    return ""


def _is_time(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None  # durations need one
    except ValueError:
        return False
