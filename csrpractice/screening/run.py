"""One candidate's screening: which item comes next, what each produced, the integrity signals, and the
signed result at the end. Its progress is saved after every item (and each reply is in the history store
as it is sent), so a screening interrupted by a crash resumes where it stopped.

Plain logic and files, no UI: the screening app drives it.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

from csrpractice import __version__
from csrpractice.files import write_atomic
from csrpractice.screening.results import RESULT_FORMAT, RESULT_VERSION, ResultError, sign, write_result
from scoring import ENGINE_VERSION, redact

CANDIDATE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
FAST_CPS = 12.0  # characters a second: sustained typing above ~140 WPM, worth a look
FAST_MIN_CHARS = 40  # short replies are quick to type; only longer ones are flagged


def check_candidate(candidate: str) -> str:
    if not CANDIDATE.fullmatch(candidate) or ".." in candidate:
        raise ResultError(f"{candidate!r} is not a usable candidate id: use 1-64 letters, digits, '.', '_' or '-' "
                          "(starting with a letter or digit; no slashes, spaces or '..'), e.g. cand-042")
    return candidate


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def scenario_item(scenario, card, started_at: str, limit: float | None) -> dict:
    """A scenario's part of the result: the replies (redacted) with what earned and cost points, and the card."""
    replies = []
    for t in card.turns:
        replies.append({
            "turn": t.turn, "customer": t.customer, "reply": redact(t.reply), "seconds": t.seconds, "score": t.score,
            "matched": [{"item": m["item"], "competency": m["competency"], "spans": m["spans"]} for m in t.matched],
            "forbidden": [{"item": m["item"], "competency": m["competency"], "spans": m["spans"]}
                          for m in t.forbidden],
            "missed": [m["item"] for m in t.missed if m["role"] == "required"], "auto_fail": list(t.auto_fail),
            "voice": {"delivery": t.delivery} if t.delivery else None})
    return {"kind": "scenario", "scenario": scenario.id, "title": scenario.title, "version": scenario.version,
            "content_hash": scenario.content_hash, "seed": card.seed, "started_at": started_at, "ended_at": now_iso(),
            "time_limit_seconds": limit, "outcome": card.outcome, "overall": card.overall,
            "competencies": dict(card.competencies), "replies": replies, "scorecard": card.to_dict()}


def typing_item(drill, result, pastes: int) -> dict:
    return {"kind": "typing", "drill": drill.key, "title": drill.label, "wpm": result.wpm, "raw_wpm": result.raw_wpm,
            "accuracy": result.accuracy, "consistency": result.consistency, "errors": result.errors,
            "duration": result.duration, "per_second": result.per_second, "pastes_refused": pastes}


def summarize(items: list[dict], bars: dict) -> dict:
    """The result's summary: the average overall and competency scores over the scenarios, the typing figures,
    and the pack's bars beside them (which of them each figure meets)."""
    scen = [i for i in items if i["kind"] == "scenario"]
    typing = next((i for i in items if i["kind"] == "typing"), None)
    comps: dict[str, list[float]] = {}
    for i in scen:
        for c, v in i["competencies"].items():
            comps.setdefault(c, []).append(v)
    summary = {"overall": round(sum(i["overall"] for i in scen) / len(scen), 1) if scen else None,
               "competencies": {c: round(sum(v) / len(v), 1) for c, v in sorted(comps.items())},
               "typing_wpm": typing["wpm"] if typing else None,
               "typing_accuracy": typing["accuracy"] if typing else None,
               "thresholds": bars}
    meets = {key: summary[key] >= bars[key] for key in ("overall", "typing_wpm", "typing_accuracy")
             if key in bars and summary.get(key) is not None}
    meets["competencies"] = {c: summary["competencies"][c] >= v for c, v in (bars.get("competencies") or {}).items()
                             if c in summary["competencies"]}
    summary["meets"] = meets
    return summary


def _away(start: str | None, end: str) -> str:
    if not start:
        return "for an unknown time"
    seconds = (datetime.fromisoformat(end.replace("Z", "+00:00")) -
               datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds()
    return f"{int(seconds // 60)} min {int(seconds % 60)} s away"


class ScreeningRun:
    def __init__(self, pack, candidate: str, out_dir: Path):
        self.pack = pack
        self.candidate = check_candidate(candidate)
        self.out_dir = Path(out_dir)
        stem = f"{pack.id}-v{pack.version}-{candidate}"
        self.result_path = self.out_dir / f"{stem}.json"
        self.progress_path = self.out_dir / f".{stem}.progress.json"
        self.state: dict = {}

    # --- starting or resuming -------------------------------------------------------------------------
    def open(self) -> bool:
        """Start, or pick up a saved run; True when resuming. A finished screening is never run again."""
        if self.result_path.exists():
            raise ResultError(f"{self.candidate} has already completed this screening: {self.result_path} exists "
                              "(results are never overwritten)")
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ResultError(f"cannot create the results folder {self.out_dir}: {exc.strerror or exc}") from None
        if self.progress_path.exists():
            try:
                self.state = json.loads(self.progress_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ResultError(f"the saved progress {self.progress_path} cannot be read ({exc}); move it away "
                                  "to start this candidate's screening again") from None
            if self.state.get("pack") != self.pack.header():
                raise ResultError(f"{self.progress_path} belongs to another version of this pack; move it away to "
                                  "start again with this one")
            self.state["integrity"].setdefault("interruptions", []).append(
                {"part": len(self.state["items"]) + 1,
                 "stopped_at": self.state.get("stopped_at") or self.state.get("saved_at"), "resumed_at": now_iso()})
            self.state.pop("stopped_at", None)
            self.save()
            return True
        self.state = {"pack": self.pack.header(), "candidate": self.candidate, "started_at": now_iso(),
                      "items": [], "current": None,
                      "integrity": {"paste_attempts": 0, "focus_lost": {"times": 0, "seconds": 0.0},
                                    "interruptions": []}}
        self.save()
        return False

    def stopped(self) -> None:
        """The candidate stopped the screening (Ctrl+Q): noted, so that resuming it can say how long it was."""
        self.state["stopped_at"] = now_iso()
        self.save()

    def save(self) -> None:
        self.state["saved_at"] = now_iso()
        try:
            write_atomic(self.progress_path, json.dumps(self.state, ensure_ascii=False), sync=True)
        except OSError as exc:
            raise ResultError(f"cannot save the screening's progress in {self.progress_path}: "
                              f"{exc.strerror or exc}") from None

    # --- the items --------------------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self.pack.scenarios) + (1 if self.pack.typing else 0)

    def next_item(self):
        """("scenario", Scenario) or ("typing", spec), or None when everything is done."""
        done = len(self.state["items"])
        if done < len(self.pack.scenarios):
            return "scenario", self.pack.scenarios[done]
        if self.pack.typing and done == len(self.pack.scenarios):
            return "typing", self.pack.typing
        return None

    def scenario_started(self, attempt: int | None) -> None:
        self.state["current"] = {"index": len(self.state["items"]), "attempt": attempt, "started_at": now_iso()}
        self.save()

    def current_attempt(self) -> int | None:
        cur = self.state.get("current")
        return cur.get("attempt") if cur and cur.get("index") == len(self.state["items"]) else None

    def scenario_done(self, scenario, card) -> None:
        cur = self.state.get("current") or {}
        self.state["items"].append(scenario_item(scenario, card, cur.get("started_at") or now_iso(),
                                                 scenario.scenario_seconds))
        self.state["current"] = None
        self.save()

    def typing_done(self, drill, result, pastes: int) -> None:
        self.state["items"].append(typing_item(drill, result, pastes))
        self.save()

    # --- integrity signals ------------------------------------------------------------------------------
    def paste_refused(self) -> None:
        self.state["integrity"]["paste_attempts"] += 1
        self.save()

    def focus_lost(self, seconds: float) -> None:
        f = self.state["integrity"]["focus_lost"]
        f["times"] += 1
        f["seconds"] = round(f["seconds"] + seconds, 1)
        self.save()

    # --- the result -------------------------------------------------------------------------------------
    def result(self) -> dict:
        items = self.state["items"]
        summary = summarize(items, self.pack.thresholds)
        fast = []
        for n, i in enumerate(items):
            for r in i.get("replies", []):
                if r.get("voice") or not r.get("seconds"):
                    continue
                cps = len(r["reply"]) / r["seconds"]
                if len(r["reply"]) >= FAST_MIN_CHARS and cps > FAST_CPS:
                    fast.append({"item": n, "turn": r["turn"], "chars_per_second": round(cps, 1)})
        integrity = dict(self.state["integrity"])
        integrity["fast_replies"] = fast
        integrity["notes"] = [
            f"the screening was stopped during part {i['part']} and resumed later "
            f"({_away(i.get('stopped_at'), i['resumed_at'])}): the candidate may have seen that part's question "
            "before the break" for i in integrity.get("interruptions", [])]
        complete = len(items) == self.total
        return {"format": RESULT_FORMAT, "version": RESULT_VERSION, "pack": self.pack.header(),
                "candidate": self.candidate, "app_version": __version__, "engine_version": ENGINE_VERSION,
                "started_at": self.state["started_at"], "ended_at": now_iso(),
                "status": "complete" if complete else "incomplete", "items": items, "summary": summary,
                "integrity": integrity}

    def finish(self, key: bytes) -> Path:
        """Sign and write the result; the saved progress goes once the result is safely on disk."""
        write_result(self.result_path, sign(self.result(), key))
        try:
            self.progress_path.unlink()
        except OSError:
            pass
        return self.result_path
