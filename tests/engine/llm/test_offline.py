"""The offline provider: useful answers from retrieval hits, confidence from their scores, persona tones."""

from __future__ import annotations

from decimal import Decimal

from engine.llm.offline import KnowledgeHit, OfflineContext, OfflineProvider, Persona, answer
from engine.llm.schemas import AgentTurn
from engine.models import AgentConfiguration

FAQ = KnowledgeHit(
    kind="faq",
    id="kb-7",
    title="Returns",
    content="You can return shoes within 30 days with the receipt.",
    score=0.91,
)
RUNNER = KnowledgeHit(
    kind="product",
    id="RUN-42",
    title="Trail Runner",
    content="Grippy trail shoe.",
    score=0.84,
    price=Decimal("89.00"),
    currency="USD",
    available=True,
)
ROAD = KnowledgeHit(
    kind="product",
    id="ROAD-7",
    title="Road Racer",
    score=0.80,
    price=Decimal("120"),
    currency="EUR",
    available=False,
)
SOCKS = KnowledgeHit(kind="product", id="SOCK-1", title="Socks", score=0.30, price=Decimal("5"))


def test_a_strong_knowledge_hit_is_quoted_with_confidence_from_its_score() -> None:
    turn = answer(OfflineContext(query="Can I return shoes?", hits=[FAQ]))
    assert "within 30 days" in turn.reply
    assert turn.confidence == round(0.91 * 0.85, 3)
    assert not turn.handoff.needed
    assert [i.name for i in turn.intents] == ["faq"]


def test_catalog_hits_are_listed_with_price_and_availability_as_numbered_options() -> None:
    turn = answer(OfflineContext(query="running shoes?", hits=[SOCKS, ROAD, RUNNER]))
    lines = turn.reply.splitlines()
    assert "1. Trail Runner — $89.00 (in stock)" in lines
    assert "2. Road Racer — €120.00 (out of stock)" in lines
    assert not any("Socks" in line for line in lines)  # far below the best match
    assert turn.suggestions == ["RUN-42", "ROAD-7", "SOCK-1"]
    assert "Reply with a number" in turn.reply
    assert turn.intents[0].name == "product_inquiry"


def test_a_single_catalog_match_is_described() -> None:
    turn = answer(OfflineContext(query="trail runner?", hits=[RUNNER]))
    assert turn.reply.startswith("Trail Runner — $89.00 (in stock)\nGrippy trail shoe.")


def test_nothing_relevant_means_an_honest_handoff() -> None:
    weak = KnowledgeHit(kind="faq", id="kb-1", title="Hours", content="9-6", score=0.1)
    turn = answer(OfflineContext(query="Can I pay in bitcoin?", hits=[weak]))
    assert turn.handoff.needed and "nothing" in (turn.handoff.reason or "")
    assert turn.confidence == 0.0
    assert "teammate" in turn.reply


def test_a_weak_match_is_answered_and_handed_off() -> None:
    meh = KnowledgeHit(kind="faq", id="kb-2", title="Shipping", content="We ship in 2 days.", score=0.5)
    turn = answer(OfflineContext(query="How long is shipping to Mars?", hits=[meh], handoff_threshold=0.55))
    assert "We ship in 2 days." in turn.reply
    assert turn.handoff.needed and "low retrieval confidence" in (turn.handoff.reason or "")


def test_ambiguous_hits_of_different_kinds_lower_the_confidence() -> None:
    close_product = KnowledgeHit(kind="product", id="P", title="Return kit", score=0.90)
    alone = answer(OfflineContext(query="returns", hits=[FAQ])).confidence
    ambiguous = answer(OfflineContext(query="returns", hits=[FAQ, close_product])).confidence
    assert ambiguous < alone


def test_persona_tone_greeting_name_and_disclaimers() -> None:
    persona = Persona(
        agent_name="Maya",
        tone="formal",
        greeting="Welcome to Acme Shoes.",
        disclaimers=("Prices include VAT.",),
    )
    first = answer(OfflineContext(query="hi", hits=[FAQ], persona=persona, first_message=True))
    assert first.reply.startswith("Welcome to Acme Shoes.")
    assert first.reply.endswith("Prices include VAT.")
    named = answer(OfflineContext(query="hi", hits=[], persona=persona, customer_name="Ana Lopez"))
    assert named.reply.startswith("Hello Ana. Thank you for your message.")
    playful = answer(OfflineContext(query="x", hits=[RUNNER, ROAD], persona=Persona(tone="playful")))
    assert "Pick a number" in playful.reply
    unknown_tone = answer(OfflineContext(query="x", hits=[], persona=Persona(tone="pirate")))
    assert unknown_tone.reply.startswith("Thanks for your message!")


def test_persona_from_the_agent_configuration() -> None:
    config = AgentConfiguration(
        tenant_id=1,
        agent_name="Leo",
        tone="Concise",
        greeting_message="Hi!",
        required_disclaimers=["No advice."],
    )
    persona = Persona.from_config(config, business_name="Acme")
    assert (persona.agent_name, persona.tone, persona.greeting, persona.disclaimers) == (
        "Leo",
        "concise",
        "Hi!",
        ("No advice.",),
    )


def test_the_provider_returns_a_validated_agent_turn_for_free() -> None:
    provider = OfflineProvider()
    response = provider.generate([], context=OfflineContext(query="returns?", hits=[FAQ]))
    assert isinstance(response.output, AgentTurn)
    assert AgentTurn.model_validate_json(response.text) == response.output
    assert (response.provider, response.cost, response.tokens_in) == ("offline", Decimal("0"), 0)
    assert provider.available_models() == ["offline-templates"]


def test_without_context_the_last_user_message_is_the_query() -> None:
    response = OfflineProvider().generate([{"role": "user", "content": "hello?"}])
    assert response.output is not None and response.output.handoff.needed
