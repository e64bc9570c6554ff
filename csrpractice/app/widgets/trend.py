"""Trend charts for the progress screen: a column chart with a scale and dates, and a one-line sparkline row."""
from __future__ import annotations

import math

from textual.content import Content

from csrpractice.charts import columns, resample, sparkline


def _period(p: str, bucket: str) -> str:
    return p[:7] if bucket == "month" else p[5:] if bucket == "day" else f"wk {p[5:]}"


def trend_chart(values: list[float | None], periods: list[str], bucket: str, width: int = 60, rows: int = 4,
                top: float | None = None, bar: float | None = None, unit: str = "") -> Content:
    """Columns from zero, one per period (wider when there are few), the scale on the left, the first and
    last period under it; `bar` marks a target (e.g. 40 WPM) on its row."""
    if not any(v is not None for v in values):
        return Content.styled("nothing in this range", "$text-muted")
    per = max(1, min(6, width // max(1, len(values))))
    shown = resample(values, width)
    shown = [v for v in shown for _ in range(per)]
    if not top:  # a round number a little above the highest value (or the bar)
        top = math.ceil(max(max(v for v in values if v is not None), bar or 0) * 1.05 / 10) * 10
    lines = columns(shown, rows, top)
    out = []
    bar_row = None if bar is None else min(rows - 1, int(bar / top * rows))
    for i, line in enumerate(lines):
        row = rows - 1 - i
        scale = f"{top:4.0f}{unit}" if row == rows - 1 else f"{0:4.0f}{unit}" if row == 0 else " " * (4 + len(unit))
        tail = (f" ─ {bar:g}{unit} bar", "$warning") if row == bar_row else ("", "")
        out.append(Content.assemble((scale + " ", "$text-muted"), (line, "$accent"), tail))
    first, last = _period(periods[0], bucket), _period(periods[-1], bucket)
    gap = max(1, len(shown) - len(first) - len(last))
    out.append(Content.styled(" " * (5 + len(unit)) + first + " " * gap + (last if len(periods) > 1 else ""),
                              "$text-muted"))
    return Content("\n").join(out)


def trend_row(label: str, summary: dict, values: list[float | None], width: int = 30, unit: str = "",
              lower_is_better: bool = False) -> Content:
    """'label  ▂▃▅▆  avg 61.0  48.0 → 72.5 ▲' on one line; the arrow green when the change is for the better."""
    if not summary["attempts"]:
        return Content.assemble((f"{label:<18}", "bold"), ("no attempts in this range", "$text-muted"))
    shown = [v for v in values if v is not None]
    low, high = min(shown), max(shown)
    line = sparkline(resample(values, width), low - (high - low) * 0.15 - 1e-6, high)
    first, latest = summary["first"], summary["latest"]
    change = latest - first if first is not None and latest is not None else 0.0
    good, bad = ("$error", "$success") if lower_is_better else ("$success", "$error")
    arrow = ("▲", good) if change > 0.5 else ("▼", bad) if change < -0.5 else ("=", "$text-muted")
    return Content.assemble((f"{label:<18}", "bold"), (f"{line:<{width}}", "$accent"),
                            f"  avg {summary['average']:5.1f}{unit}  {first:5.1f} → {latest:5.1f}{unit} ", arrow)
