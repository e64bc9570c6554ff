"""Screening reports for the hiring manager: `csrpractice report RESULT... --html FILE --csv FILE`.

The HTML page is one self-contained file (inline CSS, JS and SVG; nothing fetched, works offline and prints): a
sortable comparison of the candidates, then each candidate's scores, typing curve, transcripts with the rubric's
highlights and the integrity signals. Figures are shown beside the pack's bars as things to weigh, never as
verdicts. Everything in a result may be a candidate's text, so every string is escaped. docs/screenings.md
documents the page and the CSV columns.
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import BinaryIO, TextIO

from csrpractice.competencies import COMPETENCIES
from csrpractice.files import write_atomic
from csrpractice.screening.results import (ALTERED, INTACT, OTHER_KEY, UNSIGNED, ResultError, load_result, read_key,
                                           verify)

NOT_VERIFIED = "not verified: no key given"
UNREADABLE = "unreadable"
TYPING_BAR = 40  # WPM: the line drawn on the typing chart when the pack sets no bar of its own

# The CSV's columns, in order; then one column per competency in COMPETENCIES' order (docs/screenings.md).
CSV_COLUMNS = ["candidate", "pack", "pack_version", "pack_hash", "status", "verified", "overall", "typing_wpm",
               "typing_accuracy", "paste_attempts", "focus_lost_times", "focus_lost_seconds", "fast_replies",
               "started_at", "ended_at", "file"]

# What each verification status means for the figures, in the manager's words.
TRUST = {
    INTACT: "The signature is intact: this file is as it was when the screening signed it.",
    ALTERED: "This file was altered after it was signed: its figures cannot be trusted.",
    OTHER_KEY: "This file was signed with another key, not the one given: it cannot be checked with this key, so "
               "its figures cannot be trusted until it is verified with the key it was signed with.",
    UNSIGNED: "This file is not signed: anyone could have written or changed it, so its figures cannot be trusted.",
    NOT_VERIFIED: "Not verified: no key was given (--key), so whether this file was changed after it was signed is "
                  "not known.",
}


@dataclass
class Entry:
    """One result file given to the report: its document (None when it could not be read) and its status."""
    path: str
    doc: dict | None
    status: str  # a verification status (results.INTACT...), NOT_VERIFIED, or UNREADABLE
    problem: str = ""  # why the file could not be read, when doc is None


# --- reading a result defensively: any field may be missing or of the wrong type -------------------------
def _num(v) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return None
    return v


def _dict(v) -> dict:
    return v if isinstance(v, dict) else {}


def _list(v) -> list:
    return v if isinstance(v, list) else []


def _text(v) -> str:
    return "" if v is None else str(v)


def _fmt(v, unit: str = "") -> str:
    """87.5, 100, 14.5 s; an en dash when there is no figure."""
    v = _num(v)
    if v is None:
        return "–"
    return f"{v:.1f}".removesuffix(".0") + unit


def _plural(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


@dataclass
class _Row:
    """The figures of one readable result, as the table, the CSV and the detail section show them."""
    entry: Entry
    candidate: str
    pack_id: str
    pack_title: str
    pack_version: object
    pack_hash: str
    engine: str
    status: str
    overall: float | None
    competencies: dict
    wpm: float | None
    accuracy: float | None
    pastes: int
    focus_times: int
    focus_seconds: float
    fast: list
    started: str
    ended: str
    bars: dict
    anchor: str = ""
    not_comparable: str = ""  # why, when this result cannot be compared with most of the others

    @property
    def trusted(self) -> bool:
        return self.entry.status == INTACT


def _row(entry: Entry) -> _Row:
    doc = entry.doc
    pack, summary, integrity = _dict(doc.get("pack")), _dict(doc.get("summary")), _dict(doc.get("integrity"))
    focus = _dict(integrity.get("focus_lost"))
    comps = {str(k): _num(v) for k, v in _dict(summary.get("competencies")).items()}
    return _Row(entry=entry, candidate=_text(doc.get("candidate")), pack_id=_text(pack.get("id")),
                pack_title=_text(pack.get("title")), pack_version=pack.get("version"),
                pack_hash=_text(pack.get("content_hash")), engine=_text(doc.get("engine_version")),
                status=_text(doc.get("status")), overall=_num(summary.get("overall")), competencies=comps,
                wpm=_num(summary.get("typing_wpm")), accuracy=_num(summary.get("typing_accuracy")),
                pastes=int(_num(integrity.get("paste_attempts")) or 0), focus_times=int(_num(focus.get("times")) or 0),
                focus_seconds=_num(focus.get("seconds")) or 0.0,
                fast=[f for f in _list(integrity.get("fast_replies")) if isinstance(f, dict)],
                started=_text(doc.get("started_at")), ended=_text(doc.get("ended_at")),
                bars=_dict(summary.get("thresholds")))


def _rows(entries: list[Entry]) -> list[_Row]:
    """The readable results, each with a unique anchor and, where it differs from most, why it is not comparable."""
    rows = [_row(e) for e in entries if e.doc is not None]
    taken: set[str] = set()
    for r in rows:
        base = re.sub(r"[^A-Za-z0-9_.-]+", "-", r.candidate).strip("-")[:64] or "candidate"
        anchor, n = f"cand-{base}", 2
        while anchor in taken:
            anchor, n = f"cand-{base}-{n}", n + 1
        taken.add(anchor)
        r.anchor = anchor
    if len(rows) > 1:
        # The most common pack (id, version, content) is the reference; the first one seen breaks a tie
        # (most_common keeps the order of first appearance among equals). The same for the engine.
        ref = Counter((r.pack_id, _text(r.pack_version), r.pack_hash) for r in rows).most_common(1)[0][0]
        ref_engine = Counter(r.engine for r in rows).most_common(1)[0][0]
        for r in rows:
            why = []
            if r.pack_id != ref[0]:
                why.append(f"another pack ({r.pack_id or 'no id'}; most results are from {ref[0]})")
            elif _text(r.pack_version) != ref[1]:
                why.append(f"pack version {r.pack_version}; most results are from version {ref[1]}")
            elif r.pack_hash != ref[2]:
                why.append("the same pack version with different content (its hash differs): the pack was "
                           "changed without raising its version")
            if r.engine != ref_engine:
                why.append(f"scored by engine {r.engine or 'unknown'}; most by {ref_engine}")
            r.not_comparable = "; ".join(why)
    return rows


def _competency_order(rows: list[_Row]) -> list[str]:
    """Every competency assessed in any result: the standard ones in their fixed order, then any others."""
    seen = {c for r in rows for c in r.competencies}
    return [c for c in COMPETENCIES if c in seen] + sorted(seen - set(COMPETENCIES))


# --- CSV ----------------------------------------------------------------------------------------------------
def _cell(v):
    """A CSV cell: numbers as they are, text guarded so a spreadsheet never runs it as a formula."""
    if v is None:
        return ""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def csv_rows(entries: list[Entry]) -> list[list]:
    """The comparison table: CSV_COLUMNS and the competencies, then one row per file (an unreadable file keeps
    its row, with status "unreadable" and only its file name)."""
    out: list[list] = [CSV_COLUMNS + list(COMPETENCIES)]
    rows = {id(r.entry): r for r in _rows(entries)}
    for e in entries:
        r = rows.get(id(e))
        if r is None:
            out.append([_cell(v) for v in [""] * 4 + [UNREADABLE] + [""] * 10 + [e.path]] + [""] * len(COMPETENCIES))
            continue
        out.append([_cell(v) for v in (
            r.candidate, r.pack_id, r.pack_version, r.pack_hash, r.status, e.status, r.overall, r.wpm, r.accuracy,
            r.pastes, r.focus_times, r.focus_seconds, len(r.fast), r.started, r.ended, e.path)] +
            [_cell(r.competencies.get(c)) for c in COMPETENCIES])
    return out


def csv_text(entries: list[Entry]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(csv_rows(entries))
    return buf.getvalue()


# --- HTML pieces ---------------------------------------------------------------------------------------------
def _e(v) -> str:
    return escape(_text(v), quote=True)


def highlight(text: str, matched: list, forbidden: list) -> str:
    """The reply as HTML: what earned points in green marks, what cost points in red (red wins where they
    overlap); each mark's title names the items. Spans are [start, end) offsets; bad ones are ignored."""
    n = len(text)
    marks = []  # (start, end, bad, label)
    for bad, group in ((False, matched), (True, forbidden)):
        for m in _list(group):
            m = _dict(m)
            label = _text(m.get("item")) + (f" ({m['competency']})" if m.get("competency") else "")
            for span in _list(m.get("spans")):
                if (isinstance(span, (list, tuple)) and len(span) == 2 and
                        all(isinstance(x, int) and not isinstance(x, bool) for x in span)):
                    a, b = max(0, min(n, span[0])), max(0, min(n, span[1]))
                    if a < b:
                        marks.append((a, b, bad, label))
    cuts = sorted({0, n, *(m[0] for m in marks), *(m[1] for m in marks)})
    pieces: list[tuple[str, tuple]] = []  # (text, (bad, labels)); neighbours with the same marks merged
    for a, b in zip(cuts, cuts[1:]):
        cover = [m for m in marks if m[0] <= a and b <= m[1]]
        key = tuple(dict.fromkeys((m[2], m[3]) for m in cover))
        if pieces and pieces[-1][1] == key:
            pieces[-1] = (pieces[-1][0] + text[a:b], key)
        else:
            pieces.append((text[a:b], key))
    out = []
    for piece, key in pieces:
        if not key:
            out.append(_e(piece))
            continue
        earned, cost = [label for bad, label in key if not bad], [label for bad, label in key if bad]
        why = "; ".join(f"{what}: {', '.join(labels)}" for what, labels in (("earned points", earned),
                                                                            ("cost points", cost)) if labels)
        out.append(f'<mark class="{"bad" if cost else "good"}" title="{_e(why)}">{_e(piece)}</mark>')
    return "".join(out)


def _when(stamp: str) -> str:
    try:
        t = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return stamp
    return t.strftime("%Y-%m-%d %H:%M") + (" UTC" if t.utcoffset() is not None and not t.utcoffset() else "")


def _minutes(start: str, end: str) -> str:
    try:
        secs = (datetime.fromisoformat(end.replace("Z", "+00:00")) -
                datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds()
    except (ValueError, AttributeError, TypeError):
        return ""
    return f"{secs / 60:.0f} min" if secs >= 60 else f"{secs:.0f} s"


def _bar_of(row: _Row, key: str) -> float | None:
    if key in ("overall", "typing_wpm", "typing_accuracy"):
        return _num(row.bars.get(key))
    return _num(_dict(row.bars.get("competencies")).get(key))


def _figure(value: float | None, bar: float | None, unit: str = "") -> str:
    """A figure with the pack's bar beside it; a figure under its bar is marked (information, not a verdict)."""
    if value is None:
        return '<span class="none">–</span>'
    if bar is None:
        return f'<span class="val">{_fmt(value, unit)}</span>'
    under = value < bar
    return (f'<span class="val{" under" if under else ""}">{"▾ " if under else ""}{_fmt(value, unit)}</span>'
            f'<span class="bar" title="the pack\'s bar: {_fmt(bar, unit)}{"; this figure is under it" if under else ""}'
            f'">/{_fmt(bar)}</span>')


def _status_class(status: str) -> str:
    return {INTACT: "ok", NOT_VERIFIED: "unknown", UNREADABLE: "bad"}.get(status, "bad")


def _score_chart(scores: list[tuple[str, float | None, float | None]]) -> str:
    """Horizontal bars 0-100, one per (label, score, bar), the bar drawn as a dark line across its row."""
    label_w, chart_w, row_h, top = 150, 380, 26, 8
    width, height = label_w + chart_w + 70, top + row_h * len(scores) + 24
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label="scores out of 100, with the pack\'s bars">']
    for x in (0, 25, 50, 75, 100):
        gx = label_w + chart_w * x / 100
        out.append(f'<line class="grid" x1="{gx:.1f}" y1="{top}" x2="{gx:.1f}" y2="{height - 20}"/>'
                   f'<text class="axis" x="{gx:.1f}" y="{height - 6}" text-anchor="middle">{x}</text>')
    for i, (label, value, bar) in enumerate(scores):
        y = top + i * row_h
        out.append(f'<text class="label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{_e(label)}</text>'
                   f'<rect class="track" x="{label_w}" y="{y + 5}" width="{chart_w}" height="16" rx="2"/>')
        if value is not None:
            w = chart_w * max(0.0, min(100.0, value)) / 100
            under = bar is not None and value < bar
            out.append(f'<rect class="fill{" under" if under else ""}" x="{label_w}" y="{y + 5}" width="{w:.1f}" '
                       f'height="16" rx="2"><title>{_e(label)}: {_fmt(value)}'
                       f'{f" (the bar is {_fmt(bar)})" if bar is not None else ""}</title></rect>')
        out.append(f'<text class="value" x="{label_w + chart_w + 8}" y="{y + 17}">{_fmt(value)}</text>')
        if bar is not None:
            bx = label_w + chart_w * max(0.0, min(100.0, bar)) / 100
            out.append(f'<line class="threshold" x1="{bx:.1f}" y1="{y + 1}" x2="{bx:.1f}" y2="{y + 25}">'
                       f'<title>the pack\'s bar: {_fmt(bar)}</title></line>')
    out.append("</svg>")
    return "".join(out)


def _wpm_chart(per_second: list, bar: float, bar_label: str) -> str:
    """Columns of words per minute, second by second, with the bar as a dashed line across."""
    values = [_num(v) for v in per_second]
    left, right, top, bottom, chart_w, chart_h = 40, 80, 10, 24, 480, 150
    width, height = left + chart_w + right, top + chart_h + bottom
    peak = max([v for v in values if v is not None] + [bar, 1.0])
    step = 20 if peak <= 120 else 50
    ymax = math.ceil(peak * 1.1 / step) * step
    y = lambda v: top + chart_h - chart_h * v / ymax  # noqa: E731
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label="typing speed second by second, with the {_e(bar_label)} line">']
    for g in range(0, ymax + 1, step):
        out.append(f'<line class="grid" x1="{left}" y1="{y(g):.1f}" x2="{left + chart_w}" y2="{y(g):.1f}"/>'
                   f'<text class="axis" x="{left - 6}" y="{y(g) + 4:.1f}" text-anchor="end">{g}</text>')
    col = chart_w / max(1, len(values))
    gap = 1.0 if col > 3 else 0.0
    for i, v in enumerate(values):
        if v is None:
            continue
        out.append(f'<rect class="col{" under" if v < bar else ""}" x="{left + i * col + gap / 2:.1f}" '
                   f'y="{y(max(0.0, v)):.1f}" width="{max(0.5, col - gap):.1f}" '
                   f'height="{top + chart_h - y(max(0.0, v)):.1f}"><title>second {i + 1}: {_fmt(v)} WPM</title>'
                   '</rect>')
    out.append(f'<line class="threshold dashed" x1="{left}" y1="{y(bar):.1f}" x2="{left + chart_w}" '
               f'y2="{y(bar):.1f}"/><text class="bar-label" x="{left + chart_w + 6}" y="{y(bar) + 4:.1f}">'
               f'{_e(bar_label)}</text>'
               f'<text class="axis" x="{left}" y="{height - 6}">0 s</text>'
               f'<text class="axis" x="{left + chart_w}" y="{height - 6}" text-anchor="end">{len(values)} s</text>'
               f'<text class="axis" x="{left + chart_w + 6}" y="{top + 8}">WPM</text></svg>')
    return "".join(out)


def _reply_id(row: _Row, item: int, reply: int) -> str:
    return f"{row.anchor}-{item + 1}-{reply + 1}"


def _fast_reply_index(item: dict, fast: dict) -> int | None:
    """Which reply of the item a fast-reply signal means: the turn named, at the speed given if it repeats."""
    replies = [_dict(r) for r in _list(item.get("replies"))]
    same_turn = [i for i, r in enumerate(replies) if r.get("turn") == fast.get("turn")]
    for i in same_turn:
        secs, reply = _num(replies[i].get("seconds")), _text(replies[i].get("reply"))
        if secs and round(len(reply) / secs, 1) == _num(fast.get("chars_per_second")):
            return i
    return same_turn[0] if same_turn else None


def signals(row: _Row) -> list[str]:
    """The integrity signals and other things worth a look, as HTML list items' contents (escaped)."""
    doc = row.entry.doc
    items = _list(doc.get("items"))
    notes = []
    typing_pastes = sum(int(_num(_dict(i).get("pastes_refused")) or 0) for i in items
                        if _dict(i).get("kind") == "typing")
    if row.pastes:
        where = " during the typing test" if typing_pastes == row.pastes else (
            f", {typing_pastes} of them during the typing test" if typing_pastes else "")
        notes.append(f"{_plural(row.pastes, 'paste attempt')} {'was' if row.pastes == 1 else 'were'} refused{where}")
    if row.focus_times:
        notes.append(f"the terminal lost focus {_plural(row.focus_times, 'time')}, {_fmt(row.focus_seconds)} s in "
                     "all: another window was in front for that time")
    for f in row.fast:
        n = _num(f.get("item"))
        item = _dict(items[int(n)]) if n is not None and 0 <= int(n) < len(items) else {}
        where, link = "", ""
        if item:
            where = f" (“{_e(item.get('title') or item.get('scenario'))}”, turn {_e(f.get('turn'))})"
            r = _fast_reply_index(item, f)
            if r is not None:
                link = f' (<a href="#{_reply_id(row, int(n), r)}">see the reply</a>)'
        notes.append(f"a reply at {_fmt(f.get('chars_per_second'))} characters per second{where}: faster than "
                     f"typing speed; check it{link}")
    for n, item in enumerate(items):
        item = _dict(item)
        if item.get("kind") != "scenario":
            continue
        title = _e(item.get("title") or item.get("scenario"))
        if item.get("outcome") == "timed_out":
            notes.append(f"the time ran out in “{title}”")
        elif item.get("outcome") == "unfinished":
            notes.append(f"“{title}” was not finished")
        for r, reply in enumerate(_list(item.get("replies"))):
            fails = [_text(a) for a in _list(_dict(reply).get("auto_fail"))]
            if fails:
                notes.append(f"a critical error ({_e(', '.join(fails))}) in “{title}”, turn "
                             f"{_e(_dict(reply).get('turn'))}: that reply scored 0 "
                             f'(<a href="#{_reply_id(row, n, r)}">see the reply</a>)')
    if row.status != "complete":
        done = sum(1 for i in items if isinstance(i, dict))
        notes.append(f"the screening is {_e(row.status or 'of unknown status')}: {_plural(done, 'part')} recorded")
    for note in _list(_dict(doc.get("integrity")).get("notes")):
        notes.append(_e(note))
    return [n[:1].upper() + n[1:] for n in notes]


def _transcript(row: _Row, n: int, item: dict) -> str:
    comps = _dict(item.get("competencies"))
    limit = _num(item.get("time_limit_seconds"))
    head = (f'<h4>{_e(item.get("title") or item.get("scenario"))} <span class="sub">{_e(item.get("scenario"))} '
            f'v{_e(item.get("version"))}</span></h4>'
            f'<p class="meta">Outcome: <b>{_e(_text(item.get("outcome")).replace("_", " "))}</b> · overall '
            f'<b>{_fmt(item.get("overall"))}</b>'
            + "".join(f" · {_e(c.replace('_', ' '))} {_fmt(v)}" for c, v in comps.items())
            + (f" · {_minutes(_text(item.get('started_at')), _text(item.get('ended_at')))} of "
               f"{_fmt(limit / 60)} min allowed" if limit else "") + "</p>")
    fast_turns = {(int(_num(f.get("item")) or 0), _fast_reply_index(item, f)): f for f in row.fast
                  if _num(f.get("item")) == n}
    out = [f'<article class="scenario">{head}<ol class="turns">']
    for r, reply in enumerate(_list(item.get("replies"))):
        reply = _dict(reply)
        text = _text(reply.get("reply"))
        secs = _num(reply.get("seconds"))
        flags = []
        if (n, r) in fast_turns:
            flags.append(f'<span class="flag">{_fmt(fast_turns[(n, r)].get("chars_per_second"))} characters per '
                         'second</span>')
        if _list(reply.get("auto_fail")):
            flags.append(f'<span class="flag">critical error: {_e(", ".join(map(_text, reply["auto_fail"])))}</span>')
        if _dict(reply.get("voice")):
            flags.append('<span class="tag">spoken</span>')
        lists = []
        for label, cls, group in (("earned points", "good", reply.get("matched")),
                                  ("cost points", "bad", reply.get("forbidden"))):
            names = [_text(_dict(m).get("item")) for m in _list(group)]
            if names:
                lists.append(f'<span class="{cls}-list">{label}: {_e(", ".join(names))}</span>')
        missed = [_text(m) for m in _list(reply.get("missed"))]
        if missed:
            lists.append(f'<span class="missed-list">missed: {_e(", ".join(missed))}</span>')
        out.append(
            f'<li class="turn" id="{_reply_id(row, n, r)}"><div class="customer"><span class="who">Customer'
            f'</span>{_e(reply.get("customer"))}</div><div class="reply"><span class="who">Reply '
            f'<span class="rmeta"><span class="score">score {_fmt(reply.get("score"))}</span>'
            f'{f" · {_fmt(secs)} s" if secs is not None else ""} · turn {_e(reply.get("turn"))}</span>'
            f'{"".join(flags)}</span>'
            f'<p class="text">{highlight(text, reply.get("matched"), reply.get("forbidden"))}</p>'
            f'<p class="items">{" · ".join(lists)}</p></div></li>')
    out.append("</ol></article>")
    return "".join(out)


def _detail(row: _Row) -> str:
    doc = row.entry.doc
    items = [_dict(i) for i in _list(doc.get("items"))]
    status = row.entry.status
    out = [f'<section class="candidate" id="{_e(row.anchor)}"><h2>{_e(row.candidate) or "(no candidate id)"} '
           f'<span class="sub">{_e(row.pack_title)} v{_e(row.pack_version)} · {_e(row.status)}</span></h2>']
    if status != INTACT:
        out.append(f'<p class="banner {_status_class(status)}"><b>{_e(status[:1].upper() + status[1:])}.</b> '
                   f'{_e(TRUST.get(status, ""))}</p>')
    if row.not_comparable:
        out.append(f'<p class="banner warn"><b>Not comparable with most of the others:</b> '
                   f'{_e(row.not_comparable)}.</p>')
    out.append(f'<p class="meta">{_e(_when(row.started))} to {_e(_when(row.ended))}'
               f' ({_minutes(row.started, row.ended)}) · app {_e(doc.get("app_version"))} · engine '
               f'{_e(row.engine)} · <span class="file">{_e(row.entry.path)}</span>'
               + (f' · <span class="ok" title="{_e(TRUST[INTACT])}">signature intact</span>'
                  if status == INTACT else "") + "</p>")
    # Scores: the overall first, then each competency in the fixed order.
    scores = [("overall", row.overall, _bar_of(row, "overall"))] + [
        (c.replace("_", " "), row.competencies[c], _bar_of(row, c)) for c in _competency_order([row])]
    out.append('<div class="panels"><div class="panel"><h3>Scores</h3>' + _score_chart(scores) +
               '<p class="legend"><span class="key fill"></span> score <span class="key line"></span> the pack\'s '
               'bar <span class="key fill under"></span> under the bar</p></div>')
    typing = next((i for i in items if i.get("kind") == "typing"), None)
    out.append('<div class="panel"><h3>Typing test</h3>')
    if typing is None:
        out.append('<p class="meta">No typing test in this result.</p>')
    else:
        bar = _bar_of(row, "typing_wpm")
        out.append(f'<p class="figures">{_e(typing.get("title"))}: <b>{_figure(_num(typing.get("wpm")), bar)}</b> '
                   f'WPM · accuracy <b>{_figure(_num(typing.get("accuracy")), _bar_of(row, "typing_accuracy"), "%")}'
                   f'</b> · raw {_fmt(typing.get("raw_wpm"))} WPM · consistency '
                   f'{_fmt(typing.get("consistency"), "%")}'
                   f' · {_plural(int(_num(typing.get("errors")) or 0), "error")}</p>')
        per_second = _list(typing.get("per_second"))
        if per_second:
            out.append(_wpm_chart(per_second, bar if bar is not None else TYPING_BAR,
                                  f"{_fmt(bar if bar is not None else TYPING_BAR)} WPM"))
        else:
            out.append('<p class="meta">No second-by-second figures in this result.</p>')
    out.append("</div></div>")
    notes = signals(row)
    out.append("<h3>Integrity signals: things to look at</h3>")
    if notes:
        out.append('<ul class="signals">' + "".join(f"<li>{n}</li>" for n in notes) + "</ul>")
    else:
        out.append('<p class="meta">None: no paste attempts, the terminal kept focus, no unusually fast '
                   "replies.</p>")
    out.append('<h3>Transcripts</h3><p class="legend"><mark class="good">earned points</mark> '
               '<mark class="bad">cost points</mark> (point at a highlight to see the rubric item)</p>')
    scen = [(n, i) for n, i in enumerate(items) if i.get("kind") == "scenario"]
    out.extend(_transcript(row, n, i) for n, i in scen)
    if not scen:
        out.append('<p class="meta">No scenario in this result.</p>')
    out.append('<p class="top"><a href="#comparison">back to the comparison</a></p></section>')
    return "".join(out)


# Where long competency names may break in a narrow column header (a soft hyphen).
_HEADERS = {"professionalism": "profession\u00adalism", "problem_solving": "problem solving"}


def _td(key: str, sort_value, content: str, cls: str = "") -> str:
    """A table cell: data-v is what the page's script sorts by (empty: no figure, sorted last)."""
    klass = f' class="{cls}"' if cls else ""
    return f'<td data-key="{key}" data-v="{_e("" if sort_value is None else sort_value)}"{klass}>{content}</td>'


def _table(rows: list[_Row], comps: list[str]) -> str:
    # (sort key, header, numeric?): the keys are those of the URL hash #sort=KEY-asc|desc (docs/screenings.md)
    keys = {"candidate", "pack", "status", "overall", "typing_wpm", "typing_accuracy", "paste_attempts",
            "focus_lost", "fast_replies", "verified"}
    comp_keys = {}
    for n, c in enumerate(comps):
        comp_keys[c] = c if re.fullmatch(r"[a-z][a-z0-9_]*", c) and c not in keys else f"competency{n + 1}"
    cols = ([("candidate", "Candidate", False), ("pack", "Pack", False), ("status", "Status", False),
             ("overall", "Overall", True)] +
            [(comp_keys[c], _HEADERS.get(c, c.replace("_", " ")), True) for c in comps] +
            [("typing_wpm", "WPM", True), ("typing_accuracy", "Accuracy", True),
             ("paste_attempts", "Pastes refused", True), ("focus_lost", "Focus lost", True),
             ("fast_replies", "Fast replies", True), ("verified", "Signature", False)])
    out = ['<table id="comparison"><thead><tr>']
    for key, label, num in cols:
        out.append(f'<th data-key="{key}" data-type="{"num" if num else "text"}"{" class=num" if num else ""}>'
                   f'<button type="button">{_e(label)}<span class="ind" aria-hidden="true"></span></button></th>')
    out.append("</tr></thead><tbody>")
    for i, r in enumerate(rows):
        status = r.entry.status
        warn = "" if r.trusted or status == NOT_VERIFIED else \
            f'<span class="warn-sign" title="{_e(TRUST.get(status, status))}">⚠</span>'
        pack = f'{_e(r.pack_title or r.pack_id)} <span class="sub">v{_e(r.pack_version)}</span>'
        if r.not_comparable:
            pack += f'<span class="flag" title="{_e(r.not_comparable)}">not comparable</span>'
        cells = [_td("candidate", r.candidate, f'<a href="#{_e(r.anchor)}">{_e(r.candidate) or "(none)"}</a>{warn}'),
                 _td("pack", f"{r.pack_title or r.pack_id} v{_text(r.pack_version).zfill(6)}", pack),
                 _td("status", r.status, _e(r.status), "" if r.status == "complete" else "warn"),
                 _td("overall", r.overall, _figure(r.overall, _bar_of(r, "overall")), "num")]
        cells += [_td(comp_keys[c], r.competencies.get(c), _figure(r.competencies.get(c), _bar_of(r, c)), "num")
                  for c in comps]
        cells += [_td("typing_wpm", r.wpm, _figure(r.wpm, _bar_of(r, "typing_wpm")), "num"),
                  _td("typing_accuracy", r.accuracy, _figure(r.accuracy, _bar_of(r, "typing_accuracy"), "%"), "num"),
                  _td("paste_attempts", r.pastes, str(r.pastes), "num" + (" look" if r.pastes else "")),
                  _td("focus_lost", r.focus_seconds,
                     f"{r.focus_times}×, {_fmt(r.focus_seconds)}\u00a0s" if r.focus_times else "0",
                     "num wrap" + (" look" if r.focus_times else "")),
                  _td("fast_replies", len(r.fast), str(len(r.fast)), "num" + (" look" if r.fast else "")),
                  _td("verified", status, _e(status), _status_class(status))]
        out.append(f'<tr data-i="{i}" class="{"" if r.trusted or status == NOT_VERIFIED else "untrusted"}">'
                   + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


CSS = """
:root { --ink:#1d232b; --muted:#5d6773; --line:#d9dee4; --panel:#f5f7f9; --accent:#3566a0; --under:#b86e00;
  --under-bg:#fff2dc; --good:#1c7a3e; --good-bg:#d5f2de; --bad:#b3261e; --bad-bg:#fde1de; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  color: var(--ink); margin: 0 auto; padding: 24px 24px 48px; max-width: 1320px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 21px; margin: 0 0 6px; }
h3 { font-size: 16px; margin: 18px 0 6px; } h4 { font-size: 15px; margin: 0 0 2px; }
.sub { color: var(--muted); font-weight: normal; font-size: 0.85em; }
.meta, .legend { color: var(--muted); margin: 4px 0; font-size: 14px; }
.lede { margin: 0 0 12px; }
a { color: var(--accent); }
.notices { margin: 12px 0 16px; padding: 0; list-style: none; }
.notices li, .banner { border-left: 4px solid var(--under); background: var(--under-bg); padding: 8px 12px;
  margin: 6px 0; border-radius: 3px; }
.banner.bad, .notices li.bad { border-color: var(--bad); background: var(--bad-bg); }
.banner.unknown, .notices li.unknown { border-color: var(--muted); background: var(--panel); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
table .sub { font-size: 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 4px; text-align: left; vertical-align: top; }
th { background: var(--panel); position: sticky; top: 0; vertical-align: bottom; font-size: 12px; }
th button { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 0;
  cursor: pointer; text-align: inherit; }
th button::first-letter { text-transform: uppercase; }
th.num, td.num { text-align: right; }
.ind::after { content: ""; color: #8d98a5; margin-left: 3px; }
th:hover .ind::after { content: "↕"; }
th[aria-sort=ascending] .ind::after { content: "▲"; color: var(--accent); }
th[aria-sort=descending] .ind::after { content: "▼"; color: var(--accent); }
td.num { white-space: nowrap; }
td[data-key=pack] { min-width: 7em; }
td.num.wrap { white-space: normal; min-width: 4.5em; }
td[data-key=verified] { min-width: 6.5em; }
td[data-key=candidate] { overflow-wrap: anywhere; min-width: 6em; }
td .flag { display: block; width: max-content; margin: 2px 0 0; }
.bar { color: var(--muted); font-size: 0.85em; font-weight: normal; margin-left: 2px; }
.val.under { color: var(--under); font-weight: 600; }
td.look, td.warn { color: var(--under); font-weight: 600; }
td.ok, .ok { color: var(--good); } td.bad { color: var(--bad); font-weight: 600; } td.unknown { color: var(--muted); }
tr.untrusted td { background: repeating-linear-gradient(135deg, #fff, #fff 6px, #fbecea 6px, #fbecea 12px); }
.flag { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 8px; font-size: 12px;
  text-transform: none; letter-spacing: 0;
  background: var(--under-bg); color: var(--under); font-weight: 600; }
.warn-sign { color: var(--bad); margin-left: 4px; }
.reply .flag { background: var(--bad-bg); color: var(--bad); }
.tag { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 8px; font-size: 12px;
  background: var(--panel); }
.unreadable li { margin: 4px 0; } .file { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
section.candidate { border-top: 2px solid var(--line); margin-top: 32px; padding-top: 18px; }
.panels { display: flex; flex-wrap: wrap; gap: 16px 32px; }
.panel { flex: 1 1 520px; min-width: 0; }
.figures { margin: 4px 0 8px; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg .grid { stroke: #e7eaee; stroke-width: 1; }
svg .axis, svg .bar-label { fill: var(--muted); font-size: 11px; }
svg .label, svg .value { fill: var(--ink); font-size: 13px; }
svg .track { fill: var(--panel); }
svg .fill, svg .col, .key.fill { fill: var(--accent); background: var(--accent); }
svg .fill.under, svg .col.under, .key.fill.under { fill: #e0a040; background: #e0a040; }
svg .threshold { stroke: var(--ink); stroke-width: 2.5; }
svg .threshold.dashed { stroke-dasharray: 6 4; stroke-width: 2; }
svg .bar-label { fill: var(--ink); font-weight: 600; }
.key { display: inline-block; width: 14px; height: 10px; vertical-align: middle; margin: 0 2px 0 10px; }
.key.line { width: 3px; height: 14px; background: var(--ink); }
ul.signals { margin: 4px 0; padding-left: 22px; } ul.signals li { margin: 3px 0; }
article.scenario { margin: 12px 0 18px; }
ol.turns { list-style: none; padding: 0; margin: 8px 0; }
li.turn { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
li.turn:target { outline: 3px solid var(--under); }
.customer { color: var(--muted); margin-bottom: 6px; white-space: pre-wrap; }
.who { display: block; font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase;
  letter-spacing: .04em; white-space: normal; }
.rmeta { text-transform: none; letter-spacing: 0; font-weight: normal; margin-left: 6px; }
.score { color: var(--ink); font-weight: 600; }
.reply .text { margin: 2px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.items { margin: 4px 0 0; font-size: 13px; color: var(--muted); }
.good-list { color: var(--good); } .bad-list { color: var(--bad); } .missed-list { color: var(--under); }
mark { border-radius: 2px; padding: 0 1px; color: inherit; }
mark.good { background: var(--good-bg); border-bottom: 2px solid var(--good); }
mark.bad { background: var(--bad-bg); border-bottom: 2px solid var(--bad); }
.top { font-size: 13px; }
@page { margin: 12mm; }
@page wide { size: A4 landscape; }
@media print {
  body { padding: 0; max-width: none; font-size: 12px; }
  header, section.overview { page: wide; }
  .table-wrap { overflow: visible; } table { font-size: 9.5px; } th { font-size: 9.5px; } table .sub { font-size: 9px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  th { position: static; } .ind, .top, .no-print { display: none; }
  a { color: inherit; text-decoration: none; }
  section.candidate { break-before: page; border-top: 0; }
  li.turn, svg.chart, .panel { break-inside: avoid; }
  td { white-space: normal; }
}
"""

# Sorting: click a header (again to reverse), or #sort=KEY-asc|desc in the URL. Empty cells always go last;
# equal ones keep the order the files were given in.
JS = """
(function () {
  "use strict";
  var table = document.getElementById("comparison");
  if (!table) return;
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function value(row, key, num) {
    var cell = row.querySelector('td[data-key="' + key + '"]');
    var v = cell ? cell.getAttribute("data-v") : "";
    if (v === null || v === "") return null;
    return num ? parseFloat(v) : v;
  }
  function order(row) { return parseInt(row.getAttribute("data-i"), 10); }
  function sort(key, dir) {
    var head = heads.filter(function (h) { return h.getAttribute("data-key") === key; })[0];
    if (!head) return;
    var num = head.getAttribute("data-type") === "num";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, key, num), y = value(b, key, num), c;
      if (x === null || y === null) {
        c = x === y ? 0 : (x === null ? 1 : -1);
      } else {
        c = num ? x - y : x.localeCompare(y, undefined, {numeric: true, sensitivity: "base"});
        if (dir === "desc") c = -c;
      }
      return c || order(a) - order(b);
    });
    rows.forEach(function (r) { body.appendChild(r); });
    heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
    head.setAttribute("aria-sort", dir === "desc" ? "descending" : "ascending");
    table.setAttribute("data-sorted", key + "-" + dir);
  }
  function fromHash() {
    var m = /^#sort=([A-Za-z0-9_]+)-(asc|desc)$/.exec(location.hash);
    if (m) sort(m[1], m[2]);
  }
  heads.forEach(function (h) {
    h.querySelector("button").addEventListener("click", function () {
      var now = h.getAttribute("aria-sort");
      var dir = now === "descending" ? "asc" : now === "ascending" ? "desc" :
        (h.getAttribute("data-type") === "num" ? "desc" : "asc");
      var key = h.getAttribute("data-key");
      sort(key, dir);
      try { history.replaceState(null, "", "#sort=" + key + "-" + dir); } catch (e) { /* a file: URL may refuse */ }
    });
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
"""


def html_report(entries: list[Entry]) -> str:
    rows = _rows(entries)
    comps = _competency_order(rows)
    bad = [e for e in entries if e.doc is None]
    packs = list(dict.fromkeys(f"{r.pack_title or r.pack_id} v{r.pack_version}" for r in rows))
    title = "Screening report" + (f": {packs[0]}" if len(packs) == 1 else "")
    out = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
           '<meta name="viewport" content="width=device-width, initial-scale=1">'
           f'<meta name="generator" content="csrpractice report"><title>{_e(title)}</title>'
           f"<style>{CSS}</style></head><body>",
           f"<header><h1>{_e(title)}</h1>"
           f'<p class="lede">{_plural(len(entries), "result file")}: {_plural(len(rows), "candidate result")}'
           + (f", {len(bad)} unreadable" if bad else "") + ". "
           "Each figure is shown beside the pack's bar (/70); ▾ marks a figure under it. The figures and the "
           "signals below are things to weigh and look at, not verdicts.</p>"]
    notices = []
    odd = [r for r in rows if r.not_comparable]
    if odd:
        notices.append(("", f"Not all results are comparable: {_plural(len(odd), 'result')} "
                            f"({_e(', '.join(r.candidate for r in odd))}) {'was' if len(odd) == 1 else 'were'} "
                            "taken or scored differently from the others; they are marked “not comparable”."))
    untrusted = [r for r in rows if r.entry.status not in (INTACT, NOT_VERIFIED)]
    if untrusted:
        notices.append(("bad", f"{_plural(len(untrusted), 'file')} cannot be trusted: "
                               + "; ".join(f"{_e(r.candidate)} ({_e(r.entry.status)})" for r in untrusted)
                               + ". Their figures are shown, hatched, for reference only."))
    if any(r.entry.status == NOT_VERIFIED for r in rows):
        notices.append(("unknown", "The signatures were not checked: no key was given. Make the report with "
                                   "--key to check them."))
    if bad:
        notices.append(("bad", f"{_plural(len(bad), 'file')} could not be read: see the list below the table."))
    if notices:
        out.append('<ul class="notices">' + "".join(f'<li class="{c}">{t}</li>' for c, t in notices) + "</ul>")
    out.append('</header><main><section class="overview">')
    if rows:
        out.append('<div class="table-wrap">' + _table(rows, comps) + "</div>")
        out.append('<p class="legend no-print">Click a column to sort by it. A candidate\'s name leads to the '
                   'details.</p>')
    if bad:
        out.append('<section class="unreadable"><h2>Files that could not be read</h2><ul>' +
                   "".join((f'<li>{_e(e.problem)}</li>' if e.path in e.problem else
                            f'<li><span class="file">{_e(e.path)}</span>: {_e(e.problem)}</li>') for e in bad) +
                   "</ul></section>")
    out.append("</section>")
    out.extend(_detail(r) for r in rows)
    out.append(f"</main><script>{JS}</script></body></html>\n")
    return "".join(out)


# --- the command --------------------------------------------------------------------------------------------
class ReportError(Exception):
    """A problem with the command's arguments or outputs; the CLI shows it as one line."""


from csrpractice.files import printable as _printable  # noqa: E402  (a candidate's text goes to the terminal)


def _output(target: str | None, inputs: list[Path]) -> Path | None:
    if not target:
        return None
    path = Path(target).expanduser()
    if path.is_dir():
        raise ReportError(f"{path} is a folder; give a file name, e.g. {path / 'report.html'}")
    if not path.parent.is_dir():
        raise ReportError(f"cannot write {path}: the folder {path.parent} does not exist; create it first")
    if any(path.resolve() == p.resolve() for p in inputs):
        raise ReportError(f"{path} is one of the results; write the report to another file (results are never "
                          "overwritten)")
    return path


def _write(path: Path, text: str) -> None:
    """Atomically: a temporary file beside the target, renamed into place, so a failure leaves no half file."""
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise ReportError(f"cannot write {path}: {exc.strerror or exc}") from None


def load_entries(paths: list[str], key: bytes | None) -> list[Entry]:
    """Each file read and, with a key, verified; a file that cannot be read becomes an entry with its problem."""
    entries = []
    for p in paths:
        try:
            doc = load_result(Path(p))
        except ResultError as exc:
            entries.append(Entry(p, None, UNREADABLE, str(exc)))
            continue
        entries.append(Entry(p, doc, verify(doc, key) if key is not None else NOT_VERIFIED))
    return entries


def cmd_report(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.locations import screening_key_file

    if not args.html and not args.csv:
        raise ReportError("nothing to write: give --html FILE and/or --csv FILE, e.g. csrpractice report "
                          "results/*.json --html report.html")
    inputs = [Path(p).expanduser() for p in args.results]
    html_out, csv_out = _output(args.html, inputs), _output(args.csv, inputs)
    if html_out and csv_out and html_out.resolve() == csv_out.resolve():
        raise ReportError(f"--html and --csv are the same file ({html_out}); give two file names")
    key_path = Path(args.key).expanduser() if args.key else screening_key_file()
    key = read_key(key_path) if args.key or key_path.is_file() else None
    entries = load_entries(args.results, key)
    rows = {id(r.entry): r for r in _rows(entries)}
    for e in entries:
        r = rows.get(id(e))
        if r is None:
            line = f"{UNREADABLE}: {e.problem if e.path in e.problem else f'{e.path}: {e.problem}'}"
        else:
            line = (f"{e.path}: {e.status} ({r.candidate}, {r.pack_title or r.pack_id} v{r.pack_version}, "
                    f"{r.status}" + (f"; not comparable: {r.not_comparable}" if r.not_comparable else "") + ")")
        stdout.write(_printable(line) + "\n")
    if html_out:
        _write(html_out, html_report(entries))
        sys.stderr.write(f"wrote {html_out}\n")
    if csv_out:
        _write(csv_out, csv_text(entries))
        sys.stderr.write(f"wrote {csv_out}\n")
    return 1 if any(e.status not in (INTACT, NOT_VERIFIED) for e in entries) else 0


def register(sub, user_error: type[Exception]) -> None:
    """Add `report` to the CLI's sub-commands; its errors are raised again as user_error (the CLI's UserError)."""
    from csrpractice.commandkit import for_people

    p = sub.add_parser("report", help="compare screening results: a web page (--html) and/or a table (--csv)",
                       description="Write a self-contained web page comparing the candidates (a sortable table, "
                                   "each candidate's scores, typing, transcripts with highlights and integrity "
                                   "signals) and/or the table as CSV. Each file is checked with the key; an "
                                   "unreadable file is listed and the report still written. Exit 0 when every "
                                   "file was read and is intact (or no key was found to check them), 1 otherwise.")
    p.add_argument("results", nargs="+", metavar="RESULT.json")
    p.add_argument("--html", metavar="FILE", help="write the web page here")
    p.add_argument("--csv", metavar="FILE", help="write the comparison table here, as CSV")
    p.add_argument("--key", metavar="PATH", help="the screening key to check the signatures with (default: "
                   "screening.key in the config folder, if there is one; without a key the files are listed as "
                   "not verified)")
    p.set_defaults(func=for_people(cmd_report, (ReportError, ResultError), user_error))
