"""What an item's description says it is (issue #13): a customer's word beside the item's name that ends one
of the description's clauses ("midge spray" for a repellent described as "100ml spray", "boxwood topiary"
for a Buxus Ball described as "clipped topiary") qualifies that item instead of naming something the shop
does not know; a word from inside a clause ("rice settings" on a pressure cooker) does not, nor what the
description says the item is not or comes without ("parasol base" when the base is sold separately). Pure:
indexes built in memory."""

from __future__ import annotations

from engine.catalog.index import described
from tests.engine.catalog.indexes import index_of, top

PRODUCTS = [
    ("P-COOKER", "Electric Pressure Cooker 6-Quart", "appliances", []),
    ("P-CHAIR", "Folding Camping Chair", "camp furniture", []),
    ("P-BUXUS", "Buxus Ball 30cm", "plants", []),
    ("P-PARASOL", "Garden Parasol 2.7m", "furniture", []),
    ("P-MIDGE", "Midge Repellent", "safety", []),
]
DESCRIPTIONS = {
    "P-COOKER": "Pressure cook, slow cook, saute and rice settings.",
    "P-CHAIR": "Cup holder, carry bag.",
    "P-BUXUS": "Clipped topiary.",
    "P-PARASOL": "Crank and tilt; base sold separately.",
    "P-MIDGE": "100ml spray, DEET free.",
}


def test_a_word_the_description_calls_the_item_qualifies_it() -> None:
    shop = index_of("product", PRODUCTS, DESCRIPTIONS)
    assert top(shop, "midge spray") == "P-MIDGE"
    assert top(shop, "boxwood topiary") == "P-BUXUS"


def test_without_the_description_the_same_words_name_something_else() -> None:
    shop = index_of("product", PRODUCTS)
    assert top(shop, "boxwood topiary") is None


def test_a_word_inside_a_clause_still_names_another_thing() -> None:
    """The pressure cooker has rice settings: a rice cooker is not it."""
    shop = index_of("product", PRODUCTS, DESCRIPTIONS)
    assert top(shop, "rice cooker") is None
    pastry = index_of(
        "product", [("P-PAIN", "Pain au Chocolat", "pastries", [])], {"P-PAIN": "Two bars of dark chocolate."}
    )
    assert top(pastry, "chocolate bar") is None


def test_what_the_description_says_the_item_is_not_is_not_its_word() -> None:
    shop = index_of("product", PRODUCTS, DESCRIPTIONS)
    assert top(shop, "parasol base") is None
    assert described("Crank and tilt; base sold separately.") == {"tilt"}
    assert described("Not for children under 3. Soft cotton.") == {"cotton"}
