"""The wheel carries the data the app loads at run time (the marker library, the styles)."""
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
    assert any(n.endswith("entry_points.txt") for n in names)
