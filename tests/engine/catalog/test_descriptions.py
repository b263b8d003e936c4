"""What an item's description says it is (issue #13): a customer's word beside the item's name that the
description has ("ice box" for a Cool Box that "holds ice for two days", "boxwood topiary" for a Buxus Ball
described as "clipped topiary") qualifies that item instead of naming something the shop does not know;
what the description says the item is not, or comes without, does not ("parasol base" when the base is sold
separately). Pure: indexes built in memory."""

from __future__ import annotations

from engine.catalog.index import described
from tests.engine.catalog.indexes import index_of, top

PRODUCTS = [
    ("P-COOL", "Cool Box 24L", "camp furniture", []),
    ("P-CHAIR", "Folding Camping Chair", "camp furniture", []),
    ("P-BUXUS", "Buxus Ball 30cm", "plants", []),
    ("P-PARASOL", "Garden Parasol 2.7m", "furniture", []),
    ("P-MIDGE", "Midge Repellent", "safety", []),
]
DESCRIPTIONS = {
    "P-COOL": "Holds ice for two days.",
    "P-CHAIR": "Cup holder, carry bag.",
    "P-BUXUS": "Clipped topiary.",
    "P-PARASOL": "Crank and tilt; base sold separately.",
    "P-MIDGE": "100ml spray, DEET free.",
}


def test_a_word_the_description_has_qualifies_the_item() -> None:
    shop = index_of("product", PRODUCTS, DESCRIPTIONS)
    assert top(shop, "ice box") == "P-COOL"
    assert top(shop, "boxwood topiary") == "P-BUXUS"


def test_without_the_description_the_same_words_name_something_else() -> None:
    shop = index_of("product", PRODUCTS)
    assert top(shop, "ice box") is None
    assert top(shop, "boxwood topiary") is None


def test_what_the_description_says_the_item_is_not_is_not_its_word() -> None:
    shop = index_of("product", PRODUCTS, DESCRIPTIONS)
    assert top(shop, "parasol base") is None
    assert described("Crank and tilt; base sold separately.") == ({"crank", "tilt"}, {"tilt"})
    assert "deet" not in described("100ml spray, DEET free.")[0]
    assert described("Not for children under 3. Soft cotton.") == ({"soft", "cotton"}, {"cotton"})


def test_a_word_inside_a_clause_of_the_description_still_names_another_thing() -> None:
    """The Pain au Chocolat has "two bars of dark chocolate": a chocolate bar is not it."""
    pastry = index_of(
        "product",
        [("P-PAIN", "Pain au Chocolat", "pastries", []), ("P-MIDGE", "Midge Repellent", "safety", [])],
        {"P-PAIN": "Two bars of dark chocolate.", "P-MIDGE": "100ml spray, DEET free."},
    )
    assert top(pastry, "chocolate bar") is None
    assert top(pastry, "midge spray") == "P-MIDGE"
