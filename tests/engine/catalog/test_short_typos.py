"""Short name words typed with one edit that only a neighbouring word can resolve (issue #13): the first
letter left out, a letter too many, and a first reading the neighbours do not go with. Alone, each stays
unmatched: too many shop words are one edit from three or four letters. Pure: indexes built in memory."""

from __future__ import annotations

import pytest

from engine.catalog.index import MatchIndex
from tests.engine.catalog.indexes import top

PRODUCTS = [
    ("P-FOOD", "Grain-Free Dog Food", "dog food", []),
    ("P-BAGS", "Compostable Poop Bags", "walking", []),
    ("P-BOOTS", "Paw Protector Boots", "clothing", []),
    ("P-COAT", "Waterproof Dog Coat", "clothing", []),
    ("P-OATMEAL", "Oatmeal Pet Shampoo", "grooming", []),
    ("P-BOX", "Tool Box 19in", "storage", []),
    ("P-BOLTS", "Hex Bolts M8", "fixings", []),
    ("P-TORCH", "LED Torch", "lighting", []),
]
SERVICES = [
    ("S-KEY", "Key Cutting", "services", []),
    ("S-MANI", "Gel Manicure", "salon", []),
    ("S-TAG", "Tag Engraving", "services", []),
]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("paw protector oots", "P-BOOTS"),  # boots
        ("compostable poop ags", "P-BAGS"),  # bags: the plural of a three-letter word
    ],
)
def test_a_short_word_missing_its_first_letter_is_the_word_its_neighbour_goes_with(
    products: MatchIndex, text: str, key: str
) -> None:
    assert top(products, text) == key
    assert top(products, text.split()[-1]) is None


@pytest.mark.parametrize(
    ("text", "key"),
    [("ckey cutting", "S-KEY"), ("geol manicure", "S-MANI"), ("tagy engraving", "S-TAG")],
)
def test_a_letter_too_many_in_a_three_letter_word_is_read_beside_its_neighbour(
    services: MatchIndex, text: str, key: str
) -> None:
    assert top(services, text) == key
    assert top(services, text.split()[0]) is None


def test_a_letter_too_many_before_a_product_word(products: MatchIndex) -> None:
    assert top(products, "yled torch") == "P-TORCH"


@pytest.mark.parametrize(
    ("text", "key"),
    [("tool bol", "P-BOX"), ("waterproof dog oat", "P-COAT")],
)
def test_a_short_typo_is_read_as_the_word_its_neighbours_go_with(
    products: MatchIndex, text: str, key: str
) -> None:
    # Alone, "bol" reads as bolt and "oat" as the start of oatmeal; beside "tool" and "dog" they are box and
    # coat, the readings that share a name with the neighbour.
    assert top(products, text) == key
