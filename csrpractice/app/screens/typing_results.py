"""Typing drill results: speed against the 40 WPM chat-role bar, accuracy, consistency, the per-second
chart, the weakest keys and the personal best."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from csrpractice.charts import columns, resample
from scoring.typing import CHAT_ROLE_WPM


def chart(values: list[float], rows: int = 4, bar: float = CHAT_ROLE_WPM, width: int = 60) -> Content:
    """A column chart from zero, one column per second, the 40 WPM bar marked at the right."""
    if not values:
        return Content("no keystrokes")
    values = resample(values, width)  # long drills: neighbouring seconds averaged into one column
    top = max(max(values), bar) * 1.05
    lines = []
    for i, line in enumerate(columns(values, rows, top)):
        row = rows - 1 - i
        at_bar = int(bar / top * rows) == row
        label = f" ─ {bar:.0f} WPM bar" if at_bar else (f" {top:.0f}" if row == rows - 1 else "")
        lines.append(Content.assemble((line, "$accent"), (label, "$text-muted")))
    return Content("\n").join(lines)


class TypingResultsScreen(Screen):
    CSS_PATH = "typing.tcss"
    BINDINGS = [Binding("r", "retry", "Again"), Binding("escape,h", "home", "Home")]

    def __init__(self, drill, result, pastes: int = 0, pasted_chars: int = 0, repeats_dropped: int = 0,
                 screening: bool = False):
        super().__init__()
        self.drill, self.result = drill, result
        self.pastes, self.pasted_chars, self.repeats_dropped = pastes, pasted_chars, repeats_dropped
        self.screening = screening
        self.best_note = ""

    def compose(self) -> ComposeResult:
        r = self.result
        yield Header()
        with VerticalScroll(id="results"):
            mark = ("✓ above", "$success") if r.meets_chat_bar else ("✗ below", "$error")
            yield Static(Content.assemble((f"{r.wpm:.0f} WPM", "bold"), "   ",
                                          (f"{mark[0]} the {CHAT_ROLE_WPM} WPM chat-role bar", mark[1])),
                         id="headline")
            yield Static(f"The {CHAT_ROLE_WPM} WPM bar is compared with WPM (monkeytype's: correctly typed words, "
                         "their spaces included). Net WPM is the classic gross speed minus uncorrected errors "
                         "per minute.", id="bar-note")
            yield Static(
                f"raw {r.raw_wpm:.0f} · net {r.net_wpm:.0f} · accuracy {r.accuracy:.1f}% · consistency "
                f"{r.consistency:.0f}% · uncorrected errors {r.errors} · {r.duration:.1f} s · "
                f"{r.keystrokes} keys, {r.backspaces} backspace{'' if r.backspaces == 1 else 's'}", id="figures")
            yield Static("[b]WPM, second by second[/b]", id="chart-title")
            yield Static(chart(r.per_second), id="chart")
            weak = r.weakest_keys()
            yield Static("[b]Weakest keys:[/b] " + (", ".join(
                f"“{k}” {w}/{a} wrong" for k, w, a in weak) if weak else "none: no mistyped keys"), id="weak")
            yield Static("", id="best")
            notes = []
            if self.pastes:
                notes.append(f"{self.pastes} paste(s), {self.pasted_chars} characters: "
                             + ("refused (screening)" if self.screening else "this is not a typing score"))
            if self.repeats_dropped:
                notes.append(f"{self.repeats_dropped} auto-repeated keystroke(s) from a held key were not counted")
            yield Static("\n".join(notes), id="integrity")
            with Horizontal(id="actions"):
                yield Button("Again (r)", id="again", variant="primary")
                yield Button("Home (Esc)", id="home")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Typing results"
        self.sub_title = self.drill.label
        self._record_best()

    def _record_best(self) -> None:
        """Store the result in the history and compare it with the personal best before it."""
        best = self.query_one("#best", Static)
        r = self.result
        if not r.keystrokes:
            best.update("[b]Personal best:[/b] nothing typed, nothing recorded")
            return
        stored, problem = self.app.record("record_typing", self.drill, r, pastes=self.pastes,
                                          mode="screening" if self.screening else "practice")
        if problem:
            best.update(Content.assemble(("Personal best:", "bold"), f" not saved ({problem})"))
            return
        _, previous = stored
        if self.pastes:
            best.update("[b]Personal best:[/b] a result with pasted text is kept in your history but never "
                        "counts as a best")
        elif previous is None or r.wpm > previous["wpm"]:
            before = f" (before: {previous['wpm']:.0f} WPM)" if previous else ""
            best.update(f"[b]Personal best:[/b] new best for {self.drill.label.lower()}!{before}")
        else:
            best.update(f"[b]Personal best:[/b] {previous['wpm']:.0f} WPM on {previous['when']}")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        (self.action_retry if event.button.id == "again" else self.action_home)()

    def action_retry(self) -> None:
        self.app.start_drill(self.drill.mode, seconds=self.drill.seconds, count=len(self.drill.text.split()),
                             replace=True, new_text=True, drill=self.drill)

    def action_home(self) -> None:
        self.app.pop_screen()
