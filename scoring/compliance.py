"""The always-on compliance and conduct layer: what every turn of every scenario is checked for, whatever
its rubric lists, unless the scenario exempts a check by name.

Critical findings (a card number asked for aloud, unlicensed advice, abuse; misconduct described in an
interview answer) zero the turn and cap the scorecard; unprofessional conduct (blame, brush-offs) costs
points like any forbidden item, within the per-turn penalty cap.
"""
from __future__ import annotations

from scoring.markers import MarkerLibrary
from scoring.rubric import MARKER_COMPETENCY, Item, Penalised, Rubric

CRITICAL_CAP = 15.0  # the highest overall score a scorecard with a critical finding can have, by default
CRITICAL_CHECKS = {
    "customer": ("pci_violation", "unlicensed_advice", "abuse"),
    "interview": ("misconduct", "abuse"),
    "knowledge_check": ("abuse",),
}
CONDUCT_PENALTY = 20.0
CONDUCT_CHECKS = {"customer": ("blame", "dismissive"), "interview": ("dismissive",), "knowledge_check": ("dismissive",)}
CHECKS = frozenset(name for names in (*CRITICAL_CHECKS.values(), *CONDUCT_CHECKS.values()) for name in names)
LAYER = "compliance"


def with_compliance(rubric: Rubric, kind: str, library: MarkerLibrary, exempt=()) -> Rubric:
    """`rubric` with the layer's checks added where the rubric does not already list them."""
    listed = {i.name for i in rubric.items()}

    def check(name: str) -> Item:
        return Item(name, "marker", 1.0, MARKER_COMPETENCY[name], description=library.markers[name].description,
                    layer=LAYER)

    wanted = [n for n in CRITICAL_CHECKS.get(kind, ()) if n not in listed and n not in exempt]
    conduct = [n for n in CONDUCT_CHECKS.get(kind, ()) if n not in listed and n not in exempt]
    return Rubric(list(rubric.required), list(rubric.bonus),
                  [*rubric.forbidden, *(Penalised(check(n), CONDUCT_PENALTY) for n in conduct)],
                  [*rubric.auto_fail, *(check(n) for n in wanted)])
