"""Snapshots of the key screens at 80x24 and 120x40, with a fixed clock, fixed scenarios and seed 0.

Update them with `pytest tests/test_snapshots.py --snapshot-update` after a deliberate UI change, and look
at the report pytest-textual-snapshot writes before committing.
"""
import tempfile
from pathlib import Path

import pytest

from conftest import DATA, wait_for_library
from csrpractice.app import CSRPracticeApp
from csrpractice.app.widgets.reply_box import ReplyBox

SIZES = [(80, 24), (120, 40)]


def make_app():
    return CSRPracticeApp(scenario_paths=[DATA / "app_scenarios"], clock=lambda: 100.0)


wait_ready = wait_for_library


async def into_billing(pilot):
    await wait_ready(pilot)
    await pilot.press("enter")  # the first row is the billing scenario
    await pilot.pause()
    pilot.app.screen.query_one(ReplyBox).cursor_blink = False


async def one_reply(pilot):
    await into_billing(pilot)
    pilot.app.screen.query_one(ReplyBox).insert(
        "I'm so sorry about the double charge. Can you confirm the email on the account?")
    await pilot.press("ctrl+s")
    await pilot.pause()


async def finished(pilot):
    await one_reply(pilot)
    pilot.app.screen.query_one(ReplyBox).insert(
        "I've refunded the duplicate charge; you'll see it within 3-5 business days.")
    await pilot.press("ctrl+s")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home(snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=wait_ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_scenario_after_a_reply(snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=one_reply)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_scorecard(snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=finished)


def typing_app():
    class Clock:
        t = 1000.0

        def __call__(self):
            return self.t

    clock = Clock()
    app = CSRPracticeApp(scenario_paths=[DATA / "app_scenarios"], clock=clock, data_dir=Path(tempfile.mkdtemp()),
                         start={"drill": {"mode": "passage", "passage": "chat-refund-confirm"}})
    return app, clock


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_typing_screen(snap_compare, size):
    app, clock = typing_app()

    async def halfway(pilot):
        await pilot.pause()
        text = app.screen.drill.text
        for i, ch in enumerate(text[:40]):
            app.screen.type_key("x" if i == 7 else ch)
            clock.t += 0.2
        app.screen._update_live()  # the live line ticks every 0.5 s of real time: do not race it
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=halfway)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_typing_results(snap_compare, size):
    app, clock = typing_app()

    async def done(pilot):
        await pilot.pause()
        for ch in app.screen.drill.text:
            app.screen.type_key(ch)
            clock.t += 0.21
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=done)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_progress(snap_compare, size):
    from csrpractice.app.screens.progress import ProgressScreen
    from history_helpers import TODAY, seed_history

    db = Path(tempfile.mkdtemp()) / "history.db"
    seed_history(db)
    app = CSRPracticeApp(scenario_paths=[DATA / "app_scenarios"], clock=lambda: 100.0, db=db, today=lambda: TODAY)

    async def progress(pilot):
        await wait_ready(pilot)
        await pilot.press("f5")
        for _ in range(300):
            if isinstance(app.screen, ProgressScreen) and app.screen.ready:
                break
            await pilot.pause(0.02)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=progress)
