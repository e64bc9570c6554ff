"""A multi-line reply box that sends its text as a ReplySent message (Ctrl+S); Enter is a new line."""
from __future__ import annotations

from dataclasses import dataclass

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

    def __init__(self, **kwargs):
        kwargs.setdefault("placeholder", "Type your reply. Enter starts a new line; Ctrl+S sends.")
        super().__init__(soft_wrap=True, show_line_numbers=False, **kwargs)

    def action_send(self) -> None:
        self.post_message(self.ReplySent(self, self.text))
