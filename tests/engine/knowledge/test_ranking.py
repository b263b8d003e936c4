"""Re-ranking (engine/knowledge/ranking.py): the general answer to a general question, reasons in words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engine.agent.retrieval import search_knowledge
from engine.db import session_scope
from engine.demo import seed_demo
from engine.knowledge import ranking, service
from engine.knowledge.ranking import Candidate, found_terms, reason, rerank, scope_words
from engine.knowledge.search import matched_terms, query_terms
from engine.knowledge.types import EntryDTO

NOW = datetime(2026, 11, 24, tzinfo=UTC)


def _entry(entry_id: int, title: str, content: str, keywords: list[str], priority: int = 5) -> EntryDTO:
    return EntryDTO(
        id=entry_id,
        entry_type="policy",
        title=title,
        content=content,
        keywords=keywords,
        category="delivery",
        priority=priority,
        is_active=True,
        version=1,
        source=None,
        source_position=None,
        created_at=NOW,
        updated_at=NOW,
        deleted_at=None,
    )


STANDARD = _entry(
    1,
    "Standard UK delivery cost and times",
    "Standard delivery to UK mainland addresses costs £3.95 and arrives in 3 to 5 working days.",
    ["delivery", "shipping", "how long"],
    priority=10,
)
REMOTE = _entry(
    2,
    "Delivery to Northern Ireland, the Highlands and islands",
    "We deliver to Northern Ireland and the Scottish Highlands in 5 to 7 working days, as in the UK.",
    ["northern ireland", "highlands", "islands", "remote"],
    priority=4,
)
SALE = _entry(
    3, "Returns of sale items", "Sale items can be returned for store credit within 14 days.", ["sale"]
)


def test_a_general_question_gets_the_general_entry_even_when_fusion_preferred_the_specific() -> None:
    terms = ["delivery", "long", "take"]
    candidates = [
        Candidate(REMOTE, 0.0328, {"title": ["delivery"]}, semantic_rank=1),
        Candidate(STANDARD, 0.0320, {"title": ["delivery"], "keywords": ["long"]}, semantic_rank=2),
    ]
    ranked = rerank("how long does delivery take?", terms, candidates)
    assert [r.entry_id for r in ranked] == [STANDARD.id, REMOTE.id]
    assert ranked[0].reason == "matched 'how long' and 'delivery', close in meaning"


def test_naming_the_region_brings_the_specific_entry_first() -> None:
    terms = ["delivery", "highlands"]
    candidates = [
        Candidate(STANDARD, 0.0328, {"title": ["delivery"]}),
        Candidate(REMOTE, 0.0320, {"title": ["delivery", "highlands"]}),
    ]
    ranked = rerank("delivery to the highlands", terms, candidates)
    assert ranked[0].entry_id == REMOTE.id


def test_scope_is_exception_words_and_rare_names_in_title_or_keywords() -> None:
    assert {"northern", "ireland", "highlands"} <= scope_words(
        REMOTE, rare={"northern", "ireland", "highlands"}
    )
    assert "uk" not in scope_words(STANDARD, rare=set())
    assert scope_words(SALE, rare=set()) == {"sale"}


def test_near_duplicates_keep_only_the_best() -> None:
    copy = _entry(9, "Standard UK delivery cost and times", STANDARD.content, ["delivery"], priority=1)
    ranked = rerank("delivery", ["delivery"], [Candidate(STANDARD, 0.03, {}), Candidate(copy, 0.029, {})])
    assert [r.entry_id for r in ranked] == [STANDARD.id]


def test_priority_orders_entries_that_match_alike() -> None:
    low = _entry(5, "Returns", "Return within 30 days.", ["return"], priority=1)
    high = _entry(6, "Refunds", "Refunds within 5 days.", ["refund"], priority=9)
    ranked = rerank("x", ["x"], [Candidate(low, 0.03, {}), Candidate(high, 0.03, {})])
    assert ranked[0].entry_id == high.id


def test_reasons_read_as_words() -> None:
    assert reason({"keywords": ["delivery"], "content": ["long"]}) == "matched 'delivery' and 'long'"
    assert reason({}, semantic_rank=1) == "close in meaning to the question"
    assert reason({}) == "no words in common"
    assert reason({"title": ["a", "b", "c"]}) == "matched 'a', 'b' and 'c'"


@pytest.mark.usefixtures("lexical")
@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("how long does delivery take?", "delivery-uk-standard"),
        ("can I return shoes?", "returns-policy"),
        ("do you deliver to the highlands?", "delivery-remote-uk"),
        ("I bought shoes in the sale, can I get a refund", "returns-sale-last-pairs"),
    ],
)
def test_the_issue_examples_on_the_demo_shop(question: str, key: str) -> None:
    """Issue 15: the agent's own knowledge lookup (words only, the offline default) answers from the right
    entry, and search says why in words rather than scores."""
    with session_scope() as session:
        tenant_id = seed_demo(session).tenant_id
    with session_scope() as session:
        best = search_knowledge(session, tenant_id, question)[0].hit
        hits = service.search(session, tenant_id, question, limit=3).hits
    assert best.entry.source == f"demo:{key}"
    assert hits[0].match.summary.startswith("matched '")
    assert "rank" not in hits[0].match.summary and "0." not in hits[0].match.summary


def test_switched_off_it_is_fusion_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranking, "ENABLED", False)
    out = ranking.order("q", ["q"], [1, 2], {1: REMOTE, 2: STANDARD}, {1: 0.02, 2: 0.03}, [], limit=2)
    assert [r.entry_id for r in out] == [2, 1]


def test_the_ranking_finds_the_same_words_as_search() -> None:
    """found_terms is matched_terms with rapidfuzz's C loop: the same words, typos included."""
    for question in (
        "how long does delivery take",
        "shiping to the usa",
        "retrun polcy",
        "Highlands delivery",
    ):
        terms = query_terms(question)
        for entry in (STANDARD, REMOTE, SALE):
            assert found_terms(terms, entry) == matched_terms(
                terms, entry.title, entry.keywords, entry.content
            )
