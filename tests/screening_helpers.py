"""Screening results for the report's tests, made by the real producer: the test pack's scenarios played through
real Sessions, recorded by a ScreeningRun (its clock fixed) and signed with a key from new_key. Three candidates,
two scenarios each plus the typing test; one with integrity signals, one taken with version 2 of the pack."""
from __future__ import annotations

import functools
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from conftest import DATA

PACK = DATA / "packs" / "app-pack.yaml"
SCENARIOS = DATA / "app_scenarios"

# Replies per candidate, per scenario (billing-double-charge, insurance-late-claim); (text, seconds).
STRONG = {
    "billing-double-charge": [
        ("I'm so sorry about the double charge, Dana, that's really frustrating. Could you confirm the email "
         "address on the account and the last four digits of the card?", 38.0),
        ("Thanks, Dana, I found it: the second charge was a billing error on our side. I've refunded the duplicate "
         "$15.99 just now; it shows on your statement within 3-5 business days. Anything else I can help with?",
         52.0)],
    "insurance-late-claim": [
        ("I'm sorry your claim check is late, Pat. I understand how stressful that is. Let me look into it.", 25.0),
        ("The check was mailed yesterday; you'll have it by Friday, and I'll call you if it isn't there.", 30.0)],
}
MIXED = {
    "billing-double-charge": [
        ("Sorry about that. What's the email on the account?", 20.0),
        ("I've refunded it. It takes a few days.", 15.0)],
    "insurance-late-claim": [
        ("I understand. Let me check the claim.", 12.0),
        ("It should arrive soon.", 9.0)],
}
POOR = {
    "billing-double-charge": [
        ("You probably signed up twice. That's not our fault.", 11.0),
        ("Refunds are handled by another team.", 8.0)],
    "insurance-late-claim": [
        ("Claims take time, there's nothing I can do about that.", 9.0),
        ("Just wait for it.", 4.0)],
}
# A long reply sent two seconds after the customer spoke: far faster than anyone types.
FAST = ("I'm so sorry your claim check is late, Pat. I understand how stressful that is, and I will look into it "
        "for you right now.")


class _Clock:
    """now_iso() for the ScreeningRun: each call a minute and a half after the last, from a fixed start."""

    def __init__(self, start: str):
        self.t = datetime.fromisoformat(start).replace(tzinfo=timezone.utc)

    def __call__(self) -> str:
        now = self.t
        self.t += timedelta(seconds=90)
        return now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@functools.lru_cache(maxsize=None)
def library() -> dict:
    from csrpractice.scenario.library import load_library

    return {s.id: s for s in load_library([SCENARIOS]).scenarios}


def pack(tmp_path: Path, version: int = 1):
    """The test pack; version 2 is the same pack with its version raised (and so another content hash)."""
    from csrpractice.screening.pack import load_pack

    path = PACK
    if version != 1:
        path = tmp_path / f"app-pack-v{version}.yaml"
        path.write_text(PACK.read_text(encoding="utf-8").replace("version: 1", f"version: {version}"),
                        encoding="utf-8")
    p, diags = load_pack(path, library())
    assert p is not None, diags
    return p


def typing_result(wpm: float, accuracy: float, seconds: int = 30):
    """A typing result as the typing screen reports it, with a plausible second-by-second WPM curve."""
    curve = [round(wpm * (0.55 + 0.45 * min(1.0, (i + 1) / 6)) + (3 if i % 4 == 1 else -2 if i % 5 == 3 else 0), 1)
             for i in range(seconds)]
    return SimpleNamespace(wpm=wpm, raw_wpm=round(wpm * 1.05, 1), accuracy=accuracy, consistency=78.0,
                           errors=max(0, round((100 - accuracy) / 1.5)), duration=float(seconds), per_second=curve)


def take(pack_, candidate: str, replies: dict, out_dir: Path, start: str, wpm: float, accuracy: float,
         pastes: int = 0, focus: list[float] = (), fast: str | None = None, finish_typing: bool = True) -> dict:
    """One candidate's screening, as the screening app records it; returns the (unsigned) result."""
    from csrpractice.screening.run import ScreeningRun
    from csrpractice.session import Session

    with mock.patch("csrpractice.screening.run.now_iso", _Clock(start)):
        run = ScreeningRun(pack_, candidate, out_dir)
        run.open()
        for scenario in run.pack.scenarios:
            run.scenario_started(None)
            session = Session(scenario, seed=pack_.seed, mode="screening")
            for n, (text, seconds) in enumerate(replies[scenario.id]):
                if session.finished:
                    break
                if fast and scenario.id == "insurance-late-claim" and n == 0:
                    text, seconds = fast, 2.0
                session.submit(text, seconds)
            run.scenario_done(scenario, session.scorecard())
        for seconds in focus:
            run.focus_lost(seconds)
        for _ in range(pastes):
            run.paste_refused()
        if finish_typing:
            drill = SimpleNamespace(key="words-10", label="10 words")
            run.typing_done(drill, typing_result(wpm, accuracy), pastes)
        return run.result()


def results(tmp_path: Path, key: bytes) -> list[dict]:
    """Three signed results: cand-001 strong, cand-002 mixed with integrity signals, cand-003 poor and taken
    with version 2 of the pack."""
    from csrpractice.screening.results import sign

    v1, v2 = pack(tmp_path), pack(tmp_path, 2)
    return [
        sign(take(v1, "cand-001", STRONG, tmp_path / "r1", "2026-11-24T09:00:00", 58.4, 97.5), key),
        sign(take(v1, "cand-002", MIXED, tmp_path / "r2", "2026-11-24T11:00:00", 36.2, 91.0, pastes=1,
                  focus=[9.0, 5.5], fast=FAST), key),
        sign(take(v2, "cand-003", POOR, tmp_path / "r3", "2026-11-25T14:30:00", 44.0, 95.1), key),
    ]


def write(folder: Path, docs: list[dict]) -> list[Path]:
    """Each result in its own file, named as the screening names them; returns the paths."""
    paths = []
    for doc in docs:
        path = folder / f"{doc['pack']['id']}-v{doc['pack']['version']}-{doc['candidate']}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(path)
    return paths
