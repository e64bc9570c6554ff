"""The scenario screen: the conversation, the persona and their mood, the clock, and the reply box.

Every sent reply is committed to the history before the customer answers, and the reply box's draft is
saved shortly after each change, so a crash or a kill loses nothing; a stored attempt can be resumed."""
from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Collapsible, Footer, Header, Static, TextArea

from csrpractice.app.screens.confirm import ConfirmScreen
from csrpractice.app.widgets.chat import BriefLine, CandidateLine, CustomerLine, HintLine
from csrpractice.app.widgets.feedback import TurnFeedbackView, said
from csrpractice.app.widgets.mood import MoodMeter
from csrpractice.app.widgets.reply_box import ReplyBox


DRAFT_DELAY = 0.4  # seconds after the last change before the draft is saved


def _mmss(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:d}:{seconds % 60:02d}"


class ScenarioScreen(Screen):
    CSS_PATH = "scenario.tcss"
    BINDINGS = [
        Binding("f1", "hint", "Hint"),
        Binding("f3", "toggle_feedback", "Show/hide feedback"),
        Binding("escape", "leave", "Leave"),
        Binding("pageup", "scroll_transcript(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_transcript(1)", "Scroll down", show=False, priority=True),
    ]
    elapsed: reactive[float] = reactive(0.0)
    # Asked before quitting; the attempt stays in the history, offered for resuming at the next start.
    confirm_quit = "Quit in the middle of a scenario? You can resume it the next time you start csrpractice."

    def __init__(self, scenario, seed: int = 0, mode: str = "practice", resume: dict | None = None):
        super().__init__()
        from csrpractice.session import Session

        self.scenario = scenario
        self.session = Session(scenario, seed=seed, mode=mode)
        self.practice = mode == "practice"
        self.feedback_open = True
        self.hints = 0
        self.reply_latency: float | None = None
        self.resume = resume  # a stored unfinished attempt to carry on with
        self.attempt: int | None = None  # its id in the history
        self.history_warned = False
        self._draft_timer: Timer | None = None
        self._draft_saved = ""

    def compose(self) -> ComposeResult:
        s = self.scenario
        yield Header()
        with Horizontal():
            with Vertical(id="conversation"):
                yield VerticalScroll(id="transcript")
                yield Static("[b]Your reply[/b] · Ctrl+S sends" + (" · F1 hint" if self.practice else ""),
                             id="reply-label")
                yield ReplyBox(id="reply")
            with Vertical(id="side"):
                yield Static(f"[b]{s.persona.name}[/b]" + (f"\n[dim]{s.persona.role}[/dim]" if s.persona.role else ""),
                             id="persona")
                yield MoodMeter(id="mood")
                yield Static("", id="clock")
                yield Static(f"[dim]{s.industry.replace('_', ' ')} · {s.channel} · level {s.difficulty}[/dim]",
                             id="meta")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.scenario.title
        self.sub_title = "practice" if self.practice else "screening"
        now = self.app.clock()
        self.started = self.turn_started = now
        self.query_one(MoodMeter).mood = self.session.mood
        box = self.query_one("#transcript", VerticalScroll)
        box.anchor()  # stay scrolled to the newest line
        box.mount(BriefLine(said("Brief", self.scenario.brief)))
        if self.resume:
            self._replay(self.resume)
            if self.session.finished:  # killed between the last reply and the scorecard
                self.call_after_refresh(self._finish)
                return
        else:
            self.attempt = self._history("begin_scenario", self.scenario, self.session.seed, self.session.mode)
        self._customer(self.session.customer_line)
        self.query_one(ReplyBox).focus()
        self._tick()
        self.set_interval(1.0, self._tick)

    # --- the history ----------------------------------------------------------------------------------
    def _history(self, method: str, *args):
        """Call the history store; if it cannot be written, say so once (the scenario goes on regardless)."""
        from csrpractice.store import StoreError

        store = self.app.open_history()
        if store is None:
            if not self.history_warned:
                self.history_warned = True
                self.notify(f"This attempt is not being saved: {self.app.store_problem or 'the history is not open'}",
                            severity="error", timeout=15)
            return None
        try:
            return getattr(store, method)(*args)
        except StoreError as exc:
            if not self.history_warned:
                self.history_warned = True
                self.notify(f"Not saved: {exc}", severity="error", timeout=20)
            return None

    def _replay(self, attempt: dict) -> None:
        """Carry on with a stored attempt: its replies, with their stored results, in order."""
        from scoring.rubric import TurnScore

        self.attempt = attempt["id"]
        stored = self._history("replies", attempt["id"]) or []
        for r in stored:
            if self.session.finished or self.session.turn.id != r["turn"]:
                break  # cannot happen with an unchanged scenario; stop rather than show a wrong transcript
            self._customer(self.session.customer_line)
            record = self.session.submit(r["reply"], r["seconds"], result=TurnScore.from_dict(r["result"]))
            self._show_reply(record)
        self.started = self.app.clock() - self.session.elapsed
        if attempt.get("draft"):
            self.query_one(ReplyBox).load_text(attempt["draft"])
            self._draft_saved = attempt["draft"]
        self.notify(f"Resumed: {len(stored)} repl{'y' if len(stored) == 1 else 'ies'} restored"
                    + (", and your draft" if attempt.get("draft") else "") + ".", timeout=6)

    @on(TextArea.Changed, "#reply")
    def _draft_changed(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.save_draft)

    def save_draft(self) -> None:
        text = self.query_one(ReplyBox).text
        if self.attempt is not None and text != self._draft_saved and not self.session.finished:
            self._history("save_draft", self.attempt, text)
            self._draft_saved = text

    def keep_for_later(self) -> None:
        """The app is quitting mid-scenario: the attempt stays unfinished, with the draft as it is now."""
        self.save_draft()

    # --- the clock ------------------------------------------------------------------------------------
    def _tick(self) -> None:
        if self.session.finished:
            return
        now = self.app.clock()
        self.elapsed = now - self.started
        s = self.scenario
        lines = [f"Elapsed {_mmss(self.elapsed)}"]
        limit = self.session.reply_limit
        if limit:
            left = limit - (now - self.turn_started)
            lines.append(f"Reply {_mmss(left)} left" if left > 0 else "Reply: over time (-10)")
        if s.scenario_seconds:
            left = s.scenario_seconds - self.elapsed
            lines.append(f"Scenario {_mmss(left)} left")
            if left <= 0:
                self.session.time_up()
                self._finish()
                return
        self.query_one("#clock", Static).update("\n".join(lines))

    # --- the conversation -----------------------------------------------------------------------------
    def _customer(self, line: str) -> None:
        box = self.query_one("#transcript", VerticalScroll)
        box.mount(CustomerLine(said(self.scenario.persona.name, line)))

    @on(ReplyBox.ReplySent)
    def send(self, event: ReplyBox.ReplySent) -> None:
        if self.session.finished:
            return
        sent_at = time.perf_counter()
        text = event.text
        if not text.strip():
            self.notify("Write a reply first; Ctrl+S sends it.", severity="warning")
            return
        seconds = self.app.clock() - self.turn_started
        record = self.session.submit(text, seconds)
        if self.attempt is not None:
            self._history("add_reply", self.attempt, len(self.session.records) - 1, record)
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_saved = ""
        self._show_reply(record)
        self.query_one(ReplyBox).clear()
        if self.session.finished:
            self._finish()
            return
        self.turn_started = self.app.clock()
        self._customer(self.session.customer_line)
        self.call_after_refresh(self._shown, sent_at)

    def _show_reply(self, record) -> None:
        box = self.query_one("#transcript", VerticalScroll)
        box.mount(CandidateLine(said("You", record.reply)))
        if self.practice:
            feedback = self.session.scorecard().turns[-1]
            box.mount(Collapsible(TurnFeedbackView(feedback), title=f"Feedback: {record.score:g}/100",
                                  collapsed=not self.feedback_open, classes="feedback"))
        self.query_one(MoodMeter).mood = self.session.mood

    def _shown(self, sent_at: float) -> None:
        """The customer's next line is on screen: note how long the reply took to handle (see benchmarks)."""
        self.reply_latency = time.perf_counter() - sent_at

    def _finish(self) -> None:
        from csrpractice.app.screens.scorecard import ScorecardScreen

        self.query_one(ReplyBox).disabled = True
        card = self.session.scorecard()
        if self.attempt is not None:
            self._history("finish_scenario", self.attempt, card)
        self.app.switch_screen(ScorecardScreen(self.scenario, card, hints=self.hints))

    # --- actions --------------------------------------------------------------------------------------
    def action_hint(self) -> None:
        if not self.practice:
            self.notify("Hints are not available in a screening.", severity="warning")
            return
        if self.session.finished:
            return
        self.hints += 1
        box = self.query_one("#transcript", VerticalScroll)
        box.mount(HintLine(said("Hint", self.session.hint())))

    def action_scroll_transcript(self, direction: int) -> None:
        box = self.query_one("#transcript", VerticalScroll)
        (box.scroll_page_down if direction > 0 else box.scroll_page_up)(animate=False)

    def action_toggle_feedback(self) -> None:
        self.feedback_open = not self.feedback_open
        for c in self.query(".feedback").results(Collapsible):
            c.collapsed = not self.feedback_open

    def action_leave(self) -> None:
        def leave(yes: bool | None) -> None:
            if yes:
                if self.attempt is not None:
                    self._history("set_status", self.attempt, "left")
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen("Leave this scenario? It will not be scored (your replies stay in "
                                           "the history).", "Leave", "Stay"), leave)
