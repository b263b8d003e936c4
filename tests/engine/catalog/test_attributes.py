"""Sizes, colours, widths and quantities read from customers' messages, typos and units included, and what a
product has in them: in stock in that size or not, and the nearest sizes and other colours that are."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from engine.catalog.attributes import Attributes, extract
from engine.catalog.stock import availability, size_key, sizes_in_stock


@pytest.mark.parametrize(
    ("message", "size", "key"),
    [
        ("do u hav the runing shoes in size 42?", "42", 8.0),  # a bare EU size, found as UK 8
        ("42", "42", 8.0),
        ("have you got 42?", "42", 8.0),
        ("sz 9", "9", 9.0),
        ("szie 9 please", "9", 9.0),  # a typo in the size word
        ("UK 8", "UK 8", 8.0),
        ("uk8 pls", "UK 8", 8.0),
        ("EU 42", "EU 42", 8.0),
        ("eur 44", "EU 44", 9.5),
        ("US 10", "US 10", 9.0),
        ("size 10.5 wide", "10.5", 10.5),
        ("in a 9?", "9", 9.0),
        ("stormshell jacket in size M", "M", "M"),
        ("the hoodie in medium", "M", "M"),
    ],
)
def test_sizes_are_read_with_their_units_and_typos(message: str, size: str, key: object) -> None:
    found = extract(message)
    assert (found.size, found.size_key) == (size, key)


@pytest.mark.parametrize(
    "message",
    [
        "where is order 42311?",
        "is it £42?",
        "it costs 45 quid",
        "delivery in 48 hours?",
        "running shoes 40-44",
        "do you open at 9",
        "I want 3 pairs",
    ],
)
def test_numbers_that_are_not_sizes_stay_out(message: str) -> None:
    assert extract(message).size is None


def test_colours_widths_and_quantities_typos_included() -> None:
    assert extract("have it in blak?").color == "black"
    assert extract("whte trainers").color == "white"
    assert extract("any in gray?").color == "grey"
    assert extract("size 9 in ocean blue", ["Ocean Blue", "Black/White"]).color == "Ocean Blue"
    assert extract("wide fit in 10").width == "wide"
    assert extract("do they come in narrow").width == "narrow"
    assert extract("2 pairs of the cloudstep in uk9").quantity == 2
    assert extract("two pairs please").quantity == 2
    assert extract("great, thanks").color is None  # an everyday word is not a misspelt colour


def test_a_follow_up_keeps_the_earlier_size() -> None:
    earlier = extract("ridgeline in uk 8")
    now = extract("and in black?").merged_over(earlier)
    assert (now.size, now.size_key, now.color) == ("UK 8", 8.0, "black")
    assert Attributes.from_dict(now.to_dict()) == Attributes("UK 8", 8.0, "black")


def test_a_products_size_labels_compare_on_one_scale() -> None:
    assert size_key("UK 8") == size_key("EU 42") == 8.0
    assert size_key("S (UK 3-5)") == "S" and size_key("One size") is None


TRAIL = SimpleNamespace(
    sizes=["UK 7", "UK 7.5", "UK 8", "UK 9"],
    colors=["Moss/Black", "Slate Grey"],
    stock=9,
    variants=[
        {"size": "UK 7", "color": "Moss/Black", "stock": 2},
        {"size": "UK 7.5", "color": "Moss/Black", "stock": 0},
        {"size": "UK 8", "color": "Moss/Black", "stock": 0},
        {"size": "UK 8", "color": "Slate Grey", "stock": 4},
        {"size": "UK 9", "color": "Moss/Black", "stock": 3},
    ],
)


def test_in_stock_in_that_size_counts_only_that_variant() -> None:
    got = availability(TRAIL, extract("size 42"))
    assert (got.size, got.in_stock, got.stock) == ("UK 8", True, 4)  # EU 42 is the shop's UK 8


def test_out_of_stock_in_that_colour_names_the_nearest_sizes_and_other_colours() -> None:
    got = availability(TRAIL, extract("uk 8 in black", TRAIL.colors))
    assert got.made and not got.in_stock and got.color == "Moss/Black"
    assert got.nearest == ("UK 7", "UK 9")  # in stock in Moss/Black, nearest UK 8 (UK 7.5 has none)
    assert got.other_colors == ("Slate Grey",)


def test_a_size_the_product_is_not_made_in_and_a_colour_it_does_not_come_in() -> None:
    assert not availability(TRAIL, extract("size 12")).made
    pink = availability(TRAIL, extract("in pink"))
    assert pink.unknown_color and not pink.in_stock


def test_a_product_without_variants_keeps_one_stock_figure() -> None:
    plain = SimpleNamespace(sizes=["UK 7", "UK 8"], colors=["White"], stock=5, variants=[])
    assert availability(plain, extract("uk 8")).in_stock
    assert sizes_in_stock(plain) == ["UK 7", "UK 8"]
    assert sizes_in_stock(SimpleNamespace(sizes=["UK 7"], colors=[], stock=0, variants=[])) == []
    assert sizes_in_stock(TRAIL, "Moss/Black") == ["UK 7", "UK 9"]
