"""The second held-out shop and messages (sealed_garden.py, sealed_messages.py), scored the way the
development sets are — the catalogue through spelling correction and the agent's look-up, the messages
through the classifier and the handoff decision — so the figures sit beside the development ones. Floors are
the figures of 2026-12-04 (a drop fails); there is nothing to tune here, only to re-measure."""

from __future__ import annotations

from collections import Counter

from engine.db import session_scope
from tests.quality.dev.shops import DevShop, load_shop, look_up
from tests.quality.dev.test_dev_signals import score, semantic  # noqa: F401  (the fixture)
from tests.quality.heldout import sealed_garden as garden
from tests.quality.heldout.sealed_messages import SEALED

# First commit of the session that wrote them (38bfca0) → last (2026-12-04): the catalogue did not move
# (0.794 / 0.967 both times); the messages rose by one (recall 0.829 → 0.854). The next session, measured
# once at its start and once at its end: the catalogue 0.794 → 0.845 top-1 (not sold 0.967 kept) after
# other names from a cookware and a garden centre development shop written by someone who had seen neither
# this file nor the word lists; the messages' recall 0.854 → 0.927 (precision 1.000) after German, Italian,
# French, Portuguese and Hinglish lexicon work on a development split. Session 11 (2026-12-04), at its start
# and once after its catalogue work: 0.845 -> 0.866 (alias 10 -> 11, plural 19 -> 20; sentences 9/15 kept)
# after four-language trade names and a table of tasks (uses.txt), both written by helpers who had seen
# neither this file nor any development shop, and a head noun other items use only as a qualifier.
SHOP_FLOORS = {"top1": 0.866, "not_sold": 0.966}
MESSAGE_FLOORS = {"precision": 1.0, "recall": 0.927}


def test_the_sealed_shop_points_at_real_items() -> None:
    keys = {p["sku"] for p in garden.PRODUCTS} | {s["code"] for s in garden.SERVICES}
    wanted = {k for _, key, _ in garden.QUERIES if key for k in key.split("|")}
    assert wanted <= keys
    assert len({q for q, _, _ in garden.QUERIES}) == len(garden.QUERIES)


def test_catalogue_matching_on_the_sealed_shop() -> None:
    shop = DevShop(garden.SHOP_NAME, garden.SHOP_SLUG, garden, SHOP_FLOORS)
    tenant_id = load_shop(shop)
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter(kind for *_, kind in shop.queries)
    with session_scope() as s:
        for text, key, kind in shop.queries:
            _, found = look_up(s, tenant_id, text)
            hits[kind] += (not found) if key is None else bool(found) and found[0][0] in key.split("|")
    sold = sum(n for k, n in totals.items() if k != "not_sold")
    figures = {
        "top1": sum(n for k, n in hits.items() if k != "not_sold") / sold,
        "not_sold": hits["not_sold"] / totals["not_sold"],
    }
    print(
        f"\n[held-out shop 2: {garden.SHOP_NAME}] catalogue top-1 {figures['top1']:.3f} ({sold} sold) · not "
        f"sold answered as not sold {figures['not_sold']:.3f} ({totals['not_sold']}) · "
        + ", ".join(f"{k} {hits[k]}/{n}" for k, n in sorted(totals.items()))
    )
    assert all(round(figures[k], 3) >= floor for k, floor in SHOP_FLOORS.items()), figures


def test_handoff_decision_on_the_sealed_messages(semantic: bool) -> None:  # noqa: F811
    figures = score(SEALED)
    values = figures.values()
    by_language = {k: c["tp"] / max(1, c["tp"] + c["fn"]) for k, c in sorted(figures.by_language.items())}
    print(
        f"\n[held-out messages 2, {'lexicons + exemplars' if semantic else 'lexicons only'}] "
        + " ".join(f"{k} {v:.3f}" for k, v in values.items())
        + f" · false handoffs {figures.counts['fp']} · recall by language "
        + " ".join(f"{k} {v:.2f}" for k, v in by_language.items())
    )
    floors = MESSAGE_FLOORS if semantic else {"precision": 1.0, "recall": 0.829}
    assert all(round(values[k], 3) >= floor for k, floor in floors.items()), values
