"""The question at start-up when a scenario was left unfinished: resume it, discard it, or decide later."""
from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label


def when(iso_time: str) -> str:
    """A stored UTC time as local time, e.g. 'Tue 24 Nov 17:31'."""
    t = datetime.fromisoformat(iso_time.replace("Z", "+00:00")).astimezone()
    return t.strftime("%a %d %b %H:%M")


class ResumeScreen(ModalScreen[str]):
    DEFAULT_CSS = """
    ResumeScreen { align: center middle; }
    ResumeScreen > Vertical { width: 68; height: auto; padding: 1 2; border: thick $primary; background: $surface; }
    ResumeScreen Label { width: 1fr; margin-bottom: 1; }
    ResumeScreen Horizontal { height: auto; }
    ResumeScreen Button { margin-right: 1; }
    """
    BINDINGS = [Binding("r", "choose('resume')", "Resume"), Binding("d", "choose('discard')", "Discard"),
                Binding("l,escape", "choose('later')", "Later")]

    def __init__(self, attempt: dict, changed: bool = False, older: int = 0):
        super().__init__()
        self.attempt, self.changed, self.older = attempt, changed, older

    def compose(self) -> ComposeResult:
        a = self.attempt
        n = a["replies"]
        sent = f"{n} repl{'y' if n == 1 else 'ies'} sent" + (" and a draft" if a.get("draft") else "")
        text = f" (started {when(a['started_at'])}; {sent})."
        if self.changed:
            text += ("\n\nThe scenario has changed since (or is not in the library now), so it cannot be resumed. "
                     "Your replies stay in the history.")
        if self.older:
            text += f"\n\n{self.older} older unfinished attempt(s) stay in the history as left."
        with Vertical():
            yield Label(Content.assemble("You did not finish ", (a["title"], "bold"), text), id="resume-question")
            with Horizontal():
                if not self.changed:
                    yield Button("Resume (r)", id="resume", variant="primary")
                yield Button("Discard (d)" if not self.changed else "Close it (d)", id="discard", variant="error")
                yield Button("Later (l)", id="later")

    def on_mount(self) -> None:
        self.query_one("Button").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        if choice == "resume" and self.changed:
            return
        self.dismiss(choice)
