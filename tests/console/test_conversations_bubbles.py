"""The WhatsApp bubble builder the inbox (and later the Playground) draws: times, separators, kinds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from console.components.whatsapp import transcript
from console.state.whatsapp_view import bubbles_from_views, day_label, relative_time
from engine.conversations.inbox import MessageView

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # a Monday


def view(**fields) -> MessageView:
    base = MessageView(
        id=1,
        direction="inbound",
        sender="customer",
        kind="text",
        body="hi",
        created_at=NOW - timedelta(minutes=5),
        status="received",
        ticks=0,
    )
    return replace(base, **fields)


def test_relative_times_like_an_inbox_list() -> None:
    assert relative_time(NOW - timedelta(seconds=20), NOW, "UTC") == "now"
    assert relative_time(NOW - timedelta(minutes=7), NOW, "UTC") == "7m"
    assert relative_time(NOW - timedelta(hours=3), NOW, "UTC") == "3h"
    assert relative_time(NOW - timedelta(hours=20), NOW, "UTC") == "Yesterday"
    assert relative_time(NOW - timedelta(days=3), NOW, "UTC") == "Fri"
    assert relative_time(NOW - timedelta(days=20), NOW, "UTC") == "Nov 3"
    assert relative_time(NOW - timedelta(days=400), NOW, "UTC") == "Oct 19, 2025"
    assert relative_time(None, NOW, "UTC") == ""


def test_day_separators_in_the_tenants_time_zone() -> None:
    early = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    assert day_label(early, NOW, "UTC") == "Today"
    assert day_label(early, NOW, "America/Los_Angeles") == "Yesterday"  # 18:00 on the 22nd there
    assert day_label(NOW - timedelta(days=2), NOW, "UTC") == "Saturday"
    assert day_label(NOW - timedelta(days=30), NOW, "UTC") == "24 October 2026"
    assert day_label(NOW, NOW, "Not/A_Zone") == "Today"


def test_runs_of_one_author_share_one_label_and_days_get_separators() -> None:
    views = [
        view(id=1, created_at=NOW - timedelta(days=1)),
        view(id=2, direction="outbound", sender="agent", ticks=3, status="read", confidence=0.9),
        view(id=3, direction="outbound", sender="agent", ticks=2, status="delivered"),
        view(
            id=4, direction="outbound", sender="human", sent_by_user_id=7, sent_by_name="Sam Rivera", ticks=1
        ),
        view(id=5, direction="outbound", sender="system", body="Conversation closed"),
    ]
    bubbles = bubbles_from_views(views, now=NOW, customer_name="Ada", agent_name="Maya")
    assert [(b.show_day, b.day) for b in bubbles][:3] == [
        (True, "Yesterday"),
        (True, "Today"),
        (False, "Today"),
    ]
    assert [(b.author, b.show_author) for b in bubbles] == [
        ("Ada", True),
        ("Maya", True),
        ("Maya", False),
        ("Sam Rivera", True),
        ("Parley", True),
    ]
    assert [b.tick_label for b in bubbles] == ["", "Read", "Delivered", "Sent", "Sending"]
    assert bubbles[1].has_meta and not bubbles[2].has_meta and not bubbles[3].has_meta
    assert bubbles[1].time == f"{NOW - timedelta(minutes=5):%H:%M}"
    # a later page continues the runs of the page before it
    more = bubbles_from_views(views[2:3], now=NOW, previous=views[1])
    assert not more[0].show_author and not more[0].show_day


def test_media_files_locations_and_answers() -> None:
    pdf = {
        "url": "https://files.example/docs/invoice-1042.pdf",
        "content_type": "application/pdf",
        "size_bytes": 2_400_000,
    }
    voice = {"url": "https://files.example/v/1", "content_type": "audio/ogg", "size_bytes": 12_000}
    photo = {"url": "https://files.example/p.jpg", "content_type": "image/jpeg"}
    bubbles = bubbles_from_views(
        [
            view(kind="media", body="", media=[photo, pdf, voice]),
            view(
                kind="location",
                body="",
                location={"latitude": "51.4545", "longitude": "-2.5879", "label": "Home"},
            ),
            view(body="2", choice={"id": "s43", "title": "43", "via": "number"}),
            view(body="Buy", choice={"id": "buy", "title": "Buy", "via": "button"}),
            view(
                direction="outbound",
                sender="agent",
                kind="media",
                body="https://files.example/p.jpg",
                media=[photo],
            ),
        ],
        now=NOW,
    )
    media, place, number, tap, sent_photo = bubbles
    assert media.image_url == photo["url"]
    assert [(f.name, f.label, f.icon) for f in media.files] == [
        ("invoice-1042.pdf", "PDF document · 2.3 MB", "file_text"),
        ("1", "Voice note / audio · 11 KB", "file_audio"),
    ]
    assert (place.location, place.location_coords) == ("Home", "51.45450, -2.58790")
    assert number.choice == "Picked “43”" and tap.choice == "Tapped “Buy”"
    (listed,) = bubbles_from_views(
        [view(body="UK 9", choice={"id": "uk9", "title": "UK 9", "via": "list"})], now=NOW
    )
    assert listed.choice == "Picked “UK 9” from the list"
    assert sent_photo.body == "" and sent_photo.image_url == photo["url"]  # no caption: no address as text


def test_failures_and_numbered_fallbacks_are_explained() -> None:
    failed, not_configured, fallback = bubbles_from_views(
        [
            view(
                direction="outbound",
                sender="human",
                ticks=-1,
                status="failed",
                error_code="63016",
                error_message="Failed to send freeform message",
            ),
            view(
                direction="outbound", sender="agent", ticks=-1, status="failed", error_code="not_configured"
            ),
            view(
                direction="outbound",
                sender="agent",
                kind="buttons",
                body="Size?\n\n1. 42",
                options=[{"id": "s42", "title": "42"}],
                fallback="outside the 24-hour window",
                ticks=1,
            ),
        ],
        now=NOW,
    )
    assert failed.error == (
        "Outside the 24-hour window: the customer must write first, or send a template (error 63016)"
    )
    assert not_configured.error.startswith("Twilio is not connected")
    assert fallback.kind == "text" and fallback.options == []  # the customer saw numbered text
    assert fallback.fallback == "Sent as numbered text: outside the 24-hour window"


def test_the_transcript_component_renders() -> None:
    from console.state.conversations import ConversationsState

    assert "wa-wallpaper" in str(transcript(ConversationsState.bubbles))
