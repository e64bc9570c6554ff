"""History speed with a large practice history: `csrpractice stats --json` and the progress screen.

    python benchmarks/history_speed.py [--attempts 100000] [--runs 7]

Generates its own history (benchmarks/history_data.py: scenarios with replies and scorecards, typing drills
with per-second series, chat drills, over two years) in a temporary folder, then measures, each against a
baseline from the same run:
- `stats --json` as a user runs it (a fresh process, wall clock), against a bare `python -c "import sqlite3,
  json"` (the interpreter's own start-up, which no command can beat). Target: under 200 ms.
- The stats query alone, in process.
- The progress screen, from opening to its figures painted, in a running app with its library loaded, against
  opening a screen holding one Static in the same app. Target: under 300 ms.
- Recording one reply (the commit made before the customer answers), against an empty write transaction.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def wall(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t


def ms(x: float) -> str:
    return f"{x * 1000:.0f} ms"


async def screen_times(db: Path, runs: int) -> tuple[list[float], list[float]]:
    from textual.screen import Screen
    from textual.widgets import Static

    from csrpractice.app import CSRPracticeApp
    from csrpractice.app.screens.progress import ProgressScreen

    class Plain(Screen):
        def compose(self):
            yield Static("Hello")

        def on_mount(self):
            self.opened = time.perf_counter()
            self.call_after_refresh(self.painted)

        def painted(self):
            self.ready_seconds = time.perf_counter() - self.opened

    ours, plain = [], []
    app = CSRPracticeApp(db=db, today=lambda: date.today().isoformat())
    async with app.run_test(size=(120, 50)) as pilot:
        while not app.library_ready:
            await pilot.pause(0.05)
        await pilot.pause(0.5)
        for _ in range(runs):
            screen = Plain()
            screen.ready_seconds = None
            app.push_screen(screen)
            while screen.ready_seconds is None:
                await asyncio.sleep(0.05)
            plain.append(screen.ready_seconds)
            app.pop_screen()
            await pilot.pause(0.1)
            screen = ProgressScreen()
            app.push_screen(screen)
            while not screen.ready:
                await asyncio.sleep(0.05)  # a slow poll: the screen times itself
            ours.append(screen.ready_seconds)
            app.pop_screen()
            await pilot.pause(0.2)
    return ours, plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from history_data import generate

    from csrpractice.store import Store
    from csrpractice.store.stats import stats

    folder = Path(tempfile.mkdtemp(prefix="csr-history-bench-"))
    db = folder / "history.db"
    t = time.perf_counter()
    store = generate(db, args.attempts)
    size = db.stat().st_size
    print(f"generated {args.attempts:,} attempts in {time.perf_counter() - t:.1f} s "
          f"({size / 1e6:.0f} MB database, {store.query('SELECT COUNT(*) FROM replies')[0][0]:,} replies)")

    env = {**os.environ, "CSRPRACTICE_DB": str(db), "CSRPRACTICE_DATA_DIR": str(folder)}
    cli = [sys.executable, "-m", "csrpractice", "stats", "--json"]
    bare = [sys.executable, "-c", "import sqlite3, json"]
    wall(cli, env)  # warm the page cache the way a second run would find it
    ours, base = [], []
    for _ in range(args.runs):
        base.append(wall(bare, env))
        ours.append(wall(cli, env))
    o, b = statistics.median(ours), statistics.median(base)
    print(f"stats --json: median {ms(o)} (max {ms(max(ours))}); bare interpreter start-up {ms(b)}; "
          f"ours minus that {ms(o - b)}; target < 200 ms: {'met' if o < 0.2 else 'MISSED'}")

    store = Store.open(db)
    runs = []
    for since in (None, None, None):
        t = time.perf_counter()
        stats(store, since=since)
        runs.append(time.perf_counter() - t)
    print(f"stats query in process: median {ms(statistics.median(runs))}")

    ours, plain = asyncio.run(screen_times(db, args.runs))
    o, p = statistics.median(ours), statistics.median(plain)
    print(f"progress screen ready: median {ms(o)} (max {ms(max(ours))}); a one-Static screen {ms(p)}, "
          f"ratio {o / p:.1f}x; target < 300 ms: {'met' if o < 0.3 else 'MISSED'}")

    from csrpractice.session import Session
    from csrpractice.scenario.library import load_library

    scenario = load_library(None).scenarios[0]
    session = Session(scenario)
    record = session.submit("I'm sorry about that. Could you confirm your email address, please?", 12.0)
    attempt = store.begin_scenario(scenario, 0)
    commit, empty = [], []
    for i in range(50):
        t = time.perf_counter()
        store.add_reply(attempt, i, record)
        commit.append(time.perf_counter() - t)
        t = time.perf_counter()
        with store._write():
            pass
        empty.append(time.perf_counter() - t)
    print(f"recording a reply: median {statistics.median(commit) * 1000:.1f} ms; an empty write transaction "
          f"{statistics.median(empty) * 1000:.1f} ms (synchronous=FULL: each commit syncs the write-ahead log)")


if __name__ == "__main__":
    main()
