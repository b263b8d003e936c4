"""A task or a trouble told instead of a thing's name (issue #13): "something to drain the pasta" is the
shop's colander, "my gears keep slipping" its gear service (engine/catalog/data/uses.txt). Only a thing the
shop has counts, so a shop without one still answers "not sold"; a cue of several words is read as a whole
(the pasta drained is not the shop's Pasta Machine). Pure: indexes built in memory."""

from __future__ import annotations

import pytest

from engine.catalog.matcher import match_in_index
from engine.catalog.words import parse_uses, uses, word_forms
from tests.engine.catalog.indexes import index_of, top


def test_a_line_is_cue_words_and_the_names_of_the_thing() -> None:
    table = parse_uses(
        "# a comment\ndrain pasta : colander, strainer  # trailing\n\nzest : zester\nbad line\n"
    )
    assert table.by_first["drain"] == ((("drain", "pasta"), (("colander",), ("strainer",))),)
    assert table.by_first["zest"] == ((("zest",), (("zester",),)),)
    assert "bad" not in table.by_first


def test_cue_words_are_read_in_the_forms_customers_write_them() -> None:
    assert {"drains", "drained", "draining"} <= word_forms("drain")
    assert {"stopped", "stopping"} <= word_forms("stop")
    assert {"broken", "broke"} <= word_forms("break")
    assert {"dries", "dried"} <= word_forms("dry")
    table = parse_uses("steam dumplings : steamer\n")
    assert table.forms["dumplings"] == "dumpling"
    assert table.forms["steaming"] == "steam"


def test_the_shipped_table_reads() -> None:
    table = uses()
    assert len(table.by_first) > 100
    assert all(cue and things for entries in table.by_first.values() for cue, things in entries)


def test_a_form_of_one_cue_word_that_is_another_cue_word_stays_itself() -> None:
    assert "card" not in word_forms("car")
    table = parse_uses("car phone : car phone holder\nprint card : business cards\n")
    assert table.forms["card"] == "card"


KITCHEN = [
    ("K-COLANDER", "Stainless Steel Colander", "utensils", []),
    ("K-PASTA", "Pasta Machine", "machines", []),
    ("K-RASP", "Fine Rasp Grater", "utensils", []),
    ("K-SCALES", "Digital Kitchen Scales", "baking", []),
    ("K-FLASK", "Vacuum Flask 500ml", "drinkware", []),
]
PHARMACY = [
    ("P-ANTACID", "Antacid Chewable Tablets", "digestion", []),
    ("P-PARA", "Paracetamol 500mg Tablets", "pain relief", []),
]


@pytest.mark.parametrize(
    ("shop", "text", "key"),
    [
        (KITCHEN, "something to drain the pasta", "K-COLANDER"),
        (KITCHEN, "anything for draining pasta?", "K-COLANDER"),
        (KITCHEN, "something to zest a lemon", "K-RASP"),
        (KITCHEN, "need something to weigh flour for baking", "K-SCALES"),
        (KITCHEN, "something to keep my tea hot all day", "K-FLASK"),
        (PHARMACY, "i get heartburn after every meal", "P-ANTACID"),
    ],
)
def test_a_task_or_a_trouble_names_the_thing_that_does_it(
    shop: list[tuple[str, str, str, list[str]]], text: str, key: str
) -> None:
    assert top(index_of("product", shop), text) == key


def test_a_shop_without_the_thing_answers_not_sold() -> None:
    no_grater = index_of("product", [row for row in KITCHEN if row[0] != "K-RASP"])
    assert top(no_grater, "something to zest a lemon") is None


def test_a_thing_the_cue_calls_for_is_what_an_item_is_not_a_word_it_shares() -> None:
    """Mowing the lawn calls for a mower; the shop's Mower Service repairs them and does not mow."""
    services = index_of(
        "service",
        [("S-MOWER", "Mower Service", "repairs", []), ("S-DELIVER", "Local Delivery", "delivery", [])],
    )
    assert top(services, "someone to mow my lawn every week") is None
    garden = index_of("product", [("G-MOWER", "Cordless Lawn Mower", "lawn care", []), *KITCHEN[:1]])
    assert top(garden, "something to mow the lawn with") == "G-MOWER"


def test_cue_words_the_shop_names_an_item_with_are_that_item() -> None:
    """ "puncture" calls for a puncture repair kit, but "puncture repair" is the shop's own service's name."""
    bikes = index_of(
        "product",
        [("B-KIT", "Puncture Repair Kit", "tyres", []), ("B-TUBE", "Inner Tube 700c", "tyres", [])],
    )
    services = index_of("service", [("S-PUNCTURE", "Puncture Repair", "workshop", [])])
    assert top(services, "puncture repair", elsewhere=bikes) == "S-PUNCTURE"
    found = {m.key: m.confidence for m in match_in_index(bikes, "puncture repair", 3)}
    assert found.get("B-KIT", 0.0) < 0.9


def test_what_the_task_is_done_to_does_not_make_the_thing_qualify_it() -> None:
    """ "weigh sugar" is a task on sugar, not a kind of scale the shop does not have."""
    assert top(index_of("product", KITCHEN), "something to weigh sugar") == "K-SCALES"
