"""Safe YAML reading that remembers where every value came from.

Only plain data: no tags that construct objects, no duplicate keys (plain PyYAML silently keeps the
last), a size limit, a budget for aliases (so an alias bomb cannot expand), and a nesting limit.
Nothing in a file is ever executed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from csrpractice.scenario.diagnostics import Diagnostic

MAX_BYTES = 1_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")}
_scalars = yaml.SafeLoader.__new__(yaml.SafeLoader)  # only its pure scalar constructors are used


class YamlError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


@dataclass
class Source:
    """A parsed file: its data and the line/column of every value and key, by key path."""

    file: str
    data: object
    values: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: tuple, key: bool = False) -> tuple[int | None, int | None]:
        """The place of `path` (its key when `key`), or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            table = self.keys if key and path in self.keys else self.values
            if path in table:
                return table[path]
            if not path:
                return None, None
            path = path[:-1]

    def error(self, path: tuple, message: str, key: bool = False, severity: str = "error") -> Diagnostic:
        from csrpractice.scenario.diagnostics import path_str

        line, col = self.where(path, key)
        return Diagnostic(self.file, line, col, path_str(path), message, severity)


def _fail(file: str, message: str, mark=None) -> YamlError:
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    return YamlError(Diagnostic(file, line, col, "", message))


def read_text(path: Path, label: str | None = None) -> str:
    """The file's text, or a YamlError saying why it cannot be read as a YAML text file."""
    file = label or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _fail(file, f"the file is {size / 1e6:.1f} MB; a scenario file may be at most "
                              f"{MAX_BYTES / 1e6:.0f} MB")
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(file, f"cannot read the file: {exc.strerror or exc}") from None
    return decode(raw, file)


def decode(raw: bytes, file: str) -> str:
    if len(raw) > MAX_BYTES:
        raise _fail(file, f"the text is {len(raw) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB")
    if b"\x00" in raw:
        raise _fail(file, "this is a binary file (it contains NUL bytes), not YAML text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlError(Diagnostic(file, line, col, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                                                        "save the file as UTF-8")) from None


def parse(text: str, file: str) -> Source:
    """Parse YAML text into plain data with positions; raises YamlError with file:line:column."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or "invalid YAML"
        mark = exc.problem_mark or exc.context_mark
        line_text = text.splitlines()[mark.line] if mark is not None and mark.line < len(text.splitlines()) else ""
        if "\t" in line_text[:mark.column + 1] if mark is not None else False:
            problem = "a tab character; indent YAML with spaces, not tabs"
        elif "maximum nesting depth" in problem:
            problem = "nested too deeply"
        raise _fail(file, f"YAML syntax error: {problem}", exc.problem_mark or exc.context_mark) from None
    except yaml.YAMLError as exc:
        raise _fail(file, f"YAML error: {exc}") from None
    except RecursionError:
        raise _fail(file, "nested too deeply") from None
    src = Source(file, None)
    if node is None:
        return src
    budget = [MAX_NODES]
    src.data = _convert(node, (), src, budget, 0)
    return src


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", yaml.MappingNode, yaml.SequenceNode
_SCALAR = {tag: getattr(_scalars, f"construct_yaml_{tag.rsplit(':', 1)[-1]}") for tag in _CORE
           if not tag.endswith(("seq", "map", "timestamp"))}


def _convert(node, path: tuple, src: Source, budget: list, depth: int):
    budget[0] -= 1
    if budget[0] < 0:
        raise _fail(src.file, f"the document expands to more than {MAX_NODES:,} values "
                              "(too many aliases?)", node.start_mark)
    if depth > MAX_DEPTH:
        raise _fail(src.file, "nested too deeply", node.start_mark)
    tag = node.tag
    if tag not in _CORE:
        raise _fail(src.file, f"YAML tags such as {tag.replace('tag:yaml.org,2002:', '!!')} are not "
                              "allowed: scenario files hold plain data only", node.start_mark)
    mark = node.start_mark
    src.values[path] = (mark.line + 1, mark.column + 1)
    cls = node.__class__
    if cls is _MAP:
        out: dict = {}
        for key_node, value_node in node.value:
            kmark = key_node.start_mark
            if key_node.__class__ is not yaml.ScalarNode or key_node.tag not in _SCALAR:
                what = "merge keys (<<) are" if key_node.tag.endswith("merge") else "this kind of key is"
                raise _fail(src.file, f"{what} not allowed: a mapping key must be a plain value", kmark)
            key = key_node.value if key_node.tag == _STR else _SCALAR[key_node.tag](key_node)
            if key in out:
                first = src.keys[path + (key,)]
                raise _fail(src.file, f"duplicate key {key!r} (first defined at line {first[0]}); "
                                      "a key may appear only once in a mapping", kmark)
            kpath = path + (key,)
            src.keys[kpath] = (kmark.line + 1, kmark.column + 1)
            out[key] = _convert(value_node, kpath, src, budget, depth + 1)
        return out
    if cls is _SEQ:
        return [_convert(v, path + (i,), src, budget, depth + 1) for i, v in enumerate(node.value)]
    if tag == _STR:
        return node.value
    if tag == "tag:yaml.org,2002:timestamp":
        return node.value
    return _SCALAR[tag](node)


def load(path: Path, label: str | None = None) -> Source:
    file = label or str(path)
    return parse(read_text(path, file), file)
