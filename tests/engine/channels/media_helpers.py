"""A customer message carrying media, stored the way the inbound webhook stores it (shared by the channel and
HTTP media tests)."""

from __future__ import annotations

from engine.db import TenantScope, session_scope
from engine.models import Conversation, Customer, Message

JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(range(256)) * 8 + b"\xff\xd9"


def media_message(tenant_id: int, *media: tuple[str, str], phone: str = "whatsapp:+447700900123") -> int:
    """A stored inbound message with `media` as (url, content type) pairs; returns its id."""
    with session_scope() as session:
        scope = TenantScope(session, tenant_id)
        customer = scope.first(Customer, Customer.phone == phone) or scope.add(
            Customer(phone=phone, name="Ada")
        )
        conversation = scope.add(Conversation(customer_id=customer.id))
        message = scope.add(
            Message(
                conversation_id=conversation.id,
                direction="inbound",
                body="",
                media=[{"url": url, "content_type": content_type} for url, content_type in media],
            )
        )
        assert message.id is not None
        return message.id
