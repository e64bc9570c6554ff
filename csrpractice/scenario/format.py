"""The scenario file format, declared once: `csrpractice validate` checks against it and
`csrpractice schema` prints it as JSON Schema. docs/scenario-format.md explains it with an example."""
from __future__ import annotations

from csrpractice.scenario.schema import Enum, ListOf, MapOf, Num, Obj, OneOf, Scalar, Str

INDUSTRIES = ("retail", "billing", "telecom", "insurance", "brokerage", "health_plan", "saas", "travel",
              "banking", "utilities", "general")
CHANNELS = ("chat", "voice", "email")
KINDS = ("customer", "interview", "knowledge_check")
OUTCOMES = ("resolved", "escalated", "customer_left")
from csrpractice.competencies import COMPETENCIES  # noqa: E402,F401  (part of the format)
from scoring.compliance import CHECKS  # noqa: E402
NAME = r"[a-z][a-z0-9_]*"
ID = r"[a-z0-9][a-z0-9-]*"

_item_ref = OneOf((
    Str("a library marker id (see `csrpractice markers`) or the name of one of this rubric's key_phrases"),
    Obj({"item": Str("a marker id or key-phrase name"),
         "weight": Num("points this item is worth relative to the others (default 1)", min=0.1, max=100),
         "competency": Enum(COMPETENCIES, "the competency this item counts towards (default: by marker)")},
        required=("item",), name="a mapping with 'item' and optional 'weight', 'competency'"),
), "a rubric item")

_forbidden_ref = OneOf((
    Str("a marker id or key-phrase name (penalty 20 points)"),
    Obj({"item": Str("a marker id or key-phrase name"),
         "penalty": Num("points taken off the turn's score when it appears (default 20)", min=0, max=100)},
        required=("item",), name="a mapping with 'item' and 'penalty'"),
), "a forbidden item")

KEY_PHRASE = Obj({
    "any": ListOf(Str("a phrase pattern (see docs/markers.md for the syntax)"),
                  "phrases, any one of which counts (typos and small wording changes are tolerated)", 1, True),
    "bank": ListOf(Str("a phrase bank name"), "phrase banks (scenarios/banks/*.yaml) whose phrases also count",
                   1, True),
    "competency": Enum(COMPETENCIES, "the competency this item counts towards (default problem_solving)"),
    "description": Str("what the phrase group stands for, shown in feedback"),
}, doc="a named group of alternative phrases", name="a key-phrase mapping")

RUBRIC = Obj({
    "required": ListOf(_item_ref, "items the reply should contain; they make up the turn's score"),
    "bonus": ListOf(_item_ref, "items that add points but are not expected"),
    "forbidden": ListOf(_forbidden_ref, "items that cost points when they appear"),
    "auto_fail": ListOf(Str("a marker id or key-phrase name"),
                        "critical errors: any one zeroes the turn and caps the scorecard"),
    "key_phrases": MapOf(KEY_PHRASE, "this scenario's own phrase groups, referred to by name above"),
}, doc="how a reply to this turn is scored", name="a rubric mapping")

CONDITION = Obj({
    "score_min": Num("this reply scored at least this (0-100)", min=0, max=100),
    "score_max": Num("this reply scored at most this (0-100)", min=0, max=100),
    "has": ListOf(Str("a marker id or key-phrase name"), "the reply shows all of these", 1, True),
    "lacks": ListOf(Str("a marker id or key-phrase name"), "the reply shows none of these", 1, True),
    "mood_min": Num("the customer's mood (after this reply) is at least this", integer=True, min=0, max=10),
    "mood_max": Num("the customer's mood (after this reply) is at most this", integer=True, min=0, max=10),
    "turn_min": Num("at least this many replies so far, this one included", integer=True, min=1),
    "turn_max": Num("at most this many replies so far, this one included", integer=True, min=1),
    "vars": MapOf(Scalar("value"), "variables that must have these values"),
}, doc="all conditions must hold", name="a condition mapping")

BRANCH = Obj({
    "when": CONDITION,
    "goto": Str("the turn or ending to go to when the condition holds"),
    "else": Str("the fallback: the turn or ending to go to when no branch above matched"),
    "set": MapOf(Scalar("value"), "variables to set when this branch is taken"),
    "mood": Num("an extra change to the customer's mood when this branch is taken", integer=True, min=-10, max=10),
}, doc="a branch: `when` + `goto`, or `else`", exactly_one_of=("goto", "else"), name="a branch mapping")

CALIBRATION = Obj({
    "replies": ListOf(Obj({
        "reply": Str("a sample reply", non_empty=False),
        "min": Num("the reply must score at least this", min=0, max=100),
        "max": Num("the reply must score at most this", min=0, max=100),
        "note": Str("why this example is here"),
    }, required=("reply",), name="a mapping with 'reply' and 'min' and/or 'max'"),
        "sample replies and the band they must score in: the rubric's tests"),
    "items": MapOf(Obj({
        "match": ListOf(Str("a reply that must match the item"), "replies that must match", 1, True),
        "no_match": ListOf(Str("a reply that must not match the item"), "replies that must not match", 1, True),
    }, name="a mapping with 'match' and/or 'no_match'"), "per rubric item: replies that must and must not match it"),
}, doc="the rubric's tests, run by `csrpractice validate`", name="a calibration mapping")

TURN = Obj({
    "customer": ListOf(Str("a line the customer says"), "what the customer says (variants are picked with a seed)",
                       1, True),
    "rubric": RUBRIC,
    "hint": Str("a hint shown on request in practice mode"),
    "model_answers": ListOf(Str("a model reply"), "one or more model answers shown after the turn", 1, True),
    "mood": Obj({
        "good": Num("mood change after a good reply (default -1: calmer)", integer=True, min=-10, max=10),
        "poor": Num("mood change after a poor reply (default +1: angrier)", integer=True, min=-10, max=10),
        "good_at": Num("a reply scoring at least this is good (default 70)", min=0, max=100),
        "poor_below": Num("a reply scoring below this is poor (default 40)", min=0, max=100),
    }, doc="how this turn moves the customer's mood", name="a mood mapping"),
    "weight": Num("how much this turn counts in the overall score (default 1)", min=0.1, max=10),
    "max_visits": Num("how often this turn may be reached (bounds a loop)", integer=True, min=1, max=10),
    "reply_seconds": Num("time limit for this reply, overriding the scenario's", min=5),
    "branches": ListOf(BRANCH, "where the conversation goes next; the first branch whose condition holds wins, "
                               "and the last must be an `else`", 1),
    "calibration": CALIBRATION,
}, required=("customer", "rubric", "hint", "model_answers", "branches"), doc="one exchange: the customer speaks, "
   "the candidate replies", name="a turn mapping")

ENDING = Obj({
    "outcome": Enum(OUTCOMES, "how the conversation ended"),
    "customer": Str("the customer's closing line"),
    "summary": Str("a line for the scorecard explaining this ending"),
}, required=("outcome", "customer"), doc="an ending", name="an ending mapping")

SCENARIO = Obj({
    "id": Str("unique id across the library: lowercase letters, digits and dashes", pattern=ID,
              pattern_help="use lowercase letters, digits and dashes, e.g. billing-double-charge"),
    "title": Str("the title shown in the scenario browser"),
    "version": Num("the content version; bump it when you change the scenario", integer=True, min=1),
    "kind": Enum(KINDS, "customer (default), interview (an interviewer persona) or knowledge_check"),
    "industry": Enum(INDUSTRIES, "the industry"),
    "channel": Enum(CHANNELS, "chat, voice or email"),
    "difficulty": Num("1 (gentle) to 5 (hardest)", integer=True, min=1, max=5),
    "tags": ListOf(Str("a tag"), "free tags for filtering"),
    "estimated_minutes": Num("how long it usually takes", min=1, max=120),
    "brief": Str("what the candidate reads before starting"),
    "persona": Obj({
        "name": Str("the customer's (or interviewer's) name"),
        "role": Str("who they are, e.g. 'long-time subscriber' or 'hiring manager'"),
        "situation": Str("what happened to them"),
        "mood": Num("starting mood: 0 calm to 10 furious", integer=True, min=0, max=10),
        "patience": Num("how many poor replies they take before giving up", integer=True, min=1, max=10),
    }, required=("name", "situation", "mood"), doc="who the candidate talks to", name="a persona mapping"),
    "variables": MapOf(Scalar("starting value"), "variables with their starting values, set by branches"),
    "time_limits": Obj({
        "reply_seconds": Num("time limit for each reply", min=5),
        "scenario_seconds": Num("time limit for the whole scenario", min=30),
    }, doc="optional time limits", name="a time-limits mapping"),
    "compliance": Obj({
        "exempt": ListOf(Enum(tuple(sorted(CHECKS)), "a check of the always-on compliance layer"),
                         "checks this scenario turns off (say why in a comment)", 1),
    }, doc="the always-on compliance layer (docs/scenario-format.md)", name="a compliance mapping"),
    "auto_fail_cap": Num("the highest overall score a scorecard with a critical finding (auto-fail) can have "
                         "(default 15)",
                         min=0, max=100),
    "start": Str("the first turn"),
    "give_up": Str("the ending reached when the persona's patience runs out"),
    "fallback_ending": Str("the ending reached when every branch leads to a turn visited its maximum times"),
    "turns": MapOf(TURN, "the turns, by name", 1),
    "endings": MapOf(ENDING, "the endings, by name", 1),
}, required=("id", "title", "version", "industry", "channel", "difficulty", "estimated_minutes", "brief",
             "persona", "start", "turns", "endings"), doc="A csrpractice scenario", name="a scenario mapping")

BANKS = Obj({
    "banks": MapOf(Obj({
        "description": Str("what the phrases have in common"),
        "phrases": ListOf(Str("a phrase pattern"), "the phrases", 1),
    }, required=("phrases",), name="a bank mapping"), "phrase banks shared by all scenarios", 1),
}, required=("banks",), doc="Shared phrase banks", name="a mapping with 'banks'")


def json_schema() -> dict:
    s = SCENARIO.schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "csrpractice-scenario.schema.json",
            "title": "csrpractice scenario", **s}


__all__ = ["SCENARIO", "BANKS", "json_schema"]
