"""The scenario browser: a filterable list of scenarios and a preview of the highlighted one."""
from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, Select, Static

from csrpractice.app.catalog import Entry, matches

DIFFICULTY = {1: "●○○○○", 2: "●●○○○", 3: "●●●○○", 4: "●●●●○", 5: "●●●●●"}


class ScenarioBrowser(Vertical):
    DEFAULT_CSS = """
    ScenarioBrowser #filters { height: 3; }
    ScenarioBrowser #body { height: 1fr; }
    ScenarioBrowser #search { width: 1fr; min-width: 12; }
    ScenarioBrowser Select { width: 20; }
    ScenarioBrowser #list { width: 2fr; }
    ScenarioBrowser #preview-scroll { width: 1fr; min-width: 24; border-left: solid $panel; padding: 0 1; }
    ScenarioBrowser #status { height: 1; color: $text-muted; padding: 0 1; }
    """

    BINDINGS = [Binding("slash", "focus_search", "Search")]

    @dataclass
    class StartScenario(Message):
        scenario_id: str

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.entries: list[Entry] = []
        self.shown: list[Entry] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="filters"):
            yield Input(placeholder="Search…", id="search")
        # The list and the filters mount with the library (see load): until then there is nothing to show.
        with Horizontal(id="body"):
            with VerticalScroll(id="preview-scroll"):
                yield Static("Loading scenarios…", id="preview")
        yield Static("", id="status")

    def load(self, entries: list[Entry]) -> None:
        self.entries = entries
        table = DataTable(id="list", cursor_type="row", zebra_stripes=True)
        self.title_width = max(20, self.size.width * 2 // 3 - 36)  # what the other columns leave
        table.add_column("Scenario", width=self.title_width)
        table.add_column("Industry", width=9)
        table.add_column("Channel", width=5)
        table.add_column("Level", width=5)
        table.add_column("Min", width=3)
        self.query_one("#body").mount(table, before=0)
        search = self.query_one("#search", Input)
        if self.screen.focused is None or (self.screen.focused is search and not search.value):
            table.focus()  # unless the user is already typing a search
        industries = sorted({e.industry for e in entries})
        channels = sorted({e.channel for e in entries})
        self.query_one("#filters").mount(
            Select([(i.replace("_", " "), i) for i in industries], prompt="Industry", id="industry"),
            Select([(c, c) for c in channels], prompt="Channel", id="channel"),
            Select([(f"{d} {DIFFICULTY[d]}", d) for d in range(1, 6)], prompt="Difficulty", id="difficulty"),
        )
        self.refilter()

    def refilter(self) -> None:
        text = self.query_one("#search", Input).value
        values = {}
        for key in ("industry", "channel", "difficulty"):
            found = self.query(f"#{key}").results(Select)
            v = next(found, None)
            values[key] = None if v is None or v.value is Select.NULL or v.value is Select.BLANK else v.value
        self.shown = [e for e in self.entries if matches(e, text, **values)]
        table = self.query_one(DataTable)
        table.clear()
        for e in self.shown:
            w = getattr(self, "title_width", 20)
            title = e.title if len(e.title) <= w else e.title[: w - 1] + "…"
            table.add_row(title, e.industry.replace("_", " "), e.channel, DIFFICULTY[e.difficulty],
                          f"{e.minutes:g}", key=e.id)
        n, total = len(self.shown), len(self.entries)
        self.query_one("#status", Static).update(
            f"{n} of {total} scenarios · Enter starts · / searches" if total else "")
        if not self.shown:
            self.query_one("#preview", Static).update("No scenario matches these filters." if total else
                                                      "No scenarios found.")
        else:
            self.preview(self.shown[0])

    def preview(self, e: Entry) -> None:
        assessed = ", ".join(a.replace("_", " ") for a in e.assessed[:10])
        limit = f"\n[b]Time limit:[/b] {e.time_limit}" if e.time_limit else ""
        self.query_one("#preview", Static).update(
            f"[b]{e.title}[/b]\n[dim]{e.kind.replace('_', ' ')} · {e.industry.replace('_', ' ')} · {e.channel} · "
            f"level {e.difficulty} · ~{e.minutes:g} min[/dim]\n\n{e.brief}\n\n"
            f"[b]You talk to:[/b] {e.persona}\n\n[b]Assessed:[/b] {assessed}{limit}")

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def _filters_changed(self) -> None:
        self.refilter()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        entry = next((e for e in self.shown if e.id == event.row_key.value), None)
        if entry:
            self.preview(entry)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.post_message(self.StartScenario(event.row_key.value))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one(DataTable).focus()
