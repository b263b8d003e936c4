"""The forms a name word takes in a customer's message (issue #13): plurals in -ves, a letter-and-word
compound written as one word, a head noun its section also names, a specification after the head noun, a
typo'd plural of a shop word that is also plain English, and a number written out against a name's digit.
Pure: indexes and vocabularies built in memory."""

from __future__ import annotations

import pytest

from engine.catalog.index import MatchIndex
from engine.catalog.matcher import match_in_index
from engine.catalog.spelling import build_vocabulary, correct_text
from tests.engine.catalog.indexes import index_of, top

PRODUCTS = [
    ("P-SCARF", "Cashmere Scarf", "accessories", []),
    ("P-KNIFE", "Santoku Knife", "cutlery", []),
    ("P-SHELF", "Floating Wall Shelf", "storage", []),
    ("P-TEE", "Classic Crew Neck T-Shirt", "tops", []),
    ("P-OXFORD", "Oxford Button-Down Shirt", "shirts", []),
    ("P-VNECK", "Merino V-Neck Jumper", "knitwear", []),
    ("P-SOCKS", "Cotton Ankle Socks (5 pack)", "socks & underwear", []),
    ("P-TIGHTS", "Opaque Tights 60 Denier", "socks & underwear", []),
    ("P-BOXERS", "Boxer Briefs (3 pack)", "socks & underwear", []),
    ("P-SANDPAPER", "Sandpaper Sheets 120 Grit", "abrasives", []),
    ("P-WALLET", "Zip Around Wallet", "bags", []),
]
SERVICES = [
    ("S-HEM", "Trouser Hemming", "alterations & services", []),
    ("S-ALTER", "Dress Alterations", "alterations & services", []),
    ("S-WRAP", "Gift Wrapping", "alterations & services", []),
]


@pytest.mark.parametrize(
    ("text", "key"),
    [("scarves", "P-SCARF"), ("knives", "P-KNIFE"), ("wall shelves", "P-SHELF")],
)
def test_a_plural_in_ves_is_its_singular_in_f(products: MatchIndex, text: str, key: str) -> None:
    assert top(products, text) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [("tshirts", "P-TEE"), ("t-shirts", "P-TEE"), ("t shirt", "P-TEE"), ("vneck jumper", "P-VNECK")],
)
def test_a_letter_and_a_word_are_one_word_however_they_are_written(
    products: MatchIndex, text: str, key: str
) -> None:
    assert top(products, text) == key


def test_the_word_of_a_section_still_names_the_one_item_called_by_it(
    products: MatchIndex, services: MatchIndex
) -> None:
    """The tights and boxers are filed under "socks & underwear" but are not socks: the socks are the only
    item called socks. Likewise the one service called alterations, in a section of that name."""
    assert top(products, "socks") == "P-SOCKS"
    assert top(services, "alterations") == "S-ALTER"


@pytest.mark.parametrize(("text", "key"), [("tights", "P-TIGHTS"), ("sandpaper sheets", "P-SANDPAPER")])
def test_a_number_and_a_word_ending_a_name_specify_it(products: MatchIndex, text: str, key: str) -> None:
    assert top(products, text) == key


def test_the_specification_alone_does_not_name_the_item(products: MatchIndex) -> None:
    assert top(products, "denier") is None


VOCABULARY = build_vocabulary(
    [["Zip Around Wallet", "bags"], ["Cashmere Scarf", "accessories"], ["Santoku Knife", "cutlery"]],
    [[], [], []],
    [],
)


@pytest.mark.parametrize("text", ["scarves", "knives"])
def test_the_spelling_corrector_knows_a_plural_in_ves(text: str) -> None:
    assert correct_text(text, VOCABULARY).text == text


def test_a_typod_plural_of_a_shop_word_is_not_made_another_english_word() -> None:
    """ "walets" is one letter from "wales" but is the shop's wallets: left for the matcher, which knows the
    shop, even though "wallet" is plain English too."""
    assert correct_text("walets", VOCABULARY).text == "walets"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("can you alter my dress", "S-ALTER"),
        ("do you install dishwashers", "S-INSTALL"),
        ("deliver", "S-DELIV"),
    ],
)
def test_a_verb_names_the_service_its_noun_names(text: str, code: str) -> None:
    """Services are named by nouns (alteration, installation, delivery); customers ask with the verb."""
    services = index_of(
        "service",
        [
            ("S-ALTER", "Dress Alterations", "alterations", []),
            ("S-INSTALL", "Dishwasher Installation", "services", []),
            ("S-DELIV", "Next Day Delivery", "services", []),
        ],
    )
    assert top(services, text) == code


def test_a_number_written_out_is_the_digit_of_a_name_and_back() -> None:
    tents = index_of(
        "product",
        [
            ("P-T2", "2 Person Backpacking Tent", "tents", []),
            ("P-T4", "4 Person Family Tent", "tents", []),
            ("P-POP", "Festival Pop-Up Tent", "tents", []),
            ("P-GLOVES", "Three Season Gloves", "clothing", []),
            ("P-PEGS", "Steel Tent Pegs (10 pack)", "tents", []),
        ],
    )
    for text, key in (("two person tent", "P-T2"), ("a four person tent", "P-T4")):
        first, second = match_in_index(tents, text)[:2]
        assert first.key == key and first.confidence > second.confidence  # not a tie broken by luck
    assert [(m.key, m.confidence) for m in match_in_index(tents, "3 season gloves")] == [("P-GLOVES", 1.0)]
    # Only where it counts the next word as the name does: "festival ten" is the tent with a letter left out.
    assert top(tents, "festival ten") == "P-POP"


def test_a_unit_spelt_out_is_a_size_not_another_thing() -> None:
    garden = index_of(
        "product",
        [
            ("P-CAN", "Galvanised Watering Can 9L", "watering", []),
            ("P-SOIL", "Screened Topsoil 25L", "compost & soil", []),
            ("P-KETTLE", "Electric Kettle 1.7L", "small appliances", []),
            ("P-HOSE", "Garden Hose 30m", "watering", []),
        ],
    )
    assert top(garden, "25 litre topsoil") == "P-SOIL"  # not "litre topsoil", a topsoil of another kind
    assert top(garden, "1.7 litre kettle") == "P-KETTLE"
    assert top(garden, "30 metre hose") == "P-HOSE"
    assert [m.key for m in match_in_index(garden, "9 litre watering can")][:1] == ["P-CAN"]
