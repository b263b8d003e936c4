"""A customer's number as people read it: "+44 7700 900104", not the stored "whatsapp:+447700900104".

Numbers are stored as Twilio sends them (E.164, often behind a "whatsapp:" channel prefix) and stay that way:
lookups, sends and the REST API use the stored text. Only what staff read goes through `phone_display`, so
the inbox, the customer panel, campaigns and analytics group a number's digits alike, by libphonenumber's
rules for its country (+1 415-555-0104, +33 6 12 34 56 78). Text that is not a possible number — a name, a
short code, a number typed without its country code — comes back as it was, never half-formatted.
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers

from engine.channels.whatsapp.inbound import WHATSAPP_PREFIX


@lru_cache(maxsize=4096)
def phone_display(raw: str | None) -> str:
    """The number in international format; the raw text (without "whatsapp:") when it does not parse."""
    text = (raw or "").strip().removeprefix(WHATSAPP_PREFIX).strip()
    if not text.startswith("+"):  # without a country code the country would be a guess
        return text
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_possible_number(number):
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def name_or_phone(name: str | None, phone: str | None) -> str:
    """What a customer is called on screen: their name, else their number as `phone_display` writes it.

    Services fall back to the raw number when a customer has no name (`customer_name` is then the number):
    that fallback is shown formatted too."""
    raw = (phone or "").strip().removeprefix(WHATSAPP_PREFIX).strip()
    name = (name or "").strip()
    if not name or name.removeprefix(WHATSAPP_PREFIX) == raw:
        return phone_display(phone)
    return name
