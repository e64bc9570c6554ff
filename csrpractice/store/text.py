"""`csrpractice stats` as plain text: the progress figures with sparklines, for a terminal or a log."""
from __future__ import annotations

from csrpractice.charts import resample, sparkline

WIDTH = 40  # sparkline columns


def _n(v: float | None, unit: str = "") -> str:
    return "–" if v is None else f"{v:.1f}{unit}"


def _line(label: str, summary: dict, series: list, high: float, unit: str = "") -> str:
    if not summary["attempts"]:
        return f"  {label:<16} no attempts in this range\n"
    return (f"  {label:<16} avg {_n(summary['average'], unit):>7}   {_n(summary['first'], unit):>7} → "
            f"{_n(summary['latest'], unit):<7}  {sparkline(resample(series, WIDTH), 0, high)}\n")


def stats_text(f: dict) -> str:
    r, a, s = f["range"], f["attempts"], f["streak"]
    span = "all time" if not (r["since"] or r["until"]) else f"{r['since'] or 'the start'} to {r['until'] or 'today'}"
    out = [f"Progress, {span} ({r['first_day']} to {r['last_day']}, one chart column per {f['trend']['bucket']})\n",
           f"Practice: {a['scenarios']:,} scenario(s), {a['typing']:,} typing drill(s), {a['chat']:,} chat drill(s) "
           f"on {f['days_practised']:,} day(s)\n",
           f"Streak: {s['current']} day(s) in a row" + (f" (longest {s['longest']}; last practised {s['last_day']})"
                                                        if s["last_day"] else "") + "\n\n",
           "Trends           average     first → latest\n"]
    t = f["trend"]
    out.append(_line("Overall score", f["overall"], t["overall"], 100))
    for comp, summary in f["competencies"].items():
        out.append(_line("  " + comp.replace("_", " "), summary, t["competencies"][comp], 100))
    top_wpm = max([v for v in t["wpm"] if v is not None] + [60])
    out.append(_line("WPM", f["wpm"], t["wpm"], top_wpm))
    out.append(_line("Accuracy", f["accuracy"], t["accuracy"], 100, "%"))
    b = f["bests"]
    out.append("\nPersonal bests\n")
    if not b["scenarios"] and not b["typing"]:
        out.append("  none yet\n")
    for x in b["scenarios"][:5]:
        out.append(f"  {x['title'][:40]:<40} {x['best']:g}/100 ({x['attempts']} attempt(s))\n")
    if len(b["scenarios"]) > 5:
        out.append(f"  … and {len(b['scenarios']) - 5} more scenario(s)\n")
    for x in b["typing"]:
        out.append(f"  typing: {x['label'][:32]:<32} {x['wpm']:.0f} WPM, {x['accuracy']:.0f}% on {x['when']}\n")
    p = f["practise_next"]
    out.append("\nPractise next\n")
    if not p["weakest"]:
        out.append("  finish a scenario to see your weakest competencies\n")
    for w in p["weakest"]:
        picks = ", ".join(f"{x['title']} ({'best ' + format(x['best'], 'g') if x['tried'] else 'not tried'})"
                          for x in w["scenarios"]) or "no scenario in the library trains it"
        out.append(f"  {w['competency'].replace('_', ' ')} (avg {w['average']:.1f}): {picks}\n")
    if p["not_tried"]:
        names = ", ".join(x["title"] for x in p["not_tried"][:5])
        more = f" and {len(p['not_tried']) - 5} more" if len(p["not_tried"]) > 5 else ""
        out.append(f"  not tried yet: {names}{more}\n")
    return "".join(out)
