"""Charts drawn with block characters, for the terminal: a one-line sparkline and a multi-row column chart.

Plain strings, so the CLI prints them as they are and the app styles them; a gap (None) stays blank.
"""
from __future__ import annotations

BLOCKS = " ▁▂▃▄▅▆▇█"


def resample(values: list[float | None], width: int) -> list[float | None]:
    """At most `width` values: neighbours averaged into one column (gaps ignored, all-gap stays a gap)."""
    if len(values) <= width:
        return list(values)
    step = len(values) / width
    out: list[float | None] = []
    for i in range(width):
        part = [v for v in values[int(i * step):int((i + 1) * step)] if v is not None]
        out.append(sum(part) / len(part) if part else None)
    return out


def sparkline(values: list[float | None], low: float = 0.0, high: float | None = None) -> str:
    """One character per value, from `low` (▁) to `high` (█); a gap is a space."""
    shown = [v for v in values if v is not None]
    if high is None:
        high = max(shown, default=1.0)
    span = max(high - low, 1e-9)
    return "".join(" " if v is None else BLOCKS[1 + max(0, min(7, int((v - low) / span * 7.999)))] for v in values)


def columns(values: list[float | None], rows: int = 4, top: float | None = None) -> list[str]:
    """A column chart from zero, `rows` lines high (the top line first), eighth-of-a-row resolution."""
    if top is None:
        top = max((v for v in values if v is not None), default=1.0) or 1.0
    lines = []
    for row in range(rows - 1, -1, -1):
        cells = []
        for v in values:
            if v is None:
                cells.append(" ")
                continue
            level = v / top * rows * 8 - row * 8
            # A zero still shows on the bottom row, so it is not mistaken for a day without practice.
            cells.append(BLOCKS[max(1 if row == 0 else 0, min(8, int(level)))])
        lines.append("".join(cells))
    return lines
