"""Another name of a thing than the catalogue's (issue #13): British and American English, everyday and
trade names, Spanish and Portuguese words (engine/catalog/data/synonyms.txt). Pure: indexes built in
memory."""

from __future__ import annotations

import pytest

from engine.catalog.index import MatchIndex
from engine.catalog.spelling import build_vocabulary, correct_text
from engine.catalog.words import synonyms
from tests.engine.catalog.indexes import index_of, top

PRODUCTS = [
    ("P-SNEAKER", "White Leather Sneakers", "shoes", []),
    ("P-CHELSEA", "Suede Chelsea Boots", "shoes", []),
    ("P-BACKPACK", "Roll Top Backpack", "bags", []),
    ("P-TOTE", "Canvas Tote Bag", "bags", []),
    ("P-BELT", "Leather Belt", "accessories", []),
    ("P-HOODIE", "Fleece Pullover Hoodie", "sweatshirts", []),
    ("P-SWEAT", "Crew Neck Sweatshirt", "sweatshirts", []),
    ("P-CURLER", "Curling Wand 25mm", "hair tools", []),
    ("P-STRAIGHT", "Ceramic Hair Straightener", "hair tools", ["flat iron"]),
    ("P-SUNGLASS", "Polarised Sunglasses", "accessories", []),
]
SERVICES = [("S-HEM", "Trouser Hemming", "alterations", [])]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("trainers", "P-SNEAKER"),
        ("white trainers", "P-SNEAKER"),
        ("rucksack", "P-BACKPACK"),
        ("sunnies", "P-SUNGLASS"),
        ("quanto custa o cinto de couro", "P-BELT"),
        ("quiero unas botas chelsea", "P-CHELSEA"),
    ],
)
def test_another_name_of_a_thing_names_it(products: MatchIndex, text: str, key: str) -> None:
    assert top(products, text) == key


def test_a_longer_name_is_read_before_its_words(products: MatchIndex) -> None:
    """A hooded sweatshirt is a hoodie, not the sweatshirt."""
    assert top(products, "hooded sweatshirt") == "P-HOODIE"


def test_a_name_the_catalogue_has_only_in_separate_phrases_is_still_another_name(
    products: MatchIndex,
) -> None:
    """The shop knows "curling" and "iron" (a flat iron) but no curling iron: that is its curling wand."""
    assert top(products, "curling iron") == "P-CURLER"


def test_the_catalogues_own_word_is_never_read_as_another_name() -> None:
    shoes = index_of("product", [("P-TRAINER", "Court Leather Trainer", "shoes", []), *PRODUCTS[:1]])
    assert top(shoes, "trainers") == "P-TRAINER"


@pytest.mark.parametrize("text", ["bum bag", "tennis racket", "bow tie"])
def test_another_name_needs_one_phrase_with_all_its_words(products: MatchIndex, text: str) -> None:
    """A bum bag is a belt bag; the shop's belt and its bags are not one."""
    assert top(products, text) is None


def test_every_term_of_a_group_names_the_others() -> None:
    table = synonyms()
    assert ("sneaker",) in table[("trainer",)]
    assert ("trainer",) in table[("sneaker",)]
    assert ("backpack",) in table[("rucksack",)]


def test_the_spelling_corrector_leaves_other_names_as_written() -> None:
    vocabulary = build_vocabulary([["Polarised Sunglasses", "accessories"]], [[]], [])
    assert correct_text("sunnies", vocabulary).text == "sunnies"


def test_a_name_of_several_words_written_as_one_is_that_name() -> None:
    """ "frypan" is a fry pan, which is the shop's frying pan."""
    kitchen = index_of("product", [("P-PAN", "Non-Stick Frying Pan 28cm", "cookware", [])])
    assert top(kitchen, "frypan") == "P-PAN"
    assert ("frying", "pan") in synonyms()[("frypan",)]


@pytest.mark.parametrize(("text", "key"), [("rucksak", "P-BACKPACK"), ("sunnys", "P-SUNGLASS")])
def test_another_name_typed_wrong_is_still_that_name(products: MatchIndex, text: str, key: str) -> None:
    assert top(products, text) == key


def test_the_spelling_corrector_does_not_bend_a_typo_of_another_name_into_a_word() -> None:
    """ "trakies" is as close to trackies (joggers) as to "trails": left for the matcher."""
    vocabulary = build_vocabulary([["Jersey Joggers", "trousers"], ["Trail Mix", "snacks"]], [[], []], [])
    assert correct_text("trakies", vocabulary).text == "trakies"


def test_a_short_word_of_the_list_is_not_reached_through_a_typo() -> None:
    """A guinea pig typed "guina" is not the Portuguese "guia" (a lead): the shop's leash is not it."""
    pets = index_of("product", [("P-LEASH", "Reflective Dog Leash", "walking", ["lead", "dog lead"])])
    assert top(pets, "guina pig cage") is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("hola tienen cargador para carro?", "E-CAR"),
        ("tienen audífonos inalámbricos?", "E-BUDS"),
    ],
)
def test_electronics_words_customers_use_for_the_catalogues(text: str, key: str) -> None:
    """Found missing on the phone-accessories development shop (tests/quality/dev/catalog_phones.py): a
    carro (coche) is a car, audífonos earphones, inalámbricos wireless; and a charging brick a wall charger,
    though beside a Wireless Charging Pad its "charging" still ties the pad with it in a small shop."""
    shop = index_of(
        "product",
        [
            ("E-WALL", "20W USB-C Wall Charger", "chargers", []),
            ("E-CAR", "Dual USB Car Charger", "chargers", []),
            ("E-PAD", "Wireless Charging Pad", "chargers", []),
            ("E-BUDS", "Wireless Earbuds", "audio", []),
            ("E-WIRED", "Wired Earphones USB-C", "audio", []),
        ],
    )
    assert top(shop, text) == key
    assert ("wall", "charger") in synonyms()[("charging", "brick")]


def test_another_name_of_several_words_is_read_as_a_whole() -> None:
    """ "oven gloves" are the shop's oven mitts: the oven in the name is not its Dutch Oven."""
    kitchen = index_of(
        "product",
        [
            ("P-DUTCH", "Enameled Dutch Oven 5.5 qt", "cookware", []),
            ("P-MITTS", "Silicone Oven Mitts, Pair", "linens", []),
            ("P-TOWEL", "Cotton Dish Towels, Set of 4", "linens", []),
        ],
    )
    assert top(kitchen, "oven gloves") == "P-MITTS"
    assert top(kitchen, "dutch oven") == "P-DUTCH"


def test_a_thing_of_several_words_the_shop_has_under_no_name_names_nothing() -> None:
    """An ice cream maker is a thing of its own: the shop's Waffle Maker is not one, though both are makers;
    a bird feeder is still the Seed Feeder of the bird-care section, which has both words."""
    shop = index_of(
        "product",
        [
            ("P-WAFFLE", "Belgian Waffle Maker", "small appliances", []),
            ("P-FEEDER", "Hanging Seed Feeder", "bird care", []),
        ],
    )
    assert top(shop, "ice cream maker") is None
    assert top(shop, "waffle maker") == "P-WAFFLE"
    assert top(shop, "bird feeder") == "P-FEEDER"
