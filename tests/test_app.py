"""The app driven with Pilot, as a person would use it: browse, filter, start, reply, hint, finish, retry."""
import pytest
from textual.widgets import DataTable, Input, Select

from conftest import DATA, wait_for_library
from csrpractice.app import CSRPracticeApp
from csrpractice.app.screens.confirm import ConfirmScreen
from csrpractice.app.screens.home import HomeScreen
from csrpractice.app.screens.scenario import ScenarioScreen
from csrpractice.app.screens.scorecard import ScorecardScreen
from csrpractice.app.widgets.chat import CandidateLine, CustomerLine, HintLine
from csrpractice.app.widgets.feedback import Feedback
from csrpractice.app.widgets.mood import MoodMeter
from csrpractice.app.widgets.reply_box import ReplyBox

FIXTURES = DATA / "app_scenarios"
GOOD_1 = "I'm so sorry about the double charge, that's frustrating. Can you confirm the email on the account?"
GOOD_2 = "Thanks! I've refunded the duplicate charge; you'll see it within 3-5 business days."


def make_app():
    return CSRPracticeApp(scenario_paths=[FIXTURES], clock=lambda: 100.0)


ready = wait_for_library


async def type_and_send(pilot, text):
    pilot.app.screen.query_one(ReplyBox).insert(text)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def start_billing(pilot):
    table = pilot.app.screen.query_one(DataTable)
    table.move_cursor(row=[e.id for e in pilot.app.screen.query_one("#scenarios").shown].index("billing-double-charge"))
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ScenarioScreen)


async def test_browse_lists_scenarios_with_preview():
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        table = pilot.app.screen.query_one(DataTable)
        assert table.row_count == 2
        preview = str(pilot.app.screen.query_one("#preview").render())
        assert "You talk to" in preview and "Assessed" in preview


async def test_filter_by_text_and_by_channel():
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = pilot.app.screen
        await pilot.press("slash")
        assert screen.focused is screen.query_one("#search", Input)
        await pilot.press(*"claim check")
        await pilot.pause()
        assert [e.id for e in screen.query_one("#scenarios").shown] == ["insurance-late-claim"]
        screen.query_one("#search", Input).value = ""
        screen.query_one("#channel", Select).value = "chat"
        await pilot.pause()
        assert [e.id for e in screen.query_one("#scenarios").shown] == ["billing-double-charge"]
        screen.query_one("#difficulty", Select).value = 5
        await pilot.pause()
        assert screen.query_one(DataTable).row_count == 0
        assert "No scenario matches" in str(screen.query_one("#preview").render())


async def test_a_whole_scenario_then_retry_next_and_home():
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await start_billing(pilot)
        screen = pilot.app.screen
        assert len(screen.query(CustomerLine)) == 1
        assert screen.query_one(MoodMeter).mood == 5
        await type_and_send(pilot, GOOD_1)
        assert len(screen.query(CandidateLine)) == 1 and len(screen.query(CustomerLine)) == 2
        assert screen.query_one(MoodMeter).mood == 4  # calmer after a good reply
        assert "Feedback: 100/100" in str(screen.query(".feedback").first().title)
        await pilot.press("f1")
        await pilot.pause()
        assert "Refund the duplicate charge" in str(screen.query_one(HintLine).render())
        await type_and_send(pilot, GOOD_2)
        await pilot.pause()
        card_screen = pilot.app.screen
        assert isinstance(card_screen, ScorecardScreen)
        assert card_screen.card.outcome == "resolved" and card_screen.card.overall >= 80
        assert "Resolved" in str(card_screen.query_one("#overall").render())
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ScenarioScreen)
        assert pilot.app.screen.scenario.id == "billing-double-charge"
        assert len(pilot.app.screen.query(CandidateLine)) == 0
        await type_and_send(pilot, "whatever")
        await type_and_send(pilot, "calm down")
        assert isinstance(pilot.app.screen, ScorecardScreen)
        assert pilot.app.screen.card.outcome == "customer_left"
        await pilot.press("n")
        await pilot.pause()
        assert pilot.app.screen.scenario.id == "insurance-late-claim"
        pilot.app.pop_screen()
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)


async def test_feedback_can_be_hidden_and_shown():
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await start_billing(pilot)
        await type_and_send(pilot, GOOD_1)
        panel = pilot.app.screen.query(".feedback").first()
        assert panel.collapsed is False
        await pilot.press("f3")
        assert panel.collapsed is True


async def test_empty_reply_is_not_sent():
    async with make_app().run_test() as pilot:
        await ready(pilot)
        await start_billing(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(pilot.app.screen.query(CandidateLine)) == 0
        assert pilot.app.screen.session.records == []


async def test_quitting_mid_scenario_asks_first():
    async with make_app().run_test() as pilot:
        await ready(pilot)
        await start_billing(pilot)
        pilot.app.screen.query_one(ReplyBox).insert("a draft")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ScenarioScreen)
        assert pilot.app.screen.query_one(ReplyBox).text == "a draft"  # nothing typed is lost
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert pilot.app.return_code == 0


async def test_reply_checker_tab_and_theme_toggle():
    async with make_app().run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        box = pilot.app.screen.query_one("#reply", ReplyBox)
        box.focus()
        box.insert("Your card is 4111 1111 1111 1111?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        plain = pilot.app.screen.query_one(Feedback).content.plain
        assert "pci_violation" in plain and "**** **** **** 1111" in plain and "4111 1111" not in plain
        dark = pilot.app.current_theme.dark
        await pilot.press("f10")
        assert pilot.app.current_theme.dark is not dark


async def test_command_palette_starts_a_scenario():
    async with make_app().run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"claim check")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ScenarioScreen)
        assert pilot.app.screen.scenario.id == "insurance-late-claim"


async def test_bad_scenario_folder_is_reported_not_fatal(tmp_path):
    (tmp_path / "broken.yaml").write_text("id: [\n")
    (tmp_path / "good.yaml").write_text((FIXTURES / "insurance-late-claim.yaml").read_text())
    app = CSRPracticeApp(scenario_paths=[tmp_path], clock=lambda: 100.0)
    async with app.run_test() as pilot:
        await ready(pilot)
        assert list(app.scenarios) == ["insurance-late-claim"]
        assert any("problem(s) in the scenario files" in str(n.message) for n in app._notifications)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_usable_at_small_and_large_sizes(size):
    async with make_app().run_test(size=size) as pilot:
        await ready(pilot)
        await start_billing(pilot)
        box = pilot.app.screen.query_one(ReplyBox)
        assert box.region.height >= 3 and box.region.width >= 40


async def test_resizes_cleanly():
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await start_billing(pilot)
        await type_and_send(pilot, GOOD_1)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        box = pilot.app.screen.query_one(ReplyBox)
        assert box.region.right <= 80 and box.region.bottom <= 24 and box.region.height >= 3
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert pilot.app.screen.query_one(ReplyBox).region.right <= 120
