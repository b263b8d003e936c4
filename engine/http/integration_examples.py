"""Example requests and responses of /api/v1/integrations for the OpenAPI document (merged into
engine.http.api_examples.EXAMPLES); kept apart so the routes and their examples change together."""

from __future__ import annotations

from typing import Any

WHEN = "2026-12-03T11:40:00Z"
ENDPOINT = {
    "id": 3,
    "name": "Our CRM",
    "url": "https://crm.example.com/hooks/parley",
    "events": ["conversation.handed_off", "conversation.resolved", "rating.received"],
    "include_customer_text": False,
    "active": True,
    "disabled_reason": None,
    "failing_since": None,
    "created_at": WHEN,
}
SECRET = "whsec_Jx2c9Qh0b7mVtE4kL1sR8uYp3nW6aD5fG0zC2vB1xMo"
DELIVERY = {
    "id": 41,
    "event_id": "evt_3f0c9d2a8b7e4c1d9e6f5a4b3c2d1e0f",
    "event_type": "conversation.resolved",
    "status": "delivered",
    "attempts": 1,
    "status_code": 200,
    "latency_ms": 84,
    "response_excerpt": '{"ok": true}',
    "error": None,
    "created_at": WHEN,
    "delivered_at": WHEN,
    "next_attempt_at": None,
}

INTEGRATION_EXAMPLES: dict[str, tuple[Any, Any]] = {
    "GET /integrations/events": (
        None,
        [{"type": "conversation.resolved", "description": "A conversation was resolved or closed"}],
    ),
    "GET /integrations/endpoints": (None, [ENDPOINT]),
    "POST /integrations/endpoints": (
        {
            "name": "Our CRM",
            "url": "https://crm.example.com/hooks/parley",
            "events": ["conversation.handed_off", "conversation.resolved", "rating.received"],
            "include_customer_text": False,
        },
        {**ENDPOINT, "secret": SECRET},
    ),
    "GET /integrations/endpoints/{endpoint_id}": (None, ENDPOINT),
    "PATCH /integrations/endpoints/{endpoint_id}": (
        {"events": ["rating.received"], "active": True},
        {**ENDPOINT, "events": ["rating.received"]},
    ),
    "DELETE /integrations/endpoints/{endpoint_id}": (None, {"deleted": True}),
    "POST /integrations/endpoints/{endpoint_id}/rotate-secret": (None, {"secret": SECRET}),
    "POST /integrations/endpoints/{endpoint_id}/test": (None, {**DELIVERY, "event_type": "endpoint.test"}),
    "GET /integrations/endpoints/{endpoint_id}/deliveries": (None, {"items": [DELIVERY], "total": 1}),
    "POST /integrations/deliveries/{delivery_id}/resend": (
        None,
        {
            **DELIVERY,
            "id": 42,
            "status": "pending",
            "attempts": 0,
            "status_code": None,
            "latency_ms": None,
            "response_excerpt": None,
            "delivered_at": None,
            "next_attempt_at": WHEN,
        },
    ),
}

__all__ = ["INTEGRATION_EXAMPLES"]
