"""Text normalisation: what the matcher sees, and where each token came from."""
import pytest

from scoring.text import normalize, tokenize


@pytest.mark.parametrize("raw, expected", [
    ("Hello, WORLD!!", "hello world"),
    ("I can't help", "i cannot help"),
    ("I won't do that", "i will not do that"),
    ("We don't  \t know", "we do not know"),
    ("I\u2019m here \u2018today\u2019", "i am here today"),
    ("you\u2019re right, it\u2019s fine", "you are right it is fine"),
    ("they've gone, we'll see, I'd say", "they have gone we will see i would say"),
    ("Let's check the customer's order", "let us check the customer order"),
    ("um i cant do that dont worry", "um i cannot do that do not worry"),
    ("im sorry youre waiting", "i am sorry you are waiting"),
    ("ill send it today", "i will send it today"),
    ("my mother is ill", "my mother is ill"),
    ("", ""),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_tokens_keep_their_offsets_in_the_original():
    text = "Hi Maria,  I\u2019m SO sorry!"
    for tok in tokenize(text):
        if tok.kind == "word" and tok.text not in ("i", "am"):
            assert text[tok.start:tok.end].casefold() == tok.text
    i_am = [t for t in tokenize(text) if t.text in ("i", "am")]
    assert {(t.start, t.end) for t in i_am} == {(11, 14)}  # both words point at "I’m"


def test_sentence_and_clause_breaks():
    toks = tokenize("No, I can help. Thanks")
    assert [t.kind for t in toks] == ["word", "word", "word", "word", "stop", "word"]
    assert toks[1].clause_break is True and toks[0].clause_break is False


def test_numbers_and_odd_characters():
    toks = tokenize("Order 12,345.67 \x00\x1b[2J 😀 مرحبا")
    assert [t.text for t in toks] == ["order", "12,345.67", "2", "j", "مرحبا"]
