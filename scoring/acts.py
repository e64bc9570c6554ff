"""Speech acts: who is saying what to whom, decided before a penalty or critical finding counts.

A conduct finding only counts when it is the agent's own act. Words the agent quotes ("you wrote
'this is a joke'") or reports from someone else ("the store told you it was your fault") are not
the agent blaming anyone, and a card number the agent asks the customer to key into a phone keypad or
a secure link is not a card number asked for aloud.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from scoring.matcher import Prepared

SPEECH_ACTS = frozenset({"quoted", "secure_entry"})  # what a marker's `not_when` may name

# Reporting verbs, and who may report: a third party, or the customer ("you said", "you mentioned").
_REPORT_VERBS = frozenset("said says told tells mentioned mentions wrote writes claimed claims stated explained "
                          "insisted promised informed advised assured".split())
_THIRD = frozenset("they he she someone somebody".split())
_THIRD_NOUNS = frozenset(
    "agent agents rep reps representative representatives store shop bank colleague colleagues technician tech "
    "driver courier manager person staff team clerk airline hotel doctor pharmacy pharmacist branch seller "
    "associate advisor adviser caller operator company carrier landlord insurer dealer friend husband wife "
    "partner son daughter mother father".split())
_YOU_VERBS = frozenset("said say mentioned mention wrote write told explained described put asked".split())
_DETERMINERS = frozenset("the a an your another our their his her that this one".split())

# Telling the customer to enter a number somewhere the agent does not hear or see it.
_SECURE_PLACE = re.compile(
    r" (key ?pad|dial ?pad|keypad|ivr|secure (link|form|portal|page|line|payment|site|system)|payment "
    r"(link|portal|page|form|system|line)|automated (system|line|payment|phone)|pay online|tokeni[sz]ed|"
    r"encrypted (link|form|line)) ")
_SECURE_VERB = re.compile(
    r" (key|keying|punch|enter|entering|type|typing|input|tap|dial|use|using) (\S+ ){0,6}"
    r"(in|into|on|through|via|with|using) (\S+ ){0,3}(phone|keypad|link|portal|form|app|page|screen|system|"
    r"buttons|keys|website|site) ")
_NOT_HEARD = re.compile(
    r" (i|we) (will not|cannot|do not|never|will never|would not) (hear|see|be able to (hear|see)|have access|"
    r"need to (hear|see)) | (do not|never|please do not|no need to) (read|say|tell|give|share|send|type) (it|them|"
    r"the (card|number|code|digits|full)|your (card|number|code|full)|me|that|those|any) ")


@dataclass(frozen=True)
class Acts:
    """Where in a reply the agent is not speaking for themselves, and which sentences say 'enter it securely'."""

    quoted: tuple[tuple[int, int], ...]  # token ranges [first, last] inside quotes or reported speech
    secure_entry: frozenset[int]  # sentence numbers

    def covers(self, first: int, last: int) -> bool:
        return any(a <= first and last <= b for a, b in self.quoted)


def _reported(p: Prepared) -> list[tuple[int, int]]:
    canon, tokens, out = p.canon, p.tokens, []
    for k, word in enumerate(canon):
        if word not in _REPORT_VERBS and word not in _YOU_VERBS:
            continue
        subj = k - 1
        while subj >= 0 and canon[subj] in ("already", "also", "just", "clearly", "apparently", "then", "originally",
                                             "previously", "actually", "have", "has", "had", "did"):
            subj -= 1
        if subj < 0 or tokens[subj].kind == "stop":
            continue
        who = canon[subj]
        third = who in _THIRD or (who in _THIRD_NOUNS and subj > 0 and canon[subj - 1] in _DETERMINERS)
        you = who == "you" and word in _YOU_VERBS and not (word == "told" and k + 1 < len(canon)
                                                          and canon[k + 1] not in ("me", "us"))
        if not (third or you):
            continue
        start = subj - 1 if third and who in _THIRD_NOUNS else subj
        end = k
        while end + 1 < len(tokens) and tokens[end + 1].kind != "stop":
            end += 1
        out.append((start, end))
    return out


def _quoted(p: Prepared) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[\"\u201c]([^\"\u201c\u201d]{3,}?)[\"\u201d]", p.text):
        inside = [i for i, t in enumerate(p.tokens) if t.kind != "stop" and m.start() <= t.start and t.end <= m.end()]
        if len(inside) >= 2:
            out.append((inside[0], inside[-1]))
    return out


def find_acts(p: Prepared) -> Acts:
    """The speech acts of a prepared reply."""
    secure: set[int] = set()
    sentence_words: dict[int, list[str]] = {}
    for i, word in enumerate(p.canon):
        if p.tokens[i].kind != "stop":
            sentence_words.setdefault(p.sentence_of[i], []).append(word)
    for n, words in sentence_words.items():
        s = " " + " ".join(words) + " "
        if _SECURE_PLACE.search(s) or _SECURE_VERB.search(s) or _NOT_HEARD.search(s):
            secure.add(n)
    return Acts(tuple(_quoted(p) + _reported(p)), frozenset(secure))
