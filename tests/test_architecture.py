"""Layering: the scoring engine and the CLI's sub-commands never load the UI."""
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return set(out.stdout.split())


def test_scoring_imports_no_ui_and_no_app():
    mods = modules_after("import scoring; scoring.detect_markers('I am sorry')")
    assert not {m for m in mods if m.split(".")[0] in {"textual", "rich", "csrpractice", "sounddevice", "vosk"}}


def test_score_command_does_not_pay_for_the_tui():
    code = ("import io, sys; from csrpractice.cli import main; "
            "main(['score', 'hello there'], stdout=io.StringIO())")
    mods = modules_after(code)
    assert "textual" not in mods and "csrpractice.app" not in mods


def test_history_commands_do_not_pay_for_the_tui(tmp_path):
    code = ("import io, sys; from csrpractice.cli import main; "
            f"main(['--db', {str(tmp_path / 'h.db')!r}, 'stats', '--json'], stdout=io.StringIO()); "
            f"main(['--db', {str(tmp_path / 'h.db')!r}, 'history'], stdout=io.StringIO())")
    mods = modules_after(code)
    assert "textual" not in mods and "csrpractice.app" not in mods


def test_import_contracts():
    exe = Path(sys.executable).with_name("lint-imports")
    exe = str(exe) if exe.exists() else shutil.which("lint-imports")
    r = subprocess.run([exe], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
