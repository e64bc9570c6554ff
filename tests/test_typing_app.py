"""Typing drills in the app, driven with Pilot and a clock the test controls."""

import pytest

from conftest import DATA
from csrpractice.app import CSRPracticeApp
from csrpractice.app.screens.chat_drill import ChatDrillScreen
from csrpractice.app.screens.chat_results import ChatResultsScreen
from csrpractice.app.screens.typing import TypingScreen, TypingText
from csrpractice.app.screens.typing_results import TypingResultsScreen
from csrpractice.app.widgets.reply_box import ReplyBox


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def make_app(tmp_path, clock, **start):
    return CSRPracticeApp(scenario_paths=[DATA / "app_scenarios"], clock=clock, data_dir=tmp_path,
                          start={"drill": start} if start else None)


async def type_text(pilot, clock, text, dt=0.2):
    screen = pilot.app.screen
    for ch in text:
        screen.type_key("backspace" if ch == "<" else ch)
        clock.t += dt
    await pilot.pause()


async def test_word_drill_with_mistakes_to_results(tmp_path):
    clock = Clock()
    async with make_app(tmp_path, clock, mode="words", count=10).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, TypingScreen)
        words = screen.drill.text.split()
        # The first word with a typo, fixed; the second left wrong; the rest right.
        first = words[0]
        typed = first[:-1] + "x<" + first[-1] + " " + "q" * len(words[1]) + " " + " ".join(words[2:])
        await type_text(pilot, clock, typed)
        results = pilot.app.screen
        assert isinstance(results, TypingResultsScreen)
        r = results.result
        assert r.errors == len(words[1])
        assert r.accuracy < 100 and r.keystrokes == len(typed.replace("<", ""))
        shown = str(results.query_one("#headline").render())
        assert "WPM" in shown and "40 WPM chat-role bar" in shown
        assert "Personal best" in str(results.query_one("#best").render())
        best = pilot.app.store.typing_best("words-10")
        assert best["wpm"] == r.wpm and best["accuracy"] == r.accuracy


async def test_typed_keys_render_and_count_through_real_key_events(tmp_path):
    clock = Clock()
    async with make_app(tmp_path, clock, mode="passage", passage="chat-refund-confirm").run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        text = screen.drill.text
        await pilot.press(*list(text[:5]))
        assert "".join(screen.query_one(TypingText).typed.words) == text[:5].replace(" ", "")
        assert len(screen.events) == 5


async def test_timed_drill_ends_on_the_clock(tmp_path):
    clock = Clock()
    async with make_app(tmp_path, clock, mode="time", seconds=15).run_test() as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        await type_text(pilot, clock, screen.drill.text[:20])
        clock.t += 15
        screen._tick()
        await pilot.pause()
        results = pilot.app.screen
        assert isinstance(results, TypingResultsScreen) and results.result.duration == 15


async def test_held_key_and_paste_are_recorded(tmp_path):
    clock = Clock()
    async with make_app(tmp_path, clock, mode="words", count=10).run_test() as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        for _ in range(5):  # a held key: the same key every 30 ms
            screen.type_key("a")
            clock.t += 0.03
        assert screen.repeats_dropped == 4 and len(screen.events) == 1
        from textual import events

        screen.on_paste(events.Paste("pasted words"))
        assert screen.pastes == 1 and screen.pasted_chars == 12


async def test_paste_is_refused_in_a_screening(tmp_path):
    clock = Clock()
    app = make_app(tmp_path, clock)
    async with app.run_test() as pilot:
        from csrpractice.drills import make_drill
        from textual import events

        await app.push_screen(TypingScreen(make_drill("words", count=10), screening=True))
        await pilot.pause()
        app.screen.on_paste(events.Paste("cheat"))
        assert app.screen.pastes == 1 and app.screen.events == []


async def test_chat_drill_response_times_and_longest_wait(tmp_path):
    clock = Clock()
    async with make_app(tmp_path, clock, mode="chat").run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ChatDrillScreen)
        chats = screen.session.chats
        clock.t += 16  # every chat's first message has arrived
        screen.tick()
        await pilot.pause()
        box = screen.query_one(ReplyBox)
        for i in range(len(chats)):
            box.insert("Hi, I'm sorry for the trouble, I'll look into it right now.")
            clock.t += 5
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("ctrl+n")
        assert len(screen.replies) == len(chats)
        assert all(r.wait is not None and r.wait >= 5 for r in screen.replies)
        assert "apology" in screen.replies[0].markers and "ownership" in screen.replies[0].markers
        clock.t += 400  # nobody answers the rest: the drill ends by itself
        screen.tick()
        await pilot.pause()
        results = pilot.app.screen
        assert isinstance(results, ChatResultsScreen)
        assert results.figures["longest_wait"] >= 100
        assert len(results.figures["chats"]) == len(chats)


async def test_drill_picker_on_home(tmp_path):
    clock = Clock()
    async with make_app(tmp_path, clock).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("enter")  # the first option: timed, 15 s
        await pilot.pause()
        assert isinstance(pilot.app.screen, TypingScreen) and pilot.app.screen.drill.seconds == 15


async def test_custom_text_errors_are_notifications(tmp_path):
    clock = Clock()
    async with make_app(tmp_path, clock).run_test() as pilot:
        pilot.app.start_drill("custom", file=str(tmp_path / "missing.txt"))
        await pilot.pause()
        assert any("cannot read" in str(n.message) for n in pilot.app._notifications)
