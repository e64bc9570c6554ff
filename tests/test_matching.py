"""Phrase matching: typo tolerance, negation scope, conditional forms, word boundaries."""
import pytest

from scoring.matcher import Vocabulary, find, prepare
from scoring.patterns import PatternError, compile_pattern


def hits(pattern: str, text: str, classes=None):
    c = compile_pattern(pattern, classes or {})
    vocab = Vocabulary(c.words)
    return [text[h.start:h.end] for h in find(prepare(text, vocab), c)]


def test_plain_match_reports_original_span():
    assert hits("i can help", "Sure — I can help you.") == ["I can help"]


@pytest.mark.parametrize("text", [
    "I can't help you with that",
    "I cannot help you with that",
    "i cant help you with that",
    "I don't think I can help you",
    "I'm not sure I can help",
    "I will never be able to help",
])
def test_negation_blocks_a_match(text):
    assert hits("i [am able to|can|will be able to] help", text) == []


@pytest.mark.parametrize("text", [
    "No problem, I can help",
    "Don't worry, I can help",
    "I can't refund it, but I can help with a credit",
    "No, I can help with that",
    "Not only that — I can help",
])
def test_false_negation_triggers_do_not_block(text):
    assert hits("i can help", text)


def test_negation_in_a_gap_blocks():
    assert hits("i am ~2 able to refund", "I'm not able to refund that") == []
    assert hits("i am ~2 able to refund", "I'm definitely able to refund that")


def test_literal_negation_in_pattern_is_allowed():
    assert hits("nothing i can do", "There's nothing I can do") == ["nothing I can do"]


def test_fragments_inside_words_do_not_match():
    assert hits("hi", "this is high time") == []
    assert hits("hi", "hi there") == ["hi"]


@pytest.mark.parametrize("typo", ["recieve", "recive", "receve"])
def test_typos_in_longer_words_are_forgiven(typo):
    assert hits("you will receive", f"you will {typo} it")


def test_short_words_are_not_confused():
    assert hits("place you on hold", "place you on gold") == []
    assert hits("wait", "I want it") == []


def test_sentence_anchors():
    assert hits("^ thanks for calling", "Thanks for calling Acme. How can I help?")
    assert hits("^ thanks for calling", "Sure. Thanks for calling") == []
    assert hits("$ thanks for calling", "Sure. Thanks for calling")
    assert hits("$ thanks for calling", "Thanks for calling") == []


def test_word_classes_prefix_suffix_and_any_word():
    classes = {"feel": ["frustrating", "a pain"]}
    assert hits("so @feel", "that is so frustrating", classes)
    assert hits("apolog*", "I apologise")
    assert hits("*ing soon", "shipping soon")
    assert hits("i will _", "I'll send it") == ["I'll send"]


@pytest.mark.parametrize("bad", ["(a|b", "a)", "[x", "(|a)", "@nosuch", "  "])
def test_bad_patterns_raise_a_readable_error(bad):
    with pytest.raises(PatternError) as exc:
        compile_pattern(bad, {})
    assert "pattern" in str(exc.value)


def test_scenario_phrase_words_are_not_rewritten_to_marker_words():
    from scoring import default_library
    from scoring.matcher import LayeredVocabulary

    vocab = LayeredVocabulary({"appeal", "ticker", "respectful"}, default_library().vocab)
    assert [vocab.canonical(w) for w in ("appeal", "ticker", "respectful")] == ["appeal", "ticker", "respectful"]
    assert vocab.canonical("apeal") == "appeal"  # typos of them are still forgiven
