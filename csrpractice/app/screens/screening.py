"""The screening's own screens: the instructions before it starts, and a neutral message at the end (the
candidate never sees scores)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


def _minutes(seconds: float | None) -> str:
    return f"{seconds / 60:g} minutes" if seconds else "no time limit"


class InstructionsScreen(Screen):
    BINDINGS = [Binding("enter", "begin", "Begin", priority=True)]
    DEFAULT_CSS = """
    InstructionsScreen Vertical { padding: 1 2; }
    InstructionsScreen Vertical > Static { height: auto; margin-bottom: 1; }
    """
    confirm_quit = "Stop before starting? The same command starts the screening later."

    def __init__(self, pack, resuming: bool = False, done: int = 0):
        super().__init__()
        self.pack, self.resuming, self.done = pack, resuming, done

    def compose(self) -> ComposeResult:
        p = self.pack
        yield Header()
        with Vertical():
            yield Static(Content.styled(p.title, "bold"), id="pack-title")
            yield Static(Content(p.instructions.strip()), id="instructions")
            items = [f"{i}. A conversation with a customer ({_minutes(s.scenario_seconds)})"
                     for i, s in enumerate(p.scenarios, start=1)]
            if p.typing:
                items.append(f"{len(items) + 1}. A typing test")
            rules = ("No hints, no feedback and no going back. Pasting is not allowed. Ctrl+S sends a reply "
                     "(F4 to speak one, if voice is set up).")
            yield Static(Content("\n".join(["What is in it:", *items, "", rules])), id="items")
            if self.resuming:
                yield Static(Content.styled(f"Welcome back: {self.done} of {len(items)} part(s) are done, and "
                                            "the screening goes on where it stopped.", "bold $warning"),
                             id="resuming")
            yield Static(Content.styled("Press Enter to begin.", "bold"), id="begin")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.pack.title
        self.sub_title = "screening"

    def action_begin(self) -> None:
        self.app.begin_item()


class PartScreen(Screen):
    """Between two parts: what comes next, and Enter when ready (a reply still being typed cannot spill into
    the typing test, and each part starts on the candidate's word)."""

    BINDINGS = [Binding("enter", "begin", "Begin", priority=True)]
    DEFAULT_CSS = """
    PartScreen { align: center middle; }
    PartScreen Static { width: 64; height: auto; padding: 1 2; border: round $primary; }
    """
    confirm_quit = "Stop the screening here? Everything so far is saved; the same command resumes it."

    def __init__(self, number: int, total: int, kind: str, what):
        super().__init__()
        self.number, self.total, self.kind, self.what = number, total, kind, what

    def compose(self) -> ComposeResult:
        if self.kind == "typing":
            length = (f"{self.what['seconds']} seconds" if self.what.get("seconds") else
                      f"{self.what['words']} words" if self.what.get("words") else "a passage")
            text = f"The typing test ({length}). Type the text shown; the clock starts with your first key."
        else:
            text = f"A conversation with a customer ({_minutes(self.what.scenario_seconds)})."
        yield Static(Content.assemble((f"Part {self.number} of {self.total}", "bold"), "\n\n", text, "\n\n",
                                      ("Press Enter when you are ready.", "bold")), id="part")

    def on_mount(self) -> None:
        self.sub_title = f"part {self.number} of {self.total}"

    def action_begin(self) -> None:
        self.app.begin_item()


class DoneScreen(Screen):
    BINDINGS = [Binding("enter,escape", "app.quit", "Close")]
    DEFAULT_CSS = """
    DoneScreen { align: center middle; }
    DoneScreen Static { width: 60; height: auto; padding: 1 2; border: round $primary; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("Thank you.", "bold"), "\n\nYour screening is complete and has been "
                                      "saved. You can close this window now (Enter)."), id="done")
