"""Twilio's error codes in words: one table, read by the inbox and by campaigns alike."""

from __future__ import annotations

from engine.channels.whatsapp.errors import ERROR_WORDS, error_words, words_for


def test_a_known_code_is_said_in_words_and_an_unknown_one_keeps_twilios_message() -> None:
    assert words_for("63024", "Invalid message recipient") == "this number is not on WhatsApp"
    assert error_words("99999") is None
    assert words_for("99999", "Something odd") == "Something odd"
    assert words_for(None, "x" * 400) == "x" * 280  # fits the recipient's column
    assert words_for(None) == "Twilio refused the message"


def test_every_phrase_is_a_plain_sentence_fragment() -> None:
    """Callers add the capital and the code: a phrase starts lower-case unless it names something, and never
    carries its own code or a full stop."""
    for code, words in ERROR_WORDS.items():
        assert words == words.strip() and not words.endswith(".")
        assert code not in words
        first = words.split()[0]
        assert first.islower() or first in {"Twilio", "WhatsApp", "WhatsApp's"}, words
