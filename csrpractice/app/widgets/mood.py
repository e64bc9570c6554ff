"""A meter of the customer's mood, from calm (0) to furious (10)."""
from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

WORDS = ["calm", "calm", "calm", "uneasy", "uneasy", "annoyed", "annoyed", "angry", "angry", "furious", "furious"]


class MoodMeter(Static):
    DEFAULT_CSS = """
    MoodMeter { height: 2; }
    MoodMeter.calm { color: $success; }
    MoodMeter.tense { color: $warning; }
    MoodMeter.angry { color: $error; }
    """
    mood: reactive[int] = reactive(5)

    def watch_mood(self, mood: int) -> None:
        bar = "■" * mood + "□" * (10 - mood)
        self.update(f"Mood: {WORDS[mood]}\ncalm {bar} angry")
        self.set_class(mood <= 3, "calm")
        self.set_class(4 <= mood <= 6, "tense")
        self.set_class(mood >= 7, "angry")
