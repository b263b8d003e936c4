"""Twilio and WhatsApp error codes in a shop owner's words: one table for the inbox and for campaigns.

Why one table: the inbox (a refused reply's bubble) and campaigns (a refused recipient, its results row and
CSV) used to keep their own, and the same code read differently on the two pages ("the number is not on
WhatsApp" here, "this number is not on WhatsApp" there; 20003 known to one only). Each phrase is lower-case
and says what happened and, where the shop can act, what to do; callers add capitals and the code.
"""

from __future__ import annotations

ERROR_WORDS: dict[str, str] = {
    "20003": "Twilio refused the account details: check them in Settings → WhatsApp",
    "20429": "Twilio asked us to slow down; try again in a minute",
    "21211": "not a valid phone number",
    "21408": "sending to this country is not enabled on the Twilio account",
    "21610": "the customer unsubscribed from this number",
    "63003": "the number is not reachable on WhatsApp",
    "63007": "the shop's number is not a WhatsApp sender",
    "63014": "the customer blocked the shop's messages",
    "63016": "outside the 24-hour window: the customer must write first, or send a template",
    "63018": "WhatsApp's daily limit for new conversations was reached",
    "63024": "this number is not on WhatsApp",
    "63027": "the template does not exist at WhatsApp",
    "63028": "the template's variables do not match",
    "63032": "WhatsApp limits how many marketing messages this customer gets for now",
    "63038": "the Twilio account's daily limit was reached",
    "63040": "WhatsApp rejected the template",
    "63041": "WhatsApp paused the template (too many customers blocked or reported it)",
    "63042": "WhatsApp disabled the template",
    "63049": "WhatsApp chose not to deliver this marketing message",
    # not Twilio's codes: what our sender records when it could not ask Twilio at all
    "not_configured": "Twilio is not connected: add the credentials in Settings → WhatsApp",
    "network": "Twilio could not be reached from this server, so the message was not sent",
}


def error_words(code: str | None) -> str | None:
    """The words for a code, or None when it is not one a shop owner can act on."""
    return ERROR_WORDS.get(code or "")


def words_for(code: str | None, fallback: str = "") -> str:
    """The words for a code, else Twilio's own message (cut to fit a column), else a plain sentence."""
    return error_words(code) or (fallback[:280] if fallback else "Twilio refused the message")


__all__ = ["ERROR_WORDS", "error_words", "words_for"]
