"""What the words around a mention say about it (issue #13, the sixth development shop's rules): quantities
and states qualify the thing and name nothing else; work named on a thing the shop does not know is not
offered; a phrase that ends in another item's word, or a Romance "X de <item>", names that other thing; two
everyday words several items share as a qualifier name their own thing; a measure only one item has names
it; a word for the kind of thing its section sells after the name says what it is. Pure: indexes built in
memory (conftest.py's `products` and `services` of this module's rows)."""

from __future__ import annotations

import pytest

from engine.catalog.index import MatchIndex
from engine.catalog.matcher import match_in_index
from tests.engine.catalog.indexes import top

PRODUCTS = [
    ("B-BAGEL", "Sesame Bagels", "bread", []),
    ("B-RYE", "Dark Rye Bread", "bread", []),
    ("B-WHOLE", "Wholemeal Sandwich Loaf", "bread", []),
    ("B-BUNS", "Brioche Burger Buns", "bread", []),
    ("B-CHEESECAKE", "Baked Vanilla Cheesecake", "cakes", []),
    ("B-CHORIZO", "Spanish Chorizo", "deli", []),
    ("B-MANCHEGO", "Manchego Cheese", "deli", []),
    ("B-FETA", "Greek Feta", "deli", []),
    ("B-OLIVES", "Marinated Green Olives", "deli", []),
    ("B-OIL", "Extra Virgin Olive Oil", "pantry", []),
    ("E-CASE", "iPhone 15 Silicone Case", "cases", []),
    ("E-WATCHCHG", "Smart Watch Charger", "chargers", []),
    ("E-STRAP", "Silicone Smart Watch Strap", "watch", []),
    ("E-LAUNCHER", "Tennis Ball Launcher", "toys", []),
    ("E-BANK", "10000mAh Power Bank", "power", []),
    ("E-WALL", "20W USB-C Wall Charger", "chargers", []),
    ("E-WATCH", "Classic Leather Watch", "accessories", []),
]
SERVICES = [
    ("S-SCREEN", "Screen Repair", "repairs", []),
    ("S-CAKE", "Custom Celebration Cake", "orders", ["cake order"]),
    ("S-CLASS", "Sourdough Baking Class", "orders", []),
    ("S-DELIVERY", "Local Delivery", "orders", []),
]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("half a dozen bagels", "B-BAGEL"),  # a quantity, not a kind of bagel
        ("whole cheesecake", "B-CHEESECAKE"),
        ("spicy chorizo", "B-CHORIZO"),
        ("sliced wholemeal", "B-WHOLE"),  # a participle says how it is
        ("toasted bagels", "B-BAGEL"),
        ("freshly sliced wholemeal", "B-WHOLE"),  # and so does an adverb
        ("hot dog buns", None),  # a noun before the name still names another thing
        ("rye", "B-RYE"),  # a three-letter word only one name has names it
        ("10000mah", "E-BANK"),  # a measure only one item has
        ("20w", "E-WALL"),
        ("smart watch", None),  # two everyday words two items have as a qualifier (and a "watch" section)
        ("smart watch charger", "E-WATCHCHG"),
        ("tennis ball", "E-LAUNCHER"),  # only one item has them: it is named
        ("watch battery replacement", None),  # the replacing is asked for, not the watch
        ("pão de queijo", None),  # a cheese bread: what follows "de" qualifies the bread
        ("queso manchego", "B-MANCHEGO"),
        ("feta cheese", "B-FETA"),  # the kind of thing the deli's other cheese is called by
        ("spanish cheese", "B-MANCHEGO"),  # where it is from qualifies the cheese: no chorizo
        ("rye loaf", "B-RYE"),
        ("power bankz", "E-BANK"),  # a plural written with a z
    ],
)
def test_products_named_or_not(products: MatchIndex, text: str, key: str | None) -> None:
    assert top(products, text) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("screen repair", "S-SCREEN"),
        ("iphone screen repair", "S-SCREEN"),  # the shop knows the iPhone: the work is done on one
        ("laptop screen repair", None),  # it knows no laptop: the work is not offered for one
        ("when is the next sourdough class", "S-CLASS"),  # "next" is a plain qualifier
        ("cake decorating class", None),  # a class, of which the cake only says which
        ("cake order", "S-CAKE"),
        ("fazem entrega?", "S-DELIVERY"),  # Portuguese puts no qualifier before the noun
        ("troca de tela", "S-SCREEN"),
    ],
)
def test_services_named_or_not(
    services: MatchIndex, products: MatchIndex, text: str, key: str | None
) -> None:
    assert top(services, text, elsewhere=products) == key


def test_on_a_tie_the_item_with_more_of_the_words_read_into_the_message_comes_first(
    products: MatchIndex,
) -> None:
    # "aceite de oliva" is read as "olive oil" on each word: the Olive Oil has both words, the Olives one.
    found = match_in_index(products, "tienen aceite de oliva", 3)
    assert found[0].key == "B-OIL"
