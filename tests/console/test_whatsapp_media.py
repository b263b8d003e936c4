"""Customer media in the transcript: Twilio media load through the authorised proxy route, as an image that
opens full size, a voice-note player, or a file chip; other addresses are drawn as they are."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from console.components.whatsapp import transcript
from console.state.whatsapp_view import bubbles_from_views, media_url
from engine.config import reset_settings_cache
from engine.conversations.inbox import MessageView

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
TWILIO = "https://api.twilio.com/2010-04-01/Accounts/AC{0}/Messages/MM{0}/Media/ME{1}"


def _view(**fields) -> MessageView:
    base = MessageView(
        id=42,
        direction="inbound",
        sender="customer",
        kind="media",
        body="",
        created_at=NOW - timedelta(minutes=5),
        status="received",
        ticks=0,
    )
    return replace(base, **fields)


def _twilio(n: int) -> str:
    return TWILIO.format("1" * 32, f"{n:032x}")


def test_twilio_media_go_through_the_proxy_route() -> None:
    photo = {"url": _twilio(1), "content_type": "image/jpeg"}
    voice = {"url": _twilio(2), "content_type": "audio/ogg"}
    pdf = {"url": _twilio(3), "content_type": "application/pdf"}
    (b,) = bubbles_from_views([_view(media=[photo, voice, pdf])], now=NOW)
    assert b.kind == "media"
    assert b.image_url == "/api/media/42/0" == media_url(42, 0)
    audio, document = b.files
    assert (audio.url, audio.audio, audio.content_type, audio.icon) == (
        "/api/media/42/1",
        True,
        "audio/ogg",
        "file_audio",
    )
    assert audio.name == "attachment-2.ogg" and audio.label == "Voice note / audio"
    assert (document.url, document.audio, document.name, document.label) == (
        "/api/media/42/2",
        False,
        "attachment-3.pdf",
        "PDF document",
    )
    assert "api.twilio.com" not in repr(b)  # the browser never sees the Twilio address


def test_a_second_photo_is_a_file_chip_not_lost() -> None:
    (b,) = bubbles_from_views(
        [
            _view(
                media=[
                    {"url": _twilio(1), "content_type": "image/jpeg"},
                    {"url": _twilio(2), "content_type": "image/png"},
                ]
            )
        ],
        now=NOW,
    )
    assert b.image_url == "/api/media/42/0"
    assert [(f.url, f.name) for f in b.files] == [("/api/media/42/1", "attachment-2.png")]


def test_media_on_the_fake_twilio_base_url_are_proxied_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_API_BASE_URL", "http://127.0.0.1:8099")
    reset_settings_cache()
    url = "http://127.0.0.1:8099/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"
    (b,) = bubbles_from_views([_view(media=[{"url": url, "content_type": "image/jpeg"}])], now=NOW)
    assert b.image_url == "/api/media/42/0"


def test_other_addresses_and_outbound_media_are_left_alone() -> None:
    catalogue = {"url": "https://cdn.shop.example/shoe.jpg", "content_type": "image/jpeg"}
    sent, odd = bubbles_from_views(
        [
            _view(id=7, direction="outbound", sender="agent", media=[catalogue]),
            _view(id=8, media=[{"url": "https://files.example/v/1", "content_type": "audio/ogg"}]),
        ],
        now=NOW,
    )
    assert sent.image_url == catalogue["url"]
    assert odd.files[0].url == "https://files.example/v/1" and odd.files[0].audio


def test_the_transcript_draws_an_image_link_a_player_and_a_chip() -> None:
    from console.state.conversations import ConversationsState

    rendered = str(transcript(ConversationsState.bubbles))
    for test_id in ("bubble-image", "bubble-audio", "bubble-file"):
        assert test_id in rendered
    assert "audio" in rendered and "controls" in rendered
    assert "_blank" in rendered  # the image opens full size in a new tab
