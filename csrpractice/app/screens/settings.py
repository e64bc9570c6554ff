"""Settings: the speech model and the microphone for voice answers, saved in the settings file.

Both lists are gathered in a thread worker (finding models reads installed packages; listing devices starts
PortAudio); what is missing shows as a sentence saying how to get it."""
from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

DEFAULT_DEVICE = "default"


class SettingsScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("f5", "reload", "Look again")]
    DEFAULT_CSS = """
    SettingsScreen #settings { padding: 0 1; }
    SettingsScreen #settings Static { height: auto; margin-top: 1; }
    SettingsScreen OptionList { height: auto; max-height: 10; }
    """

    @dataclass
    class Found(Message):
        models: list  # FoundModel
        model_problem: str  # why none can be used, or ""
        chosen: object | None  # the FoundModel that would be used
        devices: list  # InputDevice
        device_problem: str
        device_setting: object | None

    def __init__(self) -> None:
        super().__init__()
        self.ready = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings"):
            yield Static("[b]Speech model[/b] for voice answers (Enter chooses)", id="model-title")
            yield OptionList(id="models")
            yield Static("", id="model-note")
            yield Static("[b]Microphone[/b] (Enter chooses)", id="device-title")
            yield OptionList(id="devices")
            yield Static("", id="device-note")
            yield Static("", id="file-note")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Settings"
        self.load()

    def action_reload(self) -> None:
        self.ready = False
        self.load()

    @work(thread=True, exclusive=True, group="settings")
    def load(self) -> None:
        from csrpractice.app.voice import chosen_device, missing_extra
        from csrpractice.audio.errors import VoiceError
        from csrpractice.audio.models import find_models, pick

        models, chosen, model_problem = [], None, ""
        try:
            models = find_models(self.app.model_arg)
            chosen = pick(models)
        except VoiceError as exc:
            model_problem = str(exc)
        devices, device_problem = [], ""
        missing = missing_extra()
        if missing:
            device_problem = missing
        else:
            from csrpractice.audio.capture import NO_DEVICE, list_input_devices

            try:
                devices = list_input_devices()
                device_problem = "" if devices else NO_DEVICE
            except VoiceError as exc:
                device_problem = str(exc)
        self.post_message(self.Found(models, model_problem, chosen, devices, device_problem, chosen_device()))

    @on(Found)
    def show(self, event: Found) -> None:
        from csrpractice.settings import settings_file

        models = self.query_one("#models", OptionList)
        models.clear_options()
        for m in event.models:
            mark = "● " if event.chosen is not None and m.path == event.chosen.path else "  "
            state = ("ok", "$success") if m.valid else ("; ".join(m.problems), "$error")
            models.add_option(Option(Content.assemble(mark, str(m.path), (f"  {m.source}: ", "$text-muted"), state),
                                     id=str(m.path), disabled=not m.valid))
        if not event.models:
            models.add_option(Option(Content.styled("no speech model found", "$text-muted"), disabled=True))
        self.query_one("#model-note", Static).update(
            Content.styled(event.model_problem, "$warning") if event.model_problem else
            Content.styled("● is the model voice answers use. --model and CSRPRACTICE_VOSK_MODEL, when given, "
                           "come before this choice.", "$text-muted"))
        devices = self.query_one("#devices", OptionList)
        devices.clear_options()
        setting = event.device_setting
        if event.devices:
            devices.add_option(Option(("● " if setting is None else "  ") + "the system's default input",
                                      id=DEFAULT_DEVICE))
            for d in event.devices:
                mark = "● " if setting is not None and str(setting) in (d.name, str(d.index)) else "  "
                devices.add_option(Option(Content.assemble(
                    mark, d.name, (f"  {d.host} · {d.default_rate} Hz · {d.channels} ch"
                                   + (" · system default" if d.default else ""), "$text-muted")), id=d.name))
        else:
            devices.add_option(Option(Content.styled("no microphone found", "$text-muted"), disabled=True))
        self.query_one("#device-note", Static).update(
            Content.styled(event.device_problem, "$warning") if event.device_problem else "")
        self.query_one("#file-note", Static).update(
            Content.styled(f"Saved in {settings_file()}", "$text-muted"))
        self.ready = True

    @on(OptionList.OptionSelected, "#models")
    def choose_model(self, event: OptionList.OptionSelected) -> None:
        from csrpractice.settings import SettingsError, save_voice

        try:
            save_voice(model=event.option_id)
        except SettingsError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if self.app.speech.status != "loading":
            self.app.speech.status = "idle"  # the next voice answer loads the chosen model
            self.app.speech.model = None
        self.notify(f"Speech model: {event.option_id}", markup=False)
        self.action_reload()

    @on(OptionList.OptionSelected, "#devices")
    def choose_device(self, event: OptionList.OptionSelected) -> None:
        from csrpractice.settings import SettingsError, save_voice

        try:
            save_voice(device=None if event.option_id == DEFAULT_DEVICE else event.option_id)
        except SettingsError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify("Microphone: " + ("the system's default" if event.option_id == DEFAULT_DEVICE
                                      else event.option_id))
        self.action_reload()
