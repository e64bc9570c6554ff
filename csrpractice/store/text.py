"""`csrpractice stats` as plain text: the progress figures with sparklines, for a terminal or a log."""
from __future__ import annotations

from csrpractice.charts import resample, sparkline

WIDTH = 40  # sparkline columns


def _n(v: float | None, unit: str = "") -> str:
    return "–" if v is None else f"{v:.1f}{unit}"


def _line(label: str, summary: dict, series: list, unit: str = "") -> str:
    """'label  average  first → latest  sparkline', the sparkline scaled from the series' lowest to highest."""
    if not summary["attempts"]:
        return f"  {label:<18} no attempts in this range\n"
    shown = [v for v in series if v is not None]
    low, high = min(shown), max(shown)
    line = sparkline(resample(series, WIDTH), low - (high - low) * 0.15 - 1e-6, high)
    return (f"  {label:<18} {_n(summary['average'], unit):>7}   {_n(summary['first'], unit):>7} → "
            f"{_n(summary['latest'], unit):<7}  {line}\n")


def stats_text(f: dict) -> str:
    r, a, s = f["range"], f["attempts"], f["streak"]
    span = "all time" if not (r["since"] or r["until"]) else f"{r['since'] or 'the start'} to {r['until'] or 'today'}"
    out = [f"Progress, {span} ({r['first_day']} to {r['last_day']}, one chart column per {f['trend']['bucket']})\n",
           f"Practice: {a['scenarios']:,} scenario(s), {a['typing']:,} typing drill(s), {a['chat']:,} chat drill(s) "
           f"on {f['days_practised']:,} day(s)\n",
           f"Streak: {s['current']} day(s) in a row" + (f" (longest {s['longest']}; last practised {s['last_day']})"
                                                        if s["last_day"] else "") + "\n\n",
           "Trends               average     first → latest   (the line: lowest to highest in the range)\n"]
    t = f["trend"]
    out.append(_line("Overall score", f["overall"], t["overall"]))
    for comp, summary in f["competencies"].items():
        out.append(_line("  " + comp.replace("_", " "), summary, t["competencies"][comp]))
    out.append(_line("Typing WPM", f["wpm"], t["wpm"]))
    out.append(_line("Typing accuracy", f["accuracy"], t["accuracy"], "%"))
    v = f.get("voice") or {}
    if v.get("fillers_per_minute", {}).get("attempts"):
        out.append(_line("Speaking WPM", v["wpm"], t["voice"]["wpm"]))
        out.append(_line("Fillers a minute", v["fillers_per_minute"], t["voice"]["fillers_per_minute"]))
        out.append(_line("Long pauses/reply", v["long_pauses"], t["voice"]["long_pauses"]))
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
