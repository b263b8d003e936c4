"""What is left of a short name word after a typo (issue #13): two letters of three ("eg" for leg), or a
wrong first letter ("vop" for top, "mide" for wide). Alone such a leftover names nothing — too many words
are that close — but beside another word of the same item it is that item's word. Pure: indexes built in
memory."""

from __future__ import annotations

import pytest

from engine.catalog.index import MatchIndex
from tests.engine.catalog.indexes import top

PRODUCTS = [
    ("P-TROUSERS", "Wide Leg Tailored Trousers", "trousers", []),
    ("P-WALLET", "Zip Around Wallet", "bags", []),
    ("P-TANK", "Ribbed Tank Top", "tops", []),
    ("P-TIE", "Silk Tie", "accessories", []),
    ("P-BLOUSE", "Silk Blouse", "tops", []),
    ("P-SHAMPOO", "Argan Oil Shampoo", "hair", []),
    ("P-DRYSHAMPOO", "Dry Shampoo", "hair", []),
    ("P-SHORTS", "Denim Cut-Off Shorts", "denim", []),
    ("P-SKIRT", "Pleated Midi Skirt", "skirts", []),  # "mide" alone is the midi: one edit, first letter kept
]
SERVICES: list[tuple[str, str, str, list[str]]] = []


@pytest.mark.parametrize(
    ("text", "key"),
    [("wide eg", "P-TROUSERS"), ("zp around", "P-WALLET"), ("silk ie", "P-TIE"), ("ol shampoo", "P-SHAMPOO")],
)
def test_two_letters_of_a_three_letter_word_beside_its_neighbour(
    products: MatchIndex, text: str, key: str
) -> None:
    assert top(products, text) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [("ribbed vop", "P-TANK"), ("xut off", "P-SHORTS"), ("mide leg", "P-TROUSERS")],
)
def test_a_wrong_first_letter_of_a_short_word_beside_its_neighbour(
    products: MatchIndex, text: str, key: str
) -> None:
    assert top(products, text) == key


@pytest.mark.parametrize("text", ["eg", "zp", "vop", "xut", "ol"])
def test_a_leftover_alone_names_nothing(products: MatchIndex, text: str) -> None:
    assert top(products, text) is None
