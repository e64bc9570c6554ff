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


from csrpractice.files import printable as _printable  # noqa: E402  (same length as the text: spans line up)


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


def _item_json(item, reply: str) -> dict:
    """One rubric item's result for --json: what it was, whether it counted, and the words (from the
    redacted reply) that decided it."""
    met = {"required": "matched", "bonus": "bonus", "forbidden": "penalty", "auto_fail": "critical"}[item.role]
    unmet = {"required": "partly" if item.points else "missed", "bonus": "no_bonus"}.get(item.role, "clear")
    return {"item": item.name, "role": item.role, "result": met if item.matched else unmet,
            "matched": item.matched, "points": item.points, "possible": item.possible,
            "competency": item.competency, "layer": item.layer or "rubric", "note": item.note,
            "spans": [{"start": s, "end": e, "text": reply[s:e]} for s, e in item.spans], "evidence": item.evidence}


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
        kinds = {int: "a number", float: "a number", bool: "true/false", list: "a list", dict: "an object",
                 type(None): "null"}
        what = "missing" if "text" not in obj else f"{kinds.get(type(text), type(text).__name__)}, not a string"
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


def cmd_validate(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from pathlib import Path

    from csrpractice.scenario.library import validate_paths

    paths = [Path(p) for p in args.paths] or None
    packs = [p for p in paths or [] if _is_pack_file(p)]
    if packs:
        return _validate_packs(args, packs, [p for p in paths if p not in packs], stdout)
    lib = validate_paths(paths, do_walk=args.walk)
    coverage = lib.coverage
    errors = len(lib.errors)
    warnings = len(lib.diagnostics) - errors
    if args.json:
        json.dump({"ok": errors == 0, "files": lib.files, "scenarios": lib.scenarios,
                   "calibration_examples": lib.calibration_examples, "errors": errors, "warnings": warnings,
                   "diagnostics": [d.as_dict() for d in lib.diagnostics],
                   "coverage": [{"scenario": c.scenario, "unreached": c.unreached,
                                 "reached": len(c.reached), "walks": c.walks} for c in coverage]},
                  stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
        return 0 if errors == 0 else 1
    for d in lib.diagnostics:
        stdout.write(d.format() + "\n")
    for c in coverage:
        total = len(c.reached) + len(c.unreached)
        line = f"coverage: {c.scenario}: {len(c.reached)}/{total} turns and endings reached"
        stdout.write(line + (f"; not reached: {', '.join(c.unreached)}\n" if c.unreached else "\n"))
    stdout.write(f"checked {lib.files} file(s), {lib.scenarios} valid scenario(s), "
                 f"{lib.calibration_examples} calibration example(s): {errors} error(s), {warnings} warning(s)\n")
    return 0 if errors == 0 else 1


def _is_pack_file(path) -> bool:
    from csrpractice.scenario.yamlsrc import YamlError, load
    from csrpractice.screening.pack import is_pack

    if not path.is_file():
        return False
    try:
        return is_pack(load(path).data)
    except (YamlError, OSError):
        return False


def _validate_packs(args, packs: list, others: list, stdout: TextIO) -> int:
    """Screening packs, checked against the scenario library (the built-in one, or --scenarios / the other
    paths given)."""
    from pathlib import Path

    from csrpractice.scenario.library import load_library
    from csrpractice.screening.pack import load_pack

    roots = others or ([Path(p) for p in args.scenarios] if args.scenarios else None)
    library = {s.id: s for s in load_library(roots).scenarios}
    errors = 0
    results = []
    for path in packs:
        pack, diags = load_pack(path, library)
        errors += len(diags)
        results.append({"file": str(path), "ok": pack is not None, "diagnostics": [d.as_dict() for d in diags],
                        "scenarios": pack.scenario_ids if pack else [], "content_hash": pack.content_hash if pack
                        else None})
        if not args.json:
            for d in diags:
                stdout.write(d.format() + "\n")
            if pack:
                stdout.write(f"{path}: pack {pack.id} v{pack.version} is valid: {len(pack.scenario_ids)} scenario(s)"
                             + (", a typing test" if pack.typing else "") + f"; {pack.content_hash}\n")
    if args.json:
        json.dump({"ok": errors == 0, "packs": results}, stdout, indent=2)
        stdout.write("\n")
    return 0 if errors == 0 else 1


def cmd_schema(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.scenario.format import json_schema

    json.dump(json_schema(), stdout, indent=2)
    stdout.write("\n")
    return 0


def cmd_new(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    import re
    from importlib import resources
    from pathlib import Path

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", args.id):
        raise UserError(f"{args.id!r} is not a valid scenario id: use lowercase letters, digits and dashes, "
                        "e.g. retail-late-delivery")
    target = Path(args.dir) / f"{args.id}.yaml"
    if not target.parent.exists():
        raise UserError(f"{target.parent} does not exist; create it first or choose another --dir")
    if not target.parent.is_dir():
        raise UserError(f"{target.parent} is not a folder")
    if target.exists():
        raise UserError(f"{target} already exists; choose another id or remove the file")
    template = resources.files("csrpractice.scenario").joinpath("template.yaml").read_text(encoding="utf-8")
    try:
        with open(target, "x", encoding="utf-8") as fh:
            fh.write(template.replace("{id}", args.id))
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    stdout.write(f"wrote {target}; edit it, then run: csrpractice validate {target}\n")
    return 0


def _load_one(file: str):
    from pathlib import Path

    from csrpractice.scenario.library import discover, load_all_banks
    from csrpractice.scenario.model import load_scenario

    path = Path(file)
    if not path.is_file():
        raise UserError(f"{file}: no such file")
    _, bank_files, _ = discover([path])
    diags = []
    banks = load_all_banks(bank_files, diags)
    scenario, found = load_scenario(path, banks)
    errors = [d for d in diags + found if d.severity == "error"]
    if scenario is None or errors:
        raise UserError("the scenario has errors:\n" + "\n".join(d.format() for d in errors))
    return scenario


def _load_answers(file: str) -> tuple[list | dict, int | None]:
    """Answers: a list of replies in order, or {replies: [...]} / {turns: {turn: reply or [replies]}}, seed."""
    from pathlib import Path

    from csrpractice.scenario.yamlsrc import YamlError, load

    try:
        data = load(Path(file)).data
    except YamlError as exc:
        raise UserError(exc.diagnostic.format()) from None

    def reply_ok(r) -> bool:
        return isinstance(r, str) or (isinstance(r, dict) and isinstance(r.get("text"), str)
                                      and set(r) <= {"text", "seconds"})

    seed = None
    if isinstance(data, dict):
        seed = data.get("seed")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise UserError(f"{file}: seed must be a whole number")
        unknown = set(data) - {"seed", "replies", "turns"}
        if unknown or ("replies" in data) == ("turns" in data):
            raise UserError(f"{file}: expected `replies:` (a list in order) or `turns:` (replies by turn name), "
                            "and optionally `seed:`")
        data = data.get("replies", data.get("turns"))
    if isinstance(data, list):
        bad = [i + 1 for i, r in enumerate(data) if not reply_ok(r)]
    elif isinstance(data, dict):
        bad = [k for k, v in data.items() if not all(reply_ok(r) for r in (v if isinstance(v, list) else [v]))]
    else:
        raise UserError(f"{file}: expected a list of replies or a mapping of turn names to replies")
    if bad:
        raise UserError(f"{file}: each reply is text or {{text: ..., seconds: ...}}; check {bad}")
    return data, seed


def cmd_playtest(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.session import Session, outcome_label

    scenario = _load_one(args.file)
    answers, seed = _load_answers(args.answers)
    if isinstance(answers, dict):
        unknown = [t for t in answers if t not in scenario.turns]
        if unknown:
            from csrpractice.scenario.diagnostics import did_you_mean

            raise UserError(f"{args.answers}: {unknown[0]!r} is not a turn of {scenario.id}"
                            f"{did_you_mean(unknown[0], scenario.turns)}")
    session = Session(scenario, seed=args.seed if args.seed is not None else (seed or 0))
    transcript = []
    queue = list(answers) if isinstance(answers, list) else None
    used: dict[str, int] = {}
    while not session.finished:
        turn = session.turn.id
        if queue is not None:
            reply = queue.pop(0) if queue else None
        else:
            given = answers.get(turn)
            given = given if isinstance(given, list) else [given] if given is not None else []
            reply = given[used.get(turn, 0)] if used.get(turn, 0) < len(given) else None
            used[turn] = used.get(turn, 0) + 1
        if reply is None:
            break
        text, seconds = (reply, None) if isinstance(reply, str) else (reply["text"], reply.get("seconds"))
        customer = session.customer_line
        record = session.submit(text, seconds)
        transcript.append({"turn": turn, "customer": customer, "reply": record.reply, "score": record.score,
                           "mood": record.mood_after, "next": record.next,
                           "items": [_item_json(i, record.reply) for i in record.result.items],
                           "explanation": record.result.explanation})
    card = session.scorecard()
    if args.json:
        json.dump({"transcript": transcript, "scorecard": card.to_dict()}, stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
        return 0 if session.finished else 1
    p = scenario.persona.name
    stdout.write(f"{scenario.title} ({scenario.id} v{scenario.version}), seed {session.seed}\n\n")
    for t in transcript:
        stdout.write(f"{p}: {t['customer']}\n")
        stdout.write(f"You: {t['reply']}\n")
        stdout.write(f"    [{t['turn']}] score {t['score']:g}, mood {t['mood']}/10 -> {t['next']}\n")
        for line in t["explanation"]:
            stdout.write(f"      {line}\n")
        stdout.write("\n")
    if session.finished:
        stdout.write(f"{p}: {card.closing_line}\n\nOutcome: {outcome_label(scenario.kind, card.outcome, card.overall)}\n")
    else:
        stdout.write(f"The answers ran out at turn {session.turn.id!r}; the scenario did not finish.\n")
    stdout.write(f"Overall: {card.overall:g}/100" + (f" (capped: auto-fail {', '.join(card.auto_fail)})"
                                                     if card.auto_fail else "") + "\n")
    for comp, value in card.competencies.items():
        stdout.write(f"  {comp:<16} {value:5.1f}\n")
    return 0 if session.finished else 1


def cmd_type(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.drills import DrillError, chat_sessions, make_drill

    spec = {"mode": args.mode}
    needs = {"seconds": "time", "words": "words", "passage": "passage", "file": "custom", "chat": "chat"}
    for option, mode in needs.items():
        if getattr(args, option) is not None and args.mode != mode:
            raise UserError(f"--{option} goes with --mode {mode} (the mode is {args.mode})")
    try:
        if args.mode == "chat":
            sessions = chat_sessions()
            if args.chat and args.chat not in sessions:
                raise DrillError(f"no chat drill {args.chat!r}; choose one of: {', '.join(sorted(sessions))}")
            spec["chat"] = args.chat
        else:
            make_drill(args.mode, seconds=args.seconds, count=args.words, passage=args.passage, file=args.file,
                       seed=args.seed or 0)  # check the choice now, for a clear error before the app opens
            spec.update(seconds=args.seconds, count=args.words, passage=args.passage, file=args.file)
    except DrillError as exc:
        raise UserError(str(exc)) from None
    args.start = {"drill": spec}
    return cmd_app(args, stdin, stdout)


# --- history --------------------------------------------------------------------------------------------
def open_store(args: argparse.Namespace):
    """The history database named by --db, CSRPRACTICE_DB, or the default place; a damaged one is set aside
    (and said so on standard error), any other problem is a UserError."""
    from csrpractice.locations import history_db
    from csrpractice.store import Store, StoreError

    path, default = history_db(getattr(args, "db", None))
    try:
        store = Store.open(path, create_folder=default)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    if store.notice:
        sys.stderr.write(f"csrpractice: {store.notice}\n")
    from csrpractice.locations import legacy_bests_file

    _store_call(store.import_legacy_bests, legacy_bests_file())
    return store


def _date(value: str | None, option: str) -> str | None:
    from datetime import date, timedelta

    if value is None:
        return None
    if value == "today":
        return date.today().isoformat()
    if value.endswith("d") and value[:-1].isdigit():  # "30d": the last 30 days, today included
        return (date.today() - timedelta(days=int(value[:-1]) - 1)).isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UserError(f"{option} {value!r} is not a date: use YYYY-MM-DD, today, or a number of days like 30d") \
            from None


def _range(args: argparse.Namespace) -> tuple[str | None, str | None]:
    since, until = _date(args.since, "--since"), _date(args.until, "--until")
    if since and until and since > until:
        raise UserError(f"--since {since} is after --until {until}")
    return since, until


def _store_call(fn, *a, **kw):
    from csrpractice.store import StoreError

    try:
        return fn(*a, **kw)
    except StoreError as exc:
        raise UserError(str(exc)) from None


def cmd_history(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.store.export import rows

    since, until = _range(args)
    if args.limit is not None and args.limit < 0:
        raise UserError("--limit must be 0 (everything) or more")
    limit = None if args.limit == 0 else args.limit if args.limit is not None else (None if args.json else 30)
    store = open_store(args)
    found = _store_call(rows, store, since=since, until=until, kind=args.kind, limit=limit, newest_first=True)
    if args.json:
        json.dump(found, stdout, ensure_ascii=False, indent=1)
        stdout.write("\n")
        return 0
    if not found:
        stdout.write("No practice recorded" + (" in that range" if since or until else " yet") +
                     ". Run csrpractice to start.\n")
        return 0
    status = {"finished": "", "left": "left", "in_progress": "unfinished"}
    for r in found:
        when = r["started_at"][:16].replace("T", " ")
        if r["kind"] == "typing":
            result = f"{r['wpm']:.0f} WPM, {r['accuracy']:.0f}%" if r["wpm"] is not None else "pasted: not scored"
        elif r["kind"] == "chat":
            result = "chat drill"
        else:
            result = f"{r['overall']:g}/100 {r['outcome']}" if r["overall"] is not None else \
                f"{r['replies']} repl{'y' if r['replies'] == 1 else 'ies'}"
        extra = " ".join(x for x in (status.get(r["status"], r["status"]),
                                     "screening" if r["mode"] == "screening" else "") if x)
        stdout.write(f"{when} UTC  {r['kind']:<8}  {_printable(r['title'])[:38]:<38}  {result}"
                     + (f"  ({extra})" if extra else "") + "\n")
    if limit and len(found) == limit:
        stdout.write(f"(the newest {limit}; --limit 0 shows everything)\n")
    return 0


def ensure_catalog(store) -> None:
    """"Practise next" suggests from the catalog the app keeps; the first time, load the library to make it."""
    if store.catalog():
        return
    from csrpractice.scenario.library import load_library
    from csrpractice.store.stats import catalog_entries

    store.update_catalog(catalog_entries(load_library(None).scenarios))


def cmd_stats(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.store.stats import stats

    since, until = _range(args)
    store = open_store(args)
    _store_call(ensure_catalog, store)
    figures = _store_call(stats, store, since=since, until=until)
    if args.json:
        json.dump(figures, stdout, ensure_ascii=False, indent=1)
        stdout.write("\n")
        return 0
    from csrpractice.store.text import stats_text

    stdout.write(stats_text(figures))
    return 0


def cmd_export(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    import csv
    import io
    from datetime import datetime, timezone

    from csrpractice.store.export import csv_rows, document

    since, until = _range(args)
    store = open_store(args)
    if args.format == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(_store_call(lambda: list(csv_rows(store, since=since,
                                                                                        until=until))))
        text = buf.getvalue()
    else:
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
        doc = _store_call(document, store, since=since, until=until, exported_at=stamp)
        text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if not args.out or args.out == "-":
        stdout.write(text)
        return 0
    _write_file(args.out, text)
    sys.stderr.write(f"wrote {args.out}\n")
    return 0


def _write_file(target: str, text: str) -> None:
    """Write atomically (a temporary file renamed into place), so a failed export never leaves half a file."""
    from pathlib import Path

    path = Path(target).expanduser()
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a file name, e.g. {path / 'history.csv'}")
    if not path.parent.is_dir():
        raise UserError(f"cannot write {path}: the folder {path.parent} does not exist")
    from csrpractice.files import write_atomic

    try:
        write_atomic(path, text)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None


def cmd_import(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.store.export import import_document

    try:
        with open(args.file, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise UserError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"{args.file} is not UTF-8 text; expected a file from csrpractice export --format json") \
            from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{args.file} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") \
            from None
    store = open_store(args)
    added, skipped = _store_call(import_document, store, doc, args.file)
    stdout.write(f"imported {added} attempt(s) into {store.path}" +
                 (f"; {skipped} were already there" if skipped else "") + "\n")
    return 0


def cmd_app(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError("the app needs a terminal; run csrpractice in one, or use a sub-command (csrpractice --help)")
    from pathlib import Path

    missing = [p for p in args.scenarios or [] if not Path(p).exists()]
    if missing:
        raise UserError(f"{missing[0]}: no such file or folder")
    from csrpractice.app import CSRPracticeApp

    paths = [Path(p) for p in args.scenarios] if args.scenarios else None
    CSRPracticeApp(scenario_paths=paths, seed=args.seed, start=getattr(args, "start", None),
                   db=getattr(args, "db", None), model=getattr(args, "model", None),
                   verbose=getattr(args, "verbose", False)).run()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csrpractice",
        description="Rehearse difficult customer-service conversations, offline. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"csrpractice {__version__}")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks for errors")
    parser.add_argument("--scenarios", action="append", metavar="PATH",
                        help="open the app on these scenario files or folders instead of the built-in library "
                             "(repeatable)")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed for the customers' line variants and the drills' texts (default: scenarios 0, "
                             "drills a new text each time)")
    parser.add_argument("--db", metavar="PATH", help="the practice history database (default: history.db in the "
                        "data folder; or set CSRPRACTICE_DB)")
    parser.add_argument("--model", metavar="PATH", help="the Vosk speech model folder for voice answers (default: "
                        "CSRPRACTICE_VOSK_MODEL, the settings file, or an installed model package)")
    parser.add_argument("--verbose", action="store_true", help="show the speech recogniser's own log messages")
    parser.set_defaults(func=cmd_app)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def history_options(p: argparse.ArgumentParser, dates: bool = True) -> None:
        p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                       help="the history database (default: history.db in the data folder, or CSRPRACTICE_DB)")
        if dates:
            p.add_argument("--since", metavar="DATE", help="from this day on: YYYY-MM-DD, today, or e.g. 30d")
            p.add_argument("--until", metavar="DATE", help="up to this day, included: YYYY-MM-DD or today")

    p = sub.add_parser("history", help="list your practice attempts, newest first",
                       description="List practice attempts, newest first: scenarios, typing drills, chat drills.")
    p.add_argument("--json", action="store_true", help="one JSON object per attempt (every attempt unless --limit)")
    p.add_argument("--limit", type=int, metavar="N", help="show the newest N (default 30; 0 for everything)")
    p.add_argument("--kind", choices=["scenario", "typing", "chat"], help="only this kind of attempt")
    history_options(p)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("stats", help="your progress: trends, streak, personal bests, what to practise next",
                       description="The figures behind the Progress screen: trends of the overall score, each "
                                   "competency, WPM and accuracy; the practice streak; personal bests; and what to "
                                   "practise next.")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    history_options(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("export", help="export the history as CSV (one row per attempt) or JSON (everything)",
                       description="Export the practice history. CSV: one row per attempt, with stable columns "
                                   "(see docs/history.md). JSON: every attempt with its replies, turn results, "
                                   "scorecards and typing series; csrpractice import reads it back.")
    p.add_argument("--format", choices=["csv", "json"], required=True)
    p.add_argument("--out", metavar="FILE", help="write to FILE (replaced whole) instead of standard output")
    history_options(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="add the attempts of a JSON export to this history",
                       description="Add the attempts in a file written by `csrpractice export --format json` "
                                   "that this history does not have yet (e.g. moving to a new computer).")
    p.add_argument("file", metavar="FILE.json")
    history_options(p, dates=False)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("score", help="detect conduct markers in a reply and show the words that matched",
                       description="Detect conduct markers in a reply and show the words that matched.")
    p.add_argument("text", nargs="?", metavar="TEXT", help="the reply to score")
    p.add_argument("--jsonl", action="store_true",
                   help='read JSON Lines {"id": ..., "text": ...} from standard input, write one result per line')
    p.add_argument("--json", action="store_true", help="print the result for TEXT as JSON")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("validate", help="check scenario files like a compiler and run their calibration examples",
                       description="Check scenario files (or folders of them) and run every calibration example. "
                                   "Exit 0 when all are valid, 1 otherwise. With no PATH, checks the built-in library.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders")
    p.add_argument("--json", action="store_true", help="machine-readable output for CI")
    p.add_argument("--walk", action="store_true",
                   help="also drive each scenario down every branch and report turns and endings never reached")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the scenario format (for editor completion)")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("new", help="write a commented scenario template that validates")
    p.add_argument("id", metavar="ID", help="the new scenario's id, e.g. retail-late-delivery")
    p.add_argument("--dir", default=".", help="the folder to write ID.yaml in (default: here)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("playtest", help="run a scenario headless with scripted replies",
                       description="Run a scenario with scripted replies and print the transcript and scorecard.")
    p.add_argument("file", metavar="FILE", help="the scenario file")
    p.add_argument("--answers", required=True, metavar="ANSWERS.yaml",
                   help="replies: a list in order, {replies: [...]}, or {turns: {turn: reply}}; optional seed")
    p.add_argument("--seed", type=int, help="seed for the customer's line variants (default: the answers' seed or 0)")
    p.add_argument("--json", action="store_true", help="print the transcript and scorecard as JSON")
    p.set_defaults(func=cmd_playtest)

    p = sub.add_parser("type", help="open a typing drill straight away",
                       description="Open a typing drill: timed (15/30/60/120 s), a word count (10/25/50/100), "
                                   "a CSR passage, your own text file, or the chat-multitasking drill.")
    p.add_argument("--mode", choices=["time", "words", "passage", "custom", "chat"], default="time")
    p.add_argument("--seconds", type=int, help="timed drill length: 15, 30, 60 or 120 (default 30)")
    p.add_argument("--words", type=int, help="word drill length: 10, 25, 50 or 100 (default 25)")
    p.add_argument("--passage", metavar="ID", help="a passage id (default: a random one)")
    p.add_argument("--file", metavar="PATH", help="custom mode: the UTF-8 text file to type")
    p.add_argument("--chat", metavar="ID", help="chat mode: which chat drill (default: by seed)")
    p.add_argument("--seed", type=int, default=argparse.SUPPRESS, help="seed for the drill's text (default 0)")
    p.set_defaults(func=cmd_type)

    p = sub.add_parser("markers", help="list the built-in conduct markers")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=cmd_markers)

    from csrpractice.audio.commands import register as voice_commands
    from csrpractice.screening.commands import register as screening_commands

    voice_commands(sub, UserError)
    screening_commands(sub, UserError)
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
