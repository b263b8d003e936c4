"""Words spelled as they sound (issue #13): phonetic_key's rules, and a sound-alike reading kept beside a
reading by letters. Pure: indexes built in memory."""

from __future__ import annotations

import pytest

from engine.catalog.index import MatchIndex
from engine.catalog.reading import phonetic_key
from tests.engine.catalog.indexes import top

PRODUCTS = [
    ("P-JUMPER", "Merino Wool Jumper", "knitwear", []),
    ("P-SLIPPER", "Sheepskin Slippers", "shoes", []),
    ("P-SLIP", "Satin Slip Dress", "dresses", []),
    ("P-NECKLACE", "Pendant Necklace", "jewellery", []),
    ("P-CASSEROLE", "Cast Iron Casserole", "cookware", []),
    ("P-QUICHE", "Quiche Lorraine", "deli", []),
    ("P-FOCACCIA", "Rosemary Focaccia", "bread", []),
]
SERVICES: list[tuple[str, str, str, list[str]]] = []


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("jumpa", "jumper"),
        ("slipas", "slippers"),
        ("kaserole", "casserole"),
        ("fashial", "facial"),
        ("keesh", "quiche"),  # French -che
        ("brioshe", "brioche"),
        ("fokatcha", "focaccia"),  # Italian cci, and tch for ch
        ("chabatta", "ciabatta"),
        ("kichen", "kitchen"),
        ("presher", "pressure"),  # -ssure said "sher"
        ("lite", "light"),  # a silent gh
        ("midje", "midge"),  # dge, dj and j
        ("flew", "flu"),  # ew and u
        ("rucsac", "rucksack"),  # a c before s or t is a k
        ("flatwear", "flatware"),  # the r of a final -re is not sounded either
        ("caffateer", "cafetiere"),
    ],
)
def test_spellings_of_one_sound_share_a_key(typed: str, word: str) -> None:
    assert phonetic_key(typed) == phonetic_key(word)


def test_an_r_before_a_vowel_is_sounded() -> None:
    assert phonetic_key("sera") != phonetic_key("sea")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("merino jumpa", "P-JUMPER"),
        ("sheepskin slipas", "P-SLIPPER"),
        ("nekles", "P-NECKLACE"),
        ("keesh", "P-QUICHE"),
        ("fokatcha", "P-FOCACCIA"),
    ],
)
def test_a_word_spelled_as_it_sounds_names_the_item(products: MatchIndex, text: str, key: str) -> None:
    assert top(products, text) == key
