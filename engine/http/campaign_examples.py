"""Example requests and responses of /api/v1/campaigns for the OpenAPI document (merged into
engine.http.api_examples.EXAMPLES). Kept apart so the campaign routes and their examples change together."""

from __future__ import annotations

from typing import Any

WHEN = "2026-11-24T09:30:00Z"
BUTTONS = [
    {"type": "quick_reply", "title": "See sizes", "id": "c_1_see_sizes", "action": "agent"},
    {"type": "url", "title": "Shop now", "url": "https://shop.example/spring"},
]
CREATE = {
    "name": "Spring sale",
    "body": "Hi {{first_name}}, our spring sale starts today: 20% off all trail shoes.",
    "media_key": "t1/3f9c2a7e5b1d4c08.jpg",
    "media_type": "image/jpeg",
    "buttons": [{"type": "quick_reply", "title": "See sizes", "action": "agent"}, BUTTONS[1]],
    "fallbacks": {"first_name": "there"},
    "audience": {"tags": ["vip"], "last_order_after": "2026-01-01"},
}
COUNTS = {"total": 0, "pending": 0, "sending": 0, "done": 0, "failed": 0, "cancelled": 0}
CAMPAIGN = {
    "id": 14,
    "name": "Spring sale",
    "status": "draft",
    "body": CREATE["body"],
    "media_key": CREATE["media_key"],
    "media_type": "image/jpeg",
    "buttons": BUTTONS,
    "fallbacks": {"first_name": "there"},
    "audience": CREATE["audience"],
    "template_status": "none",
    "template_reason": None,
    "sender_address": None,
    "created_at": WHEN,
    "scheduled_at": None,
    "started_at": None,
    "completed_at": None,
    "exclusions": {},
    "counts": COUNTS,
    "progress": 0.0,
}
SENDING = {
    **CAMPAIGN,
    "status": "sending",
    "template_status": "approved",
    "scheduled_at": WHEN,
    "started_at": WHEN,
    "exclusions": {"opted_out": 3, "invalid_number": 1},
    "counts": {"total": 240, "pending": 120, "sending": 8, "done": 112, "failed": 2, "cancelled": 0},
    "progress": 0.4667,
}
RESULTS = {
    "sent": 238,
    "delivered": 231,
    "read": 190,
    "tapped": 64,
    "replied": 41,
    "ordered": 9,
    "revenue": "801.00",
    "failed": 2,
    "opted_out": 1,
    "per_button": [{"payload": "c_1_see_sizes", "title": "See sizes", "taps": 64}],
    "failures": [{"code": "63024", "reason": "this number is not on WhatsApp", "recipients": 2}],
}
RECIPIENT = {
    "id": 5001,
    "customer_id": 7,
    "phone": "+447700900123",
    "status": "read",
    "provider_sid": "MM" + "0" * 30,
    "error_code": None,
    "error_message": None,
    "sent_at": WHEN,
    "delivered_at": WHEN,
    "read_at": WHEN,
    "clicked_at": None,
    "replied_at": None,
    "ordered_at": None,
    "failed_at": None,
}
MEDIA = {
    "media_key": "t1/3f9c2a7e5b1d4c08.jpg",
    "media_type": "image/jpeg",
    "size": 182_340,
    "kind": "image",
}

CAMPAIGN_EXAMPLES: dict[str, tuple[Any, Any]] = {
    "POST /campaigns": (CREATE, CAMPAIGN),
    "GET /campaigns": (None, {"items": [SENDING], "next_cursor": None}),
    "POST /campaigns/audience/count": (
        {"audience": {"tags": ["vip"]}},
        {"count": 236, "matched": 240, "exclusions": {"opted_out": 3, "invalid_number": 1}},
    ),
    "POST /campaigns/estimate": (
        {"audience": {"tags": ["vip"]}},
        {
            "recipients": 236,
            "cost": "14.87",
            "currency": "USD",
            "as_of": "2026-10-01",
            "label": "WhatsApp marketing template prices per delivered message, in US dollars, as of "
            "1 October 2026 (Meta's rate card plus Twilio's fee of $0.005 a message)",
            "by_country": [
                {"country": "United Kingdom", "recipients": 200, "cost": "11.87"},
                {"country": "Spain", "recipients": 36, "cost": "3.00"},
            ],
            "exclusions": {"opted_out": 3, "invalid_number": 1},
        },
    ),
    "POST /campaigns/media": ("(multipart form: file=spring.jpg)", MEDIA),
    "POST /campaigns/{campaign_id}/test": (
        {"to": "+447700900123"},
        {"to": "+447700900123", "provider_sid": "SM" + "0" * 32, "as_template": True},
    ),
    "GET /campaigns/{campaign_id}": (None, SENDING),
    "POST /campaigns/{campaign_id}/template": (None, {**CAMPAIGN, "template_status": "pending"}),
    "POST /campaigns/{campaign_id}/send": (
        {"send_at": None},
        {**CAMPAIGN, "status": "scheduled", "template_status": "approved", "scheduled_at": WHEN},
    ),
    "POST /campaigns/{campaign_id}/pause": (None, {**SENDING, "status": "paused"}),
    "POST /campaigns/{campaign_id}/resume": (None, SENDING),
    "POST /campaigns/{campaign_id}/cancel": (None, {**SENDING, "status": "cancelled", "completed_at": WHEN}),
    "GET /campaigns/{campaign_id}/results": (None, RESULTS),
    "GET /campaigns/{campaign_id}/recipients": (None, {"items": [RECIPIENT], "next_cursor": "djE6NTAwMQ"}),
}

__all__ = ["CAMPAIGN_EXAMPLES"]
