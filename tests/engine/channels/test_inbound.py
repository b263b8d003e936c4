"""Parsing Twilio's webhook forms and checking their signatures (no HTTP, no database)."""

from __future__ import annotations

import pytest

from engine.channels.whatsapp.inbound import (
    MalformedWebhook,
    parse_inbound,
    parse_status,
    public_url,
    signature_is_valid,
)
from engine.channels.whatsapp.twilio_client import rewrite_url

SID = "SM" + "1" * 32


def _form(**extra: str) -> dict[str, str]:
    return {"MessageSid": SID, "From": "whatsapp:+447700900123", "To": "whatsapp:+14155550100", **extra}


def test_the_known_answer_from_twilio_python_validates() -> None:
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert signature_is_valid("12345", url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    assert not signature_is_valid("12345", url, {**params, "Digits": "9"}, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    assert not signature_is_valid("12345", url, params, None)
    assert not signature_is_valid("", url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")


def test_the_public_url_prefers_the_configured_base() -> None:
    assert public_url("/hook?x=1", base_url="https://p.example/", scheme="http", host="internal:8000") == (
        "https://p.example/hook?x=1"
    )
    assert (
        public_url("/hook", base_url=None, scheme="https", host="shop.example") == "https://shop.example/hook"
    )


def test_every_documented_parameter_is_parsed() -> None:
    message = parse_inbound(
        _form(
            Body="hello",
            AccountSid="AC" + "2" * 32,
            MessagingServiceSid="MG" + "3" * 32,
            NumMedia="1",
            MediaUrl0="https://media.example/1",
            MediaContentType0="audio/ogg",
            NumSegments="1",
            ProfileName="  Ada  ",
            WaId="447700900123",
            Forwarded="true",
            FrequentlyForwarded="false",
            ButtonText="Yes",
            ButtonPayload="yes-1",
            ListId="row-2",
            ListTitle="Row 2",
            OriginalRepliedMessageSid="SM" + "4" * 32,
            OriginalRepliedMessageSender="whatsapp:+14155550100",
            MessageType="interactive",
            ChannelMetadata="not json",
            SmsStatus="received",
            ApiVersion="2010-04-01",
            ReferralCtwaClid="abc",
        )
    )
    assert message.profile_name == "Ada" and message.wa_id == "447700900123"
    assert message.media[0].content_type == "audio/ogg"
    assert message.forwarded and not message.frequently_forwarded
    assert (message.button_payload, message.button_text, message.list_id) == ("yes-1", "Yes", "row-2")
    assert message.is_interactive_reply
    assert message.channel_metadata == {"raw": "not json"}
    assert message.referral == {"ReferralCtwaClid": "abc"}
    assert message.extra == {}
    assert message.metadata()["replied_to"]["sid"] == "SM" + "4" * 32


def test_legacy_sms_sid_names_are_accepted() -> None:
    form = _form()
    del form["MessageSid"]
    assert parse_inbound({**form, "SmsMessageSid": SID}).message_sid == SID


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"To": ""}, "To is missing"),
        ({"To": "whatsapp:+1 415"}, "To must be a whatsapp:+<number> address"),
        ({"NumMedia": "11"}, "NumMedia must be between 0 and 10"),
        ({"NumSegments": "x"}, "NumSegments must be an integer"),
        ({"Latitude": "nan", "Longitude": "1"}, "Latitude must be between"),
        ({"Longitude": "181", "Latitude": "1"}, "Longitude must be between"),
    ],
)
def test_malformed_inbound_forms_name_the_parameter(change: dict, reason: str) -> None:
    with pytest.raises(MalformedWebhook, match=reason.replace("+", r"\+").replace("(", r"\(")):
        parse_inbound({**_form(), **change})


def test_status_callbacks_are_parsed_and_checked() -> None:
    callback = parse_status({"MessageSid": SID, "MessageStatus": "Failed", "ErrorCode": "63016"})
    assert (callback.status, callback.error_code) == ("failed", "63016")
    with pytest.raises(MalformedWebhook, match="ErrorCode must be numeric"):
        parse_status({"MessageSid": SID, "MessageStatus": "failed", "ErrorCode": "bad"})
    with pytest.raises(MalformedWebhook, match="not a Twilio message status"):
        parse_status({"MessageSid": SID, "MessageStatus": "teleported"})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json",
            "http://127.0.0.1:9/2010-04-01/Accounts/AC1/Messages.json",
        ),
        ("https://content.twilio.com/v1/Content", "http://127.0.0.1:9/v1/Content"),
        (
            "https://messaging.twilio.com/v2/Indicators/Typing.json",
            "http://127.0.0.1:9/v2/Indicators/Typing.json",
        ),
        ("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=5", None),
        ("https://example.com/v1/Content", "https://example.com/v1/Content"),
    ],
)
def test_twilio_urls_are_rewritten_to_the_base_url(url: str, expected: str | None) -> None:
    rewritten = rewrite_url(url, "http://127.0.0.1:9/")
    if expected is None:
        assert rewritten == "http://127.0.0.1:9/2010-04-01/Accounts/AC1/Messages.json?PageSize=5"
    else:
        assert rewritten == expected
    assert rewrite_url(url, None) == url
