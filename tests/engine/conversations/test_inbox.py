"""Inbox services for the console: tabs, search, paging, transcripts, take over, reply, hand back, close."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.channels.whatsapp.rich import RichMessageBuilder
from engine.conversations import inbox
from engine.db import NotFound, TenantScope, session_scope
from engine.models import AuditLog, Conversation, Customer, MessageQueue
from tests.engine.conversations.harness import WhatsAppEnv, make_tenant, ordered, wa_fixture  # noqa: F401 - fixture
from tests.factories import new_user


def _customer_writes(wa: WhatsAppEnv, phone: str, name: str, text: str = "hello?") -> int:
    assert wa.inbound(text, From=phone, ProfileName=name).status_code == 200
    wa.clock.advance(1)
    with session_scope() as s:
        customer = TenantScope(s, wa.tenant_id).first(Customer, Customer.phone == phone)
        return ordered(TenantScope(s, wa.tenant_id), Conversation, Conversation.customer_id == customer.id)[
            -1
        ].id


def _staff(wa: WhatsAppEnv) -> int:
    with session_scope() as s:
        return new_user(s, wa.tenant_id, role="agent")


def test_tabs_counts_search_and_paging(wa: WhatsAppEnv) -> None:
    ids = [_customer_writes(wa, f"whatsapp:+4477009{i:05d}", f"Customer {i}") for i in range(5)]
    user = _staff(wa)
    with session_scope() as s:
        inbox.take_over(s, wa.tenant_id, ids[0], user)
        inbox.close(s, wa.tenant_id, ids[1], user)
    with session_scope() as s:
        bots = inbox.list_conversations(s, wa.tenant_id, tab="bot", page_size=2)
        assert bots.counts == {"bot": 3, "handoff": 1, "closed": 1, "all": 5}
        assert (bots.total, bots.pages, len(bots.items)) == (3, 2, 2)
        assert [c.id for c in bots.items] == [ids[4], ids[3]]  # most recent first
        assert [
            c.id for c in inbox.list_conversations(s, wa.tenant_id, tab="bot", page=2, page_size=2).items
        ] == [ids[2]]
        handoff = inbox.list_conversations(s, wa.tenant_id, tab="handoff").items
        assert [(c.id, c.assigned_user_id, c.handoff_reason) for c in handoff] == [
            (ids[0], user, "taken over by staff")
        ]
        assert handoff[0].assigned_user_name is not None
        assert inbox.list_conversations(s, wa.tenant_id, tab="all").total == 5
        by_name = inbox.list_conversations(s, wa.tenant_id, tab="all", search="customer 3")
        assert [c.customer_name for c in by_name.items] == ["Customer 3"]
        by_phone = inbox.list_conversations(s, wa.tenant_id, tab="all", search="+44 7700 900002")
        assert [c.id for c in by_phone.items] == [ids[2]]
        assert by_phone.counts["all"] == 1
        with pytest.raises(inbox.InboxError):
            inbox.list_conversations(s, wa.tenant_id, tab="spam")


def test_summaries_show_the_last_message_and_unread_count(wa: WhatsAppEnv) -> None:
    conversation_id = _customer_writes(wa, wa.customer, "Ada", "first")
    _customer_writes(wa, wa.customer, "Ada", "second " * 40)
    with session_scope() as s:
        (item,) = inbox.list_conversations(s, wa.tenant_id, tab="bot").items
    assert item.id == conversation_id and item.unread == 2 and item.last_message_direction == "inbound"
    assert item.last_message_preview.startswith("second second") and len(item.last_message_preview) == 120
    assert item.customer_phone == "+447700900123"


def test_the_transcript_renders_what_whatsapp_shows(wa: WhatsAppEnv) -> None:
    conversation_id = _customer_writes(wa, wa.customer, "Ada", "which size?")
    card = RichMessageBuilder.card(
        "Trail Runner",
        subtitle="$89 · in stock",
        image_url="https://cdn.example/t.jpg",
        buttons=[("buy", "Buy")],
    )
    wa.clock.advance(20)
    wa.worker(processor=lambda c, m: card.with_meta(confidence=0.82)).tick()
    assert wa.inbound("1").status_code == 200  # the numbered answer to the card's button
    assert wa.inbound("", Latitude="1.5", Longitude="2.5", Label="Home").status_code == 200
    with session_scope() as s:
        transcript = inbox.get_transcript(s, wa.tenant_id, conversation_id)
    kinds = [(m.direction, m.kind) for m in transcript.messages]
    assert kinds == [("inbound", "text"), ("outbound", "card"), ("inbound", "text"), ("inbound", "location")]
    bubble = transcript.messages[1]
    assert (bubble.title, bubble.subtitle, bubble.options) == (
        "Trail Runner",
        "$89 · in stock",
        [{"id": "buy", "title": "Buy"}],
    )
    assert bubble.media[0]["url"] == "https://cdn.example/t.jpg"
    assert (bubble.confidence, bubble.ticks, bubble.status) == (0.82, 0, "queued")
    assert transcript.messages[2].choice == {"id": "buy", "title": "Buy", "via": "number"}
    assert transcript.messages[3].location["label"] == "Home"
    assert transcript.conversation.unread == 2 and not transcript.has_more


def test_the_transcript_pages_backwards(wa: WhatsAppEnv) -> None:
    for i in range(5):
        conversation_id = _customer_writes(wa, wa.customer, "Ada", f"m{i}")
    with session_scope() as s:
        newest = inbox.get_transcript(s, wa.tenant_id, conversation_id, limit=2)
        older = inbox.get_transcript(
            s, wa.tenant_id, conversation_id, limit=2, before_id=newest.messages[0].id
        )
        oldest = inbox.get_transcript(
            s, wa.tenant_id, conversation_id, limit=2, before_id=older.messages[0].id
        )
    assert [m.body for m in newest.messages] == ["m3", "m4"] and newest.has_more
    assert [m.body for m in older.messages] == ["m1", "m2"] and older.has_more
    assert [m.body for m in oldest.messages] == ["m0"] and not oldest.has_more


def test_take_over_stops_the_bot_and_a_human_reply_goes_through_twilio(wa: WhatsAppEnv) -> None:
    conversation_id = _customer_writes(wa, wa.customer, "Ada", "I need a person")
    user = _staff(wa)
    with session_scope() as s:
        summary = inbox.take_over(s, wa.tenant_id, conversation_id, user, reason="customer asked")
    assert (summary.status, summary.handoff_reason) == ("handoff", "customer asked")
    assert {r.status for r in _rows(wa.tenant_id, MessageQueue)} == {"skipped"}
    wa.clock.advance(30)
    assert wa.worker().tick().replies == 0  # the bot stays quiet
    view = inbox.send_human_reply(
        wa.tenant_id, conversation_id, user, "Hi Ada, Sam here.", sender_factory=wa.sender_factory
    )
    assert (view.sender, view.body, view.status, view.sent_by_user_id) == (
        "human",
        "Hi Ada, Sam here.",
        "queued",
        user,
    )
    (sent,) = wa.fake.messages
    assert (sent.value("Body"), sent.value("To")) == ("Hi Ada, Sam here.", wa.customer)
    actions = [a.action for a in _rows(wa.tenant_id, AuditLog)]
    assert "conversation.take_over" in actions


def test_a_human_reply_in_a_bot_conversation_takes_it_over_first(wa: WhatsAppEnv) -> None:
    conversation_id = _customer_writes(wa, wa.customer, "Ada")
    user = _staff(wa)
    inbox.send_human_reply(
        wa.tenant_id, conversation_id, user, "Jumping in!", sender_factory=wa.sender_factory
    )
    (conversation,) = _rows(wa.tenant_id, Conversation)
    assert (conversation.status, conversation.assigned_user_id) == ("handoff", user)


def test_a_refused_human_reply_comes_back_with_the_error(wa: WhatsAppEnv) -> None:
    conversation_id = _customer_writes(wa, wa.customer, "Ada")
    with session_scope() as s:
        conversation = TenantScope(s, wa.tenant_id).require(Conversation, conversation_id)
        conversation.last_inbound_at -= timedelta(hours=25)
        s.add(conversation)
    wa.fake.fail("messages", status=400, code=63016)
    view = inbox.send_human_reply(
        wa.tenant_id, conversation_id, _staff(wa), "Still there?", sender_factory=wa.sender_factory
    )
    assert (view.ticks, view.error_code) == (-1, "63016")


def test_reply_text_is_validated(wa: WhatsAppEnv) -> None:
    conversation_id = _customer_writes(wa, wa.customer, "Ada")
    user = _staff(wa)
    with pytest.raises(inbox.InboxError, match="at most 1600"):
        inbox.send_human_reply(
            wa.tenant_id, conversation_id, user, "x" * 1601, sender_factory=wa.sender_factory
        )
    with pytest.raises(inbox.InboxError, match="must not be empty"):
        inbox.send_human_reply(wa.tenant_id, conversation_id, user, "  ", sender_factory=wa.sender_factory)
    assert wa.fake.message_attempts == []


def test_hand_back_lets_the_bot_answer_new_messages_again(wa: WhatsAppEnv) -> None:
    conversation_id = _customer_writes(wa, wa.customer, "Ada")
    user = _staff(wa)
    with session_scope() as s:
        inbox.take_over(s, wa.tenant_id, conversation_id, user)
    _customer_writes(wa, wa.customer, "Ada", "while a person had it")
    with session_scope() as s:
        summary = inbox.hand_back(s, wa.tenant_id, conversation_id, user)
    assert (summary.status, summary.assigned_user_id, summary.handoff_reason) == ("bot", None, None)
    _customer_writes(wa, wa.customer, "Ada", "back to the bot?")
    wa.clock.advance(20)
    calls = []
    wa.worker(
        processor=lambda c, m: calls.append([x.body for x in m]) or RichMessageBuilder.text("yes")
    ).tick()
    assert calls == [["back to the bot?"]]


def test_close_stops_the_queue_and_the_next_message_opens_a_new_conversation(wa: WhatsAppEnv) -> None:
    conversation_id = _customer_writes(wa, wa.customer, "Ada")
    user = _staff(wa)
    with session_scope() as s:
        summary = inbox.close(s, wa.tenant_id, conversation_id, user)
    assert summary.status == "closed"
    with pytest.raises(inbox.InboxError, match="closed"):
        inbox.send_human_reply(wa.tenant_id, conversation_id, user, "hi", sender_factory=wa.sender_factory)
    with session_scope() as s, pytest.raises(inbox.InboxError):
        inbox.take_over(s, wa.tenant_id, conversation_id, user)
    new_id = _customer_writes(wa, wa.customer, "Ada", "hello again")
    assert new_id != conversation_id


def test_another_tenants_conversation_is_not_found(wa: WhatsAppEnv) -> None:
    conversation_id = _customer_writes(wa, wa.customer, "Ada")
    with session_scope() as s:
        other_id = make_tenant(s)[0]
    with session_scope() as s:
        with pytest.raises(NotFound):
            inbox.get_transcript(s, other_id, conversation_id)
        with pytest.raises(NotFound):
            inbox.take_over(s, other_id, conversation_id, 1)
        assert inbox.list_conversations(s, other_id, tab="all").total == 0
    with pytest.raises(NotFound):
        inbox.send_human_reply(other_id, conversation_id, 1, "hi", sender_factory=wa.sender_factory)


def test_the_inbox_marker_changes_when_anything_arrives(wa: WhatsAppEnv) -> None:
    def marker() -> str:
        with session_scope() as s:
            return inbox.inbox_marker(s, wa.tenant_id)

    empty = marker()
    _customer_writes(wa, wa.customer, "Ada", "hi?")
    arrived = marker()
    wa.clock.advance(20)
    wa.worker(processor=lambda c, m: RichMessageBuilder.text("hello")).tick()
    replied = marker()
    assert wa.status(next(iter(wa.fake.sent)), "delivered").status_code == 200
    delivered = marker()
    assert len({empty, arrived, replied, delivered}) == 4
    assert marker() == delivered


def test_the_inbox_marker_is_answered_from_indexes(wa: WhatsAppEnv) -> None:
    """Polled every few seconds per open inbox: each max is an index probe, never a scan of the tenant's rows.

    On PostgreSQL the plan depends on the statistics, so the tenant gets 20,000 messages in 2,000
    conversations first (inside the transaction, rolled back): a backward scan of the named index is the
    max-by-index shortcut the planner takes only when that index exists.
    """
    from sqlalchemy import text

    _customer_writes(wa, wa.customer, "Ada", "hi?")
    tenant = wa.tenant_id
    with session_scope() as s:
        bind = s.get_bind()
        sql = str(inbox.marker_query(tenant).compile(bind, compile_kwargs={"literal_binds": True}))
        conn = s.connection()
        if bind.dialect.name == "sqlite":
            plan = "\n".join(r[-1] for r in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
            assert "SCAN message" not in plan and "SCAN conversation" not in plan, plan
            assert "COVERING INDEX ix_message_tenant_id_updated_at" in plan, plan
            assert "COVERING INDEX ix_conversation_tenant_id_last_activity_at" in plan, plan
            return
        conn.execute(
            text(
                "INSERT INTO customer (tenant_id, phone, opted_in, key_facts, created_at) "
                "SELECT :t, 'plan-' || g, true, '{}', now() FROM generate_series(1, 2000) g"
            ),
            {"t": tenant},
        )
        conn.execute(
            text(
                "INSERT INTO conversation (tenant_id, customer_id, status, channel, low_confidence_turns, "
                "created_at, last_activity_at) SELECT tenant_id, id, 'bot', 'whatsapp', 0, now(), "
                "now() - id * interval '1 minute' FROM customer WHERE tenant_id = :t AND phone LIKE 'plan-%'"
            ),
            {"t": tenant},
        )
        conn.execute(
            text(
                "INSERT INTO message (tenant_id, conversation_id, direction, sender, media, status, "
                "created_at, updated_at) SELECT c.tenant_id, c.id, 'inbound', 'customer', '[]', 'received', "
                "now(), now() - g * interval '1 second' FROM conversation c, generate_series(1, 10) g "
                "WHERE c.tenant_id = :t"
            ),
            {"t": tenant},
        )
        conn.execute(text("ANALYZE customer, conversation, message"))
        plan = "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {sql}")))
        s.rollback()
    # max(id) walks an id-ordered index too (pk or unique (tenant_id, id), as the statistics say); the count
    # reads the tenant's conversations whatever the indexes, by design (it catches deletions).
    assert "Backward using ix_message_tenant_id_updated_at on message" in plan, plan
    assert "Backward using ix_conversation_tenant_id_last_activity_at on conversation" in plan, plan


def _rows(tenant_id: int, model: type) -> list:
    with session_scope() as s:
        return ordered(TenantScope(s, tenant_id), model)


def test_agent_turns_carry_their_intents_and_model(wa: WhatsAppEnv) -> None:
    conversation_id = _customer_writes(wa, wa.customer, "Ada", "where is my order?")
    reply = RichMessageBuilder.text("On its way!").with_meta(
        confidence=0.74,
        intents=[{"name": "greeting", "confidence": 0.2}, {"name": "order_status", "confidence": 0.91}],
        model="gpt-4o-mini",
        provider="openai",
    )
    wa.clock.advance(20)
    wa.worker(processor=lambda c, m: reply).tick()
    with session_scope() as s:
        agent = inbox.get_transcript(s, wa.tenant_id, conversation_id).messages[-1]
    assert (agent.sender, agent.confidence, agent.model) == ("agent", 0.74, "gpt-4o-mini")
    assert [i["name"] for i in agent.intents] == ["order_status", "greeting"]  # strongest first
    assert inbox._intents(["faq", {"name": "x"}, {"confidence": 1}, 3]) == [
        {"name": "faq", "confidence": None},
        {"name": "x", "confidence": None},
    ]


def test_customer_context_for_the_side_pane(wa: WhatsAppEnv) -> None:
    from decimal import Decimal

    from engine.models import Appointment, ConversationContext, Order, Product, Service, utcnow

    conversation_id = _customer_writes(wa, wa.customer, "Ada", "do you have the trail runner?")
    now = utcnow()
    with session_scope() as s:
        scope = TenantScope(s, wa.tenant_id)
        customer = scope.first(Customer, Customer.phone == wa.customer)
        customer.key_facts = {"shoe_size": "UK 6", "likes": ["trail", "road"], "empty": ""}
        s.add(customer)
        product = scope.add(
            Product(
                sku="TR-1", name="Trail Runner", price=Decimal("89.00"), stock=3, image_url="https://x/t.jpg"
            )
        )
        service = scope.add(Service(code="GAIT", name="Gait analysis", price=Decimal("0")))
        scope.add(
            ConversationContext(
                conversation_id=conversation_id,
                current_topic="trail shoes",
                pending_action="confirm size",
                last_product_id=product.id,
                last_service_id=service.id,
                conversation_summary="Ada wants trail shoes for a race.",
                key_facts={"shoe_size": "UK 6.5", "race": "Bath Half"},
            )
        )
        scope.add(Order(customer_id=customer.id, order_number="STR-1", status="shipped", total=Decimal("89")))
        scope.add(
            Appointment(customer_id=customer.id, service_id=service.id, starts_at=now + timedelta(days=2))
        )
        scope.add(
            Appointment(customer_id=customer.id, service_id=service.id, starts_at=now - timedelta(days=9))
        )
    with session_scope() as s:
        pane = inbox.customer_context(s, wa.tenant_id, conversation_id)
    assert (pane.name, pane.phone, pane.opted_in) == ("Ada", "+447700900123", False)
    assert pane.key_facts == {"shoe_size": "UK 6.5", "likes": "trail, road", "race": "Bath Half"}
    assert (pane.current_topic, pane.pending_action) == ("trail shoes", "confirm size")
    assert pane.summary == "Ada wants trail shoes for a race."
    assert pane.last_product.name == "Trail Runner" and pane.last_product.price == "89.00"
    assert pane.last_product.available and pane.last_service.code == "GAIT"
    assert [o.order_number for o in pane.orders] == ["STR-1"]
    assert len(pane.upcoming_appointments) == 1 and len(pane.past_appointments) == 1
    assert pane.window_open and pane.window_closes_at is not None
    assert (pane.currency, pane.time_zone, pane.conversation_count) == ("USD", "UTC", 1)
    later = inbox.customer_context
    with session_scope() as s:
        assert not later(s, wa.tenant_id, conversation_id, now=now + timedelta(hours=25)).window_open
        with pytest.raises(NotFound):
            later(s, make_tenant(s)[0], conversation_id)


def test_a_new_customer_has_an_empty_context(wa: WhatsAppEnv) -> None:
    conversation_id = _customer_writes(wa, wa.customer, "Ada")
    with session_scope() as s:
        pane = inbox.customer_context(s, wa.tenant_id, conversation_id)
    assert pane.key_facts == {} and pane.summary is None and pane.last_product is None
    assert pane.orders == [] and pane.upcoming_appointments == [] and pane.past_appointments == []


def test_needs_human_count(wa: WhatsAppEnv) -> None:
    ids = [_customer_writes(wa, f"whatsapp:+4477009{i:05d}", f"C{i}") for i in range(3)]
    user = _staff(wa)
    with session_scope() as s:
        assert inbox.needs_human_count(s, wa.tenant_id) == 0
        inbox.take_over(s, wa.tenant_id, ids[0], user)
        inbox.take_over(s, wa.tenant_id, ids[1], user)
        inbox.close(s, wa.tenant_id, ids[1], user)
    with session_scope() as s:
        assert inbox.needs_human_count(s, wa.tenant_id) == 1
        assert inbox.needs_human_count(s, make_tenant(s)[0]) == 0


def test_inbox_settings(wa: WhatsAppEnv) -> None:
    from engine.models import AgentConfiguration, Tenant

    with session_scope() as s:
        tenant = s.get(Tenant, wa.tenant_id)
        tenant.time_zone, tenant.currency = "Europe/London", "GBP"
        s.add(tenant)
        config = TenantScope(s, wa.tenant_id).first(AgentConfiguration)
        config.agent_name, config.confidence_threshold = "Maya", 0.7
        s.add(config)
    with session_scope() as s:
        assert inbox.inbox_settings(s, wa.tenant_id) == inbox.InboxSettings(
            "Europe/London", "GBP", "Maya", 0.7
        )
