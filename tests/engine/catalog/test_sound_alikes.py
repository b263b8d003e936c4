"""Words spelled as they sound (issue #13): phonetic_key's rules, and a sound-alike reading kept beside a
reading by letters. Pure: indexes built in memory."""

from __future__ import annotations

import pytest

from engine.catalog.index import MatchIndex
from engine.catalog.reading import phonetic_key
from tests.engine.catalog.indexes import index_of, top

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
        ("ekstenshun", "extension"),  # x said ks
        ("whistlin", "whistling"),  # a dropped g
        ("osilatin", "oscillating"),
        ("sosejes", "sausages"),  # a soft g at the end
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


def test_of_words_that_sound_alike_the_nearest_in_letters_is_read() -> None:
    """A customer's "kilna" sounds like the Kilner jar and like "clean" (k, l, n): the jar is nearer."""
    shop = index_of(
        "product",
        [
            ("P-KILNER", "Kilner Clip Top Jar 1L", "storage", []),
            ("P-CANDLE", "Large Jar Candle, Clean Cotton", "candles", []),
            ("P-BAGS", "Vacuum Cleaner Bags", "cleaning", []),
        ],
    )
    assert top(shop, "kilna jar") == "P-KILNER"
    assert top(shop, "kilna") == "P-KILNER"


def test_a_word_without_its_final_g_is_the_english_word_first() -> None:
    """A customer's "lookin" is looking, whatever the Locking Tongs sound like."""
    shop = index_of("product", [("P-TONGS", "Locking Tongs 12-Inch", "utensils", [])])
    assert top(shop, "lookin for a wall oven") is None


def test_one_word_written_apart_as_heard_is_that_word() -> None:
    shop = index_of(
        "product",
        [
            ("P-TEALIGHTS", "Unscented Tealights, Pack of 50", "candles", []),
            ("P-CASSEROLE", "Cast Iron Round Casserole 24cm", "cookware", []),
        ],
    )
    assert top(shop, "tea lites") == "P-TEALIGHTS"
    assert top(shop, "cassa roll") == "P-CASSEROLE"
    assert top(
        index_of("product", [("P-BALSAMIC", "Balsamic Vinegar 250ml", "pantry", [])]), "bal sam ick"
    ) == ("P-BALSAMIC")
