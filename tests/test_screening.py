"""Screenings: packs checked like scenarios, the locked flow driven with Pilot (no hints, no feedback, no
leaving, no paste; the next item follows at once; a neutral end), signed results, verify and rescore, a crash
resumed where it stopped, and the commands' clear errors."""
from __future__ import annotations

import json
import stat

import pytest

from conftest import DATA, run_cli
from csrpractice.app.screening_app import ScreeningApp
from csrpractice.app.screens.scenario import ScenarioScreen
from csrpractice.app.screens.screening import DoneScreen, InstructionsScreen, PartScreen
from csrpractice.app.screens.typing import TypingScreen
from csrpractice.app.widgets.reply_box import ReplyBox
from csrpractice.scenario.library import load_library
from csrpractice.screening.pack import load_pack
from csrpractice.screening.results import INTACT, ResultError, load_result, new_key, read_key, verify
from csrpractice.screening.run import ScreeningRun
from csrpractice.store import Store

PACK = DATA / "packs" / "app-pack.yaml"
SCENARIOS = DATA / "app_scenarios"
BILLING = ["I'm so sorry about the double charge, that's frustrating. Can you confirm the email on the account?",
           "Thanks! I've refunded the duplicate charge and you'll see it within 3-5 business days. Anything else?"]
INSURANCE = ["I'm sorry your claim check is late, Pat. I understand how stressful that is. Let me look into it.",
             "The check was mailed yesterday; you'll have it by Friday, and I'll call you if it isn't there."]


@pytest.fixture(scope="module")
def library():
    return {s.id: s for s in load_library([SCENARIOS]).scenarios}


@pytest.fixture
def pack(library):
    p, diags = load_pack(PACK, library)
    assert p is not None, diags
    return p


@pytest.fixture
def key(tmp_path):
    new_key(tmp_path / "screening.key")
    return read_key(tmp_path / "screening.key")


class Clock:
    t = 1000.0

    def __call__(self):
        return self.t


def app_for(run, key, tmp_path, resuming=False):
    return ScreeningApp(run, key, resuming, scenario_paths=[SCENARIOS], db=tmp_path / "history.db", clock=Clock(),
                        data_dir=tmp_path)


async def reply(pilot, text: str) -> None:
    pilot.app.screen.query_one(ReplyBox).load_text(text)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def next_part(pilot, number: int) -> None:
    """Between two parts: the pause that says what comes next, then Enter."""
    assert isinstance(pilot.app.screen, PartScreen), pilot.app.screen
    assert f"Part {number} of 3" in str(pilot.app.screen.query_one("#part").render())
    await pilot.press("enter")
    await pilot.pause()


async def type_drill(pilot) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, TypingScreen) and screen.screening
    for ch in screen.drill.text:
        screen.app.clock.t += 0.2
        screen.type_key(ch)
    await pilot.pause()


# --- packs ---------------------------------------------------------------------------------------------
def test_a_pack_is_checked_like_a_scenario(tmp_path, library):
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: Bad Id\nversion: 0\ntitle: t\ninstructions: i\nscenarios: [billing-double-charg]\n"
                   "order: random\ntyping: {mode: time, words: 25}\npass: {competencies: {empaty: 50}}\n")
    pack, diags = load_pack(bad, library)
    assert pack is None
    got = [d.format() for d in diags]
    assert any(":1:7: error: pack: 'Bad Id' is not valid" in g for g in got), got
    assert any("version" in g and "at least 1" in g or "version" in g for g in got)
    assert any("scenarios[0]: no scenario 'billing-double-charg' in the library (did you mean "
               "\"billing-double-charge\"?)" in g for g in got), got
    assert any("order" in g and "random" in g for g in got)
    assert any("unknown competency 'empaty' (did you mean \"empathy\"?)" in g for g in got)


def test_a_shuffled_pack_is_the_same_for_every_candidate(tmp_path, library):
    text = PACK.read_text().replace("seed: 0", "seed: 3\norder: shuffle")
    (tmp_path / "p.yaml").write_text(text)
    orders = {tuple(load_pack(tmp_path / "p.yaml", library)[0].scenario_ids) for _ in range(3)}
    assert len(orders) == 1 and set(next(iter(orders))) == {"billing-double-charge", "insurance-late-claim"}


def test_validate_checks_packs_and_names_an_unknown_scenario(tmp_path):
    r = run_cli("--scenarios", str(SCENARIOS), "validate", str(PACK))
    assert r.returncode == 0 and b"pack app-pack v1 is valid: 2 scenario(s), a typing test" in r.stdout
    bad = tmp_path / "p.yaml"
    bad.write_text(PACK.read_text().replace("insurance-late-claim", "insurance-late-clam"))
    r = run_cli("--scenarios", str(SCENARIOS), "validate", str(bad))
    assert r.returncode == 1 and b"no scenario 'insurance-late-clam' in the library (did you mean" in r.stdout
    r = run_cli("validate", "docs/packs/chat-support-2026.yaml")  # the documented example stays valid
    assert r.returncode == 0, r.stdout


# --- keys, candidates ----------------------------------------------------------------------------------
def test_keygen_writes_a_private_key_and_never_overwrites(tmp_path):
    path = tmp_path / "k.key"
    r = run_cli("keygen", "--out", str(path))
    assert r.returncode == 0 and b"wrote a new screening key" in r.stdout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(read_key(path)) == 32
    before = path.read_bytes()
    r = run_cli("keygen", "--out", str(path))
    assert r.returncode == 2 and b"already exists; a key is never overwritten" in r.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("candidate", ["../evil", "a/b", "with space", "..", "", ".hidden", "x" * 65])
def test_a_candidate_id_with_path_characters_is_refused(tmp_path, candidate):
    new_key(tmp_path / "k.key")
    r = run_cli("--scenarios", str(SCENARIOS), "screen", str(PACK), "--candidate", candidate, "--key",
                str(tmp_path / "k.key"), "--out", str(tmp_path / "out"))
    assert r.returncode == 2 and b"is not a usable candidate id" in r.stderr and b"Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_screen_errors_are_clear(tmp_path):
    r = run_cli("--scenarios", str(SCENARIOS), "screen", str(PACK), "--candidate", "c1", "--key",
                str(tmp_path / "none.key"))
    assert r.returncode == 2 and b"make one with csrpractice keygen" in r.stderr
    new_key(tmp_path / "k.key")
    bad = tmp_path / "p.yaml"
    bad.write_text(PACK.read_text().replace("insurance-late-claim", "nope"))
    r = run_cli("--scenarios", str(SCENARIOS), "screen", str(bad), "--candidate", "c1", "--key",
                str(tmp_path / "k.key"))
    assert r.returncode == 2 and b"the pack has errors" in r.stderr and b"no scenario 'nope'" in r.stderr


# --- the locked flow -----------------------------------------------------------------------------------
async def test_the_locked_flow_from_instructions_to_a_signed_result(tmp_path, pack, key):
    run = ScreeningRun(pack, "cand-001", tmp_path / "out")
    assert run.open() is False
    app = app_for(run, key, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        assert isinstance(app.screen, InstructionsScreen)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ScenarioScreen) and screen.scenario.id == "billing-double-charge"
        assert screen.scenario.scenario_seconds == 600  # the pack's limit
        await pilot.press("f1")  # no hints
        await pilot.press("escape")  # no leaving
        await pilot.pause()
        assert app.screen is screen and not screen.query(".feedback")
        await reply(pilot, BILLING[0])
        assert not screen.query(".feedback") and not screen.query("HintLine")  # no per-turn feedback
        # A paste is refused (and recorded), the box keeps what was typed.
        from textual import events

        screen.query_one(ReplyBox).post_message(events.Paste("copied answer"))
        await pilot.pause()
        assert screen.query_one(ReplyBox).text == ""
        await reply(pilot, BILLING[1])
        # The next part follows (no scorecard, no retry), after a pause that says what it is.
        await next_part(pilot, 2)
        assert isinstance(app.screen, ScenarioScreen) and app.screen.scenario.id == "insurance-late-claim"
        await reply(pilot, INSURANCE[0])
        await reply(pilot, INSURANCE[1])
        await next_part(pilot, 3)
        await type_drill(pilot)
        assert isinstance(app.screen, DoneScreen)
        done = str(app.screen.query_one("#done").render())
        assert "Your screening is complete" in done and "score" not in done.lower()
    doc = load_result(run.result_path)
    assert verify(doc, key) == INTACT and not run.progress_path.exists()
    assert doc["candidate"] == "cand-001" and doc["status"] == "complete"
    assert doc["pack"] == pack.header() and doc["engine_version"] and doc["app_version"]
    kinds = [i["kind"] for i in doc["items"]]
    assert kinds == ["scenario", "scenario", "typing"]
    billing = doc["items"][0]
    assert billing["overall"] == 100 and [r["reply"] for r in billing["replies"]] == BILLING
    assert billing["replies"][0]["matched"] and all(r["seconds"] is not None for r in billing["replies"])
    assert doc["integrity"]["paste_attempts"] == 1
    s = doc["summary"]
    assert s["thresholds"]["overall"] == 70 and s["meets"]["overall"] == (s["overall"] >= 70)
    assert s["typing_wpm"] == doc["items"][2]["wpm"]
    # Recorded in the history too, as screenings.
    store = Store.open(tmp_path / "history.db")
    assert store.query("SELECT kind, mode, status FROM attempts ORDER BY id") == [
        ("scenario", "screening", "finished"), ("scenario", "screening", "finished"), ("typing", "screening",
                                                                                        "finished")]


async def test_an_interrupted_screening_resumes_where_it_stopped(tmp_path, pack, key):
    run = ScreeningRun(pack, "cand-002", tmp_path / "out")
    run.open()
    app = app_for(run, key, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await reply(pilot, BILLING[0])
        await reply(pilot, BILLING[1])
        await next_part(pilot, 2)
        await reply(pilot, INSURANCE[0])  # one reply into the second scenario, then the app goes away
    # A new process: the saved progress and the history store bring it back.
    run = ScreeningRun(pack, "cand-002", tmp_path / "out")
    assert run.open() is True
    app = app_for(run, key, tmp_path, resuming=True)
    async with app.run_test(size=(100, 40)) as pilot:
        assert "Welcome back: 1 of 3 part(s) are done" in str(app.screen.query_one("#resuming").render())
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ScenarioScreen) and screen.scenario.id == "insurance-late-claim"
        assert [r.reply for r in screen.session.records] == [INSURANCE[0]]
        await reply(pilot, INSURANCE[1])
        await next_part(pilot, 3)
        await type_drill(pilot)
        assert isinstance(app.screen, DoneScreen)
    doc = load_result(run.result_path)
    assert [r["reply"] for r in doc["items"][1]["replies"]] == INSURANCE
    assert verify(doc, key) == INTACT
    (stop,) = doc["integrity"]["interruptions"]  # a thing to look at: the break came in the middle of part 2
    assert stop["part"] == 2 and doc["integrity"]["notes"][0].startswith("the screening was stopped during part 2")
    # Finished: the same candidate cannot take it again, and the result is never overwritten.
    with pytest.raises(ResultError, match="has already completed this screening"):
        ScreeningRun(pack, "cand-002", tmp_path / "out").open()


# --- verify and rescore --------------------------------------------------------------------------------
@pytest.fixture
def result_file(tmp_path, pack, key):
    """A complete result made through the real flow's run, without the UI: the sessions played directly."""
    from csrpractice.drills import make_drill
    from csrpractice.session import Session
    from scoring.typing import score_drill

    run = ScreeningRun(pack, "cand-003", tmp_path / "out")
    run.open()
    for scenario, replies in zip(pack.scenarios, [BILLING, INSURANCE]):
        session = Session(scenario, seed=pack.seed, mode="screening")
        run.scenario_started(None)
        for text in replies:
            if not session.finished:
                session.submit(text, 30.0)
        run.scenario_done(scenario, session.scorecard())
    drill = make_drill("words", count=10, seed=pack.seed)
    run.typing_done(drill, score_drill(drill.text, [(i * 0.2, c) for i, c in enumerate(drill.text)]), 0)
    return run.finish(key)


def test_verify_tells_intact_altered_and_other_key(tmp_path, result_file):
    keyfile = tmp_path / "screening.key"
    r = run_cli("verify", str(result_file), "--key", str(keyfile))
    assert r.returncode == 0 and r.stdout.decode() == f"{result_file}: intact\n"
    doc = json.loads(result_file.read_text())
    doc["summary"]["overall"] = 99.0
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(doc))
    new_key(tmp_path / "other.key")
    not_result = tmp_path / "notes.json"
    not_result.write_text("{}")
    r = run_cli("verify", str(result_file), str(altered), str(not_result), "--key", str(keyfile))
    assert r.returncode == 1
    assert r.stdout.decode().splitlines() == [
        f"{result_file}: intact", f"{altered}: altered",
        f"{not_result}: cannot be checked: {not_result} is not a screening result (no \"format\": "
        "\"csrpractice-screening-result\")"]
    r = run_cli("verify", str(result_file), "--key", str(tmp_path / "other.key"))
    assert r.returncode == 1 and r.stdout.decode() == f"{result_file}: signed with another key\n"


def test_rescore_gives_the_same_scores_and_refuses_another_pack_version(tmp_path, result_file):
    r = run_cli("--scenarios", str(SCENARIOS), "rescore", str(result_file), "--pack", str(PACK))
    assert r.returncode == 0 and r.stdout.decode() == f"{result_file}: identical\n", r.stdout + r.stderr
    changed = tmp_path / "pack-v2.yaml"
    changed.write_text(PACK.read_text().replace("version: 1", "version: 2").replace("scenario_minutes: 10",
                                                                                   "scenario_minutes: 5"))
    r = run_cli("--scenarios", str(SCENARIOS), "rescore", str(result_file), "--pack", str(changed))
    assert r.returncode == 1
    assert "was taken with version 1 of app-pack" in r.stdout.decode() and "this file is version 2" in \
        r.stdout.decode()


async def test_focus_lost_is_recorded(tmp_path, pack, key):
    from textual import events

    run = ScreeningRun(pack, "cand-004", tmp_path / "out")
    run.open()
    app = app_for(run, key, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        app.post_message(events.AppBlur())
        await pilot.pause(0.3)
        app.post_message(events.AppFocus())
        await pilot.pause()
    lost = run.state["integrity"]["focus_lost"]
    assert lost["times"] == 1 and lost["seconds"] >= 0.2


def test_report_through_the_real_command(tmp_path, result_file):
    html, csv = tmp_path / "report.html", tmp_path / "report.csv"
    r = run_cli("report", str(result_file), "--html", str(html), "--csv", str(csv), "--key",
                str(tmp_path / "screening.key"))
    assert r.returncode == 0, r.stderr
    assert "cand-003" in html.read_text(encoding="utf-8") and csv.read_text(encoding="utf-8").startswith("candidate,")
    r = run_cli("report", str(result_file), "--html", str(tmp_path / "missing" / "r.html"))
    assert r.returncode == 2 and b"Traceback" not in r.stderr


def test_rescore_catches_a_summary_edited_by_hand(tmp_path, result_file):
    doc = json.loads(result_file.read_text())
    doc["summary"]["overall"] = 99.0
    doc["items"][0]["replies"][0]["score"] = 12.0
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc))
    r = run_cli("--scenarios", str(SCENARIOS), "rescore", str(edited), "--pack", str(PACK))
    out = r.stdout.decode()
    assert r.returncode == 1 and out.startswith(f"{edited}: differs\n")
    assert "reply 1: score 100 now, 12.0 stored" in out and "summary overall:" in out and "99.0 stored" in out
