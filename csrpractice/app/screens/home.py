"""Home: the modes of the app, and the reply checker, which scores any reply you type."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from csrpractice.app.widgets.feedback import Feedback
from csrpractice.app.widgets.reply_box import ReplyBox

MODES = """[b]Modes[/b]

[b]Reply checker[/b]
  available: type a reply, see the conduct markers it shows

[dim]Scenarios[/dim]
  [dim]not yet available[/dim]
[dim]Typing drills[/dim]
  [dim]not yet available[/dim]
[dim]Progress[/dim]
  [dim]not yet available[/dim]
[dim]Settings[/dim]
  [dim]not yet available[/dim]
"""


class HomeScreen(Screen):
    CSS_PATH = "home.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield Static(MODES, id="modes")
            with Vertical(id="checker"):
                yield Static("[b]Reply checker[/b]  Write a reply to a customer; [b]Ctrl+S[/b] checks it.",
                             id="checker-title")
                yield ReplyBox(id="reply")
                yield Button("Check reply", id="check", variant="primary")
                with VerticalScroll(id="feedback-scroll"):
                    yield Feedback("Markers found in your reply appear here.", id="feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ReplyBox).focus()

    @on(ReplyBox.ReplySent)
    def check_reply(self, event: ReplyBox.ReplySent) -> None:
        self._check(event.text)

    @on(Button.Pressed, "#check")
    def check_pressed(self) -> None:
        self._check(self.query_one(ReplyBox).text)

    def _check(self, text: str) -> None:
        from scoring import detect_markers

        self.query_one(Feedback).show(text, detect_markers(text))
