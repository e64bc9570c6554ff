"""Card numbers, security codes and SSNs: found by rule and redacted before anything is stored or shown."""
import pytest

from scoring import find_sensitive, luhn_ok, redact


@pytest.mark.parametrize("number, ok", [
    ("4111111111111111", True), ("5555555555554444", True), ("378282246310005", True),
    ("4111111111111112", False), ("1234567890123", False),
])
def test_luhn(number, ok):
    assert luhn_ok(number) is ok


@pytest.mark.parametrize("text, expected", [
    ("card 4111 1111 1111 1111 ok", "card **** **** **** 1111 ok"),
    ("card 4111-1111-1111-1111", "card ****-****-****-1111"),
    ("amex 3782 822463 10005", "amex **** ****** *0005"),
    ("CVV 123 and security code: 9876", "CVV *** and security code: ****"),
    ("SSN 123-45-6789", "SSN ***-**-6789"),
    ("my social is 123456789", "my social is *****6789"),
    ("order 1234567890123", "order 1234567890123"),  # not Luhn-valid: left alone
    ("call 555-123-4567", "call 555-123-4567"),
])
def test_redact(text, expected):
    assert redact(text) == expected
    assert len(redact(text)) == len(text)  # spans stay valid after redaction


def test_redaction_is_idempotent_and_leaves_no_full_number():
    text = "4111111111111111 then 5555 5555 5555 4444"
    once = redact(text)
    assert redact(once) == once
    assert not find_sensitive(once)
