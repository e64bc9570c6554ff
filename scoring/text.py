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


# Spelled-out numbers become digits, as speech-to-text and careful writers give them: "three to five
# business days" is "3 to 5 business days" to the matcher, "four one one one" is "4111".
_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                       "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split(), 0)
         if w != "_"}


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
    return _numbers_to_digits(tokens)


def _number_at(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """The number spelled out from tokens[i] on, as digits, and the index after it; None if none starts here."""
    word = tokens[i].text
    if word not in _UNITS and word not in _TENS:
        return None
    # A run of single digits read out one by one ("four one one one", "oh" among them) is a digit string.
    j, digits = i, []
    while j < len(tokens) and tokens[j].kind == "word" and (
            tokens[j].text in _UNITS and _UNITS[tokens[j].text] < 10 or (digits and tokens[j].text == "oh")):
        if j > i and tokens[j].clause_break:
            break
        digits.append("0" if tokens[j].text == "oh" else str(_UNITS[tokens[j].text]))
        j += 1
    if len(digits) >= 2:
        return "".join(digits), j
    # Otherwise a cardinal: "seventy five", "one hundred and twenty", "two thousand".
    total, chunk, j = 0, None, i
    while j < len(tokens) and tokens[j].kind == "word" and (j == i or not tokens[j].clause_break):
        w = tokens[j].text
        if w in _TENS and (chunk is None or chunk % 100 == 0):
            chunk = (chunk or 0) + _TENS[w]
        elif w in _UNITS and _UNITS[w] < 10 and (chunk is None or chunk % 10 == 0 and not 10 <= chunk % 100 < 20):
            chunk = (chunk or 0) + _UNITS[w]
        elif w in _UNITS and (chunk is None or chunk % 100 == 0):
            chunk = (chunk or 0) + _UNITS[w]
        elif w == "hundred" and chunk is not None and 0 < chunk < 10:
            chunk *= 100
        elif w == "thousand" and chunk is not None and 0 < chunk and not total:
            total, chunk = chunk * 1000, 0
        elif not (w == "and" and chunk is not None and chunk % 100 == 0 and j + 1 < len(tokens)
                  and (tokens[j + 1].text in _UNITS or tokens[j + 1].text in _TENS)):
            break
        j += 1
    if chunk is None:
        return None
    if tokens[j - 1].text == "and":
        j -= 1
    return str(total + chunk), j


def _numbers_to_digits(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        found = _number_at(tokens, i) if tok.kind == "word" else None
        if found is None:
            out.append(tok)
            i += 1
            continue
        digits, j = found
        out.append(Token(digits, tok.start, tokens[j - 1].end, "num", tok.clause_break))
        i = j
    return out


def normalize(text: str) -> str:
    """The reply as the matcher sees it: lowercase words, contractions expanded, no punctuation."""
    return " ".join(t.text for t in tokenize(text) if t.kind != "stop")
