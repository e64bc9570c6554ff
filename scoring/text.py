"""Text normalisation and tokenisation that keeps every token's place in the original reply.

Matching works on normalised tokens; highlights use the offsets, so they land on what the user typed.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

APOSTROPHES = "'\u2019\u2018\u02bc\u2032`\u00b4"
_APOS = re.escape(APOSTROPHES)

# A token is a number (with its separators), a word (with inner apostrophes or hyphens), or a
# sentence or clause break.  Everything else (emoji, symbols, control characters) is skipped.
_TOKEN_RE = re.compile(
    rf"(?P<num>\d+(?:[.,:/]\d+)*)"
    rf"|(?P<word>[^\W\d_]+(?:[{_APOS}][^\W\d_]+)*)"
    rf"|(?P<stop>[.!?\u2026\u3002]+|\n\s*\n)"
    rf"|(?P<clause>[,;:\u2014\u2013()\"\u201c\u201d\n]|\s-\s)"
)

_NOT_FORMS = {
    "can't": ("cannot",), "cannot": ("cannot",), "won't": ("will", "not"), "shan't": ("shall", "not"),
    "ain't": ("is", "not"),
}
# Apostrophe-less forms as speech-to-text and hurried typists write them.  Only unambiguous ones:
# "ill", "were", "its", "id", "hell", "well" are real words and stay as they are.
_BARE = {
    "cant": ("cannot",), "dont": ("do", "not"), "doesnt": ("does", "not"), "didnt": ("did", "not"),
    "isnt": ("is", "not"), "arent": ("are", "not"), "wasnt": ("was", "not"), "werent": ("were", "not"),
    "havent": ("have", "not"), "hasnt": ("has", "not"), "hadnt": ("had", "not"), "wont": ("will", "not"),
    "wouldnt": ("would", "not"), "shouldnt": ("should", "not"), "couldnt": ("could", "not"),
    "mustnt": ("must", "not"), "im": ("i", "am"), "ive": ("i", "have"), "youre": ("you", "are"),
    "youve": ("you", "have"), "youll": ("you", "will"), "youd": ("you", "would"),
    "theyre": ("they", "are"), "theyve": ("they", "have"), "weve": ("we", "have"),
    "thats": ("that", "is"), "whats": ("what", "is"), "theres": ("there", "is"),
    "heres": ("here", "is"), "itll": ("it", "will"), "shes": ("she", "is"), "hes": ("he", "is"),
    "gonna": ("going", "to"), "wanna": ("want", "to"), "gotta": ("got", "to"),
    "lemme": ("let", "me"),
}
# After these words "ill" means sick; elsewhere in a reply it is almost always "I'll".
_ILL_BEFORE = frozenset("is was be been am are were very so seriously gravely fell falls feel feels feeling felt "
                        "became become got gets getting too quite really critically terminally mentally".split())
_SUFFIXES = {"re": ("are",), "ve": ("have",), "ll": ("will",), "d": ("would",), "m": ("am",)}
_S_IS = {"it", "that", "there", "here", "what", "who", "where", "how", "he", "she", "everything",
         "something", "nothing", "this", "today", "now", "everyone", "someone", "let"}


@dataclass(frozen=True, slots=True)
class Token:
    """One normalised token and the characters of the original text it came from."""

    text: str
    start: int
    end: int
    kind: str = "word"  # word | num | stop (sentence break)
    clause_break: bool = False  # a comma, colon or dash stands right before it


def _fold(word: str) -> str:
    if word.isascii():
        return word.lower().replace("`", "'")
    word = unicodedata.normalize("NFKC", word).casefold()
    for a in APOSTROPHES[1:]:
        word = word.replace(a, "'")
    return word


def expand(word: str) -> tuple[str, ...]:
    """Split one folded word into the words it stands for ("can't" -> ("cannot",))."""
    if word in _NOT_FORMS:
        return _NOT_FORMS[word]
    if "'" not in word:
        return _BARE.get(word, (word,))
    head, _, tail = word.partition("'")
    if not head:
        return _SUFFIXES.get(tail, (tail,))
    if tail == "t" and head.endswith("n"):
        return (head[:-1], "not")
    if tail in _SUFFIXES:
        return (head, *_SUFFIXES[tail])
    if tail == "s":
        if head == "let":
            return ("let", "us")
        return (head, "is") if head in _S_IS else (head,)
    return (word.replace("'", ""),)


def tokenize(text: str) -> list[Token]:
    """Tokens of `text`, contractions expanded, each with its offsets in `text`."""
    tokens: list[Token] = []
    pending_break = False
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind == "clause":
            pending_break = True
            continue
        if kind == "stop":
            if tokens and tokens[-1].kind != "stop":
                tokens.append(Token(".", m.start(), m.end(), "stop"))
            pending_break = False
            continue
        if kind == "num":
            tokens.append(Token(m.group(), m.start(), m.end(), "num", pending_break))
        else:
            word = _fold(m.group())
            if word == "ill" and not (tokens and tokens[-1].text in _ILL_BEFORE):
                word = "i'll"  # speech-to-text and hurried typing drop the apostrophe of "I'll"
            for part in expand(word):
                tokens.append(Token(part, m.start(), m.end(), "word", pending_break))
                pending_break = False
        pending_break = False
    return tokens


def normalize(text: str) -> str:
    """The reply as the matcher sees it: lowercase words, contractions expanded, no punctuation."""
    return " ".join(t.text for t in tokenize(text) if t.kind != "stop")
