"""Shows which conduct markers a reply earned, with the words that earned them highlighted."""
from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from scoring import Detection, redact

# Markers that cost points are shown in the theme's error colour, the rest in its success colour.
NEGATIVE = {"pci_violation", "blame", "dismissive", "unlicensed_advice"}


class Feedback(Static):
    DEFAULT_CSS = """
    Feedback { padding: 0 1; }
    """

    def show(self, reply: str, detections: list[Detection]) -> None:
        shown = redact(reply)
        if not reply.strip():
            self.update("Type a reply first, then press Ctrl+S.")
            return
        if not detections:
            self.update("No conduct markers found in this reply.")
            return
        parts: list[Content] = []
        for d in detections:
            colour = "$error" if d.marker in NEGATIVE else "$success"
            line = Content(shown.replace("\n", " "))
            for start, end in d.spans:
                line = line.stylize(f"bold reverse {colour}", start, end)
            parts += [Content.styled(d.marker, f"bold {colour}"), Content.styled(f"  {d.description}\n", "dim"),
                      Content("  "), line, Content("\n\n")]
        self.update(Content("").join(parts))
