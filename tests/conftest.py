import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def run_cli(*args: str, input: bytes | None = None, env: dict | None = None, timeout: float = 60):
    """Run the real `csrpractice` command (as installed) in a subprocess."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "csrpractice", *args], input=input, capture_output=True,
                          env=full_env, timeout=timeout, cwd=ROOT)


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path_factory, monkeypatch):
    """Every test (and every command it runs) keeps its history in a folder of its own, never the user's."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("CSRPRACTICE_DATA_DIR", str(folder))
    monkeypatch.delenv("CSRPRACTICE_DB", raising=False)
    return folder


@pytest.fixture(scope="session")
def library():
    from scoring import default_library

    return default_library()


@pytest.fixture
def markers_of(library):
    def detect(text: str) -> set[str]:
        return {d.marker for d in library.detect(text)}

    return detect


async def wait_for_library(pilot) -> None:
    """Wait until the app's scenario library (loaded in a worker) is on screen."""
    for _ in range(500):
        if pilot.app.library_ready:
            break
        await pilot.pause(0.02)
    await pilot.pause()
    assert pilot.app.library_ready
