"""The scenario screen: the conversation, the persona and their mood, the clock, and the reply box.

Every sent reply is committed to the history before the customer answers, and the reply box's draft is
saved shortly after each change, so a crash or a kill loses nothing; a stored attempt can be resumed."""
from __future__ import annotations

import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Collapsible, Footer, Header, Static, TextArea
from textual.worker import get_current_worker

from csrpractice.app.screens.confirm import ConfirmScreen
from csrpractice.app.widgets.chat import BriefLine, CandidateLine, CustomerLine, HintLine
from csrpractice.app.widgets.feedback import TurnFeedbackView, said
from csrpractice.app.widgets.mood import MoodMeter
from csrpractice.app.widgets.reply_box import ReplyBox
from csrpractice.app.widgets.voice_panel import VoicePanel


DRAFT_DELAY = 0.4  # seconds after the last change before the draft is saved


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ")")) else text + "."


def _mmss(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:d}:{seconds % 60:02d}"


class ScenarioScreen(Screen):
    CSS_PATH = "scenario.tcss"
    BINDINGS = [
        Binding("f1", "hint", "Hint"),
        Binding("f3", "toggle_feedback", "Show/hide feedback"),
        Binding("f4", "speak", "Speak/send"),
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
        self.recorder = None  # the microphone Recorder while recording
        self.speak_when_ready = False
        self._level, self._heard, self._recording_since = 0.0, "", 0.0

    def compose(self) -> ComposeResult:
        s = self.scenario
        yield Header()
        with Horizontal():
            with Vertical(id="conversation"):
                yield VerticalScroll(id="transcript")
                yield VoicePanel(id="voice")
                yield Static("[b]Your reply[/b] · Ctrl+S sends" + (" · F1 hint" if self.practice else "")
                             + " · F4 speaks", id="reply-label")
                yield ReplyBox(id="reply", refuse_paste=not self.practice)
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
        hook = getattr(self.app, "scenario_started", None)
        if hook:
            hook(self)
        self._customer(self.session.customer_line)
        self.query_one(ReplyBox).focus()
        self._tick()
        self.set_interval(1.0, self._tick)
        self.set_interval(0.1, self._show_recording)  # the input level while recording
        if self.scenario.channel == "voice":
            # A phone call: load the speech model while the candidate reads the brief.
            self.app.load_speech_model()
            self.speech_changed()

    # --- the history ----------------------------------------------------------------------------------
    def _history(self, method: str, *args):
        """Call the history store; if it cannot be written, say so once (the scenario goes on regardless)."""
        value, problem = self.app.record(method, *args)
        if problem and not self.history_warned:
            self.history_warned = True
            self.notify(f"This attempt is not being saved: {problem}", severity="error", timeout=20, markup=False)
        return value

    def _replay(self, attempt: dict) -> None:
        """Carry on with a stored attempt: its replies, with their stored results, in order."""
        from scoring.rubric import TurnScore

        self.attempt = attempt["id"]
        stored = self._history("replies", attempt["id"]) or []
        for r in stored:
            if self.session.finished or self.session.turn.id != r["turn"]:
                break  # cannot happen with an unchanged scenario; stop rather than show a wrong transcript
            self._customer(self.session.customer_line)
            record = self.session.submit(r["reply"], r["seconds"], result=TurnScore.from_dict(r["result"]),
                                         voice=r.get("voice"))
            self._show_reply(record)
        self.started = self.app.clock() - self.session.elapsed
        if attempt.get("draft"):
            box = self.query_one(ReplyBox)
            box.load_text(attempt["draft"])
            box.move_cursor(box.document.end)  # typing carries on after the draft
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

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # A screening has no hints and no feedback: their keys are not offered at all.
        if not self.practice and action in ("hint", "toggle_feedback"):
            return False
        if not self.practice and action == "leave" and self.recorder is None:
            return False  # a screening cannot be left (Esc still cancels a recording)
        return True

    # --- the clock ------------------------------------------------------------------------------------
    def _tick(self) -> None:
        if self.session.finished:
            return
        if self.app.speech.status == "loading" and self.recorder is None:
            self.speech_changed()
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
        if not event.text.strip():
            self.notify("Write a reply first; Ctrl+S sends it.", severity="warning")
            return
        self._send(event.text)

    def _send(self, text: str, voice: dict | None = None) -> None:
        """Score a typed or spoken reply, record it, and show the customer's answer."""
        sent_at = time.perf_counter()
        seconds = self.app.clock() - self.turn_started
        record = self.session.submit(text, seconds, voice=voice)
        if self.attempt is not None:
            self._history("add_reply", self.attempt, len(self.session.records) - 1, record)
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_saved = ""
        self._show_reply(record)
        if voice is None:
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
        hook = getattr(self.app, "scenario_finished", None)
        if hook:  # a screening goes on to its next item: no scorecard for the candidate
            hook(self, card)
            return
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

    # --- voice answers --------------------------------------------------------------------------------
    def speech_changed(self) -> None:
        """The app's speech model is loading, ready or failed: say so, and start recording if asked to."""
        sp, panel = self.app.speech, self.query_one(VoicePanel)
        if self.recorder is not None:
            return
        if sp.status == "loading":
            panel.show(f"Loading the speech model… {sp.loading_for():.0f} s (read the brief meanwhile)")
        elif sp.status == "ready":
            panel.show(f"F4 starts speaking your reply, F4 again sends it (model ready in {sp.seconds:.1f} s).")
            if self.speak_when_ready:
                self.speak_when_ready = False
                self._start_recording()
        elif sp.status == "failed":
            self.speak_when_ready = False
            panel.show(f"Voice answers are not available: {_sentence(sp.problem)} You can type your replies.",
                       "problem")

    def action_speak(self) -> None:
        if self.session.finished:
            return
        if self.recorder is not None:
            self.recorder.stop()  # the recording ends with the next block; the worker sends it
            self.query_one(VoicePanel).show("Transcribing…")
            return
        sp = self.app.speech
        if sp.status == "ready":
            self._start_recording()
        elif sp.status == "failed":
            self.speech_changed()
        else:
            self.speak_when_ready = True
            self.app.load_speech_model()
            self.speech_changed()

    def _start_recording(self) -> None:
        from csrpractice.app.voice import chosen_device
        from csrpractice.audio.capture import Recorder

        self._level, self._heard = 0.0, ""
        self._recording_since = time.monotonic()
        self.recorder = Recorder(self.app.speech.model, chosen_device(), max_seconds=self.app.max_speaking_seconds,
                                 on_partial=lambda text: self.app.call_from_thread(self._heard_so_far, text),
                                 on_level=self._level_from_thread)
        self._show_recording()
        self.refresh_bindings()
        self._record(self.recorder)

    def _level_from_thread(self, level: float) -> None:
        self._level = level  # read by the panel's next refresh (a float write is atomic)

    def _heard_so_far(self, text: str) -> None:
        self._heard = text
        self._show_recording()

    def _show_recording(self) -> None:
        if self.recorder is not None:
            self.query_one(VoicePanel).recording(time.monotonic() - self._recording_since, self._level, self._heard)

    @work(thread=True, exclusive=True, group="recording")
    def _record(self, recorder) -> None:
        from csrpractice.audio.errors import VoiceError

        worker = get_current_worker()
        try:
            recording = recorder.run(cancelled=lambda: worker.is_cancelled)
        except VoiceError as exc:
            self.app.call_from_thread(self._voice_problem, recorder, str(exc))
            return
        if recording is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._spoken, recorder, recording)

    def _voice_problem(self, recorder, message: str) -> None:
        if self.recorder is recorder:
            self.recorder = None
            self.refresh_bindings()
        self.query_one(VoicePanel).show(f"{_sentence(message)} You can type your reply instead.", "problem")

    def _spoken(self, recorder, recording) -> None:
        """A recording ended: transcribe-and-send it as the reply, scored like a typed one."""
        from csrpractice.audio.delivery import measure

        if self.recorder is not recorder:
            return  # cancelled meanwhile
        self.recorder = None
        self.refresh_bindings()
        transcript = recording.transcript
        panel = self.query_one(VoicePanel)
        if not transcript.text.strip():
            panel.show("Nothing was heard, so nothing was sent. Check the microphone (csrpractice devices, or "
                       "Settings) and press F4 to try again.", "problem")
            return
        panel.show("F4 starts speaking your next reply.")
        if not self.session.finished:
            self._send(transcript.text, voice={"transcript": transcript.to_dict(),
                                               "delivery": measure(transcript).to_dict()})

    def action_scroll_transcript(self, direction: int) -> None:
        box = self.query_one("#transcript", VerticalScroll)
        (box.scroll_page_down if direction > 0 else box.scroll_page_up)(animate=False)

    def action_toggle_feedback(self) -> None:
        self.feedback_open = not self.feedback_open
        for c in self.query(".feedback").results(Collapsible):
            c.collapsed = not self.feedback_open

    @on(ReplyBox.PasteRefused)
    def paste_refused(self, event: ReplyBox.PasteRefused) -> None:
        self.notify("Pasting is not allowed in a screening; replies are typed (or spoken). The attempt has been "
                    "recorded.", severity="error")
        hook = getattr(self.app, "paste_refused", None)
        if hook:
            hook()

    def action_leave(self) -> None:
        if self.recorder is not None:
            self.workers.cancel_group(self, "recording")
            self.recorder = None
            self.refresh_bindings()
            self.query_one(VoicePanel).show("Recording cancelled: nothing was sent. F4 speaks again.")
            return
        if not self.practice:
            self.notify("A screening cannot be left; Ctrl+Q stops it, and the same command resumes it.",
                        severity="warning")
            return

        def leave(yes: bool | None) -> None:
            if yes:
                if self.attempt is not None:
                    self._history("set_status", self.attempt, "left")
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen("Leave this scenario? It will not be scored (your replies stay in "
                                           "the history).", "Leave", "Stay"), leave)
