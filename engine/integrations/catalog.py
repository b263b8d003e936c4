"""The events a shop can subscribe to, in its own words, and which fields quote the customer.

An event's data never carries the customer's own words unless the endpoint ticked "include customer text":
those fields are named here, once, and stripped at delivery time (the outbox keeps them, encrypted, so a
later tick does not need the event written again).
"""

from __future__ import annotations

EVENT_TYPES: dict[str, str] = {
    "message.received": "A customer wrote",
    "reply.sent": "A reply was sent",
    "conversation.handed_off": "A conversation was handed to a person (with the reason)",
    "conversation.resolved": "A conversation was resolved or closed",
    "rating.received": "A customer rated a conversation",
    "customer.opted_out": "A customer opted out",
    "campaign.finished": "A campaign finished sending",
    "alert.opened": "An alert started (replies failing or slow, AI spend, handoffs, customers waiting)",
    "alert.resolved": "An alert is over: the figure is back to normal",
}
TEST_EVENT = "endpoint.test"  # sent by "Send test delivery"; never subscribed to

# Data keys that hold what a customer wrote (or a reason that may quote them).
CUSTOMER_TEXT_KEYS: frozenset[str] = frozenset({"text", "comment", "reason_text", "button_text"})


def label(event_type: str) -> str:
    if event_type == TEST_EVENT:
        return "Test delivery"
    return EVENT_TYPES.get(event_type, event_type.replace(".", " ").replace("_", " "))


def visible_data(data: dict[str, object], *, include_customer_text: bool) -> dict[str, object]:
    """The data as this endpoint may see it."""
    if include_customer_text:
        return dict(data)
    return {k: v for k, v in data.items() if k not in CUSTOMER_TEXT_KEYS}


__all__ = ["CUSTOMER_TEXT_KEYS", "EVENT_TYPES", "TEST_EVENT", "label", "visible_data"]
