"""Matching and spelling quality over the demo shop: the scores are printed, and the test fails under the bar.

Bars (issue 6, items 3 and 11): product/service matching top-1 ≥ 0.90, spelling correction accuracy ≥ 0.90.
Matching is scored on the raw message (the agent corrects spelling first, which only helps) and, for
information, on the spelling-corrected message too. A "none" case passes when nothing reaches
MATCH_THRESHOLD.
"""

from __future__ import annotations

from collections import Counter

from engine import catalog
from engine.db import session_scope
from engine.demo import catalog_data, seed_demo
from tests.quality.catalog.cases import MATCHING, SPELLING

MATCH_BAR = 0.90
SPELLING_BAR = 0.90


def _top(session: object, tenant_id: int, text: str) -> str | None:
    found = catalog.match_catalog(session, tenant_id, text, limit=1, min_confidence=catalog.MATCH_THRESHOLD)  # type: ignore[arg-type]
    return found[0].key if found else None


def test_the_sets_are_big_enough_and_point_at_real_items() -> None:
    keys = {p["sku"] for p in catalog_data.PRODUCTS} | {s["code"] for s in catalog_data.SERVICES}
    assert len(MATCHING) >= 80 and len(SPELLING) >= 60
    assert {key for _, key, _ in MATCHING if key} <= keys
    assert {"typo", "slang", "sentence", "language", "none"} == {kind for _, _, kind in MATCHING}
    assert sum(1 for *_, mode in SPELLING if mode == "keep") >= 20
    assert len({text for text, _, _ in MATCHING}) == len(MATCHING)


def test_matching_and_spelling_quality() -> None:
    with session_scope() as session:
        tenant_id = seed_demo(session).tenant_id

    with session_scope() as session:
        hits: Counter[str] = Counter()
        corrected_hits = 0
        misses: list[str] = []
        for text, expected, kind in MATCHING:
            got = _top(session, tenant_id, text)
            if got == expected:
                hits[kind] += 1
            else:
                found = catalog.match_catalog(session, tenant_id, text, limit=3)
                shown = [(m.key, m.confidence) for m in found]
                misses.append(f"[{kind}] {text!r}: want {expected}, got {shown}")
            fixed = catalog.correct_spelling(session, tenant_id, text).text
            corrected_hits += _top(session, tenant_id, fixed) == expected

        good: Counter[str] = Counter()
        wrong: list[str] = []
        for text, expected, mode in SPELLING:
            result = catalog.correct_spelling(session, tenant_id, text)
            if mode == "fix":
                ok = result.text == expected
            elif mode == "ask":
                ok = (
                    result.text == text
                    and result.suggested_text == expected
                    and bool(result.needs_confirmation)
                )
            else:
                ok = result.suggested_text == text and result.text == text
            if ok:
                good[mode] += 1
            else:
                pairs = [
                    (c.original, c.corrected, c.confidence, c.needs_confirmation) for c in result.corrections
                ]
                wrong.append(f"[{mode}] {text!r} -> {result.text!r} / {result.suggested_text!r} {pairs}")

    match_score = sum(hits.values()) / len(MATCHING)
    corrected_score = corrected_hits / len(MATCHING)
    spelling_score = sum(good.values()) / len(SPELLING)
    totals = Counter(kind for _, _, kind in MATCHING)
    modes = Counter(mode for *_, mode in SPELLING)
    print(
        f"\nmatching top-1 = {match_score:.3f} raw, {corrected_score:.3f} after spelling "
        f"({', '.join(f'{k} {hits[k]}/{n}' for k, n in sorted(totals.items()))})"
    )
    for miss in misses:
        print("  miss", miss)
    print(
        f"spelling accuracy = {spelling_score:.3f} "
        f"({', '.join(f'{k} {good[k]}/{n}' for k, n in sorted(modes.items()))})"
    )
    for miss in wrong:
        print("  wrong", miss)
    assert match_score >= MATCH_BAR, f"matching top-1 {match_score:.3f} < {MATCH_BAR}"
    assert spelling_score >= SPELLING_BAR, f"spelling accuracy {spelling_score:.3f} < {SPELLING_BAR}"
