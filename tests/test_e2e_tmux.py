"""End to end: the real `csrpractice` command in a real terminal (tmux), typed into as a person would."""
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def wait_for(session: str, text: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared on screen:\n{screen}")


def test_type_a_reply_and_read_the_feedback():
    exe = Path(sys.executable).with_name("csrpractice")
    assert exe.exists(), "the csrpractice console script is not installed next to this Python"
    session = f"csr-{uuid.uuid4().hex[:8]}"
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", f"{exe}")
    try:
        wait_for(session, "Reply checker")
        tmux("send-keys", "-t", session, "-l", "I'm so sorry for the delay, I'll fix it today.")
        tmux("send-keys", "-t", session, "C-s")
        screen = wait_for(session, "apology")
        assert "ownership" in screen
        assert "Apologises for the problem" in screen
        tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the app did not quit on Ctrl+Q")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
