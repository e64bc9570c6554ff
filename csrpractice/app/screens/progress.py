"""Progress: trends of the overall score, each competency, WPM and accuracy over a chosen range of days;
the practice streak; personal bests; and what to practise next (Enter starts a suggested scenario).

The figures are computed in a thread worker (csrpractice.store.stats, the same as `csrpractice stats`)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from csrpractice.app.widgets.trend import trend_chart, trend_row
from scoring.typing import CHAT_ROLE_WPM

RANGES = [("All time", "all"), ("Last 7 days", "7"), ("Last 30 days", "30"), ("Last 90 days", "90"),
          ("Last 12 months", "365"), ("Custom dates", "custom")]


def parse_day(text: str) -> str | None:
    """A YYYY-MM-DD date, or None; raises ValueError with a message for anything else."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not a date: use YYYY-MM-DD") from None


class ProgressScreen(Screen):
    CSS_PATH = "progress.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("f5", "reload", "Refresh")]

    @dataclass
    class Figures(Message):
        figures: dict | None
        problem: str

    def __init__(self) -> None:
        super().__init__()
        self.since: str | None = None
        self.until: str | None = None
        self.ready = False  # the figures are on screen (tests and the benchmark wait for this)
        self.opened = time.perf_counter()
        self.ready_seconds: float | None = None  # from opening to the first figures painted (the benchmark)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="range-bar"):
            yield Static("Range", id="range-label")
            yield Select(RANGES, value="all", allow_blank=False, id="range", compact=True)
            yield Input(placeholder="from YYYY-MM-DD", id="since", disabled=True, compact=True)
            yield Input(placeholder="to YYYY-MM-DD", id="until", disabled=True, compact=True)
        with VerticalScroll(id="progress"):
            yield Static("Loading your history…", id="summary")
            yield Static("", id="overall-chart", classes="chart")
            yield Static("", id="competencies")
            yield Static("", id="wpm-chart", classes="chart")
            yield Static("", id="accuracy")
            yield Static("", id="voice")
            yield Static("", id="bests")
            yield Static("[b]Practise next[/b]", id="next-title")
            yield OptionList(id="next")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Progress"
        self.sub_title = "all time"
        # After the first paint, so the worker's queries do not compete with composing the screen.
        self.call_after_refresh(self.load)

    def today(self) -> str:
        today = getattr(self.app, "today", None)
        return today() if today else date.today().isoformat()

    # --- the figures ----------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="progress")
    def load(self) -> None:
        from csrpractice.store import StoreError
        from csrpractice.store.stats import stats

        store = self.app.open_history()
        if store is None:
            self.post_message(self.Figures(None, self.app.store_problem))
            return
        try:
            self.post_message(self.Figures(stats(store, self.since, self.until, self.today()), ""))
        except StoreError as exc:
            self.post_message(self.Figures(None, str(exc)))

    def action_reload(self) -> None:
        self.load()

    @on(Figures)
    def show(self, event: Figures) -> None:
        f = event.figures
        if f is None:
            self.query_one("#summary", Static).update(
                Content.styled(f"The history cannot be read: {event.problem}", "$error"))
            self.call_after_refresh(self._painted)
            return
        a, s = f["attempts"], f["streak"]
        total = a["scenarios"] + a["typing"] + a["chat"]
        if total:
            summary = Content.assemble(
                (f"{a['scenarios']} scenario(s) · {a['typing']} typing drill(s) · {a['chat']} chat drill(s) "
                 f"on {f['days_practised']} day(s)", "bold"), "\n",
                ("Streak: ", "bold"), f"{s['current']} day(s) in a row",
                f" (longest {s['longest']}, last practised {s['last_day']})" if s["last_day"] else "")
        else:
            summary = Content.assemble(
                ("Nothing practised in this range yet." if (self.since or self.until) else
                 "No practice recorded yet: try a scenario or a typing drill, and your progress shows here.", "bold"),
                "\n", ("Streak: ", "bold"), f"{s['current']} day(s) in a row" +
                (f" (longest {s['longest']}, last practised {s['last_day']})" if s["last_day"] else ""))
        self.query_one("#summary", Static).update(summary)
        t = f["trend"]
        width = max(20, min(60, self.size.width - 14))
        self.query_one("#overall-chart", Static).update(Content.assemble(
            ("Overall score", "bold"), f"  ({t['bucket']}ly average)\n" if t["bucket"] != "day" else
            "  (daily average)\n", trend_chart(t["overall"], t["periods"], t["bucket"], width, top=100)))
        comps = [trend_row(c.replace("_", " "), summary, t["competencies"][c], max(10, width - 34))
                 for c, summary in f["competencies"].items()]
        self.query_one("#competencies", Static).update(Content("\n").join(
            [Content.styled("Competencies", "bold")] + (comps or [Content.styled(
                "no scenario finished in this range", "$text-muted")])))
        self.query_one("#wpm-chart", Static).update(Content.assemble(
            ("Typing speed (WPM)", "bold"), "\n",
            trend_chart(t["wpm"], t["periods"], t["bucket"], width, bar=CHAT_ROLE_WPM)))
        self.query_one("#accuracy", Static).update(
            trend_row("Accuracy", f["accuracy"], t["accuracy"], max(10, width - 34), unit="%"))
        v = f["voice"]
        voice = self.query_one("#voice", Static)
        voice.display = bool(v["fillers_per_minute"]["attempts"])
        if voice.display:
            w = max(10, width - 34)
            voice.update(Content("\n").join([
                Content.styled("Spoken replies", "bold"),
                trend_row("speaking WPM", v["wpm"], t["voice"]["wpm"], w),
                trend_row("fillers a minute", v["fillers_per_minute"], t["voice"]["fillers_per_minute"], w,
                          lower_is_better=True),
                trend_row("long pauses/reply", v["long_pauses"], t["voice"]["long_pauses"], w,
                          lower_is_better=True)]))
        self.query_one("#bests", Static).update(self._bests(f["bests"]))
        self._practise_next(f["practise_next"])
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        if self.ready_seconds is None:
            self.ready_seconds = time.perf_counter() - self.opened
        self.ready = True

    def _bests(self, b: dict) -> Content:
        lines = [Content.styled("Personal bests", "bold")]
        for x in b["scenarios"][:5]:
            lines.append(Content(f"{x['title'][:44]:<44} {x['best']:5.1f}/100  ({x['attempts']} attempt(s))"))
        if len(b["scenarios"]) > 5:
            lines.append(Content.styled(f"… and {len(b['scenarios']) - 5} more scenario(s)", "$text-muted"))
        for x in b["typing"]:
            lines.append(Content(f"{x['label'][:44]:<44} {x['wpm']:5.1f} WPM, {x['accuracy']:.0f}% on {x['when']}"))
        if len(lines) == 1:
            lines.append(Content.styled("none yet", "$text-muted"))
        return Content("\n").join(lines)

    def _practise_next(self, p: dict) -> None:
        options: list[Option] = []
        for w in p["weakest"]:
            options.append(Option(Content.assemble(("Weakest: ", "bold"), w["competency"].replace("_", " "),
                                                   (f"  avg {w['average']:.1f}", "$text-muted")), disabled=True))
            for x in w["scenarios"]:
                note = "not tried yet" if not x["tried"] else f"best {x['best']:g}" if x["best"] is not None else "left"
                options.append(Option(Content.assemble("  ▸ ", x["title"], (f"  ({note})", "$text-muted")),
                                      id=f"{w['competency']}:{x['id']}"))
        if p["not_tried"]:
            options.append(Option(Content.styled("Not tried yet", "bold"), disabled=True))
            for x in p["not_tried"][:8]:
                options.append(Option(Content.assemble("  ▸ ", x["title"],
                                                       (f"  (level {x['difficulty']})", "$text-muted")),
                                      id=f"new:{x['id']}"))
            if len(p["not_tried"]) > 8:
                options.append(Option(Content.styled(f"  … and {len(p['not_tried']) - 8} more in the scenario "
                                                     "browser", "$text-muted"), disabled=True))
        if not options:
            options.append(Option(Content.styled("Nothing to suggest yet: the scenario library is still loading, "
                                                 "or every scenario is tried and none is weak.", "$text-muted"),
                                  disabled=True))
        menu = self.query_one("#next", OptionList)
        menu.clear_options()
        menu.add_options(options)
        # Enter works at once on the first suggestion (headings are not choosable).
        menu.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)

    @on(OptionList.OptionSelected, "#next")
    def start_suggestion(self, event: OptionList.OptionSelected) -> None:
        if event.option_id:
            self.app.start_scenario(event.option_id.split(":", 1)[1])

    # --- the range ------------------------------------------------------------------------------------
    @on(Select.Changed, "#range")
    def range_changed(self, event: Select.Changed) -> None:
        custom = event.value == "custom"
        for box in self.query(Input):
            box.disabled = not custom
        if custom:
            self.query_one("#since", Input).focus()
            return
        today = date.fromisoformat(self.today())
        self.since = None if event.value == "all" else (today - timedelta(days=int(event.value) - 1)).isoformat()
        self.until = None
        self.sub_title = dict((v, k) for k, v in RANGES)[event.value].lower()
        self.load()

    @on(Input.Submitted)
    def dates_entered(self) -> None:
        try:
            since = parse_day(self.query_one("#since", Input).value)
            until = parse_day(self.query_one("#until", Input).value)
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        if since and until and since > until:
            self.notify(f"The range starts ({since}) after it ends ({until}).", severity="error")
            return
        self.since, self.until = since, until
        self.sub_title = f"{since or 'the start'} to {until or 'today'}"
        self.load()
