"""The screening report: the HTML page (escaping, highlights, columns, flags, statuses) read back as a DOM, the
CSV's fixed columns, the report command through its argparse registration, and the page in a real headless
browser (Debian's chromium): sorting by the URL hash and by clicks, and a screenshot."""
from __future__ import annotations

import argparse
import copy
import csv
import io
import json
import re
import shutil
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import screening_helpers as helpers
from conftest import ROOT
from csrpractice.scenario.format import COMPETENCIES
from csrpractice.screening.report import (CSV_COLUMNS, NOT_VERIFIED, TRUST, Entry, csv_rows, highlight, html_report,
                                          load_entries, register, signals, _rows)
from csrpractice.screening.results import ALTERED, INTACT, OTHER_KEY, UNSIGNED, new_key, read_key, sign

SCREENSHOT = Path("/tmp/screening-report.png")


# --- reading the page back ----------------------------------------------------------------------------------
class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str | None = None, **attrs) -> list["Node"]:
        found = []
        for c in self.children:
            if isinstance(c, Node):
                if (tag is None or c.tag == tag) and all(
                        (v in c.attrs.get(k.rstrip("_"), "").split()) if k == "class_" else c.attrs.get(k) == v
                        for k, v in attrs.items()):
                    found.append(c)
                found += c.find_all(tag, **attrs)
        return found

    def find(self, tag: str | None = None, **attrs) -> "Node":
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]


class DOM(HTMLParser):
    """A small tree of the page, enough to look at elements, attributes and text as the browser would."""
    VOID = {"meta", "br", "img", "input", "link", "hr", "line", "rect", "wbr"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {}, None)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in self.VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.cur))

    def handle_endtag(self, tag):
        node = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:  # a stray end tag (there should be none) is ignored
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def dom(html: str) -> Node:
    return DOM(html).root


def table_rows(root: Node) -> list[Node]:
    return root.find("table", id="comparison").find("tbody").find_all("tr")


def cell(row: Node, key: str) -> Node:
    return row.find("td", **{"data-key": key})


def column(root: Node, key: str) -> list[str]:
    return [cell(r, key).attrs["data-v"] for r in table_rows(root)]


# --- fixtures -----------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def no_default_key(tmp_path, monkeypatch):
    """The user's own screening key (in the config folder) is never found by these tests."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("results")
    new_key(folder / "screening.key")
    key = read_key(folder / "screening.key")
    docs = helpers.results(folder, key)
    return folder, key, docs


@pytest.fixture
def key(made):
    return made[1]


@pytest.fixture
def docs(made):
    return copy.deepcopy(made[2])


@pytest.fixture
def files(made, tmp_path):
    return helpers.write(tmp_path, made[2])


def entries_of(docs: list[dict], key: bytes) -> list[Entry]:
    from csrpractice.screening.results import verify

    return [Entry(f"results/{d['candidate']}.json", d, verify(d, key)) for d in docs]


# --- the page -----------------------------------------------------------------------------------------------
def test_candidate_text_is_escaped_everywhere(docs, key):
    evil = docs[0]
    evil["candidate"] = "<script>alert(1)</script>"
    evil["pack"]["title"] = "Pack <b>bold</b>"
    reply = evil["items"][0]["replies"][0]
    reply["reply"] = "Sorry </td><script>alert(1)</script> & \"quotes\" 'too'"
    reply["customer"] = "</li></ol><h1>not a heading</h1>"
    reply["matched"] = [{"item": "<i>x</i>", "competency": "empathy", "spans": [[0, 5]]}]
    evil["integrity"]["notes"] = ["<img src=x onerror=alert(1)>"]
    html = html_report(entries_of([sign(evil, key)], key))
    root = dom(html)
    assert len(root.find_all("script")) == 1 and "alert" not in root.find("script").text()  # only the page's own
    assert not [b for b in root.find_all("b") if b.text() == "bold"]
    assert not root.find_all("img") and not root.find_all("i") and len(root.find_all("h1")) == 1
    assert cell(table_rows(root)[0], "candidate").find("a").text() == "<script>alert(1)</script>"
    turn = root.find("li", class_="turn")
    assert turn.find("p", class_="text").text() == reply["reply"]
    assert turn.find("div", class_="customer").text().endswith(reply["customer"])
    assert turn.find("mark").attrs["title"] == "earned points: <i>x</i> (empathy)"
    assert "<img src=x onerror=alert(1)>" in root.find("ul", class_="signals").text()
    anchors = [n.attrs["id"] for n in root.find_all("section", class_="candidate")]
    assert anchors == ["cand-script-alert-1-script"]


def marks_of(p: Node) -> tuple[str, list[tuple[int, int, str]]]:
    """The text of a rendered reply and where its marks are: [(start, end, "good" | "bad")]."""
    text, marks = "", []
    for child in p.children:
        if isinstance(child, str):
            text += child
        else:
            assert child.tag == "mark"
            marks.append((len(text), len(text) + len(child.text()), child.attrs["class"]))
            text += child.text()
    return text, marks


def test_spans_are_highlighted_at_their_characters():
    text = "I'm sorry, that was our fault. You did it."
    matched = [{"item": "apology", "spans": [[4, 9]]}, {"item": "ownership", "spans": [[11, 29]]}]
    forbidden = [{"item": "blame", "spans": [[24, 50], [99, 120], [5, 2], "x", [True, 3]]}]
    p = dom(f"<p>{highlight(text, matched, forbidden)}</p>").find("p")
    got_text, marks = marks_of(p)
    assert got_text == text
    # red wins where they overlap; a span past the end is clipped and a reversed or malformed one ignored
    assert marks == [(4, 9, "good"), (11, 24, "good"), (24, 29, "bad"), (29, 42, "bad")]
    assert [text[a:b] for a, b, _ in marks] == ["sorry", "that was our ", "fault", ". You did it."]
    assert [m.attrs["title"] for m in p.find_all("mark")] == [
        "earned points: apology", "earned points: ownership", "earned points: ownership; cost points: blame",
        "cost points: blame"]


def test_real_replies_are_highlighted_where_the_engine_matched(docs, key):
    root = dom(html_report(entries_of(docs, key)))
    checked = 0
    for d, section in zip(docs, root.find_all("section", class_="candidate")):
        turns = section.find_all("li", class_="turn")
        replies = [r for i in d["items"] if i["kind"] == "scenario" for r in i["replies"]]
        assert len(turns) == len(replies)
        for reply, turn in zip(replies, turns):
            text, marks = marks_of(turn.find("p", class_="text"))
            assert text == reply["reply"]
            kind = [""] * len(text)
            for a, b, cls in marks:
                kind[a:b] = [cls] * (b - a)
            good = {i for m in reply["matched"] for a, b in m["spans"] for i in range(a, b)}
            bad = {i for m in reply["forbidden"] for a, b in m["spans"] for i in range(a, b)}
            assert {i for i, k in enumerate(kind) if k == "bad"} == bad
            assert {i for i, k in enumerate(kind) if k == "good"} == good - bad
            checked += bool(good) + bool(bad)
    assert checked > 6  # the fixture's replies earn and cost points in several places


def test_competency_columns_are_the_union_in_the_fixed_order(docs, key):
    root = dom(html_report(entries_of(docs, key)))
    seen = {c for d in docs for c in d["summary"]["competencies"]}
    keys = [th.attrs["data-key"] for th in root.find("table", id="comparison").find_all("th")]
    assert keys == ["candidate", "pack", "status", "overall", *[c for c in COMPETENCIES if c in seen], "typing_wpm",
                    "typing_accuracy", "paste_attempts", "focus_lost", "fast_replies", "verified"]
    assert "professionalism" in seen and "professionalism" not in docs[0]["summary"]["competencies"]
    assert column(root, "professionalism") == ["", "", "0.0"]  # empty where not assessed
    assert cell(table_rows(root)[0], "professionalism").text() == "–"


def test_figures_carry_the_pack_bar_and_under_it_is_marked_without_verdicts(docs, key):
    html = html_report(entries_of(docs, key))
    root = dom(html)
    strong, mixed = table_rows(root)[:2]
    assert cell(strong, "overall").text() == "100/70" and not cell(strong, "overall").find_all(class_="under")
    assert cell(mixed, "overall").find("span", class_="under").text() == "▾ 68.8"
    assert "under it" in cell(mixed, "overall").find("span", class_="bar").attrs["title"]
    assert not re.search(r"\b(fail|failed|reject|rejected|pass(ed)?)\b", root.find("body").text(), re.I)


def test_results_of_another_pack_version_are_flagged_not_comparable(docs, key):
    root = dom(html_report(entries_of(docs, key)))
    flags = [bool(cell(r, "pack").find_all("span", class_="flag")) for r in table_rows(root)]
    assert flags == [False, False, True]
    assert "pack version 2; most results are from version 1" in root.find("section", id="cand-cand-003").text()
    assert "Not all results are comparable" in root.find("ul", class_="notices").text()
    # the same version with other content, and another pack altogether, are told apart
    changed = copy.deepcopy(docs[0])
    changed["pack"]["content_hash"] = "sha256:" + "0" * 64
    other = copy.deepcopy(docs[1])
    other["pack"]["id"] = "voice-support"
    rows = _rows(entries_of([docs[0], docs[1], changed, other, docs[0]], key))
    assert [bool(r.not_comparable) for r in rows] == [False, False, True, True, False]
    assert "changed without raising its version" in rows[2].not_comparable
    assert rows[3].not_comparable.startswith("another pack (voice-support")
    # one result alone, or all from one pack, is never flagged
    assert not any(r.not_comparable for r in _rows(entries_of(docs[:2], key)))


def test_untrusted_files_say_so_in_the_table_and_their_section(docs, key, tmp_path):
    new_key(tmp_path / "other.key")
    altered = copy.deepcopy(docs[0])
    altered["summary"]["overall"] = 99.0
    other = sign(copy.deepcopy(docs[1]), read_key(tmp_path / "other.key"))
    unsigned = {k: v for k, v in docs[2].items() if k != "signature"}
    entries = entries_of([altered, other, unsigned], key) + [Entry("x.json", docs[0], NOT_VERIFIED)]
    assert [e.status for e in entries] == [ALTERED, OTHER_KEY, UNSIGNED, NOT_VERIFIED]
    root = dom(html_report(entries))
    rows = table_rows(root)
    assert [cell(r, "verified").text() for r in rows] == [ALTERED, OTHER_KEY, UNSIGNED, NOT_VERIFIED]
    assert [r.attrs["class"] for r in rows] == ["untrusted", "untrusted", "untrusted", ""]
    banners = [s.find("p", class_="banner").text() for s in root.find_all("section", class_="candidate")]
    assert banners[0] == "Altered. This file was altered after it was signed: its figures cannot be trusted."
    assert TRUST[OTHER_KEY] in banners[1] and TRUST[UNSIGNED] in banners[2] and TRUST[NOT_VERIFIED] in banners[3]
    notices = root.find("ul", class_="notices").text()
    assert "3 files cannot be trusted" in notices and "no key was given" in notices
    intact = dom(html_report(entries_of(docs[:1], key)))
    assert not intact.find_all("p", class_="banner")
    assert "signature intact" in intact.find("section", class_="candidate").text()


def test_unreadable_files_are_listed_with_their_problem(docs, key, tmp_path):
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "other.json").write_text('{"format": "something else"}', encoding="utf-8")
    good = helpers.write(tmp_path, docs[:1])
    entries = load_entries([str(good[0]), str(tmp_path / "broken.json"), str(tmp_path / "missing.json"),
                            str(tmp_path / "other.json")], key)
    assert [e.status for e in entries] == [INTACT, "unreadable", "unreadable", "unreadable"]
    root = dom(html_report(entries))
    listed = [li.text() for li in root.find("section", class_="unreadable").find_all("li")]
    assert listed == [entries[1].problem, entries[2].problem, entries[3].problem]
    assert "not valid JSON" in listed[0] and "no such file" in listed[1] and "not a screening result" in listed[2]
    assert len(table_rows(root)) == 1 and "3 files could not be read" in root.find("ul", class_="notices").text()


def test_integrity_signals_are_phrased_as_things_to_look_at(docs, key):
    rows = _rows(entries_of(docs, key))
    notes = signals(rows[1])
    assert notes[:2] == ["1 paste attempt was refused during the typing test",
                         "The terminal lost focus 2 times, 14.5 s in all: another window was in front for that time"]
    assert re.fullmatch(r"A reply at 61 characters per second \(“A claim check that never came”, turn opening\): "
                        r"faster than typing speed; check it \(<a href=\"#cand-cand-002-2-1\">see the reply</a>\)",
                        notes[2])
    assert signals(rows[0]) == []
    root = dom(html_report(entries_of(docs, key)))
    fast = root.find("li", id="cand-cand-002-2-1")  # the link leads to the reply, which is flagged too
    assert fast.find("span", class_="flag").text() == "61 characters per second"
    d = copy.deepcopy(docs[0])
    d["integrity"].update(paste_attempts=3, focus_lost={"times": 1, "seconds": 4.0}, notes=["resumed after a crash"])
    d["items"][0]["outcome"] = "timed_out"
    d["items"][1]["replies"][1]["auto_fail"] = ["pci_violation"]
    d["status"] = "incomplete"
    assert signals(_rows(entries_of([d], key))[0]) == [
        "3 paste attempts were refused", "The terminal lost focus 1 time, 4 s in all: another window was in front "
        "for that time", "The time ran out in “Charged twice for one month”",
        "A critical error (pci_violation) in “A claim check that never came”, turn details: that reply scored 0 "
        '(<a href="#cand-cand-001-2-2">see the reply</a>)',
        "The screening is incomplete: 3 parts recorded", "Resumed after a crash"]


def test_damaged_fields_do_not_stop_the_report(docs, key):
    d = docs[0]
    d["summary"] = "not a mapping"
    d["integrity"] = {"paste_attempts": "many", "focus_lost": [], "fast_replies": [{"item": 99}, "x"]}
    d["items"] = [None, {"kind": "scenario", "replies": [{"reply": 42, "matched": [{"spans": [[1, "x"]]}]}]},
                  {"kind": "typing", "per_second": ["a", None, 30], "wpm": float("nan")}]
    d["pack"] = None
    html = html_report([Entry("d.json", d, ALTERED)])
    root = dom(html)
    assert cell(table_rows(root)[0], "overall").text() == "–"
    assert root.find("li", class_="turn").find("p", class_="text").text() == "42"
    assert csv_rows([Entry("d.json", d, ALTERED)])[1][:7] == ["cand-001", "", "", "", "complete", ALTERED, ""]


def test_the_page_is_self_contained(docs, key):
    html = html_report(entries_of(docs, key))
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    for outside in ("http:", "https:", "//cdn", "<link", "@import", " src=", "url("):
        assert outside not in html, outside
    assert "@media print" in html and "<svg" in html


# --- the CSV ------------------------------------------------------------------------------------------------
def test_csv_columns_are_fixed_and_documented():
    header = csv_rows([])[0]
    assert header == ["candidate", "pack", "pack_version", "pack_hash", "status", "verified", "overall",
                      "typing_wpm", "typing_accuracy", "paste_attempts", "focus_lost_times", "focus_lost_seconds",
                      "fast_replies", "started_at", "ended_at", "file", "courtesy", "empathy", "ownership",
                      "clarity", "compliance", "problem_solving", "professionalism", "knowledge", "structure"]
    assert header == CSV_COLUMNS + list(COMPETENCIES)
    doc = (ROOT / "docs" / "screenings.md").read_text(encoding="utf-8")
    reports = doc[re.search(r"^## (\d+\. )?Reports$", doc, re.M).start():]
    assert [c for c in re.findall(r"^\| `([a-z_]+)`", reports, re.M)] == CSV_COLUMNS
    for word in ("#sort=", "competency"):
        assert word in reports


def test_csv_rows_hold_each_results_figures(docs, key):
    rows = csv_rows(entries_of(docs, key) + [Entry("bad.json", None, "unreadable", "bad.json: no such file")])
    assert len(rows) == 5
    for d, row in zip(docs, rows[1:]):
        got = dict(zip(rows[0], row))
        s, i = d["summary"], d["integrity"]
        assert got == {
            "candidate": d["candidate"], "pack": d["pack"]["id"], "pack_version": d["pack"]["version"],
            "pack_hash": d["pack"]["content_hash"], "status": d["status"], "verified": INTACT,
            "overall": s["overall"], "typing_wpm": s["typing_wpm"], "typing_accuracy": s["typing_accuracy"],
            "paste_attempts": i["paste_attempts"], "focus_lost_times": i["focus_lost"]["times"],
            "focus_lost_seconds": i["focus_lost"]["seconds"], "fast_replies": len(i["fast_replies"]),
            "started_at": d["started_at"], "ended_at": d["ended_at"], "file": f"results/{d['candidate']}.json",
            **{c: s["competencies"].get(c, "") for c in COMPETENCIES}}
    assert rows[2][CSV_COLUMNS.index("fast_replies")] == 1 and rows[3][CSV_COLUMNS.index("pack_version")] == 2
    assert rows[4] == [""] * 4 + ["unreadable"] + [""] * 10 + ["bad.json"] + [""] * len(COMPETENCIES)


def test_csv_text_cannot_run_as_a_spreadsheet_formula(docs, key):
    docs[0]["candidate"] = "=HYPERLINK(\"http://x\")"
    row = csv_rows(entries_of(docs[:1], key))[1]
    assert row[0] == "'=HYPERLINK(\"http://x\")" and row[6] == docs[0]["summary"]["overall"]


# --- the command --------------------------------------------------------------------------------------------
class UserError(Exception):
    pass


def report(*argv: str) -> tuple[int, str]:
    """`csrpractice report ...` through report.register on a parser of its own, as the CLI wires it."""
    parser = argparse.ArgumentParser(prog="csrpractice")
    register(parser.add_subparsers(dest="command", required=True), UserError)
    args = parser.parse_args(["report", *argv])
    out = io.StringIO()
    return args.func(args, io.BytesIO(), out), out.getvalue()


def test_report_writes_the_page_and_the_table(files, made, tmp_path):
    key_file = made[0] / "screening.key"
    code, out = report(*map(str, files), "--html", str(tmp_path / "r.html"), "--csv", str(tmp_path / "r.csv"),
                       "--key", str(key_file))
    assert code == 0
    assert out.splitlines() == [
        f"{files[0]}: intact (cand-001, Test screening v1, complete)",
        f"{files[1]}: intact (cand-002, Test screening v1, complete)",
        f"{files[2]}: intact (cand-003, Test screening v2, complete; not comparable: pack version 2; most results "
        "are from version 1)"]
    assert [cell(r, "candidate").text() for r in table_rows(dom((tmp_path / "r.html").read_text("utf-8")))] == \
        ["cand-001", "cand-002", "cand-003"]
    with open(tmp_path / "r.csv", encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0] == CSV_COLUMNS + list(COMPETENCIES) and [r[0] for r in table[1:]] == ["cand-001", "cand-002",
                                                                                          "cand-003"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left


def test_report_still_written_with_a_bad_file_and_exits_1(files, made, tmp_path):
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    altered = json.loads(files[0].read_text("utf-8"))
    altered["summary"]["overall"] = 100
    files[0].write_text(json.dumps(altered), encoding="utf-8")
    (tmp_path / "r.csv").write_text("an older report\n", encoding="utf-8")
    code, out = report(*map(str, files), str(tmp_path / "broken.json"), "--csv", str(tmp_path / "r.csv"),
                       "--key", str(made[0] / "screening.key"))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{files[0]}: altered (cand-001") and lines[1].startswith(f"{files[1]}: intact")
    assert lines[3].startswith(f"unreadable: {tmp_path / 'broken.json'} is not a screening result (not valid JSON")
    assert (tmp_path / "r.csv").read_text("utf-8").splitlines()[4].startswith(",,,,unreadable,")


def test_report_without_a_key_says_the_files_are_not_verified(files, tmp_path):
    code, out = report(str(files[0]), "--html", str(tmp_path / "r.html"))
    assert code == 0 and out == f"{files[0]}: {NOT_VERIFIED} (cand-001, Test screening v1, complete)\n"
    assert "no key was given" in (tmp_path / "r.html").read_text("utf-8")


@pytest.mark.parametrize("argv, message", [
    ([], "nothing to write: give --html FILE and/or --csv FILE"),
    (["--html", "{tmp}/nowhere/r.html"], "cannot write {tmp}/nowhere/r.html: the folder {tmp}/nowhere does not exist"),
    (["--csv", "{tmp}"], "{tmp} is a folder; give a file name"),
    (["--html", "{result}"], "{result} is one of the results; write the report to another file"),
    (["--html", "{tmp}/r.x", "--csv", "{tmp}/r.x"], "--html and --csv are the same file"),
    (["--html", "{tmp}/r.html", "--key", "{tmp}/no.key"], "no key file {tmp}/no.key: make one with csrpractice keygen"),
])
def test_report_errors_are_clear_and_write_nothing(files, tmp_path, argv, message):
    before = sorted(tmp_path.rglob("*"))
    fill = {"tmp": str(tmp_path), "result": str(files[0])}
    with pytest.raises(UserError) as err:
        report(str(files[0]), *[a.format(**fill) for a in argv])
    assert str(err.value).startswith(message.format(**fill))
    assert sorted(tmp_path.rglob("*")) == before


def test_the_report_module_does_not_load_the_ui():
    code = "import csrpractice.screening.report, sys; print(' '.join(sys.modules))"
    mods = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout.split()
    assert not {m for m in mods if m.split(".")[0] in {"textual", "rich"}}


# --- in a real browser --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def chromium():
    exe = shutil.which("chromium")
    if not exe:
        pytest.fail("Debian's chromium is needed to check the report page in a real browser: install it with "
                    "`apt-get install -y chromium` (./test.sh does, when run as root)", pytrace=False)
    return exe


def browse(chromium: str, page: Path, tmp_path: Path, *args: str, fragment: str = "") -> str:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", *args, page.as_uri() + fragment],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


@pytest.fixture
def page(docs, key, tmp_path):
    """The page with the results in the order cand-001, cand-003, cand-002: no column is sorted to begin with."""
    path = tmp_path / "report.html"
    path.write_text(html_report(entries_of([docs[0], docs[2], docs[1]], key)), encoding="utf-8")
    return path


def test_browser_sorts_by_the_url_hash(chromium, page, tmp_path):
    root = dom(browse(chromium, page, tmp_path, "--dump-dom", fragment="#sort=overall-desc"))
    assert [float(v) for v in column(root, "overall")] == [100.0, 68.8, 0.0]
    assert column(root, "candidate") == ["cand-001", "cand-002", "cand-003"]
    assert root.find("th", **{"data-key": "overall"}).attrs["aria-sort"] == "descending"
    root = dom(browse(chromium, page, tmp_path, "--dump-dom", fragment="#sort=candidate-desc"))
    assert column(root, "candidate") == ["cand-003", "cand-002", "cand-001"]
    # empty cells go last either way; equal ones keep the order the files were given in
    for direction in ("asc", "desc"):
        root = dom(browse(chromium, page, tmp_path, "--dump-dom", fragment=f"#sort=professionalism-{direction}"))
        assert column(root, "candidate") == ["cand-003", "cand-001", "cand-002"]
        assert root.find("table", id="comparison").attrs["data-sorted"] == f"professionalism-{direction}"


def test_browser_sorts_by_clicking_a_header(chromium, page, tmp_path):
    # Click "Candidate" twice (text: A to Z, then Z to A), then "WPM" (numbers: highest first), recording the
    # order after each click where the dumped page shows it.
    clicks = """<script>
    var seen = ["start:" + order()];
    function order() { return Array.prototype.map.call(document.querySelectorAll("#comparison tbody tr"),
      function (r) { return r.querySelector('td[data-key="candidate"]').getAttribute("data-v"); }).join(","); }
    ["candidate", "candidate", "typing_wpm"].forEach(function (k) {
      document.querySelector('th[data-key="' + k + '"] button').click();
      seen.push(k + ":" + order() + ":" + location.hash);
    });
    document.body.setAttribute("data-seen", seen.join(" "));
    </script></body>"""
    page.write_text(page.read_text("utf-8").replace("</body>", clicks), encoding="utf-8")
    root = dom(browse(chromium, page, tmp_path, "--dump-dom"))
    assert root.find("body").attrs["data-seen"].split() == [
        "start:cand-001,cand-003,cand-002",
        "candidate:cand-001,cand-002,cand-003:#sort=candidate-asc",
        "candidate:cand-003,cand-002,cand-001:#sort=candidate-desc",
        "typing_wpm:cand-001,cand-003,cand-002:#sort=typing_wpm-desc"]


def test_browser_screenshot(chromium, page, tmp_path):
    shot = tmp_path / "report.png"
    browse(chromium, page, tmp_path, f"--screenshot={shot}", "--window-size=1280,2000",
           fragment="#sort=overall-desc")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1280, 2000)
    assert len(data) > 50_000  # a page with tables and charts, not a blank one
    try:
        shutil.copyfile(shot, SCREENSHOT)  # for people to look at
    except OSError:
        pass
