"""Choosing a typing drill: timed, word count, passage, custom text, or the chat-multitasking drill."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from csrpractice.drills import TIMED, WORD_COUNTS


def choices() -> list[tuple[str, dict]]:
    from csrpractice.drills import chat_sessions

    out = [(f"Timed: {s} seconds", {"mode": "time", "seconds": s}) for s in TIMED]
    out += [(f"Words: {n}", {"mode": "words", "count": n}) for n in WORD_COUNTS]
    out.append(("Passage: a CSR chat reply, CRM note, email, address or policy text", {"mode": "passage"}))
    out += [(f"Chat multitasking: {s.title} ({len(s.chats)} chats)", {"mode": "chat", "chat": sid})
            for sid, s in sorted(chat_sessions().items())]
    return out


class DrillPicker(Vertical):
    DEFAULT_CSS = """
    DrillPicker { padding: 1 1; }
    DrillPicker #drill-options { height: 1fr; }
    DrillPicker #custom-row { height: 3; }
    DrillPicker #custom-path { width: 1fr; }
    DrillPicker Static { height: auto; margin-bottom: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Chat roles commonly ask for [b]40+ WPM[/b]. Pick a drill and press Enter; the clock starts "
                     "with your first key.")
        self.options = choices()
        yield OptionList(*[Option(label, id=str(i)) for i, (label, _) in enumerate(self.options)], id="drill-options")
        with Horizontal(id="custom-row"):
            yield Input(placeholder="Custom text: path to a UTF-8 text file", id="custom-path")
            yield Button("Type this file", id="custom-go")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected, "#drill-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        _, spec = self.options[int(event.option.id)]
        self.app.start_drill(**spec)

    @on(Button.Pressed, "#custom-go")
    @on(Input.Submitted, "#custom-path")
    def _custom(self) -> None:
        path = self.query_one("#custom-path", Input).value.strip()
        self.app.start_drill("custom", file=path)
