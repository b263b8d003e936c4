"""Two words of an item's name that no other item has together (issue #13): "free food" names the
Grain-Free Dog Food however much of its name it leaves out, where "dog food" names no one item of a shop
that sells a puppy food too, and "nail drill" (one shop word, one the catalogue does not know) is still a
thing the shop does not sell. Pure: indexes built in memory."""

from __future__ import annotations

import pytest

from engine.catalog.index import MatchIndex
from engine.catalog.matcher import MATCH_THRESHOLD, match_in_index
from tests.engine.catalog.indexes import index_of, top

PRODUCTS = [
    ("P-FOOD", "Grain-Free Dog Food 12kg", "dog food", []),
    ("P-PUPPY", "Puppy Dog Food 2kg", "dog food", []),
    ("P-TAG", "Engraved Pet ID Tag", "accessories", []),
    ("P-BITS", "HSS Drill Bit Set", "drilling", []),
    ("P-DRIVER", "Screwdriver Set (6 piece)", "hand tools", []),
    ("P-LADDER", "Aluminium Step Ladder 3-tread", "ladders", []),
    ("P-NAILS", "Round Wire Nails 50mm", "fixings", []),
    ("P-ROLLER", "Paint Roller Kit", "decorating", []),
]
SERVICES = [("S-STEP", "Step Repair", "services", [])]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("free dog", "P-FOOD"),
        ("hss set", "P-BITS"),
        ("set piece", "P-DRIVER"),
        ("step tread", "P-LADDER"),
        ("do you have the step tread", "P-LADDER"),
    ],
)
def test_two_words_only_one_item_has_together_name_it(products: MatchIndex, text: str, key: str) -> None:
    assert top(products, text) == key


def test_the_shop_s_other_kind_is_asked_too(products: MatchIndex, services: MatchIndex) -> None:
    assert top(products, "step tread", elsewhere=services) == "P-LADDER"  # the service has "step" only
    both = index_of("service", [("S-TREAD", "Step Tread Fitting", "services", [])])
    assert top(products, "step tread", elsewhere=both) is None  # a service has both words: not this item's


def test_two_words_two_items_share_name_neither_alone(products: MatchIndex) -> None:
    found = [m for m in match_in_index(products, "dog food", 3) if m.confidence >= MATCH_THRESHOLD]
    assert {m.key for m in found[:2]} == {"P-FOOD", "P-PUPPY"}
    assert found[0].confidence == found[1].confidence


@pytest.mark.parametrize("text", ["nail drill", "paint sprayer", "free food bowl"])
def test_one_word_of_the_shop_beside_one_it_does_not_know_is_not_sold(
    products: MatchIndex, text: str
) -> None:
    assert top(products, text) is None


def test_a_plain_qualifier_of_the_name_counts_beside_another_word() -> None:
    bulbs = index_of(
        "product",
        [("P-BULB", "LED Bulb E27 Warm White", "electrical", []), ("P-TORCH", "LED Torch", "electrical", [])],
    )
    assert top(bulbs, "led warm") == "P-BULB"  # "warm" is on the bulb alone, "led" on both
    assert top(bulbs, "warm") is None  # a qualifier alone still names nothing


def test_two_words_side_by_side_in_one_name_name_it_though_a_section_has_one() -> None:
    """The Seed Feeder's section is bird care, so it has both words too; only one name has them side by
    side, as the customer wrote them."""
    shop = index_of(
        "product",
        [
            ("P-MIX", "Wild Bird Seed Mix 2kg", "bird care", []),
            ("P-FEEDER", "Hanging Seed Feeder", "bird care", []),
            ("P-LAWN", "Hard Wearing Lawn Seed 1kg", "seeds", []),
            ("P-FLOWERS", "Wildflower Seed Mix 100g", "seeds", []),
        ],
    )
    assert top(shop, "bird seed") == "P-MIX"
    assert top(shop, "seed bird") is None  # not as any name has them
