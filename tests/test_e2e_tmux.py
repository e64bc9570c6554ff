"""End to end: the real `csrpractice` command in a real terminal (tmux), typed into as a person would."""
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import DATA

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def start(session: str, command: str, width: int = 100, height: int = 30) -> None:
    """A detached tmux session of a fixed size running `command` (the size set twice: some tmux
    versions take the first client's size for a new server's first window)."""
    # COLUMNS/LINES, when the test environment has them, would pin the app to their size. The tmux server
    # may be older than this test, with another environment: the test's data folder is passed explicitly.
    data = os.environ.get("CSRPRACTICE_DATA_DIR", "")
    tmux("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
         f"env -u COLUMNS -u LINES -u CSRPRACTICE_DB CSRPRACTICE_DATA_DIR={shlex.quote(data)} {command}")
    subprocess.run(["tmux", "resize-window", "-t", session, "-x", str(width), "-y", str(height)],
                   capture_output=True)


def wait_for(session: str, text: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared on screen:\n{screen}")


def test_practise_a_scenario_in_a_real_terminal():
    exe = Path(sys.executable).with_name("csrpractice")
    assert exe.exists(), "the csrpractice console script is not installed next to this Python"
    session = f"csr-{uuid.uuid4().hex[:8]}"
    start(session, f"{exe} --scenarios {DATA / 'app_scenarios'}")
    try:
        wait_for(session, "2 of 2 scenarios")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "Dana Whitfield: ")
        tmux("send-keys", "-t", session, "-l",
             "I'm so sorry about the double charge. Can you confirm the email on the account?")
        tmux("send-keys", "-t", session, "C-s")
        wait_for(session, "So when do I get my money back?")
        tmux("send-keys", "-t", session, "PPage")  # the feedback above, scrolled back with the keyboard
        wait_for(session, "Score 75")
        time.sleep(0.3)
        screen = tmux("capture-pane", "-p", "-t", session)
        assert "+ apology" in screen and "+ verification" in screen and "Score 75" in screen, screen
        # Sent right after the typing: every character made it into the reply.
        assert "email on the account?" in screen or "account?" in screen.replace("│", "")
        tmux("send-keys", "-t", session, "C-q")
        wait_for(session, "Quit in the middle of a scenario?")
        tmux("send-keys", "-t", session, "y")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the app did not quit after confirming")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_typing_drill_from_the_command_line(tmp_path):
    exe = Path(sys.executable).with_name("csrpractice")
    session = f"csr-{uuid.uuid4().hex[:8]}"
    start(session, f"env CSRPRACTICE_DATA_DIR={tmp_path} {exe} type --mode words --words 10 --seed 3")
    try:
        screen = wait_for(session, "10 words")
        from csrpractice.drills import make_drill

        text = make_drill("words", count=10, seed=3).text
        assert text.split()[0] in screen
        for ch in text:  # one key at a time, at a human pace (instant input would read as auto-repeat)
            tmux("send-keys", "-t", session, "-l", ch)
            time.sleep(0.06)
        wait_for(session, "WPM chat-role bar")
        screen = " ".join(wait_for(session, "backspaces").split())
        assert "accuracy 100.0%" in screen and "uncorrected errors 0" in screen, screen
        from conftest import run_cli

        rows = json.loads(run_cli("history", "--json", env={"CSRPRACTICE_DATA_DIR": str(tmp_path)}).stdout)
        assert [(r["kind"], r["item_id"], r["accuracy"]) for r in rows] == [("typing", "words-10", 100.0)]
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_type_command_rejects_bad_choices():
    from conftest import run_cli

    r = run_cli("type", "--mode", "time", "--seconds", "45")
    assert r.returncode == 2 and b"a timed drill lasts 15, 30, 60, 120 seconds, not 45" in r.stderr
    r = run_cli("type", "--mode", "custom", "--file", "/nonexistent/file.txt")
    assert r.returncode == 2 and b"cannot read /nonexistent/file.txt" in r.stderr
    r = run_cli("type", "--mode", "passage", "--passage", "chat-refund-confirn")
    assert r.returncode == 2 and b'did you mean "chat-refund-confirm"' in r.stderr


def test_type_options_must_fit_the_mode():
    from conftest import run_cli

    r = run_cli("type", "--words", "10")
    assert r.returncode == 2 and b"--words goes with --mode words" in r.stderr
    r = run_cli("type", "--mode", "words", "--words", "0")
    assert r.returncode == 2 and b"not 0" in r.stderr


def _gone(session: str, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode:
            return True
        time.sleep(0.2)
    return False


def test_killed_mid_scenario_loses_nothing_and_resumes(tmp_path):
    """SIGKILL after one reply and while a draft is in the box; the next start offers to resume, and the
    resumed scenario has the sent reply, its feedback, and the draft."""
    from conftest import run_cli

    exe = Path(sys.executable).with_name("csrpractice")
    db = tmp_path / "history.db"
    app = f"{exe} --scenarios {DATA / 'app_scenarios'} --db {db}"
    session = f"csr-{uuid.uuid4().hex[:8]}"
    start(session, app)
    try:
        wait_for(session, "2 of 2 scenarios")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "Dana Whitfield: ")
        tmux("send-keys", "-t", session, "-l",
             "I'm so sorry about the double charge. Can you confirm the email on the account?")
        tmux("send-keys", "-t", session, "C-s")
        wait_for(session, "So when do I get my money back?")
        tmux("send-keys", "-t", session, "-l", "I have refunded the duplicate charge and")
        wait_for(session, "duplicate charge and")
        time.sleep(1.5)  # the draft is saved 0.4 s after the last key
        pid = int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
        os.kill(pid, signal.SIGKILL)
        assert _gone(session), "the app survived SIGKILL"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)

    # Nothing sent was lost: the reply is in the history, the attempt unfinished.
    rows = json.loads(run_cli("--db", str(db), "history", "--json").stdout)
    assert [(r["item_id"], r["status"], r["replies"]) for r in rows] == [("billing-double-charge", "in_progress", 1)]

    session = f"csr-{uuid.uuid4().hex[:8]}"
    start(session, app)
    try:
        screen = wait_for(session, "You did not finish")
        assert "1 reply sent and a draft" in " ".join(screen.split()), screen
        tmux("send-keys", "-t", session, "r")
        screen = wait_for(session, "Resumed: 1 reply restored, and your draft")
        flat = " ".join(screen.replace("│", " ").split())
        assert "So when do I get my money back?" in flat and "I have refunded the duplicate charge and" in flat
        tmux("send-keys", "-t", session, "-l", " you'll see it within 3-5 business days. Anything else?")
        tmux("send-keys", "-t", session, "C-s")
        wait_for(session, "Resolved")  # the scorecard
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    rows = json.loads(run_cli("--db", str(db), "history", "--json").stdout)
    assert [(r["status"], r["outcome"], r["replies"]) for r in rows] == [("finished", "resolved", 2)]


def test_a_screening_killed_mid_way_resumes_and_ends_signed(tmp_path):
    """The real `csrpractice screen` in a terminal: SIGKILL during the second scenario, then the same command
    resumes there; at the end the candidate sees no score and `verify` finds the result intact."""
    from conftest import run_cli

    exe = Path(sys.executable).with_name("csrpractice")
    key = tmp_path / "screening.key"
    assert run_cli("keygen", "--out", str(key)).returncode == 0
    out = tmp_path / "results"
    command = (f"{exe} --scenarios {DATA / 'app_scenarios'} --db {tmp_path / 'history.db'} screen "
               f"{DATA / 'packs' / 'app-pack.yaml'} --candidate cand-007 --key {key} --out {out}")

    def say(session: str, text: str) -> None:
        tmux("send-keys", "-t", session, "-l", text)
        tmux("send-keys", "-t", session, "C-s")

    session = f"csr-{uuid.uuid4().hex[:8]}"
    start(session, command)
    try:
        wait_for(session, "Press Enter to begin")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "Dana Whitfield: ")
        say(session, "I'm so sorry about the double charge. Can you confirm the email on the account?")
        wait_for(session, "So when do I get my money back?")
        screen = wait_for(session, "Your reply")
        assert "Feedback" not in screen and "Score" not in screen  # no per-turn feedback in a screening
        say(session, "I've refunded the duplicate charge; you'll see it within 3-5 business days.")
        wait_for(session, "Part 2 of 3")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "Pat Okafor: ")
        say(session, "I'm sorry your claim check is late, Pat. Let me look into it right away.")
        wait_for(session, "when will I actually get it?")
        time.sleep(0.5)
        os.kill(int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip()), signal.SIGKILL)
        assert _gone(session)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)

    session = f"csr-{uuid.uuid4().hex[:8]}"
    start(session, command)
    try:
        wait_for(session, "Welcome back: 1 of 3 part(s) are done")
        tmux("send-keys", "-t", session, "Enter")
        screen = wait_for(session, "when will I actually get it?")
        assert "right away." in screen, screen  # the reply sent before the kill
        say(session, "The check was mailed yesterday; you'll have it by Friday.")
        wait_for(session, "Part 3 of 3")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "type the text")
        from csrpractice.drills import make_drill

        for ch in make_drill("words", count=10, seed=0).text:
            tmux("send-keys", "-t", session, "-l", ch)
            time.sleep(0.06)
        screen = wait_for(session, "Your screening is complete")
        assert "WPM" not in screen and "/100" not in screen
        tmux("send-keys", "-t", session, "Enter")
        assert _gone(session)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    (result,) = out.glob("*.json")
    assert result.name == "app-pack-v1-cand-007.json"
    r = run_cli("verify", str(result), "--key", str(key))
    assert r.returncode == 0 and r.stdout.decode() == f"{result}: intact\n"
    doc = json.loads(result.read_text())
    assert [r["reply"] for r in doc["items"][1]["replies"]][0] == \
        "I'm sorry your claim check is late, Pat. Let me look into it right away."
