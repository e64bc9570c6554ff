"""Typing metrics against hand-computed values and against monkeytype's own test case."""
import pytest

from scoring.typing import BACKSPACE, count_chars, filter_auto_repeat, kogasa, rebuild, score_drill


def keys(text: str, dt: float = 0.2, t0: float = 0.0):
    """A log from a string; '<' stands for backspace."""
    return [(t0 + i * dt, BACKSPACE if ch == "<" else ch) for i, ch in enumerate(text)]


def test_monkeytype_count_chars_case():
    # monkeytype's test-stats spec: words "one two three four five", typed "one twoooooo three fo"
    # in 5 s gives WPM 24.0 and raw 50.4 when the partial last word does not count.
    c = count_chars(["one", "twoooooo", "three", "fo"], ["one", "two", "three", "four", "five"], False)
    assert (c.correct_word_chars, c.correct_spaces) == (8, 2)
    assert (c.all_correct_chars, c.spaces, c.incorrect_chars, c.extra_chars, c.missed_chars) == (13, 3, 0, 5, 2)
    assert (c.correct_word_chars + c.correct_spaces) * 60 / 5 / 5 == pytest.approx(24.0)
    assert (c.all_correct_chars + c.spaces + c.extra_chars) * 60 / 5 / 5 == pytest.approx(50.4)


def test_timed_drill_counts_a_correctly_begun_last_word():
    r = score_drill("one two three four five", keys("one twoooooo three fo", dt=5 / 20), duration=5)
    assert (r.wpm, r.raw_wpm) == (28.8, 50.4)  # "fo" of "four" counts in a timed drill
    assert r.counts.missed_chars == 0


def test_untimed_drill_ends_with_the_last_keystroke():
    r = score_drill("one two three four five", keys("one twoooooo three fo", dt=0.25))
    assert r.duration == 5.0  # 21 keystrokes, 0.25 s apart: first to last is 5 s
    assert (r.wpm, r.raw_wpm) == (24.0, 50.4)
    assert r.counts.missed_chars == 2 and r.errors == 5 + 2  # 5 extra, 2 missed


def test_backspaces_and_corrected_mistakes():
    # "teh" -> backspace -> "te " (wrong space) -> two backspaces -> "he quick brown fox"
    r = score_drill("the quick brown fox", keys("teh< <<he quick brown fox"))
    assert r.typed == "the quick brown fox"
    assert r.keystrokes == 22 and r.backspaces == 3
    assert r.accuracy == pytest.approx(100 * 19 / 22, abs=0.01)  # corrected mistakes still count against it
    assert r.errors == 0  # nothing left uncorrected
    assert r.duration == pytest.approx(4.8)
    assert r.wpm == pytest.approx(19 * 60 / 4.8 / 5)  # 16 letters + 3 spaces
    assert r.wpm == r.raw_wpm  # the final text is all correct


def test_extra_characters_and_a_too_short_word():
    r = score_drill("cat dog", keys("catt do"), duration=10)
    # "catt": 3 correct + 1 extra; the space after a wrong word is not a correct space;
    # "do" is a correctly begun last word: it counts in a timed drill.
    assert r.counts.extra_chars == 1 and r.counts.correct_spaces == 0
    assert r.counts.correct_word_chars == 2
    assert r.wpm == pytest.approx(2 * 6 / 5)
    short = score_drill("cat dog", keys("ca dog"))
    assert short.counts.missed_chars == 1 and short.errors == 1
    assert short.counts.correct_word_chars == 3 and short.counts.correct_spaces == 0


def test_an_early_space_skips_the_rest_of_the_word():
    r = score_drill("hello world", keys("hel world"))
    assert r.counts.missed_chars == 2 and r.counts.correct_word_chars == 5
    assert r.key_errors[" "] == (1, 1)  # the early space was a wrong keystroke


def test_zero_keystrokes():
    r = score_drill("anything", [])
    assert (r.wpm, r.raw_wpm, r.accuracy, r.errors, r.per_second) == (0, 0, 0, 0, [])
    assert score_drill("anything", [], duration=30).wpm == 0


def test_spaces_on_an_empty_word_are_ignored():
    assert rebuild(keys("  a  b ")) == "a b "
    r = score_drill("a b", keys("  a  b"))
    assert r.keystrokes == 3 and r.accuracy == 100


def test_per_second_series_and_consistency():
    steady = score_drill("aaaa " * 40, [(i * 0.2, "aaaa "[i % 5]) for i in range(100)], duration=20)
    assert len(steady.per_second) == 20 and steady.raw_per_second == [60] * 20
    assert steady.consistency == 100.0
    assert steady.per_second[-1] == steady.wpm
    bursts = [(0.1 * i, "a" if i % 2 == 0 else " ") for i in range(10)] + [(5.5, "a")]
    uneven = score_drill("a " * 50, bursts, duration=6)
    assert 0 <= uneven.consistency < steady.consistency
    assert kogasa(0) == 100 and kogasa(1) < kogasa(0.5)


def test_weakest_keys_and_net_wpm():
    r = score_drill("sip sip sip", keys("sop sop sip"), duration=60)
    assert r.weakest_keys(1) == [("i", 2, 3)]
    assert r.errors == 2
    assert r.net_wpm == pytest.approx(max(0.0, 11 / 5 - 2))  # gross minus errors per minute
    assert not r.meets_chat_bar


def test_held_key_auto_repeat_is_dropped():
    log = [(0.0, "a"), (0.5, "b"), (0.53, "b"), (0.56, "b"), (0.59, "b"), (1.0, "c"), (1.1, "c")]
    kept, dropped = filter_auto_repeat(log)
    assert [k for _, k in kept] == ["a", "b", "c", "c"] and dropped == 3


@pytest.mark.parametrize("content, message", [
    (b"", "has no text to type"),
    (b"   \n\t ", "has no text to type"),
    (b"\x00\x01binary", "is a binary file"),
    (b"caf\xe9 latin-1", "is not UTF-8 text"),
    (b"word " * 5000, "a drill takes at most 20,000"),
])
def test_custom_text_bad_files(tmp_path, content, message):
    from csrpractice.drills import DrillError, make_drill

    f = tmp_path / "drill.txt"
    f.write_bytes(content)
    with pytest.raises(DrillError, match=message):
        make_drill("custom", file=f)


def test_custom_text_is_tidied(tmp_path):
    from csrpractice.drills import make_drill

    f = tmp_path / "drill.txt"
    f.write_text("\ufeffHello,\n  customer   service!\n")
    assert make_drill("custom", file=f).text == "Hello, customer service!"


def test_drill_content_ships_and_is_valid():
    from csrpractice.drills import chat_sessions, make_drill, passages, words

    assert len(words()) >= 500 and len(passages()) >= 50 and len(chat_sessions()) >= 4
    kinds = {p["kind"] for p in passages().values()}
    assert kinds == {"chat", "crm_note", "email", "address", "policy"}
    for s in chat_sessions().values():
        assert 2 <= len(s.chats) <= 3
        for c in s.chats:
            ats = [m.at for m in c.messages]
            assert ats == sorted(ats)
    assert make_drill("words", count=25, seed=1).text == make_drill("words", count=25, seed=1).text
    assert len(make_drill("time", seconds=15).text.split()) >= 60
