"""Memory: 30-minute sessions that keep key facts, welcome back, "did you forget…", the summary job."""

from __future__ import annotations

from datetime import timedelta

from engine.agent import playground
from engine.agent.memory import expire_idle_contexts, summarize_conversations
from engine.agent.pipeline import process_message
from engine.db import TenantScope, session_scope
from engine.knowledge.service import create_entry
from engine.llm.ledger import CallLedger
from engine.models import Conversation, ConversationContext, LLMCall, Message, utcnow
from tests.engine.agent.conftest import Shop
from tests.fakes.openai_server import FakeOpenAIServer, ok


def _context(shop: Shop, conversation_id: int) -> ConversationContext:
    with session_scope() as s:
        return TenantScope(s, shop.tenant_id).first(
            ConversationContext, ConversationContext.conversation_id == conversation_id
        )


def test_memory_expires_after_thirty_minutes_but_key_facts_survive(shop: Shop) -> None:
    start = utcnow()
    process_message(
        shop.tenant_id, shop.conversation_id, "do you have the cloudstep 90? I'm a size 8", now=start
    )
    context = _context(shop, shop.conversation_id)
    assert context.current_topic == "Cloudstep 90 Running Shoe" and context.last_product_id
    assert context.key_facts["shoe_size"] == "8" and context.context_expires_at == start + timedelta(
        minutes=30
    )

    later = start + timedelta(minutes=31)
    welcome = process_message(shop.tenant_id, shop.conversation_id, "hi!", now=later)
    assert welcome.text.startswith("Welcome back, Ada! Last time we talked about Cloudstep 90 Running Shoe.")
    assert [o.id for o in welcome.message.options] == ["memory:continue", "memory:fresh"]
    context = _context(shop, shop.conversation_id)
    assert context.current_topic is None and context.last_product_id is None  # working memory gone
    assert context.key_facts["shoe_size"] == "8" and context.pending_action == "offer_continue"

    resumed = process_message(
        shop.tenant_id, shop.conversation_id, "Carry on", button_payload="memory:continue", now=later
    )
    assert resumed.text.startswith("Great, let's carry on with Cloudstep 90 Running Shoe.")
    assert "£95.00" in resumed.text
    assert _context(shop, shop.conversation_id).pending_action is None


def test_starting_fresh_forgets_the_previous_topic(shop: Shop) -> None:
    start = utcnow()
    process_message(shop.tenant_id, shop.conversation_id, "how much is delivery?", now=start)
    later = start + timedelta(hours=2)
    assert process_message(shop.tenant_id, shop.conversation_id, "hello", now=later).message.kind == "buttons"
    fresh = process_message(
        shop.tenant_id, shop.conversation_id, "start fresh", button_payload="memory:fresh", now=later
    )
    assert fresh.text == "Sure! What can I help you with today?"
    assert "previous" not in (_context(shop, shop.conversation_id).extracted_entities or {})


def test_a_returning_customer_with_a_new_request_is_welcomed_and_answered(shop: Shop) -> None:
    process_message(shop.tenant_id, shop.conversation_id, "do you have chelsea boots?")
    with session_scope() as s:
        old = TenantScope(s, shop.tenant_id).get(Conversation, shop.conversation_id)
        old.status = "closed"
        s.add(old)
    conversation_id = shop.new_conversation()
    result = process_message(shop.tenant_id, conversation_id, "what time do you open on sunday?")
    assert result.text.startswith("Welcome back, Ada!") and "Sunday 11:00-17:00" in result.text


def test_did_you_forget_answers_the_request_that_got_no_reply_with_an_apology(shop: Shop) -> None:
    with session_scope() as s:
        conversation_id = playground.start_playground(
            s, shop.tenant_id, user_id=3, customer_name="Ada"
        ).conversation_id
    first = process_message(shop.tenant_id, conversation_id, "I want to talk to a person")
    assert first.handoff
    # While a person owns the conversation the bot is silent; the question waits...
    assert process_message(shop.tenant_id, conversation_id, "how much is delivery?").responder == "silent"
    with session_scope() as s:
        playground.hand_back(s, shop.tenant_id, conversation_id)  # ...and staff hand back without answering.
    result = process_message(shop.tenant_id, conversation_id, "hello?? did you forget my question")
    assert result.text.startswith("Sorry we missed this earlier!") and "£3.95" in result.text
    assert "delivery" in [i["name"] for i in result.intents] and "forgot" not in [
        i["name"] for i in result.intents
    ]


def test_did_you_forget_finds_a_request_the_agent_could_not_answer(shop: Shop) -> None:
    with session_scope() as s:
        conversation_id = playground.start_playground(
            s, shop.tenant_id, user_id=4, customer_name="Ada"
        ).conversation_id
    first = process_message(shop.tenant_id, conversation_id, "do you do gift wrapping?")
    assert first.handoff and first.handoff_category == "no_answer"
    assert (
        _context(shop, conversation_id).extracted_entities["unanswered"][0]["text"]
        == "do you do gift wrapping?"
    )
    with session_scope() as s:  # staff add the answer to the knowledge base and hand back
        create_entry(
            s,
            shop.tenant_id,
            {
                "title": "Gift wrapping",
                "content": "Gift wrapping costs £2.50 per order.",
                "keywords": ["gift wrapping", "wrap"],
            },
        )
        playground.hand_back(s, shop.tenant_id, conversation_id)
    result = process_message(shop.tenant_id, conversation_id, "you forgot about my question")
    assert result.text.startswith("Sorry we missed this earlier!") and "£2.50" in result.text
    assert "unanswered" not in (_context(shop, conversation_id).extracted_entities or {})


def test_idle_contexts_are_expired_by_the_job(shop: Shop) -> None:
    start = utcnow()
    process_message(shop.tenant_id, shop.conversation_id, "do you have the cloudstep 90?", now=start)
    assert expire_idle_contexts(now=start + timedelta(minutes=10)) == 0
    assert expire_idle_contexts(now=start + timedelta(minutes=40)) == 1
    context = _context(shop, shop.conversation_id)
    assert (
        context.current_topic is None
        and context.extracted_entities["previous"]["topic"] == "Cloudstep 90 Running Shoe"
    )
    assert context.key_facts == {"shoe_size": "UK 6"}


def _long_conversation(shop: Shop, n: int = 20) -> None:
    now = utcnow() - timedelta(minutes=5)
    with session_scope() as s:
        scope = TenantScope(s, shop.tenant_id)
        for i in range(n):
            inbound = i % 2 == 0
            scope.add(
                Message(
                    conversation_id=shop.conversation_id,
                    direction="inbound" if inbound else "outbound",
                    sender="customer" if inbound else "agent",
                    body=f"{'question' if inbound else 'answer'} {i} about the cloudstep",
                    created_at=now + timedelta(seconds=i),
                )
            )
        scope.add(ConversationContext(conversation_id=shop.conversation_id, updated_at=utcnow()))


def test_the_summary_job_summarises_the_older_part_of_long_conversations(
    shop: Shop, scripted_llm: FakeOpenAIServer, _llm_isolation: CallLedger
) -> None:
    _long_conversation(shop)
    scripted_llm.script(ok("Ada asked about the Cloudstep 90 several times; nothing is open."))
    report = summarize_conversations()
    assert (report.summarized, report.failed) == (1, 0)
    context = _context(shop, shop.conversation_id)
    assert context.conversation_summary.startswith("Ada asked about the Cloudstep 90")
    with session_scope() as s:
        messages = TenantScope(s, shop.tenant_id).all(
            Message, Message.conversation_id == shop.conversation_id
        )
    assert context.extracted_entities["summary_upto"] == sorted(m.id for m in messages)[-9]  # newest 8 kept
    (request,) = scripted_llm.chat_requests
    assert "question 0 about the cloudstep" in request.messages[-1]["content"]
    assert "question 18" not in request.messages[-1]["content"]
    _llm_isolation.flush()
    with session_scope() as s:
        assert [c.purpose for c in TenantScope(s, shop.tenant_id).all(LLMCall)] == ["summary"]
    # Nothing new since: the next run leaves it alone, and no model is called.
    assert summarize_conversations().summarized == 0 and len(scripted_llm.chat_requests) == 1
    # The next turn's prompt carries the summary.
    scripted_llm.script(ok({"reply": "Sure.", "confidence": 0.9}))
    process_message(shop.tenant_id, shop.conversation_id, "and the other colour?")
    # ... as the customer's data (a user message), never in a system message (issue #14)
    messages = scripted_llm.chat_requests[-1].messages
    (data,) = [m for m in messages if m["content"].startswith("Customer profile and memory")]
    assert data["role"] == "user" and "Summary of the conversation so far: Ada asked" in data["content"]
    assert all("Ada asked" not in m["content"] for m in messages if m["role"] == "system")


def test_tenants_without_a_model_keep_the_extractive_summary(shop: Shop) -> None:
    _long_conversation(shop)
    assert summarize_conversations().summarized == 0
    assert _context(shop, shop.conversation_id).conversation_summary is None
