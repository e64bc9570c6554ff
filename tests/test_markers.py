"""The conduct-marker library: the conventions for borderline cases, and the evidence it gives."""
import pytest

from scoring import detect_markers
from scoring.markers import LibraryError, build_library

REQUIRED = {"greeting", "empathy", "apology", "ownership", "next_steps", "verification", "pci_violation", "blame",
            "dismissive", "escalation", "closing", "hold_etiquette", "unlicensed_advice"}


def test_library_has_every_required_marker_with_a_description(library):
    assert REQUIRED <= set(library.ids)
    for m in library.markers.values():
        assert m.description and m.patterns


# (reply, markers it must carry, markers it must not carry)
CASES = [
    ("Hi Maria, thanks for contacting Northwind, this is Sam.", {"greeting"}, set()),
    ("This is the third time this happened.", set(), {"greeting"}),
    ("I understand how frustrating this must be.", {"empathy"}, set()),
    ("I understand the policy, but rules are rules.", set(), {"empathy"}),
    ("I understand your question about the fee.", set(), {"empathy"}),
    ("I'm so sorry to hear about your father's passing.", {"empathy"}, {"apology"}),
    ("I'm sorry for the double charge on your card.", {"apology"}, set()),
    ("Sorry, can you repeat that?", set(), {"apology"}),
    ("I'm sorry if you feel that way.", {"dismissive"}, {"apology", "empathy"}),
    ("I'll take care of this for you.", {"ownership"}, set()),
    ("Let me dispute that charge for you.", {"ownership"}, {"next_steps"}),
    ("I'll transfer you to our billing team.", {"escalation"}, {"ownership"}),
    ("I'll transfer you to billing and call you back tomorrow to make sure it's fixed.",
     {"escalation", "ownership", "next_steps"}, set()),
    ("The refund will post to your card in 3-5 business days.", {"next_steps"}, set()),
    ("Can you confirm your full name and date of birth?", {"verification"}, {"pci_violation"}),
    ("To verify your identity, please read me your full card number.", {"pci_violation"}, {"verification"}),
    ("Please don't read your card number aloud; use the keypad.", set(), {"pci_violation"}),
    ("We will never ask for your CVV.", set(), {"pci_violation"}),
    ("Can I get the last four digits of the card on file?", {"verification"}, {"pci_violation"}),
    ("You should have read the terms before booking.", {"blame"}, set()),
    ("You should have received an email yesterday.", set(), {"blame"}),
    ("It's not your fault at all.", set(), {"blame"}),
    ("Calm down, there's nothing I can do.", {"dismissive"}, set()),
    ("No problem, don't worry, I'll fix it.", {"ownership"}, {"dismissive"}),
    ("Would you like to speak with a supervisor?", {"escalation"}, set()),
    ("Escalating costs are the reason prices rose.", set(), {"escalation"}),
    ("Is there anything else I can help you with today?", {"closing"}, set()),
    ("I'll close your account at the end of the month.", set(), {"closing"}),
    ("May I place you on a brief hold, about two minutes?", {"hold_etiquette"}, set()),
    ("I've put a hold on the card to stop further charges.", set(), {"hold_etiquette"}),
    ("You should put your savings into the S&P index fund.", {"unlicensed_advice"}, set()),
    ("The Gold plan has a lower deductible than Silver.", set(), {"unlicensed_advice"}),
    ("I can't recommend a specific fund; a licensed advisor can.", {"escalation"}, {"unlicensed_advice"}),
    ("Take two ibuprofen and you'll be fine.", {"unlicensed_advice"}, set()),
    ("Please ask your pharmacist about the dose.", set(), {"unlicensed_advice"}),
]


@pytest.mark.parametrize("text, present, absent", CASES)
def test_conventions(markers_of, text, present, absent):
    found = markers_of(text)
    assert present <= found, f"missing {present - found} in {found}"
    assert not (absent & found), f"unexpected {absent & found}"


def test_speech_to_text_style(markers_of):
    found = markers_of("um hi thanks for calling im really sorry about that ill fix it right now "
                       "is there anything else i can help with")
    assert {"greeting", "apology", "ownership", "closing"} <= found


def test_evidence_points_at_the_words_and_names_the_pattern():
    text = "Oh no. I'm SO sorry about the delay!"
    (apology,) = [d for d in detect_markers(text) if d.marker == "apology"]
    for ev in apology.evidence:
        assert text[ev.start:ev.end] == ev.text
        assert ev.pattern
    assert apology.spans == [[7, 35]]


def test_card_numbers_are_found_by_rule(markers_of):
    assert "pci_violation" in markers_of("Just to confirm, your card is 4111 1111 1111 1111.")
    assert "pci_violation" not in markers_of("Your order number is 4111 1111 1111 1111.")
    assert "pci_violation" not in markers_of("Card 4111 1111 1111 1112 declined.")  # fails Luhn


def test_detection_is_deterministic(library):
    text = "Hi, I'm sorry for the wait. I'll fix it today. Anything else?"
    first = library.detect(text)
    assert all(library.detect(text) == first for _ in range(5))


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "😀🙏", "مرحبا، أنا آسف", "\x00\x07\x1b[2J",
                                  "\ud800 lone surrogate", "a" * 100_000])
def test_odd_input_gives_a_clear_result(library, text):
    assert isinstance(library.detect(text), list)


def test_a_malformed_library_is_reported_with_its_marker():
    with pytest.raises(LibraryError, match="marker x"):
        build_library({"markers": {"x": {"patterns": ["(unclosed"]}}})
    with pytest.raises(LibraryError, match="markers"):
        build_library({"nothing": 1})
