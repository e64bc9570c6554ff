"""A multi-line reply box that sends its text as a ReplySent message."""
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
    BINDINGS = [Binding("ctrl+s", "send", "Send reply", priority=True)]

    @dataclass
    class ReplySent(Message):
        text: str

    def action_send(self) -> None:
        self.post_message(self.ReplySent(self.text))
