"""Card numbers, security codes and social security numbers, found by rule rather than by fuzzy matching.

Anything the app stores or shows goes through `redact` first, so no full card number is ever kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# 13-19 digits, single spaces or dashes allowed between them.
_CARD_RE = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])")
_CODE_RE = re.compile(
    r"\b(?:cvv2?|cvc2?|cid|csc|security\s+code|card\s+verification\s+(?:code|value|number))"
    r"\b[^\d\n]{0,12}?(?<!\d)(\d{3,4})(?!\d)",
    re.IGNORECASE,
)
_SSN_RE = re.compile(r"(?<![\d-])(\d{3})[- ](\d{2})[- ](\d{4})(?![\d-])")
_SSN_LABEL_RE = re.compile(r"\b(?:ssn|social(?:\s+security)?(?:\s+number)?)\b[^\d\n]{0,12}?(?<!\d)(\d{9})(?!\d)",
                           re.IGNORECASE)


_ANY_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Sensitive:
    """A sensitive number in a text: its kind and the characters it occupies."""

    kind: str  # card | code | ssn
    start: int
    end: int


def luhn_ok(digits: str) -> bool:
    """True when the digit string passes the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def find_sensitive(text: str) -> list[Sensitive]:
    """Every Luhn-valid card number, labelled security code and SSN in `text`, in order."""
    found: list[Sensitive] = []
    if not _ANY_DIGIT.search(text):
        return found
    for m in _CARD_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and luhn_ok(digits):
            found.append(Sensitive("card", m.start(), m.end()))
    for m in _CODE_RE.finditer(text):
        found.append(Sensitive("code", m.start(1), m.end(1)))
    for m in _SSN_RE.finditer(text):
        found.append(Sensitive("ssn", m.start(), m.end()))
    for m in _SSN_LABEL_RE.finditer(text):
        found.append(Sensitive("ssn", m.start(1), m.end(1)))
    found.sort(key=lambda s: s.start)
    # A card number can contain what looks like an SSN or a code; keep the outermost.
    kept: list[Sensitive] = []
    for s in found:
        if kept and s.start < kept[-1].end:
            continue
        kept.append(s)
    return kept


def _mask(chunk: str, keep: int) -> str:
    digits_left = sum(ch.isdigit() for ch in chunk)
    out = []
    for ch in chunk:
        if ch.isdigit():
            out.append(ch if digits_left <= keep else "*")
            digits_left -= 1
        else:
            out.append(ch)
    return "".join(out)


def redact(text: str) -> str:
    """`text` with every card number and SSN masked but for its last 4 digits, and security codes masked whole."""
    parts: list[str] = []
    pos = 0
    for s in find_sensitive(text):
        parts.append(text[pos:s.start])
        parts.append(_mask(text[s.start:s.end], 0 if s.kind == "code" else 4))
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts)
