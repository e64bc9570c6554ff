"""Generates a realistic practice history of any size for the history benchmarks: scenario attempts with
their replies, turn results, scorecards and competencies, typing drills with per-second series, and chat
drills, spread over two years of practice days. Written straight into a real database made by the Store
(so the schema and its indexes are the app's own), in one transaction for speed."""
from __future__ import annotations

import json
import random
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from csrpractice import __version__
from csrpractice.store import Store
from csrpractice.store.schema import add_totals, totals_for
from scoring import ENGINE_VERSION

SCENARIOS = [(f"scenario-{i:02d}", f"Practice scenario {i}") for i in range(23)]
COMPETENCIES = ["courtesy", "empathy", "ownership", "clarity", "compliance", "problem_solving", "professionalism"]
DRILLS = [("time-30", "Timed, 30 s"), ("time-60", "Timed, 60 s"), ("words-25", "25 words"), ("passage", "Passage")]
REPLY = ("I'm so sorry about the double charge, that must be frustrating. I can see both payments on your "
         "account and I'll refund the duplicate today; you'll see it within 3 to 5 business days.")


def _result(score: float) -> str:
    items = [{"name": n, "role": "required", "matched": score > 50 or i % 2 == 0, "points": 1.0, "possible": 1.0,
              "competency": c, "spans": [[0, 12]], "evidence": "pattern"}
             for i, (n, c) in enumerate([("empathy", "empathy"), ("ownership", "ownership"),
                                          ("next_steps", "clarity"), ("apology", "empathy")])]
    return json.dumps({"score": score, "auto_failed": [], "markers": ["empathy", "apology", "ownership"],
                       "explanation": ["+ empathy: \"that must be frustrating\"", "- next_steps: no timeline"],
                       "items": items}, separators=(",", ":"))


def generate(path: Path, attempts: int, seed: int = 1, today: date | None = None, days: int = 730) -> Store:
    """A database at `path` holding `attempts` finished attempts (80% scenarios, 17% typing, 3% chat)."""
    rng = random.Random(seed)
    store = Store.open(path)
    today = today or date.today()
    c = store.conn
    c.execute("BEGIN")
    for n in range(attempts):
        # Practice gets better over time, with noise, so the trends have a shape.
        day = today - timedelta(days=int(days * (1 - (n / attempts) ** 0.8)))
        progress = 1 - (today - day).days / days
        start = datetime(day.year, day.month, day.day, 18, 0, tzinfo=timezone.utc) + timedelta(seconds=n % 3600)
        end = start + timedelta(minutes=6)
        kind = rng.choices(["scenario", "typing", "chat"], [80, 17, 3])[0]
        iso_s, iso_e = start.isoformat().replace("+00:00", "Z"), end.isoformat().replace("+00:00", "Z")
        if kind == "scenario":
            sid, title = rng.choice(SCENARIOS)
            overall = round(min(100, max(0, rng.gauss(45 + 40 * progress, 15))), 1)
            comps = {cname: round(min(100, max(0, rng.gauss(overall, 12))), 1)
                     for cname in rng.sample(COMPETENCIES, 4)}
            turns = rng.randint(3, 6)
            card = {"scenario": sid, "title": title, "version": 1, "overall": overall, "competencies": comps,
                    "outcome": "resolved", "turns": [{"turn": f"t{i}", "reply": REPLY, "score": overall}
                                                     for i in range(turns)]}
            aid = c.execute(
                "INSERT INTO attempts (uid, kind, mode, item_id, title, item_version, content_hash, engine_version, "
                "app_version, seed, started_at, ended_at, day, status, overall, outcome, scorecard) VALUES "
                "(?, 'scenario', 'practice', ?, ?, 1, 'sha256:x', ?, ?, 0, ?, ?, ?, 'finished', ?, 'resolved', ?) "
                "RETURNING id", (uuid.uuid4().hex, sid, title, ENGINE_VERSION, __version__, iso_s, iso_e,
                                 day.isoformat(), overall, json.dumps(card))).fetchone()[0]
            c.executemany(
                "INSERT INTO replies (attempt_id, seq, turn, customer, reply, seconds, sent_at, score, mood_before, "
                "mood_after, next_turn, over_time, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 5, 5, ?, 0, ?)",
                [(aid, i, f"t{i}", "I was charged twice and nobody has fixed it!", REPLY, 30.0, iso_s, overall,
                  f"t{i + 1}", _result(overall)) for i in range(turns)])
            c.executemany("INSERT INTO attempt_competencies (attempt_id, competency, score) VALUES (?, ?, ?)",
                          [(aid, k, v) for k, v in comps.items()])
            add_totals(c, day.isoformat(), totals_for("scenario", overall, None, None, comps))
        elif kind == "typing":
            key, label = rng.choice(DRILLS)
            wpm = round(max(10, rng.gauss(30 + 25 * progress, 6)), 1)
            acc = round(min(100, max(70, rng.gauss(90 + 6 * progress, 3))), 1)
            aid = c.execute(
                "INSERT INTO attempts (uid, kind, mode, item_id, title, engine_version, app_version, started_at, "
                "ended_at, day, status, wpm, accuracy) VALUES (?, 'typing', 'practice', ?, ?, ?, ?, ?, ?, ?, "
                "'finished', ?, ?) RETURNING id",
                (uuid.uuid4().hex, key, label, ENGINE_VERSION, __version__, iso_s, iso_e, day.isoformat(), wpm,
                 acc)).fetchone()[0]
            series = [round(rng.gauss(wpm, 5), 1) for _ in range(30)]
            c.execute("INSERT INTO typing_results (attempt_id, wpm, raw_wpm, net_wpm, accuracy, consistency, errors, "
                      "duration, keystrokes, backspaces, pastes, typed, per_second, raw_per_second, key_errors) "
                      "VALUES (?, ?, ?, ?, ?, 80, 2, 30, 150, 5, 0, ?, ?, ?, '{}')",
                      (aid, wpm, wpm + 3, wpm - 1, acc, REPLY[:120], json.dumps(series), json.dumps(series)))
            add_totals(c, day.isoformat(), totals_for("typing", None, wpm, acc, {}))
        else:
            c.execute(
                "INSERT INTO attempts (uid, kind, mode, item_id, title, engine_version, app_version, started_at, "
                "ended_at, day, status, scorecard) VALUES (?, 'chat', 'practice', 'chat-retail', 'Retail chats', "
                "?, ?, ?, ?, ?, 'finished', ?)",
                (uuid.uuid4().hex, ENGINE_VERSION, __version__, iso_s, iso_e, day.isoformat(),
                 json.dumps({"figures": {"longest_wait": 40, "wpm": 38}})))
            add_totals(c, day.isoformat(), totals_for("chat", None, None, None, {}))
    c.execute("COMMIT")
    store.update_catalog([{"id": sid, "title": t, "kind": "customer", "difficulty": 1 + i % 5,
                           "competencies": rng.sample(COMPETENCIES, 4), "source": "generated"}
                          for i, (sid, t) in enumerate(SCENARIOS + [("never-tried", "A scenario not tried yet")])])
    c.execute("ANALYZE")
    return store
