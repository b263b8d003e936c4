"""An example request and response for every operation of the API, keyed "METHOD /path".

Kept apart from the routes so a route module reads as behaviour, and here in one table so the guide
(docs/api.md) and the OpenAPI document show the same values. engine.http.api_docs puts each pair into the
document; tests/engine/http/test_openapi.py fails when an operation has none.
"""

from __future__ import annotations

from typing import Any

from engine.http.campaign_examples import CAMPAIGN_EXAMPLES
from engine.http.integration_examples import INTEGRATION_EXAMPLES

WHEN = "2026-11-24T09:30:00Z"
CONVERSATION = {
    "id": 42,
    "customer_id": 7,
    "customer_name": "Ada Lovelace",
    "customer_phone": "+447700900123",
    "status": "handoff",
    "assigned_user_id": 3,
    "assigned_user_name": "Sam",
    "handoff_reason": "asked for a person",
    "last_activity_at": WHEN,
    "last_message_preview": "Do you have the trail runner in 42?",
    "last_message_direction": "inbound",
    "unread": 1,
}
MESSAGE = {
    "id": 901,
    "direction": "outbound",
    "sender": "human",
    "kind": "text",
    "body": "Yes, size 42 is in stock.",
    "created_at": WHEN,
    "status": "sent",
    "ticks": 1,
    "error_code": None,
    "sent_by_user_id": 3,
    "sent_by_name": "Sam",
}
CUSTOMER = {
    "id": 7,
    "phone": "+447700900123",
    "name": "Ada Lovelace",
    "language": "en",
    "opted_in": True,
    "opted_in_at": WHEN,
    "opted_out_at": None,
    "tags": ["vip"],
    "created_at": WHEN,
    "last_seen_at": WHEN,
}
PERSONA = {
    "agent_name": "Mia",
    "personality_traits": ["warm", "knows running shoes"],
    "tone": "friendly",
    "greeting_message": "Hi! I'm Mia from Stride.",
    "behavioral_restrictions": ["never promise delivery dates"],
    "required_disclaimers": [],
    "enable_proactive_suggestions": True,
    "enable_spelling_correction": True,
    "enable_rich_messages": True,
    "llm_provider": "openai",
    "default_model": "gpt-4o-mini",
    "fallback_models": [],
    "temperature": 0.3,
    "max_tokens": 600,
    "confidence_threshold": 0.55,
    "handoff_topics": ["refunds"],
    "max_low_confidence_turns": 2,
    "updated_at": WHEN,
}
PRODUCT = {
    "id": 12,
    "sku": "TR-42",
    "name": "Trail Runner",
    "aliases": ["trail shoe"],
    "description": "Grippy trail shoe",
    "category": "shoes",
    "price": "89.00",
    "stock": 4,
    "is_active": True,
}
SERVICE = {
    "id": 5,
    "code": "GAIT",
    "name": "Gait analysis",
    "description": "20 minutes on the treadmill",
    "price": "15.00",
    "duration_minutes": 20,
    "is_bookable": True,
    "is_active": True,
}
ENTRY = {
    "id": 31,
    "entry_type": "policy",
    "title": "Returns",
    "content": "Unworn shoes can be returned within 30 days.",
    "category": "orders",
    "keywords": ["refund", "return"],
    "priority": 5,
    "is_active": True,
    "version": 2,
}
LIST_PAGE = {"total": 1, "page": 1, "page_size": 25, "pages": 1}
GENERAL = {
    "name": "Stride Running",
    "slug": "stride",
    "time_zone": "Europe/London",
    "currency": "GBP",
    "agent_language": "en",
    "business_hours": {
        "mon": [["09:00", "12:30"], ["13:30", "18:00"]],
        **{day: [["09:00", "18:00"]] for day in ("tue", "wed", "thu", "fri")},
        "sat": [["10:00", "16:00"]],
        "sun": [],
    },
}
SENDER = {
    "id": 3,
    "address": "whatsapp:+14155550100",
    "number": "+14155550100",
    "label": "Shop",
    "is_default": True,
}
WHATSAPP = {
    "connected": True,
    "account_sid": "AC••••9f2c",
    "auth_token": {"set": True, "ends_with": "1234"},
    "api_key_sid": "",
    "api_key_secret": {"set": False, "ends_with": None},
    "previous_token_pending": False,
    "senders": [SENDER],
    "inbound_webhook_url": "https://parley.stride.example/webhooks/twilio/whatsapp",
    "status_webhook_url": "https://parley.stride.example/webhooks/twilio/status",
}
MODES = [
    {"mode": "ai", "label": "AI agent", "description": "The AI agent answers every message …"},
    {"mode": "rules", "label": "Rule-based responder", "description": "A simple responder …"},
    {"mode": "off", "label": "Off — staff answer everything", "description": "Nothing answers …"},
]
EMAIL = {
    "configured": True,
    "host": "smtp.stride.example",
    "port": 587,
    "tls": "starttls",
    "sender": "Stride Running <hello@stride.example>",
    "username": "hello@stride.example",
    "password": {"set": True, "ends_with": "7a2b"},
}
NO_EMAIL = {
    "configured": False,
    "host": "",
    "port": 587,
    "tls": "starttls",
    "sender": "",
    "username": "",
    "password": {"set": False, "ends_with": None},
}
IMPORT_REPORT = {"ok": True, "created": 2, "updated": 1, "errors": [], "dry_run": False}

EXAMPLES: dict[str, tuple[Any, Any]] = {
    "GET /tenant": (
        None,
        {"id": 1, "name": "Stride Running", "slug": "stride", "whatsapp_senders": ["+14155550100"]},
    ),
    "GET /tenants/{tenant_id}": (
        None,
        {"id": 1, "name": "Stride Running", "slug": "stride", "whatsapp_senders": []},
    ),
    "GET /agent-configuration": (None, PERSONA),
    "PUT /agent-configuration": ({"agent_name": "Mia", "tone": "friendly", "temperature": 0.3}, PERSONA),
    "GET /conversations": (None, {"items": [CONVERSATION], "next_cursor": "djE6NDI"}),
    "GET /conversations/{conversation_id}": (
        None,
        {"conversation": CONVERSATION, "messages": [MESSAGE], "next_cursor": None},
    ),
    "POST /conversations/{conversation_id}/messages": ({"text": "Yes, size 42 is in stock."}, MESSAGE),
    "POST /conversations/{conversation_id}/take-over": ({"reason": "VIP customer"}, CONVERSATION),
    "POST /conversations/{conversation_id}/hand-back": (None, {**CONVERSATION, "status": "bot"}),
    "POST /conversations/{conversation_id}/close": (None, {**CONVERSATION, "status": "closed"}),
    "GET /customers": (None, {"items": [CUSTOMER], "next_cursor": None}),
    "GET /customers/{customer_id}": (None, CUSTOMER),
    "PATCH /customers/{customer_id}": ({"name": "Ada Lovelace", "opted_in": True, "tags": ["vip"]}, CUSTOMER),
    "DELETE /customers/{customer_id}": (
        None,
        {"erased": True, "id": 7, "deleted": {"message": 14, "conversation": 2, "customer": 1}},
    ),
    "POST /catalog/{kind}/import": ("sku,name,price,stock\nTR-42,Trail Runner,89.00,4\n", IMPORT_REPORT),
    "GET /catalog/{kind}/export": (None, "sku,name,price,stock\nTR-42,Trail Runner,89.00,4\n"),
    "GET /catalog/match": (
        None,
        {
            "text": "trail shoes",
            "matches": [{"kind": "product", "id": 12, "name": "Trail Runner", "confidence": 0.91}],
        },
    ),
    "GET /catalog/spelling": (
        None,
        {"original": "trial runer", "corrected": "trail runner", "proposals": [], "question": None},
    ),
    "GET /catalog/products": (None, {"items": [PRODUCT], **LIST_PAGE}),
    "POST /catalog/products": (
        {"sku": "TR-42", "name": "Trail Runner", "price": "89.00", "stock": 4},
        PRODUCT,
    ),
    "GET /catalog/products/{product_id}": (None, PRODUCT),
    "PATCH /catalog/products/{product_id}": ({"stock": 3}, {**PRODUCT, "stock": 3}),
    "DELETE /catalog/products/{product_id}": (None, {"deleted": True, "id": 12}),
    "GET /catalog/services": (None, {"items": [SERVICE], **LIST_PAGE}),
    "POST /catalog/services": ({"code": "GAIT", "name": "Gait analysis", "price": "15"}, SERVICE),
    "GET /catalog/services/{service_id}": (None, SERVICE),
    "PATCH /catalog/services/{service_id}": ({"is_bookable": False}, {**SERVICE, "is_bookable": False}),
    "DELETE /catalog/services/{service_id}": (None, {"deleted": True, "id": 5}),
    "GET /knowledge": (None, {"items": [ENTRY], **LIST_PAGE}),
    "POST /knowledge": (
        {
            "title": "Returns",
            "content": "Unworn shoes can be returned within 30 days.",
            "entry_type": "policy",
        },
        ENTRY,
    ),
    "GET /knowledge/search": (
        None,
        {"query": "refund", "mode": "keyword", "results": [{"entry": ENTRY, "score": 0.8}]},
    ),
    "GET /knowledge/export": (
        None,
        "title,content,entry_type\nReturns,Unworn shoes can be returned within 30 days.,policy\n",
    ),
    "POST /knowledge/import": ({"file": "knowledge.csv", "mode": "append", "dry_run": False}, IMPORT_REPORT),
    "POST /knowledge/documents": (
        {"url": "https://shop.example/faq", "category": "faq"},
        {"created": 6, "replaced": 0, "source": "https://shop.example/faq"},
    ),
    "GET /knowledge/{entry_id}": (None, ENTRY),
    "PUT /knowledge/{entry_id}": (
        {"content": "Within 30 days, unworn.", "expected_version": 2},
        {**ENTRY, "version": 3},
    ),
    "DELETE /knowledge/{entry_id}": (None, {**ENTRY, "is_deleted": True}),
    "POST /knowledge/{entry_id}/restore": (None, ENTRY),
    "GET /knowledge/{entry_id}/versions": (None, [{"version": 2, "title": "Returns", "created_at": WHEN}]),
    "POST /knowledge/{entry_id}/versions/{version}/restore": (None, {**ENTRY, "version": 4}),
    "GET /settings/general": (None, GENERAL),
    "PUT /settings/general": (
        {"time_zone": "Europe/London", "currency": "GBP", "business_hours": {"sun": []}},
        GENERAL,
    ),
    "GET /settings/features": (None, {"agent_mode": "ai", "modes": MODES}),
    "PUT /settings/features": ({"agent_mode": "off"}, {"agent_mode": "off", "modes": MODES}),
    "GET /settings/whatsapp": (None, WHATSAPP),
    "PUT /settings/whatsapp/credentials": (
        {"account_sid": "AC" + "0" * 28 + "9f2c", "auth_token": "0" * 28 + "1234"},
        WHATSAPP,
    ),
    "POST /settings/whatsapp/senders": ({"address": "+14155550100", "label": "Shop"}, SENDER),
    "DELETE /settings/whatsapp/senders/{sender}": (
        None,
        {"deleted": True, "id": 3, "address": "whatsapp:+14155550100"},
    ),
    "POST /settings/whatsapp/senders/{sender}/default": (None, SENDER),
    "POST /settings/whatsapp/test": (
        None,
        {
            "ok": True,
            "kind": "ok",
            "title": "Connected to Twilio",
            "detail": "Stride Running is active and accepts your credentials.",
        },
    ),
    "GET /settings/email": (None, EMAIL),
    "PUT /settings/email": (
        {
            "host": "smtp.stride.example",
            "port": 587,
            "tls": "starttls",
            "sender": "Stride Running <hello@stride.example>",
            "username": "hello@stride.example",
            "password": "app-password",
        },
        EMAIL,
    ),
    "DELETE /settings/email": (None, NO_EMAIL),
    "POST /settings/email/test": (
        {"to": "owner@stride.example"},
        {"sent": True, "message": "Email sent to owner@stride.example."},
    ),
}

EXAMPLES.update(CAMPAIGN_EXAMPLES)
EXAMPLES.update(INTEGRATION_EXAMPLES)

__all__ = ["EXAMPLES"]
