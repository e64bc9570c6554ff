"""The always-on compliance and conduct layer: what every turn of every scenario is checked for, whatever
its rubric lists, unless the scenario exempts a check by name.

Critical findings (a card number asked for aloud, unlicensed advice, abuse; misconduct described in an
interview answer) zero the turn and cap the scorecard; unprofessional conduct (blame, brush-offs) costs
points like any forbidden item, within the per-turn penalty cap.
"""
from __future__ import annotations

from scoring.rubric import MARKER_COMPETENCY, Item, Penalised, Rubric

CRITICAL_CAP = 15.0  # the highest overall score a scorecard with a critical finding can have, by default
CRITICAL = {
    "customer": ("pci_violation", "unlicensed_advice", "abuse"),
    "interview": ("misconduct", "abuse"),
    "knowledge_check": ("abuse",),
}
CONDUCT_PENALTY = 20.0
CONDUCT = {"customer": ("blame", "dismissive"), "interview": ("dismissive",), "knowledge_check": ("dismissive",)}
CHECKS = frozenset(name for names in (*CRITICAL.values(), *CONDUCT.values()) for name in names)
LAYER = "compliance"


def with_compliance(rubric: Rubric, kind: str, descriptions: dict[str, str], exempt=()) -> Rubric:
    """`rubric` with the layer's checks added where the rubric does not already list them."""
    listed = {i.name for i in rubric.items()}
    out = Rubric(list(rubric.required), list(rubric.bonus), list(rubric.forbidden), list(rubric.auto_fail))
    for name in CRITICAL.get(kind, ()):
        if name not in listed and name not in exempt:
            out.auto_fail.append(Item(name, "marker", 1.0, MARKER_COMPETENCY.get(name, "compliance"),
                                      description=descriptions.get(name, ""), layer=LAYER))
    for name in CONDUCT.get(kind, ()):
        if name not in listed and name not in exempt:
            item = Item(name, "marker", 1.0, MARKER_COMPETENCY.get(name, "professionalism"),
                        description=descriptions.get(name, ""), layer=LAYER)
            out.forbidden.append(Penalised(item, CONDUCT_PENALTY))
    return out
