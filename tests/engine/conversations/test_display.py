"""engine.conversations.display: a stored number as staff read it, and the raw text when it is no number."""

from __future__ import annotations

import pytest

from engine.conversations.display import name_or_phone, phone_display


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("+447700900104", "+44 7700 900104"),  # Ofcom's drama range: possible, if never issued
        ("whatsapp:+447700900104", "+44 7700 900104"),  # the channel prefix Twilio sends is not shown
        (" whatsapp:+447700900104 ", "+44 7700 900104"),
        ("+14155550104", "+1 415-555-0104"),  # each country's own grouping (libphonenumber's)
        ("+4915112340105", "+49 1511 2340105"),
        ("+33612345678", "+33 6 12 34 56 78"),
        ("+919876543210", "+91 98765 43210"),
        ("+44 7700 900104", "+44 7700 900104"),  # already readable: unchanged
    ],
)
def test_a_number_reads_in_international_format(raw: str, shown: str) -> None:
    assert phone_display(raw) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("447700900104", "447700900104"),  # no country code: the country would be a guess
        ("07700 900104", "07700 900104"),
        ("+999123", "+999123"),  # no such country code
        ("+1234", "+1234"),  # too short to be a number
        ("+4477009001049999", "+4477009001049999"),  # too long
        ("whatsapp:+12", "+12"),
        ("Ada Lovelace", "Ada Lovelace"),
        ("", ""),
        (None, ""),
    ],
)
def test_what_does_not_parse_comes_back_as_it_was(raw: str | None, shown: str) -> None:
    assert phone_display(raw) == shown


def test_the_stored_text_is_not_changed() -> None:
    stored = "whatsapp:+447700900104"
    phone_display(stored)
    assert stored == "whatsapp:+447700900104"


@pytest.mark.parametrize(
    ("name", "phone", "shown"),
    [
        ("Ada Lovelace", "+447700900104", "Ada Lovelace"),
        (None, "+447700900104", "+44 7700 900104"),
        ("", "whatsapp:+447700900104", "+44 7700 900104"),
        # a service's fallback: no name, so the name is the number (with or without its prefix)
        ("+447700900104", "+447700900104", "+44 7700 900104"),
        ("whatsapp:+447700900104", "whatsapp:+447700900104", "+44 7700 900104"),
        ("+447700900104", "whatsapp:+447700900104", "+44 7700 900104"),
    ],
)
def test_a_customer_is_called_by_name_else_by_readable_number(name, phone, shown) -> None:
    assert name_or_phone(name, phone) == shown
