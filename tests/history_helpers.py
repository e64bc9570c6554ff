"""A small, fixed practice history made through the real Store and real sessions, for the app's tests and
the progress screen's snapshots."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from conftest import DATA

TODAY = "2026-11-24"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)  # the store tests' fixed clock
GOOD_1 = "I'm so sorry about the double charge, that's frustrating. Can you confirm the email on the account?"
GOOD_2 = "Thanks! I've refunded the duplicate charge; you'll see it within 3-5 business days."
GOOD = ["I'm so sorry about the double charge, that's frustrating. Can you confirm the email on the account?",
        "Thanks! I've refunded the duplicate charge and you'll see it within 3-5 business days. Anything else?"]
POOR = ["You probably signed up twice.", "Refunds are handled by another team."]


class Clock:
    """A settable `now` for the store."""

    def __init__(self, t: datetime = NOW):
        self.t = t

    def __call__(self) -> datetime:
        return self.t

    def tick(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=timezone.utc)


def app_scenarios() -> dict:
    from csrpractice.scenario.library import load_library

    return {s.id: s for s in load_library([DATA / "app_scenarios"]).scenarios}


def play(store, scenario, replies: list[str], day: str, hour: int = 12, finish: bool = True) -> int:
    """One attempt at `scenario` on `day`, each reply committed as sent; finished unless told otherwise."""
    from csrpractice.session import Session

    store.now = lambda: at(day, hour)
    session = Session(scenario)
    attempt = store.begin_scenario(scenario, 0)
    for reply in replies:
        if session.finished:
            break
        record = session.submit(reply, 20.0)
        store.add_reply(attempt, len(session.records) - 1, record)
    if finish and session.finished:
        store.finish_scenario(attempt, session.scorecard())
    return attempt


def type_drill(store, day: str, seconds_per_char: float, pastes: int = 0):
    from csrpractice.drills import make_drill
    from scoring.typing import score_drill

    store.now = lambda: at(day, 18)
    drill = make_drill("words", count=10, seed=1)
    events = [(i * seconds_per_char, ch) for i, ch in enumerate(drill.text)]
    return store.record_typing(drill, score_drill(drill.text, events), pastes=pastes, started=at(day, 18))


def seed_history(path: Path) -> None:
    """Billing practised on three days (getting better), two typing drills (and a pasted one), a chat drill;
    the insurance scenario never tried."""
    from csrpractice.store import Store

    scenarios = app_scenarios()
    billing = scenarios["billing-double-charge"]
    store = Store.open(path)
    play(store, billing, POOR, "2026-11-20")
    play(store, billing, [GOOD[0], POOR[1], POOR[1]], "2026-11-22")
    play(store, billing, GOOD, "2026-11-23")
    play(store, billing, GOOD, TODAY)
    type_drill(store, "2026-11-22", 0.3)
    type_drill(store, "2026-11-23", 0.2)
    type_drill(store, TODAY, 0.05, pastes=1)  # pasted: kept, never a best
    store.now = lambda: at(TODAY, 19)
    store.record_chat("retail", "Retail chats", {"duration": 120.0, "longest_wait": 35.0, "wpm": 38.0}, [])
    store.close()
