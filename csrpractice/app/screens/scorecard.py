"""The scorecard: overall score, competencies, outcome, and a turn-by-turn review with model answers."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from textual.content import Content

from csrpractice.app.widgets.feedback import TurnFeedbackView, said
from csrpractice.session import outcome_label



def bar(value: float, width: int = 20) -> str:
    full = round(value / 100 * width)
    return "█" * full + "░" * (width - full)


class ScorecardScreen(Screen):
    CSS_PATH = "scorecard.tcss"
    BINDINGS = [
        Binding("r", "retry", "Retry"),
        Binding("n", "next", "Next scenario"),
        Binding("escape,h", "home", "Home"),
    ]

    def __init__(self, scenario, card, hints: int = 0):
        super().__init__()
        self.scenario, self.card, self.hints = scenario, card, hints

    def compose(self) -> ComposeResult:
        c = self.card
        yield Header()
        with VerticalScroll(id="card"):
            capped = f"  [b $error]capped by: {', '.join(c.auto_fail)}[/]" if c.auto_fail else ""
            label = outcome_label(self.scenario.kind, c.outcome, c.overall)
            yield Static(f"[b]{c.overall:g}[/b]/100   {label}{capped}", id="overall")
            yield Static(said(self.scenario.persona.name, c.closing_line) if c.closing_line else "", id="closing")
            comps = [Content.assemble(f"{name.replace('_', ' '):<16} ", (bar(v), "$accent"), f" {v:5.1f}\n")
                     for name, v in c.competencies.items()]
            extra = f"{c.replies} replies" + (f", {self.hints} hint(s) used" if self.hints else "") + \
                (f", {c.duration_seconds:.0f} s" if c.duration_seconds is not None else "")
            yield Static(Content("").join([*comps, Content.styled(extra, "dim")]), id="competencies")
            with Horizontal(id="actions"):
                yield Button("Retry (r)", id="retry", variant="primary")
                yield Button("Next scenario (n)", id="next")
                yield Button("Home (Esc)", id="home")
            for i, t in enumerate(c.turns, start=1):
                yield Static(Content.assemble((f"Turn {i}  ", "bold"), said(self.scenario.persona.name, t.customer)),
                             classes="turn-title")
                yield TurnFeedbackView(t, classes="turn-review")
                yield Static(said("Model answer", t.model_answer), classes="model")

    def on_mount(self) -> None:
        self.title = f"Scorecard: {self.scenario.title}"
        self.sub_title = f"scenario version {self.scenario.version}"
        self.query_one("#retry", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"retry": self.action_retry, "next": self.action_next, "home": self.action_home}[event.button.id]()

    def action_retry(self) -> None:
        self.app.start_scenario(self.scenario.id, replace=True)

    def action_next(self) -> None:
        self.app.start_scenario(self.app.next_scenario_id(self.scenario.id), replace=True)

    def action_home(self) -> None:
        self.app.pop_screen()
