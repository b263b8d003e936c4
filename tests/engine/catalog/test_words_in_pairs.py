"""A word written for a shop word one letter away, proved by the word beside it (issue #13): "hose real" is
the Hose Reel and "pairing knife" the Paring Knife because the catalogue writes those two words side by side,
in that order; "cloths airer" is the Clothes Airer though the shop also sells Microfibre Cloths, since no
phrase has "cloths" before "airer". The word alone, or beside words it is not written with, stays as written.
Pure: indexes built in memory."""

from __future__ import annotations

import pytest

from tests.engine.catalog.indexes import index_of, top

PRODUCTS = [
    ("P-REEL", "Hose Reel Cart", "watering", []),
    ("P-HOSE", "Garden Hose 30m", "watering", []),
    ("P-PARING", "Paring Knife 3.5-Inch", "knives", []),
    ("P-CHEF", "Chef's Knife 8-Inch", "knives", []),
    ("P-TEATOWEL", "Cotton Tea Towels, Pack of 3", "kitchen textiles", []),
    ("P-BATHTOWEL", "Egyptian Cotton Bath Towel", "bathroom", []),
    ("P-AIRER", "Indoor Clothes Airer, 18m", "laundry", []),
    ("P-CLOTHS", "Microfibre Cloths, Pack of 10", "cleaning", []),
    ("P-LEATHER", "Leather Gardening Gloves", "gloves", []),
    ("P-FLOUR", "Odlums Coarse Wholemeal Flour 1kg", "pantry", []),
]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("hose real", "P-REEL"),
        ("pairing knife", "P-PARING"),
        ("tee towel", "P-TEATOWEL"),
        ("cloths airer", "P-AIRER"),
        ("microfibre clothes", "P-CLOTHS"),
        ("wholemeal flower", "P-FLOUR"),  # two letters in a longer word
    ],
)
def test_a_word_one_letter_off_is_the_shop_word_its_neighbour_is_written_with(text: str, key: str) -> None:
    assert top(index_of("product", PRODUCTS), text) == key


def test_beside_a_word_it_is_not_written_with_it_stays_as_written() -> None:
    shop = index_of("product", PRODUCTS)
    assert top(shop, "real leather gloves") == "P-LEATHER"
    assert top(shop, "real") is None
    assert top(shop, "towel real") is None  # not in that order in any name


def test_a_word_already_written_with_its_neighbour_is_not_bent() -> None:
    assert top(index_of("product", PRODUCTS), "microfibre cloths") == "P-CLOTHS"
