"""A plural typed wrong (issue #13): the typo can hide the plural ending from the stemmer ("coaus", "tps",
"oilse", "bruhes"), and the spelling corrector must not make it another English word first ("gaes" is not
gas in a shop that sells gates). Pure: indexes and vocabularies built in memory."""

from __future__ import annotations

import pytest

from engine.catalog.index import MatchIndex
from engine.catalog.spelling import build_vocabulary, correct_text
from tests.engine.catalog.indexes import index_of, top

PRODUCTS = [
    ("P-TRENCH", "Classic Trench Coat", "outerwear", []),
    ("P-TANK", "Ribbed Tank Top", "tops", []),
    ("P-CUTICLE", "Cuticle Oil", "nails", []),
    ("P-BRUSH", "Slicker Brush", "grooming", []),
    ("P-HOODIE", "Fleece Pullover Hoodie", "sweatshirts", []),
    ("P-MASK", "Clay Face Mask", "skincare", []),
    ("P-TIE", "Silk Tie", "accessories", []),
]
SERVICES: list[tuple[str, str, str, list[str]]] = []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("classic trench coaus", "P-TRENCH"),  # coats: the stemmer keeps -us
        ("fleece pullover hoodeis", "P-HOODIE"),  # -is kept too
        ("clay face makss", "P-MASK"),
        ("slicker bruhes", "P-BRUSH"),  # brushes with a letter left out: the -es goes too
        ("cuticle oilse", "P-CUTICLE"),  # the ending swapped
        ("teis", "P-TIE"),  # ties: a three-letter singular with two letters swapped
    ],
)
def test_a_typod_plural_is_its_singular_typed_wrong(products: MatchIndex, text: str, key: str) -> None:
    assert top(products, text) == key


@pytest.mark.parametrize(("text", "key"), [("ribbed tank tps", "P-TANK"), ("cuticle ols", "P-CUTICLE")])
def test_a_short_typod_plural_is_read_beside_its_neighbour(products: MatchIndex, text: str, key: str) -> None:
    assert top(products, text) == key


VOCABULARY = build_vocabulary([["Pet Safety Gate", "dogs"], ["Wild Bird Seed Mix", "birds"]], [[], []], [])


@pytest.mark.parametrize(("text", "not_into"), [("gaes", "gas"), ("tixes", "times")])
def test_a_typod_plural_of_a_shop_word_is_left_for_the_matcher(text: str, not_into: str) -> None:
    assert correct_text(text, VOCABULARY).text == text != not_into


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("fleece pullover hoodiebs", "P-HOODIE"),  # a letter before the -s: hoodieb is three edits from hoody
        ("hoodiesb", "P-HOODIE"),  # a letter after it
        ("slicker brushesg", "P-BRUSH"),
        ("cuticle oilsx", "P-CUTICLE"),
    ],
)
def test_a_plural_with_a_letter_too_many_at_its_ending_is_the_plural(
    products: MatchIndex, text: str, key: str
) -> None:
    assert top(products, text) == key


def test_a_plural_with_a_letter_too_many_still_names_the_thing_itself() -> None:
    """ "puppiesi for sale" is puppies, the thing, as "puppies for sale" is: not the Puppy Starter Kibble."""
    shop = index_of("product", [("P-PUPPY", "Puppy Starter Kibble 2kg", "dog food", [])])
    assert top(shop, "do you have puppiesi for sale") is None
    assert top(shop, "puppy kibble") == "P-PUPPY"


SHORT_WORDS = [
    ("P-OATS", "Flahavan's Porridge Oats 1kg", "pantry", []),
    ("P-JAM", "Follain Strawberry Jam 370g", "pantry", []),
    ("P-CUP", "Egg Cup Set", "tableware", []),
    ("P-CAP", "Wool Cap", "hats", []),
]


@pytest.mark.parametrize(("text", "key"), [("ots", "P-OATS"), ("jsm", "P-JAM")])
def test_a_three_letter_slip_reaching_one_shop_word_is_that_word(text: str, key: str) -> None:
    """A customer's "ots" is oats with a letter left out; "jsm" is jam with the a typed as the key beside it:
    one shop word either way."""
    assert top(index_of("product", SHORT_WORDS), text) == key


def test_a_three_letter_slip_reaching_two_shop_words_is_neither() -> None:
    """Alone, "cps" may be cups or caps: only a neighbour could tell (as "tank tps" does above)."""
    assert top(index_of("product", SHORT_WORDS), "cps") is None


def test_a_swap_in_a_word_of_four_letters_is_as_sure_as_a_confirmed_spelling() -> None:
    """A customer's "hsoe" is the hose, though the hose is a head noun other items share and the hoe is one
    letter away."""
    garden = index_of(
        "product",
        [
            ("P-HOSE", "Garden Hose 30m", "watering", []),
            ("P-REEL", "Hose Reel Cart", "watering", []),
            ("P-CONNECT", "Hose Connector Set", "watering", []),
            ("P-HOE", "Dutch Hoe", "tools", []),
        ],
    )
    assert top(garden, "hsoe") == "P-HOSE"
