"""Answers a shop owner would sign (issue #15): the customer's size and colour honoured and kept for the next
turn, taps that lead somewhere (a card, a hold, free times, a booking), offline wording that fits the turn,
and a disclaimer only when its topic comes up."""

from __future__ import annotations

import pytest

from engine import catalog
from engine.agent.pipeline import process_message
from engine.agent.types import TurnResult
from engine.db import TenantScope, session_scope
from engine.models import Appointment, ConversationContext, Tenant
from tests.engine.agent.conftest import Shop, configure

TRAIL_VARIANTS = "UK 7 / Black = 2 | UK 8 / Black = 0 | UK 8 / Slate Grey = 4 | UK 9 / Black = 1"


@pytest.fixture
def trail(shop: Shop) -> Shop:
    """The shop with a trail shoe stocked per size and colour, and opening hours every day."""
    with session_scope() as s:
        catalog.create_product(
            s,
            shop.tenant_id,
            {
                "sku": "TRL-1",
                "name": "Ridgeline Trail Runner",
                "aliases": ["ridgeline"],
                "description": "A grippy trail shoe with 5 mm lugs and a rock plate.",
                "category": "running",
                "price": "115.00",
                "image_url": "https://cdn.example.com/ridgeline.jpg",
                "variants": TRAIL_VARIANTS,
            },
        )
        tenant = s.get(Tenant, shop.tenant_id)
        assert tenant is not None
        tenant.business_hours = {
            "weekly": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
        }
        s.add(tenant)
    configure(shop.tenant_id, agent_name="Maya")  # drops the cached persona, which holds the hours
    return shop


def _say(shop: Shop, text: str, payload: str | None = None) -> TurnResult:
    result = process_message(shop.tenant_id, shop.conversation_id, text, button_payload=payload)
    assert result.message is not None
    return result


def _text(result: TurnResult) -> str:
    assert result.message is not None
    return result.message.body or result.message.title or ""


def _ids(result: TurnResult) -> list[str]:
    assert result.message is not None
    return [o.id for o in result.message.options]


def test_a_size_question_is_answered_with_that_sizes_stock(trail: Shop) -> None:
    result = _say(trail, "do u hav the ridgeline in size 42?")
    assert not result.handoff
    assert "*Ridgeline Trail Runner* is in stock in size 42 (UK 8)" in _text(result)  # EU 42 is UK 8
    assert _ids(result)[0] == "product:TRL-1:reserve"


def test_and_in_black_keeps_the_item_and_the_size(trail: Shop) -> None:
    _say(trail, "have you got the ridgeline in uk 8?")
    result = _say(trail, "and in blak?")
    text = _text(result)
    assert not result.handoff
    assert "out of stock in UK 8 in Black" in text  # same shoe, same size, the new colour (typo and all)
    assert "In UK 8 it's in stock in Slate Grey" in text and "Nearest sizes in stock: UK 7 and UK 9" in text
    with session_scope() as s:
        memory = TenantScope(s, trail.tenant_id).first(ConversationContext)
        assert memory is not None
        assert memory.extracted_entities["attributes"]["size"] == "UK 8"
        assert memory.extracted_entities["attributes"]["color"] == "black"


def test_a_tapped_product_sends_its_card_not_the_list_again(trail: Shop) -> None:
    _say(trail, "have you got the ridgeline in uk 8?")
    card = _say(trail, "Ridgeline Trail Runner", "product:TRL-1:info")
    assert card.message is not None and card.message.kind == "card"
    assert card.message.media is not None and card.message.media.url.endswith("ridgeline.jpg")
    assert card.message.subtitle == "£115.00 · in stock"
    title = card.message.title or ""
    assert "Sizes in stock: UK 7, UK 8, UK 9" in title and "In UK 8: in stock (4)" in title
    assert [o.title for o in card.message.options] == ["Reserve", "Other sizes", "Ask a question"]
    with session_scope() as s:
        memory = TenantScope(s, trail.tenant_id).first(ConversationContext)
        assert memory is not None and memory.extracted_entities["shown"] == {
            "kind": "card",
            "product": "TRL-1",
        }
        assert memory.extracted_entities["picked"]["payload"] == "product:TRL-1:info"


def test_reserve_puts_the_wanted_variant_on_hold_for_staff(trail: Shop) -> None:
    _say(trail, "is the ridgeline in stock in uk 8 slate grey?")
    done = _say(trail, "Reserve", "product:TRL-1:reserve")
    assert "on hold" in _text(done) and "Ridgeline Trail Runner — UK 8, Slate Grey" in _text(done)
    with session_scope() as s:
        orders = catalog.list_orders(s, trail.tenant_id, customer_id=trail.customer_id).items
        held = [o for o in orders if o.status == "on_hold"]
        assert len(held) == 1 and held[0].items[0].name == "Ridgeline Trail Runner — UK 8, Slate Grey"
        product = catalog.get_product_by_sku(s, trail.tenant_id, "TRL-1")
        assert product is not None and product.stock == 6  # 7 - 1


def test_reserve_without_a_size_asks_which_one_from_the_sizes_in_stock(trail: Shop) -> None:
    asked = _say(trail, "Reserve", "product:TRL-1:reserve")
    assert "Which one shall I reserve" in _text(asked)
    assert _ids(asked) == ["product:TRL-1:reserve"] or all(i.startswith("hold:TRL-1:") for i in _ids(asked))
    picked = _say(trail, "UK 9 · Black", next(i for i in _ids(asked) if i.endswith("v3")))
    assert "Ridgeline Trail Runner — UK 9, Black" in _text(picked)


def test_a_tapped_service_offers_free_times_and_a_picked_time_is_booked(trail: Shop) -> None:
    with session_scope() as s:  # the conftest's booked appointment, in three days
        taken = TenantScope(s, trail.tenant_id).all(Appointment)
    times = _say(trail, "Gait Analysis", "service:SVC-GAIT:info")
    assert times.message is not None and times.message.kind == "list"
    rows = times.message.options
    assert rows and all(o.id.startswith("slot:SVC-GAIT:") for o in rows)
    assert not {a.starts_at.strftime("%Y%m%dT%H%M") for a in taken} & {o.id.rsplit(":", 1)[1] for o in rows}
    booked = _say(trail, rows[1].title, rows[1].id)
    assert "You're booked in! *Gait Analysis*" in _text(booked)
    with session_scope() as s:
        upcoming = catalog.list_appointments(s, trail.tenant_id, upcoming=True).items
        assert rows[1].id.rsplit(":", 1)[1] in {a.starts_at.strftime("%Y%m%dT%H%M") for a in upcoming}
    again = _say(trail, "Gait Analysis", "service:SVC-GAIT:info")
    assert rows[1].id not in _ids(again)  # the booked time is no longer offered


def test_a_range_asked_in_a_size_lists_what_is_made_in_it(trail: Shop) -> None:
    with session_scope() as s:
        catalog.create_product(
            s,
            trail.tenant_id,
            {
                "sku": "TRL-2",
                "name": "Fell Racer",
                "category": "running",
                "price": "99",
                "sizes": ["UK 5"],
                "stock": 3,
            },
        )
        catalog.create_product(
            s,
            trail.tenant_id,
            {
                "sku": "TRL-3",
                "name": "Mud Claw",
                "category": "running",
                "price": "89",
                "sizes": ["UK 8"],
                "stock": 2,
            },
        )
    result = _say(trail, "any running shoes in 42?")
    text = _text(result)
    assert "in size 42 (UK 8) we have:" in text
    assert "Ridgeline Trail Runner" in text and "Mud Claw" in text and "Fell Racer" not in text
    assert result.message is not None and result.message.kind == "list"


def test_offline_openers_fit_the_turn_and_the_disclaimer_waits_for_its_topic(trail: Shop) -> None:
    configure(trail.tenant_id, tone="playful", required_disclaimers=["Stock changes quickly."])
    hours = _say(trail, "what time do you open on sunday?")
    assert "Stock changes quickly." not in _text(hours)  # opening hours are not about stock
    trail.conversation_id = trail.new_conversation()
    listing = _say(trail, "running shoes?")
    assert "good choice" not in _text(listing).lower()  # no praise for a choice not made
    trail.conversation_id = trail.new_conversation()
    stock = _say(trail, "is the ridgeline in stock in uk 7?")
    assert "Good news — the *Ridgeline Trail Runner* is in stock in UK 7" in _text(
        stock
    )  # the persona's tone
    assert _text(stock).endswith("Stock changes quickly.")  # its topic came up


@pytest.mark.parametrize(
    ("text", "answer", "button"),
    [
        (
            "hola, ¿tienen la ridgeline en talla 42?",
            "*Ridgeline Trail Runner* está disponible en talla 42",
            "Reservar",
        ),
        (
            "Hallo, haben Sie die Ridgeline in Größe 42?",
            "*Ridgeline Trail Runner* ist in Größe 42",
            "Reservieren",
        ),
        (
            "bonjour, vous avez la ridgeline en taille 42 ?",
            "*Ridgeline Trail Runner* est disponible en taille 42",
            "Réserver",
        ),
    ],
)
def test_a_size_question_is_answered_in_the_customers_language(
    trail: Shop, text: str, answer: str, button: str
) -> None:
    """Without a model the size answer reads the language's file (engine/locales `variants`)."""
    result = _say(trail, text)
    assert not result.handoff
    assert answer in _text(result) and "(UK 8)" in _text(result)
    assert result.message is not None and result.message.options[0].title == button
