"""The wheel carries the data the app loads at run time (the marker library, the styles)."""
import os
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_contains_the_data(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                        "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    (wheel,) = tmp_path.glob("csrpractice-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "scoring/markers.yaml" in names
    assert "csrpractice/app/screens/home.tcss" in names
    assert "csrpractice/scenario/template.yaml" in names
    assert {"csrpractice/drills/passages.yaml", "csrpractice/drills/words.txt", "csrpractice/drills/chats.yaml"} <= names
    assert "csrpractice/library/billing-double-charge.yaml" in names
    assert "csrpractice/library/banks/common.yaml" in names
    assert len([n for n in names if n.startswith("csrpractice/library/") and n.endswith(".yaml")]) >= 25
    assert any(n.endswith("entry_points.txt") for n in names)

    # Installed from the wheel, away from the checkout, the app finds its library and drill content.
    target = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                        str(wheel)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    code = ("from csrpractice.scenario.library import load_library; from csrpractice.drills import passages; "
            "lib = load_library(calibrate=True); print(len(lib.scenarios), len(lib.errors), len(passages()))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                       env={**os.environ, "PYTHONPATH": str(target)})
    assert r.returncode == 0, r.stderr
    scenarios, errors, passage_count = map(int, r.stdout.split())
    assert scenarios >= 23 and errors == 0 and passage_count >= 50
