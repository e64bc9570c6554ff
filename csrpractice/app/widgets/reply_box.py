"""A multi-line reply box that sends its text as a ReplySent message (Ctrl+S); Enter is a new line."""
from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea


class ReplyBox(TextArea):
    DEFAULT_CSS = """
    ReplyBox { height: 6; border: round $primary; }
    ReplyBox:focus { border: round $accent; }
    """
    # Not a priority binding: it must run in this widget's own queue, after every key typed before it,
    # or a fast typist's (or a paste's) last characters would miss the reply.
    BINDINGS = [Binding("ctrl+s", "send", "Send reply")]

    @dataclass
    class ReplySent(Message):
        box: ReplyBox
        text: str

        @property
        def control(self) -> ReplyBox:
            return self.box

    @dataclass
    class PasteRefused(Message):
        characters: int

    def __init__(self, refuse_paste: bool = False, **kwargs):
        kwargs.setdefault("placeholder", "Type your reply. Enter starts a new line; Ctrl+S sends.")
        super().__init__(soft_wrap=True, show_line_numbers=False, **kwargs)
        self.refuse_paste = refuse_paste  # a screening: replies are typed, not pasted

    async def _on_paste(self, event: events.Paste) -> None:
        if self.refuse_paste:
            event.prevent_default()
            event.stop()
            self.post_message(self.PasteRefused(len(event.text)))
            return
        await super()._on_paste(event)

    def action_send(self) -> None:
        self.post_message(self.ReplySent(self, self.text))
