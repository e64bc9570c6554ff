"""A typing drill: the text, live speed and accuracy, and a clock; then the results."""
from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from csrpractice.app.screens.confirm import ConfirmScreen
from csrpractice.app.widgets.typing_text import view
from scoring.typing import RepeatFilter, Typed


class TypingText(Widget, can_focus=True):
    """Takes the keystrokes of a drill and shows the text coloured as it is typed."""

    DEFAULT_CSS = """
    TypingText { height: auto; min-height: 5; padding: 1 2; border: round $primary; }
    TypingText:focus { border: round $accent; }
    """
    version: reactive[int] = reactive(0)

    def __init__(self, target: str, **kwargs):
        super().__init__(**kwargs)
        self.target_words = target.split()
        self.typed = Typed()

    def render(self) -> object:
        return view(self.target_words, self.typed.words)


class TypingScreen(Screen):
    CSS_PATH = "typing.tcss"
    BINDINGS = [Binding("escape", "leave", "Leave"), Binding("tab", "restart", "New text", priority=True)]
    confirm_quit = "Quit in the middle of a typing drill? It will not be scored."

    def __init__(self, drill, screening: bool = False):
        super().__init__()
        self.drill = drill
        self.screening = screening
        self.events: list[tuple[float, str]] = []
        self.started: float | None = None
        self.pastes = 0
        self.pasted_chars = 0
        self.repeats = RepeatFilter()
        self.finished = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="drill"):
            yield Static(f"[b]{self.drill.label}[/b] · type the text; the clock starts with your first key",
                         id="drill-title")
            yield TypingText(self.drill.text, id="text")
            yield Static("", id="live")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Typing drill"
        self.sub_title = self.drill.label
        self.query_one(TypingText).focus()
        self._update_live()
        self.set_interval(0.5, self._tick)

    def now(self) -> float:
        return self.app.clock()

    # --- keystrokes -----------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        if self.finished or not isinstance(self.focused, TypingText):
            return
        if event.key == "backspace":
            key = "backspace"
        elif event.key == "space":
            key = " "
        elif event.character and event.is_printable and len(event.character) == 1:
            key = event.character
        else:
            return
        event.stop()
        event.prevent_default()
        self.type_key(key)

    @property
    def repeats_dropped(self) -> int:
        return self.repeats.dropped

    def type_key(self, key: str) -> None:
        now = self.now()
        if self.started is None:
            self.started = now
        t = now - self.started
        if not self.repeats.accept(t, key):
            return  # a held key's auto-repeat: not typing
        self.events.append((t, key))
        text = self.query_one(TypingText)
        text.typed.push(key)
        text.refresh()
        if self._complete(text.typed.words):
            self._finish()

    def _complete(self, typed: list[str]) -> bool:
        words = self.query_one(TypingText).target_words
        if self.drill.timed:
            return len(typed) > len(words)
        n = len(words)
        return len(typed) > n or (len(typed) == n and typed[-1] == words[-1])

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        self.pastes += 1
        self.pasted_chars += len(event.text)
        if self.screening:
            self.notify("Pasting is not allowed in a screening; it has been recorded.", severity="error")
            hook = getattr(self.app, "paste_refused", None)
            if hook:
                hook()
            return
        self.notify("Pasted text is recorded and marks this result as not a typing score.", severity="warning")
        for ch in event.text.replace("\n", " "):
            self.type_key(ch)

    # --- the clock ------------------------------------------------------------------------------------
    def _tick(self) -> None:
        if self.finished:
            return
        if self.drill.timed and self.started is not None and self.now() - self.started >= self.drill.seconds:
            self._finish()
            return
        self._update_live()

    def _update_live(self) -> None:
        from scoring.typing import score_drill

        if self.started is None:
            left = f" · {self.drill.seconds} s" if self.drill.timed else ""
            self.query_one("#live", Static).update(f"WPM – · accuracy –{left}")
            return
        elapsed = self.now() - self.started
        r = score_drill(self.drill.text, self.events, duration=max(elapsed, 0.001))
        left = f" · {max(0, self.drill.seconds - elapsed):.0f} s left" if self.drill.timed else \
            f" · {elapsed:.0f} s"
        self.query_one("#live", Static).update(f"WPM {r.wpm:.0f} · accuracy {r.accuracy:.0f}%{left}")

    def _finish(self) -> None:
        from csrpractice.app.screens.typing_results import TypingResultsScreen
        from scoring.typing import score_drill

        if self.finished:
            return
        self.finished = True
        if self.drill.timed:
            result = score_drill(self.drill.text, self.events, duration=self.drill.seconds)
        else:
            result = score_drill(self.drill.text, self.events)
        hook = getattr(self.app, "typing_finished", None) if self.screening else None
        if hook:  # a screening goes straight on: the candidate sees no result
            hook(self.drill, result, self.pastes)
            return
        self.app.switch_screen(TypingResultsScreen(self.drill, result, pastes=self.pastes,
                                                   pasted_chars=self.pasted_chars,
                                                   repeats_dropped=self.repeats_dropped,
                                                   screening=self.screening))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # A screening's typing test cannot be left or given a new text: those keys are not offered.
        return not (self.screening and action in ("leave", "restart"))

    # --- actions --------------------------------------------------------------------------------------
    def action_restart(self) -> None:
        if self.screening:
            self.notify("A screening's typing test cannot be changed or restarted.", severity="warning")
            return
        self.app.start_drill(self.drill.mode, seconds=self.drill.seconds, count=len(self.drill.text.split()),
                             replace=True, new_text=True, drill=self.drill)

    def action_leave(self) -> None:
        if self.screening:
            self.notify("A screening cannot be left; Ctrl+Q stops it, and the same command resumes it.",
                        severity="warning")
            return
        if not self.events:
            self.app.pop_screen()
            return

        def leave(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen("Leave this drill? It will not be scored.", "Leave", "Stay"), leave)
