"""What an item's description says it is (issue #13): a customer's word beside the item's name that ends one
of the description's clauses ("midge spray" for a repellent described as "100ml spray", "boxwood topiary"
for a Buxus Ball described as "clipped topiary") qualifies that item instead of naming something the shop
does not know; a word from inside a clause ("rice settings" on a pressure cooker) does not, nor what the
description says the item is not or comes without ("parasol base" when the base is sold separately). Pure:
indexes built in memory."""

from __future__ import annotations

import pytest

from engine.catalog.index import described, excluded
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


# What a description says the item is not, or does not come with, is not asked for by naming it.
NOT_HAD = [
    ("P-BAGS", "Henry Vacuum Cleaner Bags, Pack of 10", "cleaning", []),
    ("P-AIRBED", "Double Air Bed", "sleeping", []),
    ("P-CAFETIERE", "Glass Cafetiere, 8 Cup", "kitchenware", []),
    ("P-ROLLPIN", "French Rolling Pin", "bakeware", []),
]
NOT_HAD_ABOUT = {
    "P-BAGS": "Genuine bags. We don't sell vacuum cleaners themselves.",
    "P-AIRBED": "Flocked top, pump not included.",
    "P-CAFETIERE": "Borosilicate glass. Coffee not included.",
    "P-ROLLPIN": "Tapered maple, no handles.",
}
SERVICES = [("S-KEYS", "Key Cutting", "shop services", [])]
SERVICES_ABOUT = {"S-KEYS": "House keys, Yale and mortice, cut while you wait. No car keys."}


def test_a_thing_the_shop_says_it_does_not_sell_is_not_its_accessory() -> None:
    shop = index_of("product", NOT_HAD, NOT_HAD_ABOUT)
    assert top(shop, "vacuum cleaner") is None
    assert top(shop, "do you have a henry vacuum cleaner") is None
    assert top(shop, "vacuum cleaner bags") == "P-BAGS"
    assert top(index_of("product", NOT_HAD), "vacuum cleaner") == "P-BAGS"  # nothing said: the nearest


def test_what_the_item_comes_without_is_not_the_item() -> None:
    shop = index_of("product", NOT_HAD, NOT_HAD_ABOUT)
    assert top(shop, "electric pump for the air bed") is None
    assert top(shop, "double air bed") == "P-AIRBED"


def test_a_service_is_not_asked_for_the_kind_it_turns_away() -> None:
    keys = index_of("service", SERVICES, SERVICES_ABOUT)
    assert top(keys, "can you cut a car key") is None
    assert top(keys, "can you cut a house key") == "S-KEYS"


def test_what_the_thing_is_for_or_is_wanted_without_still_names_it() -> None:
    """The cafetière's "coffee not included": a cafetière for coffee is still the cafetière; a customer who
    wants the pin without handles says what the description says."""
    shop = index_of("product", NOT_HAD, NOT_HAD_ABOUT)
    assert top(shop, "glass cafetiere for coffee") == "P-CAFETIERE"
    assert top(shop, "french rolling pin without handles") == "P-ROLLPIN"


def test_the_negated_clauses_are_read_without_the_words_that_negate_them() -> None:
    assert excluded("Genuine bags. We don't sell vacuum cleaners themselves.") == ({"vacuum", "cleaner"},)
    assert excluded("Iron not included. Height adjustable.") == ({"iron"},)
    assert excluded("We alter curtains but don't sell them.") == ()


def test_a_ware_section_says_what_its_things_are_for() -> None:
    """Kitchenware: a customer's "kitchen knife" is the section's Cook's Knife, though the Kitchen Scales
    and Kitchen Foil are named for the kitchen too."""
    shop = index_of(
        "product",
        [
            ("P-KNIFE", "Victorinox Cook's Knife 20cm", "kitchenware", []),
            ("P-SCALES", "Salter Digital Kitchen Scales", "kitchenware", []),
            ("P-FOIL", "Kitchen Foil, 30cm x 10m", "food storage", []),
            ("P-WRENCH", "Adjustable Wrench 10in", "hardware", []),
            ("P-CASE", "Hard Shell Glasses Case", "accessories", []),
        ],
    )
    assert top(shop, "kitchen knife") == "P-KNIFE"
    assert top(shop, "kitchen knifes") == "P-KNIFE"
    assert top(shop, "hard wrench") is None  # hardware is not for the hard


def test_what_a_service_does_not_sell_is_read_in_any_plural() -> None:
    """The service says "we don't sell knives": the sharpening is still asked for by "sharpen my knives",
    whose "knives" the index reads as its "knife"; knives to buy are not sold."""
    sharpening = index_of(
        "service",
        [("S-SHARPEN", "Knife Sharpening", "shop services", [])],
        {"S-SHARPEN": "We sharpen kitchen knives on a whetstone while you shop. We don't sell knives."},
    )
    assert top(sharpening, "could you sharpen my knives") == "S-SHARPEN"
    assert top(sharpening, "do you sell knives") is None


def test_between_items_that_tie_the_one_described_with_the_message_s_words_comes_first() -> None:
    jars = [
        ("P-CLIPTOP", "Kilner Clip Top Jar 1L", "food storage", []),
        ("P-PRESERVE", "Kilner Preserve Jars 0.5L, Pack of 6", "food storage", []),
    ]
    about = {
        "P-CLIPTOP": "Rubber seal, for dry goods like pasta and rice.",
        "P-PRESERVE": "Screw-top jars for jam and chutney making.",
    }
    shop = index_of("product", jars, about)
    assert top(shop, "i want jars for making jam") == "P-PRESERVE"
    assert top(shop, "jars to keep pasta in") == "P-CLIPTOP"


TOOLS = [
    ("P-ROCKER", "Joseph Joseph Garlic Rocker", "kitchen tools", []),
    ("P-FLASK", "Stanley Vacuum Flask 1L", "food storage", []),
    ("P-DESCALER", "Kilrock Kettle Descaler", "cleaning", []),
    ("P-GRATER", "Box Grater", "kitchen tools", []),
]
TOOLS_ABOUT = {
    "P-ROCKER": "Rock it over peeled cloves to crush garlic without a press.",
    "P-FLASK": "Keeps soup and drinks hot for 24 hours.",
    "P-DESCALER": "For kettles and coffee machines.",
    "P-GRATER": "Four sides for cheese, carrots and garlic.",
}


@pytest.mark.parametrize(
    ("text", "key"),
    [("something to crush garlic", "P-ROCKER"), ("something to keep soup hot for work", "P-FLASK")],
)
def test_asked_for_by_its_use_the_item_described_so_answers(text: str, key: str) -> None:
    assert top(index_of("product", TOOLS, TOOLS_ABOUT), text) == key


@pytest.mark.parametrize(
    "text",
    [
        "crush garlic",  # no thing asked for a use
        "something for garlic",  # one word: the grater says garlic too
        "want to make coffee without a machine",  # the machine is refused
    ],
)
def test_a_use_the_descriptions_do_not_single_out_names_nothing(text: str) -> None:
    assert top(index_of("product", TOOLS, TOOLS_ABOUT), text) is None
