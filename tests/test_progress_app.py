"""The app and the history, driven with Pilot: the progress screen on a seeded history, the date range,
"practise next", resuming or discarding an unfinished scenario, leaving one, and a history that cannot open."""
from __future__ import annotations

from conftest import DATA, wait_for_library
from csrpractice.app import CSRPracticeApp
from csrpractice.app.screens.progress import ProgressScreen
from csrpractice.app.screens.resume import ResumeScreen
from csrpractice.app.screens.scenario import ScenarioScreen
from csrpractice.app.widgets.reply_box import ReplyBox
from csrpractice.store import Store
from history_helpers import GOOD, TODAY, app_scenarios, play, seed_history
from textual.widgets import Input, OptionList, Select


def make_app(db, **kwargs) -> CSRPracticeApp:
    return CSRPracticeApp(scenario_paths=[DATA / "app_scenarios"], clock=lambda: 100.0, db=db,
                          today=lambda: TODAY, **kwargs)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def open_progress(pilot) -> ProgressScreen:
    await wait_for_library(pilot)
    await pilot.press("f5")
    screen = pilot.app.screen
    assert isinstance(screen, ProgressScreen)
    await wait_ready(pilot, screen)
    return screen


async def wait_ready(pilot, screen: ProgressScreen) -> None:
    for _ in range(300):
        if screen.ready:
            break
        await pilot.pause(0.02)
    assert screen.ready
    await pilot.pause()


async def test_progress_screen_shows_the_seeded_history(tmp_path):
    db = tmp_path / "history.db"
    seed_history(db)
    async with make_app(db).run_test(size=(120, 60)) as pilot:
        screen = await open_progress(pilot)
        summary = text_of(screen, "#summary")
        assert "4 scenario(s) · 3 typing drill(s) · 1 chat drill(s) on 4 day(s)" in summary
        assert "3 day(s) in a row" in summary and "longest 3" in summary
        overall = text_of(screen, "#overall-chart")
        assert "Overall score" in overall and "11-20" in overall and "11-24" in overall  # one column per day
        comps = text_of(screen, "#competencies")
        for name in ("ownership", "compliance", "empathy", "problem solving", "clarity"):
            assert name in comps
        assert "avg  50.0    0.0 → 100.0 ▲" in comps  # ownership: 0, 0, 100, 100
        assert "40 bar" in text_of(screen, "#wpm-chart")
        assert "Accuracy" in text_of(screen, "#accuracy")
        bests = text_of(screen, "#bests")
        assert "Charged twice for one month" in bests and "100.0/100" in bests
        assert "61.3 WPM" in bests  # the pasted drill (far faster) is not a best
        menu = screen.query_one("#next", OptionList)
        prompts = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        assert any(p.startswith("Weakest: ownership") for p in prompts), prompts
        assert any("A claim check" in p and "not tried yet" in p for p in prompts), prompts


async def test_date_range_filters_and_bad_dates_are_refused(tmp_path):
    db = tmp_path / "history.db"
    seed_history(db)
    async with make_app(db).run_test(size=(120, 60)) as pilot:
        screen = await open_progress(pilot)
        screen.ready = False
        screen.query_one("#range", Select).value = "7"
        await wait_ready(pilot, screen)
        assert screen.since == "2026-11-18" and "4 scenario(s)" in text_of(screen, "#summary")
        # A custom range: the last two days only.
        screen.query_one("#range", Select).value = "custom"
        await pilot.pause()
        assert not screen.query_one("#since", Input).disabled
        screen.query_one("#since", Input).value = "2026-11-23"
        screen.query_one("#until", Input).value = TODAY
        screen.ready = False
        await pilot.press("enter")
        await wait_ready(pilot, screen)
        assert "2 scenario(s) · 2 typing drill(s) · 1 chat drill(s) on 2 day(s)" in text_of(screen, "#summary")
        assert screen.sub_title == f"2026-11-23 to {TODAY}"
        # Bad dates: a clear message, and the figures stay as they were.
        screen.query_one("#since", Input).value = "2026-13-01"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.since == "2026-11-23"
        assert any("'2026-13-01' is not a date" in n.message for n in pilot.app._notifications)
        screen.query_one("#since", Input).value = "2026-11-30"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.since == "2026-11-23"
        assert any("starts (2026-11-30) after it ends" in n.message for n in pilot.app._notifications)


async def test_practise_next_starts_the_suggested_scenario(tmp_path):
    db = tmp_path / "history.db"
    seed_history(db)
    async with make_app(db).run_test(size=(120, 60)) as pilot:
        screen = await open_progress(pilot)
        menu = screen.query_one("#next", OptionList)
        index = next(i for i in range(menu.option_count) if (menu.get_option_at_index(i).id or "")
                     .endswith(":insurance-late-claim"))
        menu.focus()
        menu.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ScenarioScreen)
        assert pilot.app.screen.scenario.id == "insurance-late-claim"


async def test_an_empty_history_says_so(tmp_path):
    async with make_app(tmp_path / "history.db").run_test(size=(100, 40)) as pilot:
        screen = await open_progress(pilot)
        assert "No practice recorded yet" in text_of(screen, "#summary")
        menu = screen.query_one("#next", OptionList)
        assert menu.option_count == 3  # "Not tried yet" and both scenarios


def unfinished(db, draft: str = "I have refunded the") -> int:
    store = Store.open(db)
    attempt = play(store, app_scenarios()["billing-double-charge"], GOOD[:1], TODAY, finish=False)
    store.save_draft(attempt, draft)
    store.close()
    return attempt


async def test_an_unfinished_scenario_is_offered_and_resumed(tmp_path):
    db = tmp_path / "history.db"
    attempt = unfinished(db)
    async with make_app(db).run_test(size=(100, 40)) as pilot:
        await wait_for_library(pilot)
        await pilot.pause()
        assert isinstance(pilot.app.screen, ResumeScreen)
        assert "1 reply sent and a draft" in str(pilot.app.screen.query_one("#resume-question").render())
        await pilot.press("r")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ScenarioScreen) and screen.attempt == attempt
        assert len(screen.session.records) == 1 and screen.session.turn.id == "fix_it"
        assert screen.query_one(ReplyBox).text == "I have refunded the"
        # Carry on to the end: the same attempt is finished, with both replies.
        box = screen.query_one(ReplyBox)
        box.load_text(GOOD[1])
        await pilot.press("ctrl+s")
        await pilot.pause()
    rows = Store.open(db).query("SELECT status, (SELECT COUNT(*) FROM replies WHERE attempt_id = attempts.id) "
                                "FROM attempts")
    assert rows == [("finished", 2)]


async def test_discarding_an_unfinished_scenario(tmp_path):
    db = tmp_path / "history.db"
    unfinished(db)
    async with make_app(db).run_test(size=(100, 40)) as pilot:
        await wait_for_library(pilot)
        await pilot.pause()
        assert isinstance(pilot.app.screen, ResumeScreen)
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ResumeScreen)
    store = Store.open(db)
    assert store.query("SELECT status FROM attempts") == [("discarded",)]
    assert store.query("SELECT COUNT(*) FROM replies") == [(1,)]  # discarded, not deleted


async def test_a_changed_scenario_is_not_resumed(tmp_path):
    db = tmp_path / "history.db"
    unfinished(db)
    store = Store.open(db)
    with store._write() as c:
        c.execute("UPDATE attempts SET content_hash = 'sha256:older'")
    store.close()
    async with make_app(db).run_test(size=(100, 40)) as pilot:
        await wait_for_library(pilot)
        await pilot.pause()
        modal = pilot.app.screen
        assert isinstance(modal, ResumeScreen) and not modal.query("#resume")
        assert "cannot be resumed" in str(modal.query_one("#resume-question").render())
        await pilot.press("r")  # not offered: nothing happens
        await pilot.pause()
        assert pilot.app.screen is modal
        await pilot.press("d")
        await pilot.pause()
    assert Store.open(db).query("SELECT status FROM attempts") == [("left",)]


async def test_leaving_a_scenario_keeps_it_as_left(tmp_path):
    db = tmp_path / "history.db"
    async with make_app(db).run_test(size=(100, 40)) as pilot:
        await wait_for_library(pilot)
        await pilot.press("enter")
        await pilot.pause()
        pilot.app.screen.query_one(ReplyBox).insert(GOOD[0])
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    store = Store.open(db)
    assert store.query("SELECT status FROM attempts") == [("left",)]
    assert store.unfinished() == []


async def test_without_a_usable_history_the_app_still_works_and_says_so(tmp_path):
    db = tmp_path / "no-such-folder" / "history.db"
    async with make_app(db).run_test(size=(100, 40)) as pilot:
        await wait_for_library(pilot)
        messages = [n.message for n in pilot.app._notifications]
        assert any("not being saved" in m and "no-such-folder" in m for m in messages), messages
        await pilot.press("enter")
        await pilot.pause()
        pilot.app.screen.query_one(ReplyBox).insert(GOOD[0])
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(pilot.app.screen.session.records) == 1  # the practice goes on
        await pilot.press("escape", "y")
        await pilot.pause()
        await pilot.press("f5")
        screen = pilot.app.screen
        await wait_ready(pilot, screen)
        assert "cannot be read" in text_of(screen, "#summary")
    assert not db.parent.exists()  # a folder the user named is never made up
