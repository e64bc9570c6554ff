"""Results of the chat-multitasking drill: response times per chat, the longest wait, and each reply."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from csrpractice.app.widgets.feedback import NEGATIVE


def summary(session, states, replies, duration: float) -> dict:
    """The figures of a finished drill (plain data: tested without a terminal)."""
    chats = []
    for i, (chat, state) in enumerate(zip(session.chats, states)):
        waits = state.waits
        chats.append({"customer": chat.customer, "replies": sum(1 for r in replies if r.chat == i),
                      "mean_response": round(sum(waits) / len(waits), 1) if waits else None,
                      "longest_wait": round(max(waits), 1) if waits else 0.0})
    typed = [r for r in replies if r.wpm]
    return {
        "duration": round(duration, 1), "chats": chats,
        "longest_wait": max((c["longest_wait"] for c in chats), default=0.0),
        "wpm": round(sum(r.wpm for r in typed) / len(typed), 1) if typed else 0.0,
        "accuracy": round(sum(r.accuracy for r in replies) / len(replies), 1) if replies else 0.0,
    }


class ChatResultsScreen(Screen):
    BINDINGS = [Binding("r", "retry", "Again"), Binding("escape,h", "home", "Home")]
    DEFAULT_CSS = """
    ChatResultsScreen #chat-results { padding: 1 2; }
    ChatResultsScreen #chat-results Static { height: auto; margin-bottom: 1; }
    """

    def __init__(self, session, states, replies, duration: float):
        super().__init__()
        self.session, self.replies = session, replies
        self.figures = summary(session, states, replies, duration)

    def compose(self) -> ComposeResult:
        f = self.figures
        yield Header()
        with VerticalScroll(id="chat-results"):
            bar = "above" if f["wpm"] >= 40 else "below"
            yield Static(f"[b]Longest a customer waited: {f['longest_wait']:.0f} s[/b] · typing {f['wpm']:.0f} WPM "
                         f"({bar} the 40 WPM chat-role bar) "
                         f"· accuracy {f['accuracy']:.0f}% · {len(self.replies)} replies in {f['duration']:.0f} s",
                         id="chat-headline")
            rows = [f"{c['customer']:<12} {c['replies']} repl{'y' if c['replies'] == 1 else 'ies'} · mean response "
                    + (f"{c['mean_response']:.0f} s" if c["mean_response"] is not None else "–")
                    + f" · longest wait {c['longest_wait']:.0f} s" for c in f["chats"]]
            yield Static("[b]Per chat[/b]\n" + "\n".join(rows), id="per-chat", markup=True)
            lines = []
            for r in self.replies:
                good = [m for m in r.markers if m not in NEGATIVE]
                bad = [m for m in r.markers if m in NEGATIVE]
                who = self.session.chats[r.chat].customer
                wait = f"{r.wait:.0f} s" if r.wait is not None else "–"
                lines.append(f"{who}: answered after {wait}, {r.wpm:.0f} WPM, {r.accuracy:.0f}% · "
                             f"+ {', '.join(good) or 'no conduct markers'}" + (f" · - {', '.join(bad)}" if bad else ""))
            yield Static("Replies:\n" + ("\n".join(lines) or "No replies sent."), id="reply-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Chat drill results"
        self.sub_title = self.session.title
        self._record()

    def _record(self) -> None:
        from dataclasses import asdict

        _, problem = self.app.record("record_chat", self.session.id, self.session.title, self.figures,
                                     [asdict(r) for r in self.replies])
        if problem:
            self.notify(f"This drill is not being saved: {problem}", severity="error", timeout=20, markup=False)

    def action_retry(self) -> None:
        self.app.start_drill("chat", chat=self.session.id, replace=True)

    def action_home(self) -> None:
        self.app.pop_screen()
