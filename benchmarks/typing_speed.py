"""Typing-drill speed: handling one keystroke with the text re-rendered, over a 1,000-key run driven
through the app with Pilot; and computing the metrics for a 10-minute keystroke log.

    python benchmarks/typing_speed.py

Targets: under 2 ms per keystroke on average (handling plus rendering the drill text); under 50 ms for
the metrics of a 10-minute log. Baselines measured in the same run: an empty key handler and render of a
plain Static of the same text, and summing the log's timestamps (the least any metric can cost).
"""
from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.geometry import Region  # noqa: E402

from scoring.typing import BACKSPACE, score_drill  # noqa: E402


async def keystrokes(n: int = 1000) -> tuple[list[float], list[float]]:
    from csrpractice.app import CSRPracticeApp
    from csrpractice.app.screens.typing import TypingText
    from textual.widgets import Static

    app = CSRPracticeApp(scenario_paths=[ROOT / "tests/data/app_scenarios"], data_dir=Path(tempfile.mkdtemp(prefix="csr-bench-")),
                         start={"drill": {"mode": "time", "seconds": 120}})
    ours, base = [], []
    rng = random.Random(1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        text = screen.query_one(TypingText)
        plain = Static(screen.drill.text)
        await screen.mount(plain)
        await pilot.pause()
        target = screen.drill.text
        for i in range(n):
            ch = target[i % len(target)] if rng.random() > 0.05 else "x"
            region = Region(0, 0, text.size.width, text.size.height)
            t0 = time.perf_counter()
            screen.type_key(ch if rng.random() > 0.03 else BACKSPACE)
            list(text.render_lines(region))
            ours.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            plain.refresh()
            list(plain.render_lines(Region(0, 0, plain.size.width, plain.size.height)))
            base.append(time.perf_counter() - t0)
            if i % 50 == 0:
                await pilot.pause()
    return ours, base


def ten_minute_log() -> tuple[str, list[tuple[float, str]]]:
    rng = random.Random(7)
    from csrpractice.drills import words

    target = " ".join(rng.choice(words()[:300]) for _ in range(1500))
    events, t = [], 0.0
    for ch in target:
        t += rng.uniform(0.08, 0.2)
        if t > 600:
            break
        if rng.random() < 0.04:
            events.append((t, "q"))
            t += 0.12
            events.append((t, BACKSPACE))
        events.append((t, ch))
    return target, events


def main() -> None:
    ours, base = asyncio.run(keystrokes())
    mean, p99 = statistics.fmean(ours) * 1000, sorted(ours)[int(len(ours) * 0.99)] * 1000
    print(f"keystroke, handling + re-render of the drill text, 1,000 keys: mean {mean:.3f} ms, p99 {p99:.3f} ms "
          f"(target mean < 2 ms) {'OK' if mean < 2 else 'MISSED'}")
    print(f"  baseline: re-render of a plain Static of the same text: mean {statistics.fmean(base) * 1000:.3f} ms; "
          f"ratio {statistics.fmean(ours) / statistics.fmean(base):.1f}x")
    target, events = ten_minute_log()
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        r = score_drill(target, events)
        runs.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    sum(t for t, _ in events)
    floor = time.perf_counter() - t0
    best = min(runs) * 1000
    print(f"metrics for a 10-minute log ({len(events):,} keystrokes, {r.duration:.0f} s, {r.wpm:.0f} WPM): "
          f"best of 5 {best:.1f} ms, median {statistics.median(runs) * 1000:.1f} ms (target < 50 ms) "
          f"{'OK' if statistics.median(runs) * 1000 < 50 else 'MISSED'}; floor (one pass over the log) "
          f"{floor * 1000:.2f} ms")


if __name__ == "__main__":
    main()
