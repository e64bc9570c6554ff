"""The app, driven with Pilot: the reply checker shows markers with the words that earned them."""
from csrpractice.app import CSRPracticeApp
from csrpractice.app.widgets.feedback import Feedback
from csrpractice.app.widgets.reply_box import ReplyBox


async def test_reply_checker_shows_markers_and_highlights():
    app = CSRPracticeApp()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.focused, ReplyBox)
        await pilot.press(*"I'm so sorry for the delay. I'll fix it today.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = app.screen.query_one(Feedback).content
        plain = shown.plain
        assert "apology" in plain and "ownership" in plain
        highlighted = {plain[s.start:s.end] for s in shown.spans if "reverse" in str(s.style)}
        assert "I'm so sorry for the delay" in highlighted


async def test_card_numbers_are_masked_in_the_feedback():
    app = CSRPracticeApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.query_one(ReplyBox).text = "Your card is 4111 1111 1111 1111?"
        await pilot.click("#check")
        await pilot.pause()
        plain = str(app.screen.query_one(Feedback).content)
        assert "pci_violation" in plain and "**** **** **** 1111" in plain and "4111 1111" not in plain


async def test_empty_reply_gets_a_hint_not_an_error():
    app = CSRPracticeApp()
    async with app.run_test() as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Type a reply first" in str(app.screen.query_one(Feedback).content)
