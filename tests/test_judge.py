"""The judge's design: numbers as digits, speech acts, slots, the always-on compliance layer, bounded
penalties, bonuses that never hide a miss, one conduct marker per span, partial credit, forgiving branches."""
import pytest

from csrpractice.session import CRITICAL, Session, judge_transcript, outcome_label
from scenario_helpers import base, errors, load
from scoring.markers import default_library
from scoring.rubric import PENALTY_CAP, evaluate
from scoring.text import normalize


def scenario(d=None):
    s, diags = load(d or base())
    assert s is not None, diags
    return s


def one_turn(rubric: dict, kind: str = "customer", **extra) -> object:
    d = base()
    d["kind"] = kind
    d.update(extra)
    d["turns"]["opening"]["rubric"] = rubric
    return scenario(d)


def judge(s, text: str):
    t = s.turns[s.start]
    return evaluate(text, t.rubric, s.library, s.phrases)


@pytest.mark.parametrize("text,digits", [
    ("three to five business days", "3 to 5 business days"),
    ("four one one one", "4111"),
    ("seventy-five percent", "75 percent"),
    ("one hundred and twenty dollars", "120 dollars"),
    ("twenty four hours", "24 hours"),
    ("two thousand and twenty six", "2026"),
    ("four oh four", "404"),
])
def test_spelled_out_numbers_are_digits(text, digits):
    assert normalize(text) == digits


@pytest.mark.parametrize("text,present,absent", [
    ("Key the card number into your phone keypad, I won't hear it.", set(), {"pci_violation"}),
    ("I'll text you a secure link where you can enter the card and the CVV.", set(), {"pci_violation"}),
    ("Please read me the full card number.", {"pci_violation"}, set()),
    ("What are the three digits on the back?", {"pci_violation"}, set()),
    ("four one one one one one one one one one one one one one one one, is that right?", {"pci_violation"}, set()),
    ('You wrote "this is a joke, calm down" and I understand why.', set(), {"dismissive"}),
    ("So the store told you it was your fault? That isn't right.", set(), {"blame"}),
    ("As I already told you, that's your fault.", {"blame"}, set()),
    ("Let's slow down a second, I've got you.", set(), {"dismissive"}),
    ("Calm down.", {"dismissive"}, set()),
    ("Shut up, you idiot.", {"abuse"}, set()),
    ("We'll shift the delivery to Friday.", set(), {"abuse"}),
    ("There's no such thing as a stupid question.", set(), {"abuse"}),
    ("I told her she was being ridiculous and left her on hold until she gave up.", {"misconduct"}, set()),
    ("Honestly, you absolutely need more coverage, trust me, get the umbrella.", {"unlicensed_advice"}, set()),
    ("A lot of my customers go for the index fund, just saying.", {"unlicensed_advice"}, set()),
    ("I can't tell you which fund to buy; a licensed advisor can.", set(), {"unlicensed_advice"}),
])
def test_speech_acts_and_concepts(text, present, absent):
    found = {d.marker for d in default_library().detect(text)}
    assert present <= found and not (absent & found), found


def test_slots_match_in_any_order_within_one_sentence():
    s = one_turn({"required": ["cancel_date"], "key_phrases": {
        "cancel_date": {"any": ["(cancel|close|stop) & (# th|# st|friday|end of the month)"]}}})
    assert judge(s, "Your service stops on the 30th, that's processed now.").score == 100
    assert judge(s, "I've cancelled it for the 30th.").score == 100
    partly = judge(s, "I've cancelled it. It ends on the 30th.")  # two sentences: the parts do not meet
    assert partly.score == 50 and not partly.items[0].matched and partly.items[0].points == 0.5
    assert any(line.startswith("~ cancel_date (+0.5 of 1)") for line in partly.explanation)
    assert judge(s, "I won't cancel it on the 30th.").score == 0  # negated


def test_a_bad_slot_pattern_is_a_validation_error_with_its_place():
    d = base()
    d["turns"]["details"]["rubric"]["key_phrases"]["when"]["any"] = ["tomorrow & "]
    (err,) = errors(d)
    assert err.startswith("t.yaml:") and "empty slot" in err and "part & part" in err


def test_the_compliance_layer_checks_every_turn_unless_exempted():
    s = one_turn({"required": ["empathy"]})  # the rubric lists no auto-fail and no penalty
    r = judge(s, "That sounds frustrating. What's the CVV on the back?")
    assert r.score == 0 and r.auto_failed == ["pci_violation"]
    assert "CRITICAL pci_violation (always checked)" in " ".join(r.explanation)
    assert judge(s, "That sounds frustrating. Calm down.").score == 100 - 20
    exempt = one_turn({"required": ["empathy"]}, compliance={"exempt": ["pci_violation"]})
    assert judge(exempt, "That sounds frustrating. What's the CVV on the back?").auto_failed == []


def test_an_unknown_exemption_is_a_validation_error():
    d = base()
    d["compliance"] = {"exempt": ["pci_violatoin"]}
    (err,) = errors(d)
    assert "pci_violatoin" in err and "pci_violation" in err


def test_interviews_are_checked_for_described_misconduct():
    s = one_turn({"required": ["empathy"]}, kind="interview")
    r = judge(s, "I told him he was being ridiculous and hung up on him. That was frustrating.")
    assert r.auto_failed == ["misconduct"] and r.score == 0


def test_penalties_are_capped_per_turn():
    s = one_turn({"required": ["empathy"], "forbidden": [{"item": "blame", "penalty": 40},
                                                       {"item": "dismissive", "penalty": 40}]})
    r = judge(s, "I understand it's frustrating, but that's your fault. Calm down.")
    assert sum(-i.points for i in r.items if i.role == "forbidden") == 80
    assert r.score == 100 - PENALTY_CAP
    assert "penalties capped" in r.explanation[-1]


def test_a_bonus_makes_up_at_most_half_of_a_missed_required_item():
    s = one_turn({"required": [{"item": "verification", "weight": 2}], "bonus": ["empathy", "apology", "ownership"]})
    r = judge(s, "I'm sorry about the charge, that sounds frustrating. I'll look into it.")
    assert r.score == 50  # the bonuses are worth 3, but only half of the missed 2 can be made up


def test_one_stock_phrase_earns_one_conduct_marker():
    s = one_turn({"required": ["empathy", "apology"]})
    r = judge(s, "Sorry to hear that.")
    assert [i.name for i in r.items if i.matched] == ["empathy"] and r.score == 50
    assert "the same words already earned another item" in " ".join(r.explanation)


def test_one_poor_reply_gets_a_second_chance_two_end_the_call():
    session = Session(scenario())
    first = session.submit("Orders are sometimes late.")
    assert first.next == "opening" and not session.finished
    assert session.customer_line.startswith("Sorry, I'm not sure that answers me.")
    session.submit("Orders are late sometimes, as I said.")
    assert session.outcome == "customer_left"


def test_a_violation_ends_the_call_at_once_and_is_never_resolved():
    session = Session(scenario())
    session.submit("What's the full card number?")
    card = session.scorecard()
    assert session.outcome == "customer_left" and card.outcome == CRITICAL
    assert outcome_label("customer", card.outcome, card.overall) == "Critical finding"
    assert card.overall <= 15


def test_outcome_labels_fit_the_kind_of_scenario():
    assert outcome_label("customer", "resolved", 40) == "Resolved"
    assert outcome_label("interview", "resolved", 90) == "Passed"
    assert outcome_label("knowledge_check", "customer_left", 55) == "Partly passed"
    assert outcome_label("interview", "escalated", 30) == "Not ready yet"


def test_a_transcript_is_judged_along_the_path_it_took():
    s = scenario()
    card = judge_transcript(s, [("opening", "I'm so sorry it's late, that's frustrating."),
                                ("details", "It will arrive tomorrow.")])
    assert [t.turn for t in card.turns] == ["opening", "details"] and card.overall == 100
    with pytest.raises(KeyError):
        judge_transcript(s, [("nowhere", "Hello")])


@pytest.mark.parametrize("text", ["", " \u200b\u200d ", "😡😡 sorry!!", "مرحبا، أنا آسف", "sorry " * 20000,
                                  "I'm sorry\u202e about that\u202c. Card 4111 1111 1111 1111?"])
def test_odd_replies_get_a_result(text):
    s = one_turn({"required": ["apology"]})
    r = judge(s, text)
    assert 0 <= r.score <= 100


def test_blind_playthroughs_do_not_regress():
    """The playthrough benchmark's figures on the whole blind set stay at least where they are today."""
    import importlib.util
    import sys

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("judge_quality", ROOT / "benchmarks" / "judge_quality.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules["judge_quality"] = bench  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    judged = bench.judge_all()
    f = bench.figures(judged)
    assert f.playthroughs >= 138 and f.scenarios >= 23
    assert f.rho_all >= 0.82 and len(f.false_lows) <= 5 and len(f.harmful_above_20) <= 3
    assert bench.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1.0 and bench.ranks([5, 1, 5]) == [2.5, 1.0, 2.5]
