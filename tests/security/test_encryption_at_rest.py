"""No customer words in clear at rest (issue #14, item 1).

Customer text goes in through the real services — a signed webhook (body, tapped button), a turn of the real
agent answered and sent, remembered facts, a hand-off with a quoted reason, an appointment note, knowledge
saved (one entry internal), the audit rows those write — each piece carrying one needle. Then every text and
JSON column of every table is read by raw SQL (the schema as the database reports it, on SQLite and on
PostgreSQL) and the needle must appear nowhere. The same read proves the inventory: each text/JSON column is
either encrypted or on the commented allow-list below, so a new plain column is a decision, not an accident.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import JSON, String, Text, inspect, text
from sqlmodel import SQLModel, select

from engine.agent import memory
from engine.conversations import lifecycle
from engine.db import TenantScope, get_engine, session_scope
from engine.knowledge import index as kindex
from engine.knowledge import service as knowledge
from engine.models import (
    AgentInteraction,
    Appointment,
    Conversation,
    ConversationContext,
    Customer,
    Message,
    Service,
)
from engine.security.crypto import EncryptedText
from tests.engine.conversations.harness import WhatsAppEnv, wa_fixture  # noqa: F401 - the `wa` fixture
from tests.factories import make_row, new_user

NEEDLE = f"needle{uuid.uuid4().hex[:10]}"

# Text/JSON columns that stay plain, and why. None may hold what a customer wrote or what was replied to them.
PLAIN: dict[str, dict[str, str]] = {
    "alembic_version": {"version_num": "migration id"},
    # The shop's own settings, names and staff accounts: no customer words.
    "tenant": dict.fromkeys(
        (
            "name",
            "slug",
            "time_zone",
            "currency",
            "business_hours",
            "agent_language",
            "email_settings",
            "feature_flags",
            "plan_limits",
        ),
        "shop",
    ),
    "whatsapp_sender": dict.fromkeys(("address", "label"), "the shop's own numbers"),
    "user": {"email": "staff login", "full_name": "staff", "password_hash": "argon2 hash"},
    "membership": {"role": "label"},
    "user_session": {"token_hash": "sha-256 of the cookie", "user_agent": "staff browser"},
    "api_token": dict.fromkeys(("name", "token_prefix", "token_hash", "scopes"), "hashes and labels"),
    "secret": {"kind": "label", "last4": "shown in the console by design"},
    "audit_log": dict.fromkeys(("actor_label", "action", "target_type", "target_id"), "who, what, which id"),
    # The persona the shop wrote (its system prompt): the shop's text, not the customer's.
    "agent_configuration": dict.fromkeys(
        (
            "agent_name",
            "personality_traits",
            "tone",
            "greeting_message",
            "behavioral_restrictions",
            "required_disclaimers",
            "llm_provider",
            "llm_base_url",
            "default_model",
            "fallback_models",
            "embedding_model",
            "handoff_topics",
            "frustration_action",
            "allowed_link_domains",
        ),
        "the shop's persona and model settings",
    ),  # fmt: skip
    # Knowledge: lists filter and count by these labels; title, content and keywords are encrypted.
    "knowledge_entry": dict.fromkeys(("entry_type", "category", "source"), "label, or file name / URL"),
    "knowledge_entry_version": dict.fromkeys(("entry_type", "category"), "label"),
    # The catalogue and orders: what the shop sells, typed by staff; orders hold product ids and counts.
    "product": dict.fromkeys(
        (
            "sku",
            "name",
            "aliases",
            "description",
            "category",
            "sizes",
            "colors",
            "variants",
            "image_url",
            "related_skus",
        ),
        "catalogue (variants: sizes, colours and stock counts)",
    ),
    "service": dict.fromkeys(
        ("code", "name", "aliases", "description", "category", "image_url"), "catalogue"
    ),
    "customer_order": dict.fromkeys(("order_number", "status", "items"), "order lines, not words"),
    "appointment": {"status": "label"},
    # The customer's identity, needed in clear for lookups: the phone number and WhatsApp id key every
    # inbound message, the profile name is what staff search the inbox by (SQL LIKE). Not message content.
    "customer": {
        "phone": "lookup key",
        "wa_id": "lookup key",
        "name": "inbox search",
        "language": "code",
        "tags": "staff's labels (vip, wholesale), filtered by",
    },
    "conversation": {"status": "label", "channel": "label"},
    # Message plumbing: ids, statuses, provider error codes; media are links to Twilio (fetching them needs
    # the tenant's credentials) and the option id a customer tapped is one we generated.
    "message": dict.fromkeys(
        (
            "direction",
            "sender",
            "media",
            "button_payload",
            "content_sid",
            "provider_sid",
            "status",
            "error_code",
            "error_message",
            "idempotency_key",
        ),
        "plumbing",
    ),  # fmt: skip
    "conversation_context": {"pending_action": "a label (offer_continue)"},
    "message_queue": {"status": "label", "claimed_by": "worker id", "traceparent": "trace and span ids"},
    "alert_incident": dict.fromkeys(("kind", "open_kind"), "the alert's label (queue_age, cost_per_hour)"),
    "whatsapp_content": dict.fromkeys(("content_hash", "content_sid", "kind"), "hash and provider id"),
    # What analytics counts: intent names, model, provider, message kind; suggestions are catalogue items
    # (id, name, price, our reason); the context budget is token counts and intent names.
    "agent_interaction": {
        **dict.fromkeys(
            ("intent_names", "model", "provider", "message_type", "suggestions", "context_budget"),
            "analytics",
        ),
        "handoff_category": "the handoff's category (topic, low_confidence); the reason stays encrypted",
        "recall": "what a 'did you forget' found: recovered | not_found",
        "knowledge_entry_ids": "ids of the knowledge entries an answer drew on; their text stays encrypted",
    },
    "knowledge_gap": {"reasons": "counts per reason ({'no_hit': 3}); the questions are encrypted"},
    # Provider error text (status, message); validation errors name fields, never the model's text.
    "llm_call": dict.fromkeys(("purpose", "provider", "model", "status", "error"), "call log"),
    "button_event": {"payload": "the option id we generated"},
    # Campaigns: the shop's broadcast, the same words for every recipient, typed by staff; not a reply to
    # anyone's message. Each message actually sent is a `message` row, whose body is encrypted. Encrypted
    # instead: campaign.audience (an uploaded list's numbers), campaign_recipient.variables (one customer's
    # filled-in values) and campaign_action.payload (quotes the title the customer's tap sent).
    "campaign": {
        **dict.fromkeys(("name", "status", "content_sid", "template_name", "template_category"), "broadcast"),
        "sender_address": "the shop's own number",
        "template_status": "label",
        "template_reason": "WhatsApp's reason for refusing the shop's template",
        "template_variables": "variable names (first_name), not values",
        "exclusions": "counts per reason",
        "dispatch_owner": "worker id",
    },
    "campaign_message": {
        **dict.fromkeys(("body", "media_url", "media_type", "caption", "buttons"), "the shop's broadcast"),
        "fallbacks": "the shop's stand-in values (first_name: there), the same for everyone",
    },
    "campaign_recipient": {
        **dict.fromkeys(("status", "provider_sid", "error_code", "claimed_by"), "delivery plumbing"),
        "error_message": "the failure in our words, from the error code",
        "phone": "the number sent to, in clear like customer.phone",
        "tapped_payload": "the button id we generated",
    },
    "campaign_settings": dict.fromkeys(("quiet_start", "quiet_end"), "HH:MM settings"),
    "campaign_action": dict.fromkeys(
        ("kind", "language", "status", "claimed_by", "provider_sid", "error"),
        "labels, a language code, worker id, provider id and error",
    ),
    # Outgoing webhooks: the shop's own endpoints and delivery plumbing. Encrypted instead: the endpoint's
    # secret and webhook_event.data (it can quote the customer). The response excerpt is the shop's own
    # receiver's answer to an event (its status words), not a customer's.
    "webhook_endpoint": {
        **dict.fromkeys(("name", "url", "events"), "the shop's own endpoint and its chosen event types"),
        "disabled_reason": "our words for why it was disabled",
    },
    "webhook_event": dict.fromkeys(("event_id", "event_type"), "ids and labels"),
    "webhook_delivery": {
        **dict.fromkeys(("status", "claimed_by", "last_error"), "delivery plumbing: label, worker id, error"),
        "response_excerpt": "the shop's own receiver's answer",
    },
    # Ratings: the shop's wording and labels. Encrypted instead: rating.comment (the customer's words).
    "rating_settings": dict.fromkeys(
        ("titles", "question", "template_sid", "template_status"), "the shop's wording, template id, label"
    ),
    "rating": dict.fromkeys(("resolved_by", "status", "skip_reason", "via"), "labels"),
}


def _text_columns() -> Iterator[tuple[str, str]]:
    """Every text or JSON column of every table, as the database itself describes it."""
    db = inspect(get_engine())
    for table in sorted(db.get_table_names()):
        for column in db.get_columns(table):
            if isinstance(column["type"], String | Text | JSON):
                yield table, column["name"]


def _encrypted() -> set[tuple[str, str]]:
    return {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText)
    }


def _seed(wa: WhatsAppEnv) -> int:
    """Customer words into every place they can reach; returns the internal entry's id."""
    tenant = wa.tenant_id
    wa.inbound(f"hello, my order is late {NEEDLE} body", ButtonPayload="opt-1", ButtonText=f"{NEEDLE} tap")
    wa.clock.advance(30)
    assert wa.worker().tick().replies == 1  # the real agent (offline model) answers, and the reply is sent
    with session_scope() as session:
        scope = TenantScope(session, tenant)
        conversation = scope.first(Conversation)
        context = scope.first(ConversationContext)
        memory.remember_facts(session, tenant, context, {"shoe size": f"{NEEDLE} fact"})
        user = new_user(session, tenant)
        reason = f"the customer said {NEEDLE} reason"
        lifecycle.take_over(session, tenant, conversation.id, user, reason=reason)
        service_row = make_row(session, tenant, Service)
        customer = scope.first(Customer)
        scope.add(
            Appointment(
                customer_id=customer.id,
                service_id=service_row.id,
                starts_at=wa.clock(),
                notes=f"{NEEDLE} appointment note",
            )
        )
        knowledge.create_entry(
            session,
            tenant,
            {
                "title": f"{NEEDLE} public title",
                "content": f"{NEEDLE} public body",
                "keywords": [f"{NEEDLE}kw"],
            },
            user_id=user,
        )
        internal = knowledge.create_entry(
            session,
            tenant,
            {"title": f"{NEEDLE} secret title", "content": f"{NEEDLE} never tell", "internal": True},
            user_id=user,
        )
    return internal.id


@pytest.fixture
def seeded(wa: WhatsAppEnv) -> tuple[WhatsAppEnv, int]:
    return wa, _seed(wa)


def test_every_text_and_json_column_is_encrypted_or_allowed_plain_on_purpose() -> None:
    encrypted = _encrypted()
    unexplained = [
        f"{table}.{column}"
        for table, column in _text_columns()
        if (table, column) not in encrypted and column not in PLAIN.get(table, {})
    ]
    assert unexplained == [], "encrypt these columns, or add them to PLAIN with the reason they hold no words"


def test_no_customer_words_in_clear_in_any_column(seeded: tuple[WhatsAppEnv, int]) -> None:
    wa, _ = seeded
    found: list[str] = []
    with get_engine().connect() as conn:
        for table, column in _text_columns():
            values = conn.execute(text(f'SELECT CAST("{column}" AS TEXT) FROM "{table}"')).scalars().all()
            found.extend(f"{table}.{column}" for v in values if v and NEEDLE in v)
    assert found == []
    # The needles did land: read through the models, the encrypted columns give them back.
    with session_scope() as session:
        scope = TenantScope(session, wa.tenant_id)
        inbound, outbound = (
            session.exec(scope.select(Message).where(Message.direction == d)).first()
            for d in ("inbound", "outbound")
        )
        assert NEEDLE in inbound.body and NEEDLE in inbound.button_text and outbound.rich
        turn = scope.first(AgentInteraction)
        assert NEEDLE in turn.customer_message and NEEDLE in repr(turn.intents)
        assert NEEDLE in scope.first(Customer).key_facts["shoe_size"]
        assert NEEDLE in scope.first(Conversation).handoff_reason


def test_the_search_index_keeps_no_text_of_internal_entries(seeded: tuple[WhatsAppEnv, int]) -> None:
    wa, internal_id = seeded
    table = kindex.open_table(wa.tenant_id)
    assert table is not None
    rows = table.table.to_arrow().drop_columns([c for c in ("vector",) if c in table.table.schema.names])
    by_id = {row["id"]: row for row in rows.to_pylist()}
    internal = by_id.pop(internal_id)
    assert NEEDLE not in repr(internal) and internal["title"] == ""
    assert all(NEEDLE in row["title"] for row in by_id.values())  # customer-facing text stays searchable
    with session_scope() as session:  # and the console's substring filter still finds the internal one
        page = knowledge.list_entries(session, wa.tenant_id, text="never tell")
        assert [e.id for e in page.items] == [internal_id]


def test_intent_names_stay_countable_in_clear(seeded: tuple[WhatsAppEnv, int]) -> None:
    wa, _ = seeded
    with get_engine().connect() as conn:
        names = conn.execute(text("SELECT intent_names FROM agent_interaction")).scalars().all()
    assert names and all(NEEDLE not in str(n) for n in names)
    with session_scope() as session:
        (turn,) = session.exec(
            select(AgentInteraction).where(AgentInteraction.tenant_id == wa.tenant_id)
        ).all()
        assert turn.intent_names == [i["name"] for i in turn.intents]
