"""Command-palette commands: start any scenario by typing part of its title."""
from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider


class ScenarioCommands(Provider):
    async def search(self, query: str) -> Hits:
        app = self.app
        matcher = self.matcher(query)
        for sid, s in getattr(app, "scenarios", {}).items():
            text = f"Start scenario: {s.title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(app.start_scenario, sid),
                          help=f"{s.industry.replace('_', ' ')} · {s.channel} · level {s.difficulty}")
