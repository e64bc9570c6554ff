"""The `csrpractice` command. Sub-commands import only what they need; the TUI loads only when launched."""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import BinaryIO, TextIO

from csrpractice import __version__

MAX_REPLY_CHARS = 1_000_000


class UserError(Exception):
    """A problem the user can fix; printed as one clear line, never as a traceback."""


def _clean(text: str) -> str:
    # Command-line bytes that were not UTF-8 arrive as lone surrogates; make them printable.
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _highlight(text: str, spans: list[list[int]], color: bool) -> str:
    out, pos = [], 0
    on, off = ("\x1b[1;7m", "\x1b[0m") if color else ("[", "]")
    for start, end in spans:
        out += [text[pos:start], on, text[start:end], off]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _printable(text: str) -> str:
    """Control characters shown as visible symbols, so a reply cannot move the cursor or clear the screen."""
    return "".join(ch if ch.isprintable() or ch in "\t" else "\ufffd" if ch != "\n" else " " for ch in text)


def cmd_score(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    if args.jsonl:
        if args.text:
            raise UserError("give either TEXT or --jsonl (which reads standard input), not both")
        return score_jsonl(stdin, stdout)
    if args.text is None:
        raise UserError('nothing to score: give the reply as TEXT (csrpractice score "Hi, how can I help?") '
                        "or use --jsonl to read JSON Lines from standard input")
    from scoring import detect_markers, redact

    text = _clean(args.text)
    if len(text) > MAX_REPLY_CHARS:
        raise UserError(f"the reply is {len(text):,} characters; the limit is {MAX_REPLY_CHARS:,}")
    detections = detect_markers(text)
    shown = _printable(redact(text))  # same length as text, so the spans still line up
    if args.json:
        json.dump({"markers": [d.marker for d in detections],
                   "spans": {d.marker: d.spans for d in detections},
                   "evidence": {d.marker: [{"start": e.start, "end": e.end, "text": shown[e.start:e.end],
                                            "pattern": e.pattern} for e in d.evidence] for d in detections}},
                  stdout, ensure_ascii=False)
        stdout.write("\n")
        return 0
    if not text.strip():
        stdout.write("The reply is empty: no markers to detect.\n")
        return 0
    if not detections:
        stdout.write("No markers detected in this reply.\n")
        return 0
    color = stdout.isatty() and "NO_COLOR" not in os.environ
    width = max(len(d.marker) for d in detections)
    for d in detections:
        stdout.write(f"{d.marker:<{width}}  {d.description}\n")
        stdout.write(f"{'':<{width}}  {_highlight(shown, d.spans, color)}\n")
        for e in d.evidence:
            pattern = e.pattern if len(e.pattern) <= 90 else e.pattern[:89] + "…"
            stdout.write(f"{'':<{width}}    \"{shown[e.start:e.end]}\" matched {pattern}\n")
    return 0


def score_jsonl(stdin: BinaryIO, stdout: TextIO) -> int:
    """One output line per input line, in order; a bad line gets an error object and the run goes on."""
    from scoring import detect_markers

    bad = False
    for number, raw in enumerate(stdin, start=1):
        raw = raw.rstrip(b"\r\n")
        if not raw.strip():
            continue
        result = _score_line(raw, number, detect_markers)
        bad = bad or "error" in result
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        stdout.flush()
    return 1 if bad else 0


def _score_line(raw: bytes, number: int, detect) -> dict:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {"line": number, "error": f"not valid UTF-8 (byte {exc.start + 1} of the line)"}
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"line": number, "error": f"not valid JSON: {exc.msg} at column {exc.colno}"}
    if not isinstance(obj, dict):
        return {"line": number, "error": 'expected a JSON object like {"id": 1, "text": "..."}'}
    text = obj.get("text")
    if not isinstance(text, str):
        what = "missing" if "text" not in obj else f"a {type(text).__name__}, not a string"
        return {"line": number, "error": f'"text" is {what}'}
    if len(text) > MAX_REPLY_CHARS:
        return {"line": number, "error": f'"text" is {len(text):,} characters; the limit is {MAX_REPLY_CHARS:,}'}
    text = _clean(text)
    detections = detect(text)
    return {"id": obj.get("id"), "markers": [d.marker for d in detections],
            "spans": {d.marker: d.spans for d in detections}}


def cmd_markers(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from scoring import default_library

    lib = default_library()
    if args.json:
        json.dump([{"id": m.id, "description": m.description} for m in lib.markers.values()], stdout)
        stdout.write("\n")
        return 0
    width = max(len(mid) for mid in lib.markers)
    for m in lib.markers.values():
        stdout.write(f"{m.id:<{width}}  {m.description}\n")
    return 0


def cmd_app(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError("the app needs a terminal; run csrpractice in one, or use a sub-command (csrpractice --help)")
    from csrpractice.app import CSRPracticeApp

    CSRPracticeApp().run()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csrpractice",
        description="Rehearse difficult customer-service conversations, offline. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"csrpractice {__version__}")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks for errors")
    parser.set_defaults(func=cmd_app)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("score", help="detect conduct markers in a reply and show the words that matched",
                       description="Detect conduct markers in a reply and show the words that matched.")
    p.add_argument("text", nargs="?", metavar="TEXT", help="the reply to score")
    p.add_argument("--jsonl", action="store_true",
                   help='read JSON Lines {"id": ..., "text": ...} from standard input, write one result per line')
    p.add_argument("--json", action="store_true", help="print the result for TEXT as JSON")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("markers", help="list the built-in conduct markers")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=cmd_markers)
    return parser


def main(argv: list[str] | None = None, stdin: BinaryIO | None = None, stdout: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    if hasattr(stdout, "reconfigure"):
        stdout.reconfigure(errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args, stdin or sys.stdin.buffer, stdout)
    except UserError as exc:
        sys.stderr.write(f"csrpractice: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        sys.stderr.close()
        return 0
    except Exception as exc:  # the edge: anything unexpected becomes one readable line
        if args.debug:
            raise
        sys.stderr.write(f"csrpractice: unexpected error: {exc.__class__.__name__}: {exc} "
                         "(run with --debug for details)\n")
        return 1
