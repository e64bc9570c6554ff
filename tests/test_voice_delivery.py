"""Delivery metrics from hand-made word timings: words per minute over talk time, fillers (the rule for the
words that are only sometimes fillers), long pauses."""
import pytest

from csrpractice.audio.delivery import LONG_PAUSE, find_fillers, find_long_pauses, measure
from csrpractice.audio.transcribe import Transcript, Word


def timed(text: str, start: float = 0.0, step: float = 0.4, gaps: dict[int, float] | None = None) -> list[Word]:
    """Words `step` seconds apart (each lasting 0.3 s); gaps adds extra silence before word i."""
    words, t = [], start
    for i, w in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.0)
        words.append(Word(w, round(t, 3), round(t + 0.3, 3), 0.9))
        t += step
    return words


def fillers(text: str) -> list[str]:
    return [f.text for f in find_fillers(timed(text))]


def test_hesitations_and_hedges_always_count():
    assert fillers("um so the order uh shipped erm yesterday") == ["um", "uh", "erm"]
    assert fillers("basically it actually shipped") == ["basically", "actually"]


def test_you_know_counts_as_a_filler_only_in_filler_use():
    assert fillers("the package you know should arrive soon") == ["you know"]
    assert fillers("do you know your order number") == []
    assert fillers("you know what I will check") == []
    assert fillers("so you know the refund is on its way") == []  # "just so you know": informing


def test_i_mean_kind_of_and_sort_of():
    assert fillers("i mean we can fix this") == ["i mean"]
    assert fillers("i mean it") == []
    assert fillers("it is kind of late and sort of broken") == ["kind of", "sort of"]
    assert fillers("what kind of problem is it") == []
    assert fillers("this sort of thing happens") == []


def test_like_counts_only_where_it_is_clearly_a_filler():
    assert fillers("it took like five days") == ["like"]
    assert fillers("so like the box was empty") == ["like"]
    assert fillers("um like the box was empty") == ["um", "like"]
    assert fillers("i would like two tickets") == []
    assert fillers("i like this plan") == []
    assert fillers("it looks like the parcel was lost") == []


def test_filler_times_are_the_words_times():
    words = timed("well you know we can fix that")
    (f,) = find_fillers(words)
    assert (f.text, f.start, f.end) == ("you know", words[1].start, words[2].end)


def test_long_pauses_are_gaps_over_two_seconds_between_words():
    words = timed("hello there sorry for the wait", gaps={2: 2.5, 4: 1.9})
    (pause,) = find_long_pauses(words)
    assert (pause.after, pause.before) == ("there", "sorry")
    assert pause.length == pytest.approx(0.1 + 2.5)
    assert pause.start == words[1].end and pause.end == words[2].start
    assert find_long_pauses(timed("a b", gaps={1: LONG_PAUSE - 0.1 - 0.001})) == []  # 1.999 s: not over 2


def test_words_per_minute_over_talk_time():
    # 10 words, 0.4 s apart: from the first start (1.0) to the last end (4.9) is 3.9 s of talk.
    words = timed("we will refund the charge today and email you soon", start=1.0)
    d = measure(Transcript("", 8.0, tuple(words)))
    assert d.talk_time == pytest.approx(3.9)
    assert d.word_count == 10
    assert d.wpm == pytest.approx(10 / 3.9 * 60, abs=0.05)
    assert d.duration == 8.0  # silence before the first word and after the last is not talk time


def test_long_pauses_are_left_out_of_talk_time_and_hesitations_out_of_the_word_count():
    words = timed("um we will refund uh the charge today", gaps={4: 3.0})
    d = measure(Transcript("", 10.0, tuple(words)))
    assert d.talk_time == pytest.approx(words[-1].end - words[0].start - (0.1 + 3.0))
    assert d.word_count == 6
    assert [p.to_dict()["after"] for p in d.long_pauses] == ["refund"]
    assert d.filler_counts == {"uh": 1, "um": 1}


def test_no_rate_for_a_very_short_or_empty_reply():
    assert measure(Transcript("yes", 1.0, (Word("yes", 0.2, 0.5, 1.0),))).wpm is None
    empty = measure(Transcript("", 3.0, ()))
    assert (empty.wpm, empty.talk_time, empty.word_count, empty.fillers, empty.long_pauses) == (None, 0, 0, (), ())


def test_unknown_word_markers_are_not_words():
    words = (Word("[unk]", 0.0, 0.5, 1.0), *timed("thanks for waiting so long", start=0.6))
    assert measure(Transcript("", 3.0, words)).word_count == 5


def test_to_dict():
    words = timed("um you know we took like five days", gaps={3: 2.2})
    d = measure(Transcript("", 6.0, tuple(words))).to_dict()
    assert set(d) == {"duration", "talk_time", "word_count", "wpm", "filler_count", "filler_counts", "fillers",
                      "long_pauses"}
    assert d["filler_count"] == 3
    assert d["filler_counts"] == {"like": 1, "um": 1, "you know": 1}
    assert d["fillers"][1] == {"text": "you know", "start": words[1].start, "end": words[2].end}
    assert d["long_pauses"] == [{"start": words[2].end, "end": words[3].start, "length": 2.3, "after": "know",
                                 "before": "we"}]
