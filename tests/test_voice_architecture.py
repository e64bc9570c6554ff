"""The voice core never loads the UI, and costs nothing until voice is used: sounddevice, vosk and numpy are
imported on first use, so the CLI and the app start as fast without the voice extra as with it."""
import pkgutil
import subprocess
import sys

from conftest import ROOT

MODULES = sorted(m.name for m in pkgutil.iter_modules([str(ROOT / "csrpractice" / "audio")]))  # every one of them


def modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return {m.split(".")[0] for m in out.stdout.split()} | set(out.stdout.split())


def test_the_voice_core_imports_no_ui():
    mods = modules_after("\n".join(f"import csrpractice.audio.{m}" for m in MODULES))
    assert not mods & {"textual", "rich", "csrpractice.app"}


def test_adding_the_voice_commands_loads_no_audio_library():
    code = ("import argparse\nfrom csrpractice.audio.commands import register\n"
            "register(argparse.ArgumentParser().add_subparsers(), ValueError)\n"
            "import csrpractice.audio.capture, csrpractice.audio.models, csrpractice.audio.transcribe")
    assert not modules_after(code) & {"vosk", "sounddevice", "numpy", "textual"}
