"""Run by tests/test_voice_app.py in a subprocess whose ALSA_CONFIG_PATH adds the test microphone and whose
settings file chooses it. Drives the real app with Pilot: opens the voice scenario, waits for the speech
model, presses F4 to speak, waits until the speech has been captured, presses F4 again to send, and prints
what happened as one JSON object. The audio the recording received is taken from the real recording on its
way to the screen (a spy that passes it on unchanged).

The test microphone delivers its file far faster than real time, then repeats stale audio, so no key press
could land at the end of the speech: the first reply is cut by the app's speaking limit, set to the file's
length; the second is released with F4 straight away: the recording must end (bounded by what the device
had already delivered) and the screen must be ready for the next reply.
Usage: python app_push_to_talk.py MODEL SOURCE.raw SPEECH_FRAMES DB SCENARIOS_FOLDER"""
import asyncio
import json
import sys
import time
from pathlib import Path

from csrpractice.app import CSRPracticeApp
from csrpractice.app.screens.scenario import ScenarioScreen
from csrpractice.app.widgets.voice_panel import VoicePanel

model, source, speech_frames, db, scenarios = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4], \
    sys.argv[5]
out: dict = {}
spoken = ScenarioScreen._spoken


def spy(self, recorder, recording):
    whole = source.read_bytes()
    out.setdefault("recordings", []).append({
        "bytes": len(recording.audio), "is_the_source": recording.audio[:len(whole)] == whole[:len(recording.audio)],
        "rate": recording.rate})
    return spoken(self, recorder, recording)


ScenarioScreen._spoken = spy
shown_while_recording: list[str] = []
recording_line = VoicePanel.recording


def watch(self, seconds, level, heard):
    recording_line(self, seconds, level, heard)
    shown_while_recording.append(str(self.render()))


VoicePanel.recording = watch


async def until(pilot, condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await pilot.pause(0.01)
    return False


async def main() -> None:
    app = CSRPracticeApp(scenario_paths=[Path(scenarios)], db=Path(db), model=model)
    app.max_speaking_seconds = source.stat().st_size / 2 / 16000
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: app.library_ready)
        await pilot.press("down", "enter")  # the second scenario: the phone call
        screen = app.screen
        out["channel"] = screen.scenario.channel
        out["loading_on_open"] = app.speech.status in ("loading", "ready")
        panel = screen.query_one(VoicePanel)
        out["model_ready"] = await until(pilot, lambda: app.speech.status == "ready")
        await pilot.pause()
        out["ready_shown"] = str(panel.render())
        partials = []
        heard = screen._heard_so_far
        screen._heard_so_far = lambda text: (partials.append(text), heard(text))
        await pilot.press("f4")
        out["sent"] = await until(pilot, lambda: len(screen.session.records) == 1, 60)
        out["partials"] = partials
        out["recording_shown"] = shown_while_recording[-1] if shown_while_recording else ""
        await pilot.pause()
        record = screen.session.records[0] if screen.session.records else None
        out["reply"] = record.reply if record else None
        out["voice"] = record.voice if record else None
        out["finished"] = screen.session.finished
        # The feedback under the reply, or on the scorecard if that reply ended the call.
        out["feedback"] = " ".join(str(w.render()) for w in app.screen.query("TurnFeedbackView"))
        out["after_shown"] = str(panel.render())
        # Push-to-talk released at once: the recording ends now, with what little was captured.
        if screen.session.finished:
            await pilot.press("r")  # the scorecard's retry: the same call again, the model still loaded
            await pilot.pause()
            screen = app.screen
            panel = screen.query_one(VoicePanel)
        app.max_speaking_seconds = 60.0
        await pilot.press("f4", "f4")
        out["released"] = await until(pilot, lambda: screen.recorder is None, 10)
        await pilot.pause(0.2)
        out["released_shown"] = str(panel.render())
    print(json.dumps(out, ensure_ascii=False))


asyncio.run(main())
