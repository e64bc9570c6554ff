"""Reply feedback: which conduct markers and rubric items a reply earned or lost, with the words highlighted."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:
    from scoring import Detection

# Markers that cost points are shown in the theme's error colour, the rest in its success colour.
NEGATIVE = {"pci_violation", "blame", "dismissive", "unlicensed_advice"}


def merged(spans) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for start, end in sorted(tuple(s) for s in spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def highlighted(text: str, good, bad=()) -> Content:
    """`text` (already redacted) with good spans in the success colour and bad ones in the error colour."""
    line = Content(text.replace("\n", " "))
    for start, end in merged(good):
        line = line.stylize("bold reverse $success", start, end)
    for start, end in merged(bad):
        line = line.stylize("bold reverse $error", start, end)
    return line


def said(who: str, text: str) -> Content:
    """'Who: text', the name in bold; the text is shown as typed, never read as markup. Single line
    breaks (from YAML block text) flow into the paragraph; blank lines stay."""
    text = re.sub(r"(?<!\n)\n(?!\n)", " ", text.strip())
    return Content.assemble((f"{who}:", "bold"), " ", text)


class Feedback(Static):
    DEFAULT_CSS = """
    Feedback { padding: 0 1; }
    """

    def show(self, reply: str, detections: list[Detection]) -> None:
        from scoring import redact

        shown = redact(reply)
        if not reply.strip():
            self.update("Type a reply first, then press Ctrl+S.")
            return
        if not detections:
            self.update("No conduct markers found in this reply.")
            return
        parts: list[Content] = []
        for d in detections:
            bad = d.marker in NEGATIVE
            colour = "$error" if bad else "$success"
            line = highlighted(shown, [] if bad else d.spans, d.spans if bad else [])
            parts += [Content.styled(d.marker, f"bold {colour}"), Content.styled(f"  {d.description}\n", "dim"),
                      Content("  "), line, Content("\n\n")]
        self.update(Content("").join(parts))


def delivery_summary(d: dict) -> str:
    """'148 WPM · 2 fillers (um ×2) · 1 long pause (2.6 s) · 8.1 s talking' for a spoken reply."""
    pace = f"{d['wpm']:.0f} WPM" if d.get("wpm") is not None else "too short for a WPM"
    counts = d.get("filler_counts") or {}
    n = d.get("filler_count", 0)
    fillers = f"{n} filler{'s' if n != 1 else ''}" + (
        " (" + ", ".join(f"{w} ×{c}" for w, c in counts.items()) + ")" if counts else "")
    pauses = d.get("long_pauses") or []
    gaps = f"{len(pauses)} long pause{'s' if len(pauses) != 1 else ''}" + (
        " (" + ", ".join(f"{p['length']:.1f} s" for p in pauses) + ")" if pauses else "")
    return f"{pace} · {fillers} · {gaps} · {d.get('talk_time', 0):.1f} s talking"


class TurnFeedbackView(Static):
    """The feedback for one scored reply: score, items earned (highlighted), missed, and penalties."""

    DEFAULT_CSS = """
    TurnFeedbackView { padding: 0 1; height: auto; }
    """

    def __init__(self, feedback, **kwargs):
        super().__init__(**kwargs)
        self.feedback = feedback

    def on_mount(self) -> None:
        fb = self.feedback
        good = [s for m in fb.matched for s in m["spans"]]
        bad = [s for m in fb.forbidden for s in m["spans"]]
        parts = [Content.from_markup(f"[b]Score {fb.score:g}[/b]  "), highlighted(fb.reply, good, bad), Content("\n")]
        for m in fb.matched:
            words = " / ".join(f'"{w}"' for w in m["words"][:2])
            comp = m["competency"].replace("_", " ")
            parts.append(Content.styled(f"  + {m['item']} (+{m['points']:g}, {comp}) {words}\n", "$success"))
        for m in fb.forbidden:
            words = " / ".join(f'"{w}"' for w in m["words"][:2])
            parts.append(Content.styled(f"  - {m['item']} ({m['points']:g}) {words}\n", "$error"))
        for name in fb.auto_fail:
            parts.append(Content.styled(f"  CRITICAL {name}\n", "bold $error"))
        for m in fb.missed:
            if m["role"] == "required":
                parts.append(Content.styled(f"  missed {m['item']} (worth {m['possible']:g}, "
                                            f"{m['competency'].replace('_', ' ')})\n", "$warning"))
            else:
                parts.append(Content.styled(f"  bonus not used: {m['item']}\n", "dim"))
        if fb.missed and fb.score >= 100 and any(m["role"] == "required" for m in fb.missed):
            parts.append(Content.styled("  (bonus items made up for what was missed)\n", "dim"))
        if fb.over_time:
            parts.append(Content.styled("  - over the time limit (-10)\n", "$error"))
        if getattr(fb, "delivery", None):
            parts.append(Content.styled(f"  Delivery: {delivery_summary(fb.delivery)}\n", "$text-muted"))
        self.update(Content("").join(parts))
