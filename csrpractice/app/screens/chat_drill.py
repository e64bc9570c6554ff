"""The chat-multitasking drill: two or three customers write at once, on a timer; the candidate switches
between chats and replies. Each reply is scored for speed, accuracy and conduct markers; the results
show response times per chat and the longest any customer waited."""
from __future__ import annotations

from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TextArea

from csrpractice.app.screens.confirm import ConfirmScreen
from csrpractice.app.widgets.chat import CandidateLine, CustomerLine
from csrpractice.app.widgets.feedback import said
from csrpractice.app.widgets.reply_box import ReplyBox

GRACE = 60.0  # seconds after the last customer message before the drill ends by itself


@dataclass
class ChatReply:
    chat: int
    text: str
    wait: float | None  # seconds the customer had waited when the reply was sent
    wpm: float
    accuracy: float
    markers: list[str]


@dataclass
class ChatState:
    delivered: int = 0
    waiting_since: float | None = None  # the oldest unanswered customer message
    waits: list[float] = field(default_factory=list)


class ChatPane(Vertical):
    DEFAULT_CSS = """
    ChatPane { width: 1fr; border: round $panel; padding: 0 1; }
    ChatPane.active { border: round $accent; }
    ChatPane.waiting { border-title-color: $error; }
    ChatPane VerticalScroll { height: 1fr; }
    ChatPane .status { height: 1; color: $text-muted; }
    """

    def __init__(self, index: int, script, **kwargs):
        super().__init__(**kwargs)
        self.index, self.script = index, script
        self.border_title = f"{index + 1}. {script.customer}: {script.topic}"

    def compose(self) -> ComposeResult:
        yield VerticalScroll(classes="lines")
        yield Static("", classes="status")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).anchor()

    @dataclass
    class Selected(Message):
        index: int

    def on_click(self) -> None:
        self.post_message(self.Selected(self.index))


class ChatDrillScreen(Screen):
    BINDINGS = [Binding("ctrl+n", "next_chat", "Next chat"), Binding("escape", "leave", "End drill")]
    DEFAULT_CSS = """
    ChatDrillScreen #chats { height: 1fr; }
    ChatDrillScreen #chat-label { height: 1; padding: 0 1; color: $text-muted; }
    ChatDrillScreen ReplyBox { height: 5; }
    """
    confirm_quit = "Quit in the middle of the chat drill? It will not be scored."

    def __init__(self, session):
        super().__init__()
        self.session = session
        self.states = [ChatState() for _ in session.chats]
        self.replies: list[ChatReply] = []
        self.active = 0
        self.started: float | None = None
        self.finished = False
        self.last_at = max(m.at for c in session.chats for m in c.messages)
        self._typing_started: float | None = None
        self._typed = 0
        self._deleted = 0
        self._last_len = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="chats"):
            for i, chat in enumerate(self.session.chats):
                yield ChatPane(i, chat, id=f"chat-{i}")
        yield Static("", id="chat-label")
        yield ReplyBox(id="reply")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Chat multitasking drill"
        self.sub_title = self.session.title
        self.started = self.app.clock()
        self.activate(0)
        self.query_one(ReplyBox).focus()
        self.tick()
        self.set_interval(0.25, self.tick)

    def elapsed(self) -> float:
        return self.app.clock() - self.started

    # --- time passes ----------------------------------------------------------------------------------
    def tick(self) -> None:
        if self.finished:
            return
        now = self.elapsed()
        for i, (chat, state) in enumerate(zip(self.session.chats, self.states)):
            while state.delivered < len(chat.messages) and chat.messages[state.delivered].at <= now:
                msg = chat.messages[state.delivered]
                self.query_one(f"#chat-{i}", ChatPane).query_one(VerticalScroll).mount(
                    CustomerLine(said(chat.customer, msg.text)))
                state.delivered += 1
                if state.waiting_since is None:
                    state.waiting_since = msg.at
        for i, state in enumerate(self.states):
            pane = self.query_one(f"#chat-{i}", ChatPane)
            waiting = state.waiting_since is not None
            pane.set_class(waiting, "waiting")
            status = (f"waiting {now - state.waiting_since:.0f} s" if waiting else
                      "no messages yet" if state.delivered == 0 else "answered")
            pane.query_one(".status", Static).update(status)
        everything_said = all(s.delivered == len(c.messages) for c, s in zip(self.session.chats, self.states))
        if (everything_said and all(s.waiting_since is None for s in self.states)) or now > self.last_at + GRACE:
            self.finish()

    # --- the candidate --------------------------------------------------------------------------------
    def activate(self, index: int) -> None:
        self.active = index
        for i in range(len(self.session.chats)):
            self.query_one(f"#chat-{i}", ChatPane).set_class(i == index, "active")
        chat = self.session.chats[index]
        self.query_one("#chat-label", Static).update(
            f"Replying to [b]{chat.customer}[/b] · Ctrl+S sends · Ctrl+N next chat (or click one) · Esc ends")

    @on(ChatPane.Selected)
    def _pane_clicked(self, event: ChatPane.Selected) -> None:
        self.activate(event.index)
        self.query_one(ReplyBox).focus()

    def action_next_chat(self) -> None:
        self.activate((self.active + 1) % len(self.session.chats))

    @on(TextArea.Changed, "#reply")
    def _typing(self, event: TextArea.Changed) -> None:
        n = len(event.text_area.text)
        if n > self._last_len:
            if self._typing_started is None:
                self._typing_started = self.app.clock()
            self._typed += n - self._last_len
        else:
            self._deleted += self._last_len - n
        self._last_len = n

    @on(ReplyBox.ReplySent, "#reply")
    def send(self, event: ReplyBox.ReplySent) -> None:
        from scoring import detect_markers, redact

        text = event.text.strip()
        if not text or self.finished:
            return
        now = self.elapsed()
        state = self.states[self.active]
        wait = None if state.waiting_since is None else now - state.waiting_since
        if wait is not None:
            state.waits.append(wait)
        state.waiting_since = None
        typing_s = max(0.001, self.app.clock() - (self._typing_started or self.app.clock()))
        wpm = len(text) / 5 / (typing_s / 60) if self._typing_started is not None else 0.0
        accuracy = 100.0 * max(0, self._typed - self._deleted) / self._typed if self._typed else 100.0
        self.replies.append(ChatReply(self.active, redact(text), wait, round(wpm, 1), round(accuracy, 1),
                                      [d.marker for d in detect_markers(text)]))
        self.query_one(f"#chat-{self.active}", ChatPane).query_one(VerticalScroll).mount(
            CandidateLine(said("You", redact(text))))
        self._typing_started, self._typed, self._deleted = None, 0, 0
        self.query_one(ReplyBox).clear()
        self._last_len = 0
        self.tick()

    def finish(self) -> None:
        from csrpractice.app.screens.chat_results import ChatResultsScreen

        if self.finished:
            return
        self.finished = True
        end = self.elapsed()
        for state in self.states:
            if state.waiting_since is not None:
                state.waits.append(end - state.waiting_since)  # still waiting when the drill ended
        self.app.switch_screen(ChatResultsScreen(self.session, self.states, self.replies, end))

    def action_leave(self) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self.finish()

        self.app.push_screen(ConfirmScreen("End the drill now? A customer still waiting has waited until "
                                           "this moment, and that counts.", "End", "Keep going"), answer)
