"""Helpers for scenario tests: a small valid scenario to mutate, and loading from text."""
import copy

import yaml

from csrpractice.scenario.model import load_scenario_text

BASE = {
    "id": "test-scenario",
    "title": "A test",
    "version": 1,
    "industry": "retail",
    "channel": "chat",
    "difficulty": 2,
    "estimated_minutes": 3,
    "brief": "A brief.",
    "persona": {"name": "Pat", "situation": "Late order.", "mood": 5, "patience": 2},
    "variables": {"verified": False},
    "start": "opening",
    "give_up": "left",
    "turns": {
        "opening": {
            "customer": ["Where is my order?", "My order is late."],
            "rubric": {"required": ["empathy", {"item": "apology", "weight": 2}], "bonus": ["ownership"],
                       "forbidden": [{"item": "blame", "penalty": 30}], "auto_fail": ["pci_violation"]},
            "hint": "Empathise and apologise.",
            "model_answers": ["I'm so sorry it's late, that's frustrating."],
            "branches": [{"when": {"score_min": 60}, "goto": "details", "set": {"verified": True}},
                         {"else": "left"}],
        },
        "details": {
            "customer": "Okay. When will it come?",
            "rubric": {"required": ["when"], "key_phrases": {"when": {"any": ["(tomorrow|monday|# days)"]}}},
            "hint": "Say when.",
            "model_answers": ["It will arrive tomorrow."],
            "branches": [{"when": {"has": "when", "vars": {"verified": True}}, "goto": "done"}, {"else": "left"}],
        },
    },
    "endings": {"done": {"outcome": "resolved", "customer": "Thanks."},
                "left": {"outcome": "customer_left", "customer": "Bye."}},
}


def base() -> dict:
    return copy.deepcopy(BASE)


def load(data_or_text, file: str = "t.yaml"):
    text = data_or_text if isinstance(data_or_text, str) else yaml.safe_dump(data_or_text, sort_keys=False)
    return load_scenario_text(text, file)


def errors(data_or_text) -> list[str]:
    _, diags = load(data_or_text)
    return [d.format() for d in diags if d.severity == "error"]
