"""The numbers behind the progress screen and `csrpractice stats`: trends, streaks, bests, what to practise next.

The trends come from the daily totals (kept in step with every attempt), grouped in SQL by chart column (day,
week or month); bests and suggestions from index-only aggregates. A history of 100,000 attempts answers in a
few tens of milliseconds.
"""
from __future__ import annotations

from datetime import date, timedelta

from csrpractice.store import Store

WEAKEST = 3  # competencies suggested in "practise next"
VOICE = ("wpm", "fillers_per_minute", "long_pauses")  # delivery of spoken replies (per scenario attempt)
SUGGESTIONS = 3  # scenarios suggested per weak competency


def _day(d: str | date | None) -> str | None:
    return d.isoformat() if isinstance(d, date) else d


def bucket_size(since: str, until: str) -> str:
    """One chart column per day for up to two months, per week up to a year, per month beyond."""
    days = (date.fromisoformat(until) - date.fromisoformat(since)).days + 1
    return "day" if days <= 62 else "week" if days <= 366 else "month"


def bucket_of(day: str, size: str) -> str:
    if size == "day":
        return day
    d = date.fromisoformat(day)
    if size == "week":
        return (d - timedelta(days=d.weekday())).isoformat()  # the Monday
    return d.replace(day=1).isoformat()


def _buckets(since: str, until: str, size: str) -> list[str]:
    """Every bucket in the range, empty ones included (a gap in practice shows as a gap in the chart)."""
    out, d, end = [], date.fromisoformat(since), date.fromisoformat(until)
    while d <= end:
        b = bucket_of(d.isoformat(), size)
        if not out or out[-1] != b:
            out.append(b)
        d += timedelta(days=1)
    return out


def streaks(days: list[str], today: str) -> dict:
    """Consecutive days practised: the current run (ending today, or yesterday if not yet today) and the longest."""
    if not days:
        return {"current": 0, "longest": 0, "last_day": None}
    ds = sorted({date.fromisoformat(d) for d in days})
    longest = run = 1
    for a, b in zip(ds, ds[1:]):
        run = run + 1 if (b - a).days == 1 else 1
        longest = max(longest, run)
    t = date.fromisoformat(today)
    current = 0
    if (t - ds[-1]).days <= 1:
        current = 1
        for a, b in zip(reversed(ds[:-1]), reversed(ds[1:])):
            if (b - a).days != 1:
                break
            current += 1
    return {"current": current, "longest": longest, "last_day": ds[-1].isoformat()}


def _series(per_bucket: dict[str, tuple[int, float]], buckets: list[str]) -> list[float | None]:
    """Averages per bucket; None where nothing was done."""
    return [round(per_bucket[b][1], 1) if b in per_bucket and per_bucket[b][0] else None for b in buckets]


def _summary(values: list[float | None], per_bucket: dict[str, tuple[int, float]]) -> dict:
    shown = [v for v in values if v is not None]
    n = sum(c for c, _ in per_bucket.values())
    avg = round(sum(c * a for c, a in per_bucket.values()) / n, 1) if n else None
    return {"attempts": n, "average": avg, "first": shown[0] if shown else None,
            "latest": shown[-1] if shown else None}


# How each bucket size groups in SQL (portable: SUBSTR exists in SQLite and PostgreSQL alike).
_GROUP = {"day": "day", "week": "week", "month": "SUBSTR(day, 1, 7)"}


def stats(store: Store, since: str | date | None = None, until: str | date | None = None,
          today: str | date | None = None) -> dict:
    """The progress figures for the days since..until (inclusive; default: all of the history). Practice only:
    screenings are kept in the history but are not counted here."""
    today = _day(today) or date.today().isoformat()
    since, until = _day(since), _day(until)
    lo, hi = since or "0000-01-01", until or "9999-12-31"
    all_days = [d for (d,) in store.query("SELECT DISTINCT day FROM daily_totals WHERE metric IN "
                                          "('scenario', 'typing', 'chat') ORDER BY day")]
    active = [d for d in all_days if lo <= d <= hi]
    first = since or (active[0] if active else today)
    last = until or max(today, active[-1] if active else today)
    size = bucket_size(first, last)
    group = _GROUP[size]
    # Grouped in SQL from the daily totals: a few rows per chart column, however long the history.
    metrics: dict[str, dict[str, tuple[int, float]]] = {}
    for bucket, metric, n, total in store.query(
            f"SELECT {group}, metric, SUM(n), SUM(total) FROM daily_totals WHERE day >= ? AND day <= ? "
            f"GROUP BY {group}, metric", (lo, hi)):
        key = bucket + "-01" if size == "month" else bucket
        metrics.setdefault(metric, {})[key] = (n, total / n if n else 0.0)

    def series(metric: str) -> list[float | None]:
        return _series(metrics.get(metric, {}), buckets)

    def count(metric: str) -> int:
        return sum(n for n, _ in metrics.get(metric, {}).values())

    buckets = _buckets(first, last, size)
    comp_names = sorted(m.split(".", 1)[1] for m in metrics if m.startswith("competency."))
    trend = {"bucket": size, "periods": buckets, "overall": series("scenario"), "wpm": series("typing.wpm"),
             "accuracy": series("typing.accuracy"),
             "competencies": {c: series(f"competency.{c}") for c in comp_names},
             "voice": {m: series(f"voice.{m}") for m in VOICE}}
    competencies = {c: _summary(trend["competencies"][c], metrics[f"competency.{c}"]) for c in comp_names}
    return {
        "range": {"since": since, "until": until, "first_day": first, "last_day": last},
        "today": today,
        "attempts": {"scenarios": count("scenario"), "typing": count("typing"), "chat": count("chat")},
        "days_practised": len(active),
        "streak": streaks(all_days, today),
        "overall": _summary(trend["overall"], metrics.get("scenario", {})),
        "wpm": _summary(trend["wpm"], metrics.get("typing.wpm", {})),
        "accuracy": _summary(trend["accuracy"], metrics.get("typing.accuracy", {})),
        "competencies": competencies,
        "voice": {m: _summary(trend["voice"][m], metrics.get(f"voice.{m}", {})) for m in VOICE},
        "trend": trend,
        "bests": bests(store),
        "practise_next": practise_next(store, competencies),
    }


def bests(store: Store) -> dict:
    """Personal bests over the whole history: each scenario's best score, each typing drill's best WPM."""
    def title(kind: str, item: str) -> str:  # one row per item, not an aggregate over every attempt
        return store.query("SELECT title FROM attempts WHERE kind = ? AND mode = 'practice' AND item_id = ? LIMIT 1",
                           (kind, item))[0][0]

    scenarios = [{"scenario": i, "title": title("scenario", i), "best": b, "attempts": n} for i, b, n in store.query(
        "SELECT item_id, MAX(overall), COUNT(*) FROM attempts WHERE kind = 'scenario' AND mode = 'practice' "
        "AND status = 'finished' GROUP BY item_id ORDER BY MAX(overall) DESC, item_id")]
    typing = []
    for key, top in store.query(
            "SELECT item_id, MAX(wpm) FROM attempts WHERE kind = 'typing' AND mode = 'practice' "
            "AND status = 'finished' AND wpm IS NOT NULL GROUP BY item_id ORDER BY MAX(wpm) DESC, item_id"):
        acc, day = store.query("SELECT accuracy, day FROM attempts WHERE kind = 'typing' AND mode = 'practice' "
                               "AND item_id = ? AND status = 'finished' AND wpm = ? ORDER BY day LIMIT 1",
                               (key, top))[0]
        typing.append({"drill": key, "label": title("typing", key), "wpm": top, "accuracy": acc, "when": day})
    return {"scenarios": scenarios, "typing": typing}


def practise_next(store: Store, competencies: dict[str, dict]) -> dict:
    """The weakest competencies (lowest average in the range) and the scenarios that train them, untried
    ones first, then the lowest best score; and the scenarios never tried."""
    catalog = store.catalog()
    tried = {i: (b, n) for i, b, n in store.query(
        "SELECT item_id, MAX(overall), COUNT(*) FROM attempts WHERE kind = 'scenario' AND mode = 'practice' "
        "AND status IN ('finished', 'left') GROUP BY item_id")}
    ranked = sorted((v["average"], c) for c, v in competencies.items() if v["average"] is not None)
    weakest = []
    for avg, comp in ranked[:WEAKEST]:
        training = [e for e in catalog if comp in e["competencies"]]
        # Most relevant first (the competency high in the scenario's list), untried first, then weakest result.
        training.sort(key=lambda e: (e["id"] in tried, (tried.get(e["id"], (0, 0))[0] or 0),
                                     e["competencies"].index(comp), e["difficulty"], e["id"]))
        weakest.append({"competency": comp, "average": avg, "scenarios": [
            {"id": e["id"], "title": e["title"], "tried": e["id"] in tried,
             "best": tried.get(e["id"], (None, 0))[0]} for e in training[:SUGGESTIONS]]})
    not_tried = [{"id": e["id"], "title": e["title"], "difficulty": e["difficulty"]}
                 for e in catalog if e["id"] not in tried]
    return {"weakest": weakest, "not_tried": not_tried, "catalog_size": len(catalog)}


def catalog_entries(scenarios) -> list[dict]:
    """What the catalog keeps of each loaded scenario."""
    return [{"id": s.id, "title": s.title, "kind": s.kind, "difficulty": s.difficulty,
             "competencies": s.competencies(), "source": str(s.file)} for s in scenarios]
