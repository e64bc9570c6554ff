"""The session engine: one run of a scenario, turn by turn, to an ending and a scorecard.

Pure logic, no UI and no disk: the app, playtests, screenings and tests all drive scenarios through it.
Deterministic: the same scenario, seed and replies always give the same transcript and scorecard.
"""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass

from csrpractice.scenario.model import Ending, Scenario, Turn
from scoring import ENGINE_VERSION, redact
from scoring.rubric import ItemResult, TurnScore, evaluate

OVER_TIME_PENALTY = 10.0
TIMED_OUT = "timed_out"
UNFINISHED = "unfinished"
CRITICAL = "critical"  # a scorecard with a critical finding: never shown as resolved, whatever the ending
GIVE_UP_AFTER = 2  # poor replies before a customer may leave (a violation makes them leave at once)
REASK = {"customer": "Sorry, I'm not sure that answers me.", "interview": "Could you say a bit more about that?",
         "knowledge_check": "Let me ask that again."}
LABELS = {"resolved": "Resolved", "escalated": "Escalated", "customer_left": "The customer left",
          TIMED_OUT: "Time ran out", UNFINISHED: "Unfinished", CRITICAL: "Critical finding"}


def outcome_label(kind: str, outcome: str, overall: float) -> str:
    """The scorecard's outcome in words that fit the kind of scenario: an interview or a knowledge check
    is passed, partly passed or not ready, not 'resolved'."""
    if kind != "customer" and outcome not in (CRITICAL, TIMED_OUT, UNFINISHED):
        return "Passed" if overall >= 70 else "Partly passed" if overall >= 50 else "Not ready yet"
    return LABELS.get(outcome, outcome)


@dataclass
class TurnRecord:
    """One exchange as it happened. The reply is stored redacted (card numbers masked)."""

    turn: str
    customer: str
    reply: str
    seconds: float | None
    score: float
    result: TurnScore
    mood_before: int
    mood_after: int
    next: str
    over_time: bool = False
    voice: dict | None = None  # a spoken reply: {"transcript": {...}, "delivery": {...}}


@dataclass
class TurnFeedback:
    turn: str
    customer: str
    reply: str
    score: float
    matched: list[dict]
    missed: list[dict]
    forbidden: list[dict]
    auto_fail: list[str]
    explanation: list[str]
    model_answer: str
    over_time: bool
    seconds: float | None
    delivery: dict | None = None  # a spoken reply's delivery metrics


@dataclass
class Scorecard:
    scenario: str
    title: str
    version: int
    content_hash: str
    engine_version: str
    mode: str
    seed: int
    overall: float
    competencies: dict[str, float]  # only the competencies the reached turns assessed
    outcome: str
    ending: str | None
    closing_line: str
    auto_fail: list[str]
    turns: list[TurnFeedback]
    duration_seconds: float | None
    replies: int

    def to_dict(self) -> dict:
        return asdict(self)


def _item_dict(text: str, r: ItemResult) -> dict:
    return {"item": r.name, "role": r.role, "points": r.points, "possible": r.possible, "competency": r.competency,
            "spans": [list(s) for s in r.spans], "words": [text[s:e] for s, e in r.spans], "evidence": r.evidence}


class SessionOver(Exception):
    """A reply was sent after the scenario had ended."""


class Session:
    def __init__(self, scenario: Scenario, seed: int = 0, mode: str = "practice"):
        self.scenario = scenario
        self.seed = seed
        self.mode = mode
        self.node = scenario.start
        self.mood = scenario.persona.mood
        self.variables = dict(scenario.variables)
        self.visits: dict[str, int] = {scenario.start: 1}
        self.poor = 0
        self.reasked: set[str] = set()  # turns asked again instead of the customer leaving after one misread
        self.reasking = False
        self.records: list[TurnRecord] = []
        self.elapsed = 0.0
        self.timed = False
        self.outcome: str | None = None

    # --- where we are ---------------------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return self.outcome is not None

    @property
    def turn(self) -> Turn | None:
        return None if self.finished else self.scenario.turns[self.node]

    @property
    def ending(self) -> Ending | None:
        return self.scenario.endings.get(self.node) if self.finished else None

    @property
    def customer_line(self) -> str:
        """What the customer says now: the current turn's line (a seeded choice of its variants), or the ending's."""
        if self.finished:
            if self.outcome == TIMED_OUT:
                return "The time for this scenario is up."
            return self.ending.customer if self.ending else ""
        turn = self.turn
        rng = random.Random(f"{self.seed}:{turn.id}:{self.visits.get(turn.id, 1)}")
        line = rng.choice(turn.customer)
        return f"{REASK.get(self.scenario.kind, REASK['customer'])} {line}" if self.reasking else line

    @property
    def reply_limit(self) -> float | None:
        """The current turn's reply time limit, if any."""
        return self.limit_for(self.turn) if self.turn else None

    def limit_for(self, turn: Turn) -> float | None:
        return turn.reply_seconds or self.scenario.reply_seconds

    def hint(self) -> str:
        return self.turn.hint if self.turn else ""

    # --- replying -------------------------------------------------------------------------------------
    def submit(self, reply: str, seconds: float | None = None, result: TurnScore | None = None,
               voice: dict | None = None) -> TurnRecord:
        """Score a reply, move the customer's mood, follow a branch; returns what happened.

        `result` replays a reply scored before (resuming a stored attempt): the stored result is used as it
        was, since the stored reply is redacted and an engine update could score it differently. `voice`
        goes with a spoken reply (its transcript and delivery metrics); it is scored like a typed one."""
        if self.finished:
            raise SessionOver("the scenario has ended; start a new session to reply again")
        s, turn = self.scenario, self.turn
        line = self.customer_line
        if result is None:
            result = evaluate(reply, turn.rubric, s.library, s.phrases)
        over = bool(seconds is not None and self.reply_limit and seconds > self.reply_limit)
        score = max(0.0, result.score - OVER_TIME_PENALTY) if over else result.score
        before = self.mood
        if score >= turn.good_at:
            self.mood += turn.mood_good
        elif score < turn.poor_below:
            self.mood += turn.mood_poor
            self.poor += 1
        self.mood = max(0, min(10, self.mood))
        if seconds is not None:
            self.elapsed += seconds
            self.timed = True
        target = self._next(turn, score, result)
        record = TurnRecord(turn.id, line, redact(reply), seconds, score, result, before, self.mood, target, over,
                            voice)
        self.records.append(record)
        self._go(target)
        if s.scenario_seconds and self.timed and self.elapsed > s.scenario_seconds and not self.finished:
            self.outcome = TIMED_OUT
        return record

    def time_up(self) -> None:
        """The scenario's time limit has run out (the UI's clock says so): end the session."""
        if not self.finished:
            self.outcome = TIMED_OUT

    def _next(self, turn: Turn, score: float, result: TurnScore) -> str:
        target = self._branch(turn, score, result)
        ending = self.scenario.endings.get(target)
        violation = bool(result.auto_failed) or any(r.matched for r in result.items if r.role == "forbidden")
        if (ending and ending.outcome == "customer_left" and score < turn.poor_below and not violation
                and self.poor < GIVE_UP_AFTER and turn.id not in self.reasked):
            # One poor reply (perhaps misread) never ends the call: the customer asks again first.
            self.reasked.add(turn.id)
            self.reasking = True
            return turn.id
        self.reasking = False
        return target

    def _branch(self, turn: Turn, score: float, result: TurnScore) -> str:
        s = self.scenario
        if s.persona.patience and self.poor >= max(s.persona.patience, GIVE_UP_AFTER) and s.give_up:
            return s.give_up
        found = set(result.markers) | {r.name for r in result.items if r.matched}
        replies = len(self.records) + 1
        for b in turn.branches:
            if b.when is not None and not b.when.holds(score, found, self.mood, replies, self.variables):
                continue
            target_turn = s.turns.get(b.target)
            if target_turn and target_turn.max_visits and self.visits.get(b.target, 0) >= target_turn.max_visits:
                continue
            self.variables.update(dict(b.set))
            self.mood = max(0, min(10, self.mood + b.mood))
            return b.target
        return s.fallback_ending or next(iter(s.endings))

    def _go(self, target: str) -> None:
        self.node = target
        if target in self.scenario.endings:
            self.outcome = self.scenario.endings[target].outcome
        else:
            self.visits[target] = self.visits.get(target, 0) + 1

    # --- the scorecard --------------------------------------------------------------------------------
    def scorecard(self) -> Scorecard:
        s = self.scenario
        total = weight = 0.0
        comp_earned: dict[str, float] = {}
        comp_possible: dict[str, float] = {}
        failed: list[str] = []
        feedback: list[TurnFeedback] = []
        for rec in self.records:
            turn = s.turns[rec.turn]
            total += rec.score * turn.weight
            weight += turn.weight
            for r in rec.result.items:
                if r.role == "required":
                    comp_possible[r.competency] = comp_possible.get(r.competency, 0) + r.possible
                    comp_earned[r.competency] = comp_earned.get(r.competency, 0) + r.points
                elif r.role == "bonus" and r.matched:
                    # Earned and possible both: a bonus lifts its competency but never hides a missed item.
                    comp_earned[r.competency] = comp_earned.get(r.competency, 0) + r.points
                    comp_possible[r.competency] = comp_possible.get(r.competency, 0) + r.possible
                elif r.role in ("forbidden", "auto_fail") and r.matched:
                    # A violation counts as a missed point in its competency (and zeroes it, if critical).
                    comp_possible[r.competency] = comp_possible.get(r.competency, 0) + 1
                    comp_earned[r.competency] = -1e9 if r.role == "auto_fail" else comp_earned.get(r.competency, 0)
            failed += [f for f in rec.result.auto_failed if f not in failed]
            reply = rec.reply
            feedback.append(TurnFeedback(
                rec.turn, rec.customer, reply, rec.score,
                [_item_dict(reply, r) for r in rec.result.items if r.matched and r.role in ("required", "bonus")],
                [_item_dict(reply, r) for r in rec.result.missed],
                [_item_dict(reply, r) for r in rec.result.items if r.matched and r.role == "forbidden"],
                list(rec.result.auto_failed), rec.result.explanation + (
                    [f"- over the {self.limit_for(turn):g} s time limit ({-OVER_TIME_PENALTY:g})"]
                    if rec.over_time else []),
                turn.model_answers[0], rec.over_time, rec.seconds,
                (rec.voice or {}).get("delivery")))
        overall = round(total / weight, 1) if weight else 0.0
        if failed:
            overall = min(overall, s.auto_fail_cap)
        outcome = CRITICAL if failed else (self.outcome or UNFINISHED)
        competencies = {c: round(max(0.0, min(100.0, 100 * comp_earned.get(c, 0) / p)), 1)
                        for c, p in sorted(comp_possible.items()) if p}
        ending = self.ending
        return Scorecard(
            s.id, s.title, s.version, s.content_hash, ENGINE_VERSION, self.mode, self.seed, overall, competencies,
            outcome, ending.id if ending else None,
            self.customer_line if self.finished else "", failed, feedback,
            round(self.elapsed, 2) if self.timed else None, len(self.records))


def judge_transcript(scenario: Scenario, exchanges: list[tuple[str, str]], seed: int = 0) -> Scorecard:
    """The scorecard of a conversation as it was played: each reply judged against the turn it answered,
    along the recorded path, whatever branch today's judge would take. `exchanges` are (turn id, reply)."""
    session = Session(scenario, seed)
    for turn_id, reply in exchanges:
        if turn_id not in scenario.turns:
            raise KeyError(f"{scenario.id} has no turn {turn_id!r}")
        session.node, session.outcome = turn_id, None
        session.submit(reply)
    return session.scorecard()


__all__ = ["Session", "Scorecard", "TurnRecord", "TurnFeedback", "SessionOver", "judge_transcript", "outcome_label",
           "CRITICAL", "TIMED_OUT", "UNFINISHED"]
