"""The inbox's customer pane names the customer's language in words (issue #13 item 4: "stored on the customer
and shown in the inbox"), never as a code."""

from __future__ import annotations

from console.state.conversations_rows import pane_for
from engine.conversations import inbox
from engine.db import TenantScope, session_scope
from engine.models import Conversation, Customer, utcnow
from tests.factories import new_tenant


def _pane_language(language: str | None) -> str:
    with session_scope() as s:
        tenant_id = new_tenant(s)
        scope = TenantScope(s, tenant_id)
        customer = scope.add(Customer(phone="whatsapp:+14155550101", language=language))
        conversation = scope.add(Conversation(customer_id=customer.id))
        context = inbox.customer_context(s, tenant_id, int(conversation.id or 0))
    return pane_for(context, utcnow()).language


def test_the_pane_names_the_language() -> None:
    assert _pane_language("es") == "Spanish"
    assert _pane_language("pt") == "Portuguese"
    assert _pane_language(None) == ""  # not known yet: no badge
