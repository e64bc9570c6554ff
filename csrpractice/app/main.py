"""The App subclass: constructible without arguments, so tests and benchmarks can drive it."""
from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from csrpractice import __version__
from csrpractice.app.screens.home import HomeScreen


class CSRPracticeApp(App):
    TITLE = "csrpractice"
    SUB_TITLE = f"v{__version__}"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
