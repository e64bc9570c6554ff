"""The voice line above the reply box: how to speak, the model loading, the input level and the words heard
so far while recording, or what is missing for voice answers."""
from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


def level_bar(level: float, width: int = 12) -> str:
    """An input level (RMS, 0-1) as a bar; speech sits around 0.05-0.3, so the scale is logarithmic-ish."""
    scaled = min(1.0, (max(level, 0.0) * 8) ** 0.5)
    full = round(scaled * width)
    return "▮" * full + "▯" * (width - full)


class VoicePanel(Static):
    DEFAULT_CSS = """
    VoicePanel { height: auto; max-height: 4; padding: 0 1; color: $text-muted; display: none; }
    VoicePanel.-shown { display: block; }
    VoicePanel.-recording { color: $text; background: $error 15%; }
    VoicePanel.-problem { color: $warning; }
    """

    def show(self, text: str | Content, kind: str = "") -> None:
        self.add_class("-shown")
        self.set_class(kind == "recording", "-recording")
        self.set_class(kind == "problem", "-problem")
        self.update(Content(text) if isinstance(text, str) else text)  # plain text: "[voice]" is not markup

    def recording(self, seconds: float, level: float, heard: str) -> None:
        self.show(Content.assemble(("● Recording", "bold $error"), f" {seconds:4.1f} s  ",
                                   (level_bar(level), "$success"), "  F4 sends · Esc cancels\n",
                                   ("Heard: ", "bold"), heard or "…"), "recording")
