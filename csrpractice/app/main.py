"""The App subclass: constructible without arguments, so tests and benchmarks can drive it.

Heavy work stays off the first frame: the history database opens and the scenario library (and with it
the scoring engine) loads in a thread worker after the home screen is up. An attempt left unfinished (the
app was killed or quit mid-scenario) is then offered for resuming.
"""
from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message

from csrpractice import __version__
from csrpractice.app.commands import ScenarioCommands
from csrpractice.app.screens.home import HomeScreen


class CSRPracticeApp(App):
    TITLE = "csrpractice"
    SUB_TITLE = f"v{__version__}"
    COMMANDS = App.COMMANDS | {ScenarioCommands}
    # The home screen is the default screen, whose own CSS_PATH Textual does not load: the app loads it.
    CSS_PATH = [Path(__file__).parent / "screens" / "home.tcss"]
    BINDINGS = [
        Binding("ctrl+q", "request_quit", "Quit", priority=True),
        Binding("f10", "toggle_dark", "Dark/light", show=False),
    ]

    @dataclass
    class LibraryLoaded(Message):
        scenarios: list
        problems: list

    @dataclass
    class StoreOpened(Message):
        store: object | None  # the Store, or None when the history cannot be used
        message: str  # why not, or that a damaged file was set aside; "" when all is well

    def __init__(self, scenario_paths: list[Path] | None = None, seed: int | None = None,
                 clock: Callable[[], float] = time.monotonic, data_dir: Path | None = None,
                 start: dict | None = None, db: Path | str | None = None,
                 today: Callable[[], str] | None = None, model: str | None = None, verbose: bool = False):
        super().__init__()
        from csrpractice.app.voice import Speech

        self.model_arg = model  # --model: the speech model folder for voice answers
        self.verbose = verbose
        self.speech = Speech()
        self.max_speaking_seconds = 300.0  # one spoken reply is cut here (a forgotten push-to-talk)
        from csrpractice.locations import history_db

        self.history_path, self.history_default = history_db(db, data_dir)
        self.store = None  # the history Store, once open (see open_history)
        self._store_lock = threading.Lock()
        self.store_problem = ""  # why the history is not being saved, if it is not
        self.today = today  # the local date for streaks and date ranges (fixed in tests and snapshots)
        self.scenario_paths = scenario_paths
        self.seed = 0 if seed is None else seed
        # Drills start from a new text each launch unless a seed was given (tests and screenings give one).
        self.drill_seed = seed if seed is not None else random.randrange(1 << 30)
        self.clock = clock
        self.data_dir = data_dir
        self.start = start  # e.g. {"drill": {"mode": "time", "seconds": 30}}: open straight into a drill
        self.drill_round = 0
        self.scenarios: dict[str, object] = {}
        self.library_ready = False

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def on_mount(self) -> None:
        self.startup()

    def startup(self) -> None:
        """What happens once the first screen is up (a screening app does otherwise)."""
        if self.start and "drill" in self.start:
            self.call_after_refresh(lambda: self.start_drill(**self.start["drill"]))
        # Load once the home screen is painted, so the worker does not compete with the first frame.
        self.call_after_refresh(self.load_library)

    @work(thread=True, exclusive=True, group="library")
    def load_library(self) -> None:
        from csrpractice.scenario.library import load_library

        self.open_history()
        lib = load_library(self.scenario_paths)
        self.post_message(self.LibraryLoaded(lib.scenarios, lib.errors))

    def open_history(self):
        """The history Store, opened on first use (by the loading worker, or by a screen that needs it
        sooner); None when it cannot be used, with the reason in `store_problem`. Safe from any thread."""
        with self._store_lock:
            if self.store is None and not self.store_problem:
                from csrpractice.locations import legacy_bests_file
                from csrpractice.store import Store, StoreError

                try:
                    store = Store.open(self.history_path, create_folder=self.history_default)
                    store.import_legacy_bests(legacy_bests_file(self.data_dir))
                except StoreError as exc:
                    self.store_problem = str(exc)
                    self.post_message(self.StoreOpened(None, str(exc)))
                else:
                    self.store = store
                    self.post_message(self.StoreOpened(store, store.notice))
            return self.store

    def record(self, method: str, *args, **kwargs) -> tuple[object, str]:
        """Call the history store: (what it returned, "") or (None, why it could not: not open, or the error).
        Screens say so in their own words; the practice goes on either way."""
        from csrpractice.store import StoreError

        store = self.open_history()
        if store is None:
            return None, self.store_problem or "the history is not open"
        try:
            return getattr(store, method)(*args, **kwargs), ""
        except StoreError as exc:
            return None, str(exc)

    def on_csrpractice_app_store_opened(self, event: StoreOpened) -> None:
        if event.store is None:
            self.notify(f"Your practice is not being saved: {event.message}", title="History unavailable",
                        severity="error", timeout=30, markup=False)
        elif event.message:
            self.notify(event.message, title="History", severity="warning", timeout=30, markup=False)

    def on_csrpractice_app_library_loaded(self, event: LibraryLoaded) -> None:
        from csrpractice.app.catalog import entry

        self.scenarios = {s.id: s for s in event.scenarios}
        self.library_ready = True
        home = self.get_screen_by_type(HomeScreen)
        home.query_one("#scenarios").load([entry(s) for s in event.scenarios])
        if event.problems:
            first = event.problems[0].format()
            self.notify(f"{len(event.problems)} problem(s) in the scenario files; those scenarios are left out. "
                        f"First: {first}  (run csrpractice validate for all)", severity="warning", timeout=15,
                        markup=False)
        if self.open_history() is not None:
            from csrpractice.store import StoreError
            from csrpractice.store.stats import catalog_entries

            try:
                self.store.update_catalog(catalog_entries(event.scenarios))
                unfinished = self.store.unfinished(mode="practice")
            except StoreError as exc:
                self.notify(str(exc), severity="error", timeout=30, markup=False)
                return
            if unfinished and not self.start:
                self.offer_resume(unfinished)

    # --- voice answers -------------------------------------------------------------------------------
    def load_speech_model(self) -> None:
        """Start loading the speech model (once per run; about a second), unless it is loaded or loading.
        Screens with a `speech_changed()` method hear when it is ready or has failed."""
        from csrpractice.app.voice import missing_extra

        if self.speech.status in ("loading", "ready"):
            return
        missing = missing_extra()
        if missing:
            self._speech_loaded(None, missing)
            return
        self.speech.status, self.speech.started = "loading", time.monotonic()
        self._load_speech_model()

    @work(thread=True, exclusive=True, group="speech")
    def _load_speech_model(self) -> None:
        from csrpractice.audio.errors import VoiceError
        from csrpractice.audio.models import choose_model, load_model

        try:
            model, problem = load_model(choose_model(self.model_arg).path, verbose=self.verbose), ""
        except VoiceError as exc:
            model, problem = None, str(exc)
        self.call_from_thread(self._speech_loaded, model, problem)

    def _speech_loaded(self, model, problem: str) -> None:
        sp = self.speech
        sp.model, sp.problem = model, problem
        sp.status = "ready" if model is not None else "failed"
        sp.seconds = time.monotonic() - sp.started if sp.started else 0.0
        for screen in list(self.screen_stack):
            hook = getattr(screen, "speech_changed", None)
            if hook:
                hook()

    # --- unfinished attempts --------------------------------------------------------------------------
    def offer_resume(self, unfinished: list[dict]) -> None:
        """Ask about the newest unfinished attempt; older ones stay in the history as left."""
        from csrpractice.app.screens.resume import ResumeScreen

        newest, older = unfinished[0], unfinished[1:]
        for old in older:
            self.store.set_status(old["id"], "left")
        scenario = self.scenarios.get(newest["scenario"])
        changed = scenario is None or scenario.content_hash != newest["content_hash"]

        def answer(choice: str | None) -> None:
            if choice == "resume" and not changed:
                self.resume_scenario(newest)
            elif choice == "discard":
                self.store.set_status(newest["id"], "left" if changed else "discarded")

        self.push_screen(ResumeScreen(newest, changed=changed, older=len(older)), answer)

    def resume_scenario(self, attempt: dict) -> None:
        from csrpractice.app.screens.scenario import ScenarioScreen

        scenario = self.scenarios[attempt["scenario"]]
        self.push_screen(ScenarioScreen(scenario, seed=attempt["seed"], mode=attempt["mode"], resume=attempt))

    def get_screen_by_type(self, kind):
        return next(s for s in self.screen_stack if isinstance(s, kind))

    # --- navigation -----------------------------------------------------------------------------------
    def start_scenario(self, scenario_id: str, replace: bool = False) -> None:
        from csrpractice.app.screens.scenario import ScenarioScreen

        scenario = self.scenarios.get(scenario_id)
        if scenario is None:
            self.notify(f"No scenario {scenario_id!r}.", severity="error")
            return
        screen = ScenarioScreen(scenario, seed=self.seed)
        (self.switch_screen if replace else self.push_screen)(screen)

    def start_drill(self, mode: str, seconds: int | None = None, count: int | None = None,
                    passage: str | None = None, file: str | None = None, chat: str | None = None,
                    replace: bool = False, new_text: bool = False, drill=None) -> None:
        """Open a typing drill (or the chat-multitasking drill); a bad choice is a notification, not a crash."""
        from csrpractice.drills import DrillError, make_drill

        if new_text:
            self.drill_round += 1
        try:
            if mode == "chat":
                from csrpractice.app.screens.chat_drill import ChatDrillScreen
                from csrpractice.drills import chat_sessions

                sessions = chat_sessions()
                if chat is None:
                    chat = sorted(sessions)[(self.drill_seed + self.drill_round) % len(sessions)]
                if chat not in sessions:
                    raise DrillError(f"no chat drill {chat!r}; choose one of: {', '.join(sorted(sessions))}")
                screen = ChatDrillScreen(sessions[chat])
            else:
                from csrpractice.app.screens.typing import TypingScreen

                if drill is not None and drill.mode == "custom":
                    made = drill
                else:
                    made = make_drill(mode, seconds=seconds, count=count, passage=None if new_text else passage,
                                      file=file, seed=self.drill_seed + self.drill_round)
                screen = TypingScreen(made)
        except DrillError as exc:
            self.notify(str(exc), severity="error", timeout=10, markup=False)
            return
        (self.switch_screen if replace else self.push_screen)(screen)

    def next_scenario_id(self, after: str) -> str:
        """The scenario after `after` in the browser's current (filtered) order, wrapping around."""
        browser = self.get_screen_by_type(HomeScreen).query_one("#scenarios")
        order = [e.id for e in browser.shown] or list(self.scenarios)
        if after not in order:
            return order[0]
        return order[(order.index(after) + 1) % len(order)]

    # --- app-wide actions -----------------------------------------------------------------------------
    def action_request_quit(self) -> None:
        question = getattr(self.screen, "confirm_quit", None)
        if question:
            from csrpractice.app.screens.confirm import ConfirmScreen

            def answer(yes: bool | None) -> None:
                if yes:
                    keep = getattr(self.screen, "keep_for_later", None)
                    if keep:
                        keep()
                    self.exit()

            self.push_screen(ConfirmScreen(question, "Quit", "Stay"), answer)
        else:
            self.exit()

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("Dark/light theme", "Switch between the dark and the light theme (F10)",
                            self.action_toggle_dark)
        yield SystemCommand("Reply checker", "Score any reply and see the markers in it", self._to_checker)
        yield SystemCommand("Scenario browser", "Browse and filter the scenarios", self._to_browser)

    def _to_checker(self) -> None:
        self._home_tab("checker")

    def _to_browser(self) -> None:
        self._home_tab("scenarios")

    def _home_tab(self, tab: str) -> None:
        while len(self.screen_stack) > 2 and not getattr(self.screen, "confirm_quit", False):
            self.pop_screen()
        if isinstance(self.screen, HomeScreen):
            self.screen.action_mode(tab)
