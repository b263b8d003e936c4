"""Knowledge gaps: which turns count as unanswered, and grouping a small labelled set by meaning with the
local model the product ships (all-MiniLM-L6-v2)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.analytics import gaps
from engine.db import TenantScope, session_scope
from engine.jobs.knowledge_gaps import refresh_knowledge_gaps
from engine.knowledge.embeddings import build_embedder, local_model_available
from engine.models import AgentInteraction, Conversation, Customer
from tests.engine.analytics.conftest import utc
from tests.factories import new_tenant

NOW = utc(11, 30, 12, 0)

# (label, question): three things the shop's knowledge does not cover, asked in different words.
LABELLED = [
    ("wrap", "Do you offer gift wrapping?"),
    ("wrap", "can you wrap it as a present"),
    ("wrap", "Is gift wrap available for my order?"),
    ("wrap", "could you gift-wrap the shoes please"),
    ("canada", "Do you ship to Canada?"),
    ("canada", "can I get delivery in Toronto"),
    ("canada", "Is international shipping to Canada possible?"),
    ("park", "Where can I park near the shop?"),
    ("park", "is there a car park at your store"),
    ("park", "Do you have parking for customers?"),
]

needs_model = pytest.mark.skipif(not local_model_available(), reason="the `local` extra is not installed")


def _turns(tenant_id: int, rows: list[tuple[str, dict]]) -> None:
    with session_scope() as s:
        scope = TenantScope(s, tenant_id)
        customer = scope.add(Customer(phone="whatsapp:+15550001111"))
        chat = scope.add(Conversation(customer_id=customer.id))
        lab = scope.add(Conversation(customer_id=customer.id, channel="playground"))
        for i, (text, kw) in enumerate(rows):
            cid = lab.id if kw.pop("playground", False) else chat.id
            scope.add(
                AgentInteraction(
                    conversation_id=cid,
                    customer_message=text,
                    created_at=kw.pop("created_at", NOW - timedelta(hours=i + 1)),
                    confidence=kw.pop("confidence", 0.9),
                    **kw,
                )
            )


def test_which_turns_count_as_unanswered() -> None:
    with session_scope() as s:
        tenant_id = new_tenant(s)
    hit = [{"title": "Returns"}]
    _turns(
        tenant_id,
        [
            ("How long do returns take?", {"knowledge_hits": hit}),  # answered from knowledge
            ("Do you gift wrap?", {}),  # no knowledge hit
            ("Is the blue one waterproof?", {"knowledge_hits": hit, "confidence": 0.3}),  # unsure
            (
                "I want a refund for the lamp",
                {"knowledge_hits": hit, "handoff": True, "handoff_reason": "no_answer: x"},
            ),
            ("hello!", {"intents": [{"name": "greeting", "confidence": 1}]}),  # small talk
            ("Do you ship to Canada?", {"playground": True}),  # staff testing
            ("Old question", {"created_at": NOW - timedelta(days=40)}),
        ],
    )
    with session_scope() as s:
        found = gaps.unanswered(s, tenant_id, since=NOW - gaps.WINDOW, social={"greeting"})
    assert [(q.text, q.reason) for q in found] == [
        ("Do you gift wrap?", "no_hit"),
        ("Is the blue one waterproof?", "low_confidence"),
        ("I want a refund for the lamp", "no_answer"),
    ]


@needs_model
def test_a_labelled_set_groups_by_meaning() -> None:
    questions = [
        gaps.Question(text, NOW - timedelta(minutes=i), "no_hit") for i, (_, text) in enumerate(LABELLED)
    ]
    embedder = build_embedder("local")
    groups = gaps.group(questions, embedder)
    label_of = {text: label for label, text in LABELLED}
    found = sorted(sorted(label_of[t] for t in [g.question, *g.examples]) for g in groups)
    assert found == [["canada"] * 3, ["park"] * 3, ["wrap"] * 4]
    assert [g.size for g in groups] == [4, 3, 3]  # largest first
    assert groups[0].reasons == {"no_hit": 4}


@needs_model
def test_the_job_replaces_each_tenants_groups() -> None:
    with session_scope() as s:
        tenant_id = new_tenant(s)
    _turns(tenant_id, [(text, {}) for _, text in LABELLED])
    assert refresh_knowledge_gaps(now=NOW) == 3
    assert refresh_knowledge_gaps(now=NOW) == 3  # a second run replaces, never adds
    with session_scope() as s:
        listed = gaps.list_gaps(s, tenant_id)
    assert [g.size for g in listed] == [4, 3, 3]
    assert all(g.computed_at == NOW for g in listed)
