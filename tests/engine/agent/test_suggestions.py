"""Suggestions: catalogue relations, fitting services and the customer's history; acceptance tracked."""

from __future__ import annotations

from engine.agent.pipeline import process_message
from engine.agent.suggestions import Anchor, suggest, suggestion_stats
from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction
from tests.engine.agent.conftest import Shop, configure


def test_related_items_and_fitting_services_in_stock_first_with_their_reason(shop: Shop) -> None:
    with session_scope() as s:
        found = suggest(s, shop.tenant_id, anchors=[Anchor("product", "RUN-1", "Cloudstep 90 Running Shoe")])
    assert [(x.key, x.available) for x in found] == [("INS-1", True), ("SVC-GAIT", True), ("SCK-1", False)]
    assert found[0].reason == "goes well with the Cloudstep 90 Running Shoe"
    assert found[1].reason == "popular with running shoes like the Cloudstep 90 Running Shoe"


def test_what_was_bought_or_already_offered_is_not_suggested_again(shop: Shop) -> None:
    with session_scope() as s:
        found = suggest(
            s,
            shop.tenant_id,
            anchors=[Anchor("product", "RUN-1", "Cloudstep 90 Running Shoe")],
            bought=[("INS-1", "ACM-1")],
            exclude=["SVC-GAIT"],
        )
        from_history = suggest(s, shop.tenant_id, anchors=[], bought=[("RUN-1", "ACM-1")])
    assert [x.key for x in found] == ["SCK-1"]
    assert [x.reason for x in from_history][
        0
    ] == "to go with the Cloudstep 90 Running Shoe from your order ACM-1"


def test_acceptance_is_tracked_when_the_customer_taps_or_asks(shop: Shop) -> None:
    offered = process_message(shop.tenant_id, shop.conversation_id, "do you have the cloudstep 90?")
    assert [x["key"] for x in offered.suggestions] == ["INS-1", "SVC-GAIT", "SCK-1"]
    process_message(shop.tenant_id, shop.conversation_id, "Support Insoles", button_payload="suggest:INS-1")
    process_message(shop.tenant_id, shop.conversation_id, "can I book a gait analysis?")
    with session_scope() as s:
        row = TenantScope(s, shop.tenant_id).get(AgentInteraction, offered.interaction_id)
        stats = suggestion_stats(s, shop.tenant_id)
    accepted = {x["key"]: x.get("accepted_via") for x in row.suggestions if x.get("accepted")}
    assert accepted == {"INS-1": "tap", "SVC-GAIT": "asked"}
    assert stats.accepted == 2 and stats.shown >= 3 and 0 < stats.acceptance_rate < 1


def test_no_suggestions_when_the_tenant_turned_them_off(shop: Shop) -> None:
    configure(shop.tenant_id, enable_proactive_suggestions=False)
    result = process_message(shop.tenant_id, shop.conversation_id, "do you have the cloudstep 90?")
    assert result.suggestions == [] and "You might also like" not in result.text


def test_a_new_service_is_suggested_at_once_after_a_catalogue_write(shop: Shop) -> None:
    from engine.catalog import create_service

    with session_scope() as s:
        before = suggest(s, shop.tenant_id, anchors=[Anchor("product", "RUN-1", "Cloudstep 90 Running Shoe")])
        create_service(
            s,
            shop.tenant_id,
            {
                "code": "SVC-RUNCLUB",
                "name": "Running Club",
                "description": "Weekly running group",
                "price": "0",
            },
        )
    with session_scope() as s:
        after = suggest(
            s, shop.tenant_id, anchors=[Anchor("product", "RUN-1", "Cloudstep 90 Running Shoe")], limit=5
        )
    assert "SVC-RUNCLUB" not in {x.key for x in before} and "SVC-RUNCLUB" in {x.key for x in after}
