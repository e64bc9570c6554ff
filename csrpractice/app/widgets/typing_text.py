"""The drill text: each character coloured correct, wrong or pending, extra letters shown, a cursor."""
from __future__ import annotations

from textual.content import Content

WINDOW_BEFORE, WINDOW_AFTER = 24, 90  # words shown around the cursor (long timed drills stay fast)

STYLE = {"ok": "$success", "bad": "bold $error underline", "extra": "$error strike", "todo": "$text-muted",
         "cursor": "reverse"}


def view(target_words: list[str], typed_words: list[str]) -> Content:
    """The drill text as it stands: typed words compared letter by letter, the rest pending."""
    cur = len(typed_words) - 1 if typed_words else 0
    first = max(0, cur - WINDOW_BEFORE)
    last = min(len(target_words), cur + WINDOW_AFTER)
    runs: list[tuple[str, str]] = []

    def add(text: str, kind: str) -> None:
        if runs and runs[-1][1] == kind:
            runs[-1] = (runs[-1][0] + text, kind)
        else:
            runs.append((text, kind))

    if first:
        add("… ", "todo")
    for i in range(first, last):
        goal = target_words[i]
        typed = typed_words[i] if i < len(typed_words) else None
        if typed is None:
            add(goal, "todo")
        else:
            for c, ch in enumerate(goal):
                if c < len(typed):
                    add(ch, "ok" if typed[c] == ch else "bad")
                elif i == cur and c == len(typed):
                    add(ch, "cursor")
                else:
                    add(ch, "todo" if i == cur else "bad")
            if len(typed) > len(goal):
                add(typed[len(goal):], "extra")
        if i < last - 1:
            if i == cur and typed is not None and len(typed) >= len(goal):
                add(" ", "cursor")
            else:
                add(" ", "todo")
    if last < len(target_words):
        add(" …", "todo")
    return Content.assemble(*[(text, STYLE[kind]) for text, kind in runs])
