"""Run by tests/test_voice_capture.py in a subprocess whose ALSA_CONFIG_PATH adds the test microphone
(PortAudio reads the ALSA configuration once, when sounddevice is imported). Records from it through the real
sounddevice and PortAudio with the real model, and prints what happened as one JSON object.
Usage: python record_from_test_mic.py MODEL_FOLDER SOURCE.raw"""
import json
import sys

import numpy as np

from csrpractice.audio import DeviceError
from csrpractice.audio.capture import Recorder, list_input_devices
from csrpractice.audio.models import load_model
from csrpractice.audio.transcribe import transcribe

MIC = "csrtest_mic"
model = load_model(sys.argv[1])
source = open(sys.argv[2], "rb").read()
seconds = len(source) / 2 / 16000
out = {"devices": [d.to_dict() for d in list_input_devices()]}

# The whole source, at the model's rate (which the device takes), as the app records a reply.
partials, levels = [], []
rec = Recorder(model, MIC, max_seconds=seconds, on_partial=partials.append, on_level=levels.append).run()
out["recorded"] = {"rate": rec.rate, "same_bytes": rec.audio == source, "bytes": len(rec.audio),
                   "overflows": rec.overflows, "transcript": rec.transcript.to_dict(), "partials": partials,
                   "levels": levels}
out["file"] = transcribe(model, np.frombuffer(source, dtype="<i2"), 16000).to_dict()

# At 44.1 kHz: ALSA's plug converts up, the recorder resamples back down to the model's rate.
rec = Recorder(model, MIC, rate=44100, max_seconds=seconds).run()
out["at_44k"] = {"rate": rec.rate, "bytes": len(rec.audio), "transcript": rec.transcript.to_dict()}

# Push-to-talk released before recording began: an empty recording, at once.
early = Recorder(model, MIC, max_seconds=seconds)
early.stop()
rec = early.run()
out["released_at_once"] = {"bytes": len(rec.audio), "text": rec.transcript.text}

# Cancelled (the app's worker cancelled) after the first block.
blocks = []
rec = Recorder(model, MIC, max_seconds=seconds, on_level=blocks.append).run(cancelled=lambda: bool(blocks))
out["cancelled"] = {"result": rec, "blocks": len(blocks)}

# A rate the device cannot be opened at.
try:
    Recorder(model, MIC, rate=1).run()
except DeviceError as exc:
    out["bad_rate"] = str(exc)
json.dump(out, sys.stdout, ensure_ascii=False)
