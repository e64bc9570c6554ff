"""The locked screening flow: instructions, each scenario in turn, the typing test, a neutral end.

It is the practice app with the screening's rules: no home screen, no hints, no feedback, no retry, no
leaving mid-item, no paste; the items' time limits enforced; and every item recorded as it ends (the
history store keeps each reply as it is sent), so a crash resumes where it stopped.
"""
from __future__ import annotations

import time

from csrpractice.app.main import CSRPracticeApp
from csrpractice.app.screens.screening import DoneScreen, InstructionsScreen, PartScreen


class ScreeningApp(CSRPracticeApp):
    ENABLE_COMMAND_PALETTE = False  # no starting other scenarios, no reply checker: the flow is locked

    def __init__(self, run, key: bytes, resuming: bool = False, **kwargs):
        super().__init__(seed=run.pack.seed, **kwargs)
        self.run_state = run
        self.key = key
        self.resuming = resuming
        self.result_path = None
        self._blurred_at: float | None = None
        self.sub_title = "screening"

    def get_default_screen(self) -> InstructionsScreen:
        return InstructionsScreen(self.run_state.pack, self.resuming, len(self.run_state.state["items"]))

    def startup(self) -> None:
        self.call_after_refresh(self._open_history)

    def _open_history(self) -> None:
        self.run_worker(self.open_history, thread=True, group="history")

    # --- the items --------------------------------------------------------------------------------------
    def _show(self, screen) -> None:
        # The instructions are the bottom screen: the parts go on top of it, each replacing the one before.
        (self.push_screen if isinstance(self.screen, InstructionsScreen) else self.switch_screen)(screen)

    def next_item(self) -> None:
        """A part has ended: the end, or a pause before the next part (so nothing typed spills into it)."""
        run = self.run_state
        item = run.next_item()
        if item is None:
            self.result_path = run.finish(self.key)
            self._show(DoneScreen())
            return
        self._show(PartScreen(len(run.state["items"]) + 1, run.total, *item))

    def begin_item(self) -> None:
        from csrpractice.app.screens.scenario import ScenarioScreen

        run = self.run_state
        item = run.next_item()
        if item is None:
            self.next_item()
            return
        kind, what = item
        if kind == "scenario":
            resume = None
            attempt = run.current_attempt()
            store = self.open_history()
            if attempt is not None and store is not None:
                resume = next((a for a in store.unfinished(mode="screening") if a["id"] == attempt), None)
            screen = ScenarioScreen(what, seed=run.pack.seed, mode="screening", resume=resume)
            screen.sub_title = f"part {len(run.state['items']) + 1} of {run.total}"
        else:
            from csrpractice.app.screens.typing import TypingScreen
            from csrpractice.drills import make_drill

            drill = make_drill(what["mode"], seconds=what.get("seconds"), count=what.get("words"),
                               passage=what.get("passage"), seed=run.pack.seed)
            screen = TypingScreen(drill, screening=True)
        self._show(screen)

    def scenario_started(self, screen) -> None:
        if screen.resume is None:  # a resumed part keeps the attempt and start time it was saved with
            self.run_state.scenario_started(screen.attempt)

    def scenario_finished(self, screen, card) -> None:
        self.run_state.scenario_done(screen.scenario, card)
        self.call_later(self.next_item)

    def typing_finished(self, drill, result, pastes: int) -> None:
        self.run_state.typing_done(drill, result, pastes)
        # Refused pastes put nothing in the text: the result is a real typing score.
        _, problem = self.record("record_typing", drill, result, pastes=0, mode="screening")
        if problem:
            self.notify(f"Not saved in the history: {problem}", severity="warning", markup=False)
        self.call_later(self.next_item)

    # --- integrity signals ------------------------------------------------------------------------------
    def paste_refused(self) -> None:
        self.run_state.paste_refused()

    def on_app_blur(self) -> None:
        self._blurred_at = time.monotonic()

    def on_app_focus(self) -> None:
        if self._blurred_at is not None:
            self.run_state.focus_lost(time.monotonic() - self._blurred_at)
            self._blurred_at = None

    def action_request_quit(self) -> None:
        if isinstance(self.screen, DoneScreen):
            self.exit()
            return
        from csrpractice.app.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                keep = getattr(self.screen, "keep_for_later", None)
                if keep:
                    keep()
                self.run_state.stopped()
                self.exit()

        self.push_screen(ConfirmScreen("Stop the screening? Everything so far is saved; the same command "
                                       "resumes it.", "Stop", "Go on"), answer)
