"""Home: the app's modes and the scenario browser, the reply checker and the drill picker; Progress and
Settings open screens of their own. The mode bar is one line of clickable text, and the reply checker
mounts the first time it is opened, so the home screen is quick to appear."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Footer, Header, Static

from csrpractice.app.widgets.browser import ScenarioBrowser
from csrpractice.app.widgets.feedback import Feedback
from csrpractice.app.widgets.reply_box import ReplyBox

MODES = {"scenarios": "Scenarios", "checker": "Reply checker", "typing": "Typing drills"}
SHORT = {"scenarios": "Scenarios", "checker": "Checker", "typing": "Typing"}


class ModeBar(Static):
    """The modes, the current one highlighted; click one (or press its key) to switch."""

    DEFAULT_CSS = """
    ModeBar { height: 1; padding: 0 1; background: $panel; }
    """
    mode: reactive[str] = reactive("scenarios")

    def render(self) -> Content:
        bar = self._bar(MODES)
        if bar.cell_length > self.content_size.width:  # e.g. 80 columns: shorter names, every mode in view
            bar = self._bar(SHORT)
        return bar

    def _bar(self, names: dict) -> Content:
        parts = []
        for i, (mode, label) in enumerate(names.items()):
            text = f" {label} (F{i + 2}) "
            if mode == self.mode:
                parts.append(Content.styled(text, "bold reverse $accent"))
            else:
                parts.append(Content.from_markup(f"[@click=screen.mode('{mode}')]{text}[/]"))
        parts.append(Content.from_markup("[@click=screen.progress] Progress (F5) [/]"))
        parts.append(Content.from_markup("[@click=screen.settings] Settings (F6) [/]"))
        return Content(" ").join(parts)


class HomeScreen(Screen):
    # Its styles, screens/home.tcss, are loaded by the app (this is the app's default screen).
    BINDINGS = [Binding("f2", "mode('scenarios')", "Scenarios"), Binding("f3", "mode('checker')", "Reply checker"),
                Binding("f4", "mode('typing')", "Typing drills"), Binding("f5", "progress", "Progress"),
                Binding("f6", "settings", "Settings")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield ModeBar()
        with ContentSwitcher(initial="scenarios"):
            yield ScenarioBrowser(id="scenarios")
            yield Vertical(id="checker")
            yield Vertical(id="typing")
        yield Footer()

    def action_mode(self, mode: str) -> None:
        if mode == "checker" and not self.query_one("#checker").children:
            self.query_one("#checker").mount(
                Static("Write any reply to a customer; [b]Ctrl+S[/b] shows the conduct markers in it "
                       "and the words that earned them.", id="checker-title"),
                ReplyBox(id="reply", placeholder="Type a reply to a customer. Ctrl+S checks it."),
                Button("Check reply", id="check", variant="primary"),
                VerticalScroll(Feedback("Markers found in your reply appear here.", id="feedback"),
                               id="feedback-scroll"),
            )
        if mode == "typing" and not self.query_one("#typing").children:
            from csrpractice.app.widgets.drill_picker import DrillPicker

            self.query_one("#typing").mount(DrillPicker(id="drill-picker"))
        self.query_one(ContentSwitcher).current = mode
        self.query_one(ModeBar).mode = mode
        selector = {"checker": "#reply", "typing": "#drill-options"}.get(mode, "#list")

        def focus() -> None:  # after the refresh: a pane mounted just now exists by then
            found = self.query(selector)
            if found:
                found.first().focus()

        self.call_after_refresh(focus)

    def action_progress(self) -> None:
        from csrpractice.app.screens.progress import ProgressScreen

        self.app.push_screen(ProgressScreen())

    def action_settings(self) -> None:
        from csrpractice.app.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    @on(ReplyBox.ReplySent, "#reply")
    def check_reply(self, event: ReplyBox.ReplySent) -> None:
        self._check(event.text)

    @on(Button.Pressed, "#check")
    def check_pressed(self) -> None:
        self._check(self.query_one("#reply", ReplyBox).text)

    def _check(self, text: str) -> None:
        from scoring import detect_markers

        self.query_one(Feedback).show(text, detect_markers(text))

    @on(ScenarioBrowser.StartScenario)
    def start(self, event: ScenarioBrowser.StartScenario) -> None:
        self.app.start_scenario(event.scenario_id)
