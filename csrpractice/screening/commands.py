"""The screening commands: `keygen`, `screen`, `verify` and `rescore` (and `report`, from report.py).
register(sub, UserError) adds them to the CLI; their errors become the CLI's UserError (one line, exit 2)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

from csrpractice.commandkit import for_people
from csrpractice.screening.results import ResultError


def _key_path(args) -> Path:
    from csrpractice.locations import screening_key_file

    return Path(args.key).expanduser() if getattr(args, "key", None) else screening_key_file()


def _library(args) -> dict:
    from csrpractice.scenario.library import load_library

    paths = [Path(p) for p in args.scenarios] if getattr(args, "scenarios", None) else None
    return {s.id: s for s in load_library(paths).scenarios}


def load_pack_or_fail(path: str, library: dict):
    from csrpractice.screening.pack import load_pack

    if not Path(path).is_file():
        raise ResultError(f"{path}: no such pack file")
    pack, diags = load_pack(Path(path), library)
    if pack is None:
        raise ResultError("the pack has errors:\n" + "\n".join(d.format() for d in diags))
    return pack


def cmd_keygen(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.screening.results import new_key

    path = Path(args.out).expanduser() if args.out else _key_path(args)
    if not args.out:
        path.parent.mkdir(parents=True, exist_ok=True)
    kid = new_key(path)
    stdout.write(f"wrote a new screening key to {path} (key id {kid}). Keep it on the screening computer and "
                 "away from candidates: whoever holds it can sign results.\n")
    return 0


def cmd_screen(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.screening.results import read_key
    from csrpractice.screening.run import ScreeningRun, check_candidate

    check_candidate(args.candidate)  # before anything is loaded or created
    key = read_key(_key_path(args))
    pack = load_pack_or_fail(args.pack, _library(args))
    run = ScreeningRun(pack, args.candidate, Path(args.out))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise ResultError("a screening needs a terminal: run csrpractice screen in one")
    resuming = run.open()
    from csrpractice.app.screening_app import ScreeningApp

    app = ScreeningApp(run, key, resuming, db=getattr(args, "db", None), model=getattr(args, "model", None))
    app.run()
    if app.result_path:
        stdout.write(f"The screening is complete; the result is in {app.result_path}\n")
    else:
        stdout.write(f"The screening stopped before the end; run the same command to resume it "
                     f"({len(run.state['items'])} of {run.total} part(s) done).\n")
    return 0


def cmd_verify(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.screening.results import INTACT, load_result, read_key, verify

    key = read_key(_key_path(args))
    bad = 0
    for file in args.results:
        try:
            status = verify(load_result(Path(file)), key)
        except ResultError as exc:
            status = f"cannot be checked: {exc}"
        bad += status != INTACT
        stdout.write(f"{file}: {status}\n")
    return 1 if bad else 0


def cmd_rescore(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.screening.rescore import rescore
    from csrpractice.screening.results import load_result

    pack = load_pack_or_fail(args.pack, _library(args))
    bad = 0
    for file in args.results:
        try:
            verdict, details = rescore(load_result(Path(file)), pack)
        except ResultError as exc:
            verdict, details = f"cannot be re-scored: {exc}", []
        bad += verdict != "identical"
        stdout.write(f"{file}: {verdict}\n" + "".join(f"  {d}\n" for d in details))
    return 1 if bad else 0


def _for_people(command, user_error: type[Exception]):
    return for_people(command, (ResultError,), user_error)


def register(sub, user_error: type[Exception]) -> None:
    key_help = "the screening key (default: screening.key in the config folder; see csrpractice keygen)"

    p = sub.add_parser("keygen", help="make the key that signs screening results (for the hiring manager)",
                       description="Write a new random key that signs screening results. Keep it on the "
                                   "screening computer; verify and report use it to tell intact results from "
                                   "altered ones. An existing key file is never overwritten.")
    p.add_argument("--out", metavar="PATH", help="where to write it (default: screening.key in the config folder)")
    p.set_defaults(func=_for_people(cmd_keygen, user_error))

    p = sub.add_parser("screen", help="run a screening pack for one candidate (a locked flow)",
                       description="Run a screening for one candidate: instructions, then each scenario and the "
                                   "typing test in turn, with no hints, feedback, retries or pasting, and the "
                                   "pack's time limits. The signed result goes to --out. Interrupted, the same "
                                   "command resumes where it stopped.")
    p.add_argument("pack", metavar="PACK.yaml")
    p.add_argument("--candidate", required=True, metavar="ID", help="the candidate's id, e.g. cand-042")
    p.add_argument("--out", default="screening-results", metavar="DIR",
                   help="the folder for results (default: ./screening-results)")
    p.add_argument("--key", metavar="PATH", help=key_help)
    p.set_defaults(func=_for_people(cmd_screen, user_error))

    p = sub.add_parser("verify", help="check that screening results are intact (signed with your key)",
                       description="Report each result file as intact, altered, signed with another key, or not "
                                   "signed. Exit 0 when all are intact, 1 otherwise.")
    p.add_argument("results", nargs="+", metavar="RESULT.json")
    p.add_argument("--key", metavar="PATH", help=key_help)
    p.set_defaults(func=_for_people(cmd_verify, user_error))

    p = sub.add_parser("rescore", help="score stored screening results again with the pack, and compare",
                       description="Replay each result's stored replies through the pack's scenarios and compare "
                                   "the scores with the stored ones. A result taken with another version of the "
                                   "pack is refused. Exit 0 when every result re-scores identically.")
    p.add_argument("results", nargs="+", metavar="RESULT.json")
    p.add_argument("--pack", required=True, metavar="PACK.yaml")
    p.set_defaults(func=_for_people(cmd_rescore, user_error))

    from csrpractice.screening.report import register as report_command

    report_command(sub, user_error)
