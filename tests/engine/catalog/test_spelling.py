"""Spelling: the tenant's words are fixed, numbers/names/links/emoji never are, doubts are asked about."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from engine import catalog
from engine.catalog.spelling import build_vocabulary, correct_text, typo_cost
from engine.db import TenantScope
from engine.models import AuditLog, KnowledgeEntry
from tests.factories import new_tenant


@pytest.fixture
def tenant(session: Session) -> int:
    tenant_id = new_tenant(session)
    items = [
        ("RUN-CS90", "Cloudstep 90 Running Shoe", ["cloudstpe", "CS90"]),
        ("RUN-TRL", "Ridgeline Trail Runner", ["ridgline", "trail shoe"]),
        ("BOT-CHL", "Camden Chelsea Boot", ["chelsey boots"]),
        ("FRM-BRG", "Whitehall Brogue", ["brogues", "wingtip"]),
    ]
    for sku, name, aliases in items:
        catalog.create_product(
            session, tenant_id, {"sku": sku, "name": name, "aliases": aliases, "price": "1"}
        )
    catalog.create_service(
        session,
        tenant_id,
        {"code": "GAIT", "name": "Gait Analysis", "aliases": ["gate analysis"], "price": "15"},
    )
    TenantScope(session, tenant_id).add(
        KnowledgeEntry(title="Klarna", content="Pay in 3", keywords=["klarna", "instalments", "pronation"])
    )
    return tenant_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("do u have the cloudstpe in size 9?", "do u have the cloudstep in size 9?"),  # a known alias typo
        ("Ridgline in UK9 please", "Ridgeline in UK9 please"),
        ("any chelsey boots?", "any chelsea boots?"),
        ("can i book a gate analysis", "can i book a gait analysis"),  # a real word, wrong here
        ("do you take klarnna", "do you take klarna"),  # a knowledge keyword
        ("i definately recieve it tommorow", "i definitely receive it tomorrow"),
        ("my brogeus hurt", "my brogues hurt"),
    ],
)
def test_the_tenants_words_and_common_words_are_corrected(
    session: Session, tenant: int, text: str, expected: str
) -> None:
    result = catalog.correct_spelling(session, tenant, text)
    assert result.text == expected
    assert all(0.0 <= c.confidence <= 1.0 for c in result.corrections)


@pytest.mark.parametrize(
    "text",
    [
        "size 9.5 or UK9 or 42 EU, order STR-10457, £95.00",
        "see https://stride.example/retrns?x=1 or www.strde.example or strde.co.uk/help",
        "mail me at amelai@exmple.com or @ameliah on insta #cloudstpe",
        "Thanks Amelai, Siobhan and Jhon 👍🙏😀",
        "NHS ASAP GDPR",
        "u r gr8 lol thx pls",
        "tienen zapatillas de running en talla 42?",
        "the iPhone app",
    ],
)
def test_numbers_links_emails_names_emoji_shorthand_and_other_languages_are_left_alone(
    session: Session, tenant: int, text: str
) -> None:
    result = catalog.correct_spelling(session, tenant, text)
    assert result.suggested_text == text, result.corrections


def test_doubtful_catalogue_corrections_are_asked_about_not_assumed(session: Session, tenant: int) -> None:
    result = catalog.correct_spelling(session, tenant, "is the ridgeln waterproof")
    assert result.text == "is the ridgeln waterproof"  # not assumed...
    assert result.suggested_text == "is the ridgeline waterproof"  # ...but proposed
    (pending,) = result.needs_confirmation
    assert (pending.original, pending.corrected, pending.needs_confirmation) == ("ridgeln", "ridgeline", True)
    assert result.confirmation_question() == 'Did you mean "ridgeline"?'
    assert result.to_dict()["corrections"][0]["start"] == 7  # type: ignore[index]


def test_feedback_is_recorded_and_learned(session: Session, tenant: int) -> None:
    catalog.record_correction_feedback(session, tenant, "ridgeln", "ridgeline", True, conversation_id=5)
    learned = catalog.correct_spelling(session, tenant, "is the ridgeln waterproof")
    assert learned.text == "is the ridgeline waterproof" and not learned.needs_confirmation
    catalog.record_correction_feedback(session, tenant, "chelsey", "chelsea", False)
    assert catalog.correct_spelling(session, tenant, "chelsey boots").suggested_text == "chelsey boots"
    assert catalog.correction_stats(session, tenant) == {"accepted": 1, "rejected": 1}
    log = TenantScope(session, tenant).first(AuditLog, AuditLog.action == "spelling.correction_accepted")
    assert log is not None and log.target_id == "5" and log.details["corrected"] == "ridgeline"


def test_case_is_kept_and_empty_text_is_fine(session: Session, tenant: int) -> None:
    assert catalog.correct_spelling(session, tenant, "CLOUDSTPE?").text == "CLOUDSTEP?"
    assert catalog.correct_spelling(session, tenant, "Cloudstpe!").text == "Cloudstep!"
    assert catalog.correct_spelling(session, tenant, "   ").corrections == ()


def test_catalogue_changes_reach_the_vocabulary(session: Session, tenant: int) -> None:
    assert catalog.correct_spelling(session, tenant, "the xenonn racer").suggested_text == "the xenonn racer"
    catalog.create_product(session, tenant, {"sku": "X", "name": "Xenon Racer", "price": "1"})
    assert "xenon" in catalog.correct_spelling(session, tenant, "the xenonn racer").suggested_text


def test_typo_cost_prefers_the_typos_people_make() -> None:
    assert typo_cost("teh", "the") < typo_cost("tah", "the")  # transposition beats substitution
    assert typo_cost("shooes", "shoes") < 1.0  # a doubled letter
    assert typo_cost("bpot", "boot") < typo_cost("bxot", "boot")  # a neighbouring key


def test_the_pure_corrector_needs_no_database() -> None:
    vocabulary = build_vocabulary([["Fellwalker Hiking Boot"]], [["fellwaker"]], ["returns"])
    assert correct_text("fellwaker retuns", vocabulary).text == "fellwalker returns"


def test_a_plural_near_a_shop_word_is_not_made_a_common_word() -> None:
    # "serms" is one edit from "terms", and its singular one from the shop's "serum": left for the matcher.
    vocabulary = build_vocabulary([["Vitamin C Serum"]], [[]], [])
    assert correct_text("serms", vocabulary).text == "serms"
    assert correct_text("teams", vocabulary).text == "teams"


def test_a_word_spelled_as_heard_is_left_for_the_matcher_not_made_a_common_word() -> None:
    # "festune" is two edits from "feature" and sounds like the shop's "festoon": the matcher reads it.
    vocabulary = build_vocabulary([["Festoon Lights 10m"], ["Pressure Cooker"]], [[], []], [])
    assert correct_text("festune lights", vocabulary).text == "festune lights"
    assert correct_text("teh festoon lights", vocabulary).text == "the festoon lights"  # a known misspelling
    assert correct_text("pleese", vocabulary).text == "please"  # no shop word sounds like it


def test_a_typo_of_a_plural_name_words_singular_is_that_word_not_a_common_one() -> None:
    """A typo one letter from the Coat Hangers' "hanger" and from the everyday "hang" ("hangr") is not bent
    into the everyday word: the matcher then reads it as the shop's."""
    vocabulary = build_vocabulary([["Wooden Coat Hangers, Pack of 10"]], [[]], [])
    assert correct_text("hangr", vocabulary).text != "hang"


def test_a_word_and_its_plural_are_not_rivals_for_a_typo() -> None:
    """A customer's "olivs" is as near "olive" (Olive Oil) as "olives" (Kalamata Olives): one word either
    way, so the correction is sure enough to make without asking."""
    vocabulary = build_vocabulary(
        [["Kalamata Olives, Pitted 200g"], ["Extra Virgin Olive Oil 500ml"]], [[], []], []
    )
    result = correct_text("olivs", vocabulary)
    assert result.text in ("olive", "olives")
    assert not result.needs_confirmation
