"""Plays a scenario blind, for writing evaluation playthroughs: it shows only what a candidate sees.

The brief, the customer's lines and the ending's last line; never a score, hint, model answer or rubric.
Each playthrough is a JSON file holding the exchanges as played, so a reviewer can score it and a
benchmark can re-judge every reply against the turn it answered.

    python scripts/blind_play.py list
    python scripts/blind_play.py start SCENARIO_ID OUT.json --candidate TYPE --writer NAME
    python scripts/blind_play.py reply OUT.json "the agent's reply"
    python scripts/blind_play.py show OUT.json
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from csrpractice.scenario.library import load_library  # noqa: E402
from csrpractice.session import Session  # noqa: E402

CANDIDATES = ("excellent", "plain", "nonnative", "vague", "curt", "harmful")


def _scenario(sid: str):
    lib = load_library()
    s = lib.get(sid)
    if s is None:
        sys.exit(f"no scenario {sid!r}; `list` shows them")
    return s


def _session(play: dict) -> Session:
    """The session as played so far. Replies are replayed in order; the recorded turns must agree."""
    session = Session(_scenario(play["scenario"]), seed=play.get("seed", 0))
    for ex in play["exchanges"]:
        if session.finished or session.turn.id != ex["turn"]:
            sys.exit("this playthrough no longer replays the same way; start it again")
        session.submit(ex["reply"])
    return session


SPEAKER = {"customer": "CUSTOMER", "interview": "INTERVIEWER", "knowledge_check": "EXAMINER"}


def _say(session: Session) -> str:
    who = SPEAKER.get(session.scenario.kind, "CUSTOMER")
    if session.finished:
        return f"{who}: {session.customer_line}\n[the conversation has ended]"
    return f"{who}: {session.customer_line}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list")
    st = sub.add_parser("start")
    st.add_argument("scenario")
    st.add_argument("out", type=Path)
    st.add_argument("--candidate", choices=CANDIDATES, required=True)
    st.add_argument("--writer", required=True)
    rp = sub.add_parser("reply")
    rp.add_argument("file", type=Path)
    rp.add_argument("text")
    sh = sub.add_parser("show")
    sh.add_argument("file", type=Path)
    args = ap.parse_args(argv)

    if args.cmd == "list":
        for s in sorted(load_library().scenarios, key=lambda s: s.id):
            print(f"{s.id}\t{s.kind}\t{s.channel}\t{s.title}")
        return
    if args.cmd == "start":
        if args.out.exists():
            sys.exit(f"{args.out} exists; pick another name")
        s = _scenario(args.scenario)
        play = {"scenario": s.id, "version": s.version, "content_hash": s.content_hash, "seed": 0,
                "candidate": args.candidate, "writer": args.writer, "exchanges": [], "ended": False}
        session = Session(s, seed=0)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(play, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"SCENARIO: {s.title} ({s.channel})\nBRIEF: {s.brief.strip()}\n"
              f"{SPEAKER.get(s.kind, 'CUSTOMER')}: {s.persona.name}, {s.persona.role}. {s.persona.situation}")
        print(_say(session))
        return
    play = json.loads(args.file.read_text(encoding="utf-8"))
    if args.cmd == "show":
        s = _scenario(play["scenario"])
        print(f"SCENARIO: {s.title} ({s.channel})\nBRIEF: {s.brief.strip()}")
        for ex in play["exchanges"]:
            print(f"{SPEAKER.get(s.kind, 'CUSTOMER')}: {ex['customer']}\nAGENT: {ex['reply']}")
        if play["ended"]:
            print(f"{SPEAKER.get(s.kind, 'CUSTOMER')}: {play['ending_line']}\n[the conversation has ended]")
        return
    if play["ended"]:
        sys.exit("this conversation has ended")
    if not args.text.strip():
        sys.exit("the reply is empty")
    session = _session(play)
    turn, line = session.turn.id, session.customer_line
    session.submit(args.text)
    play["exchanges"].append({"turn": turn, "customer": line, "reply": args.text})
    if session.finished:
        play["ended"] = True
        play["ending_line"] = session.customer_line
    args.file.write_text(json.dumps(play, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(_say(session))


if __name__ == "__main__":
    main()
