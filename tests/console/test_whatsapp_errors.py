"""The inbox and the campaign results say a refusal in the same words (engine.channels.whatsapp.errors)."""

from __future__ import annotations

from twilio.base.exceptions import TwilioRestException

from console.state.whatsapp_view import _error
from engine.campaigns.transport import classify
from engine.channels.whatsapp.errors import ERROR_WORDS


def test_a_refused_bubble_and_a_refused_recipient_read_the_same() -> None:
    for code, words in ERROR_WORDS.items():
        if not code.isdigit() or code in ("20429",):  # 20429 is a slow-down, not a refusal, for campaigns
            continue
        refused = classify(
            TwilioRestException(400, "https://api.twilio.com/x", "Twilio's text", code=int(code))
        )
        assert refused.kind == "refused" and refused.error_message == words
        assert _error(code, "Twilio's text") == f"{words[0].upper()}{words[1:]} (error {code})"


def test_our_own_codes_have_no_error_number() -> None:
    assert _error("network", "") == ERROR_WORDS["network"][0].upper() + ERROR_WORDS["network"][1:]
