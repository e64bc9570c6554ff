"""Compiler-style diagnostics: file:line:column, the key path, what was expected, and a suggestion."""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int | None  # 1-based; None when the problem has no place in the file (e.g. it cannot be read)
    column: int | None
    path: str  # the key path, e.g. turns.opening.rubric.required[0]
    message: str
    severity: str = "error"  # error | warning

    def format(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        path = f"{self.path}: " if self.path else ""
        return f"{where}: {self.severity}: {path}{self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "path": self.path,
                "message": self.message, "severity": self.severity}


def did_you_mean(word: str, choices, cutoff: float = 60) -> str:
    """' (did you mean "x"?)' for the closest choice, or '' when nothing is close."""
    choices = [c for c in choices if isinstance(c, str)]
    if not choices or not isinstance(word, str):
        return ""
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return f' (did you mean "{best[0]}"?)' if best else ""


def path_str(path: tuple) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
