"""Which item a message names when two score alike (issue #13): the one whose name has the words, not the
one reaching them through its category or an alias ("cat litter" is the Clumping Cat Litter, not the Litter
Tray of the "cat" section); and a past participle before another thing's head noun describes that thing
("engraved tag" is the Engraved Pet ID Tag, not the Tag Engraving service). Pure: indexes built in memory."""

from __future__ import annotations

from engine.catalog.index import MatchIndex
from engine.catalog.matcher import match_in_index
from tests.engine.catalog.indexes import index_of, top

PRODUCTS = [
    ("P-LITTER", "Clumping Cat Litter 10L", "cat", []),
    ("P-TRAY", "Hooded Litter Tray", "cat", ["litter box"]),
    ("P-TAG", "Engraved Pet ID Tag", "walking", ["name tag"]),
    ("P-LEASH", "Reflective Dog Leash", "walking", []),
]
SERVICES = [
    ("S-ENGRAVE", "Tag Engraving", "personalisation", ["engrave a tag"]),
    ("S-GROOM", "Full Groom", "grooming", ["dog groomer"]),
]


def _best(index: MatchIndex, text: str, elsewhere: MatchIndex | None = None) -> tuple[str, float]:
    found = match_in_index(index, text, 3, elsewhere=elsewhere)
    return (found[0].key, found[0].confidence) if found else ("", 0.0)


def test_on_a_tie_the_item_whose_name_has_the_words_comes_first(products: MatchIndex) -> None:
    found = match_in_index(products, "cat litter", 3)
    assert [m.key for m in found[:2]] == ["P-LITTER", "P-TRAY"]
    assert found[0].confidence == found[1].confidence  # a tie: the name decides, not a score change


def test_a_participle_before_a_product_s_head_noun_asks_for_the_product(
    products: MatchIndex, services: MatchIndex
) -> None:
    product, product_confidence = _best(products, "engraved tag")
    service, service_confidence = _best(services, "engraved tag", elsewhere=products)
    assert (product, service) == ("P-TAG", "S-ENGRAVE")
    assert product_confidence > service_confidence


def test_the_service_s_own_words_still_book_it(products: MatchIndex, services: MatchIndex) -> None:
    for text in ("tag engraving", "can you engrave my tag", "engrave a tag please"):
        service, service_confidence = _best(services, text, elsewhere=products)
        _, product_confidence = _best(products, text)
        assert service == "S-ENGRAVE" and service_confidence > product_confidence, text


def test_a_participle_after_the_thing_asks_for_the_work(products: MatchIndex, services: MatchIndex) -> None:
    service, service_confidence = _best(services, "can i get my tag engraved", elsewhere=products)
    _, product_confidence = _best(products, "can i get my tag engraved")
    assert service == "S-ENGRAVE" and service_confidence > product_confidence


def test_on_a_tie_the_item_with_more_of_the_messages_words_comes_first() -> None:
    """ "need a charger for my car": every charger ties on the head noun, and the car is too far from it for
    the query coverage to see; the Car Charger has both words, so it comes first."""
    shop = index_of(
        "product",
        [
            ("P-WATCH", "Smart Watch Charger", "chargers", []),
            ("P-CAR", "Dual USB Car Charger", "chargers", []),
            ("P-WALL", "20W USB-C Wall Charger", "chargers", []),
        ],
    )
    assert match_in_index(shop, "need a charger for my car", 1)[0].key == "P-CAR"


def test_a_head_noun_other_names_only_qualify_names_its_own_item() -> None:
    """Four items say "hose", one is a hose: "hose" alone is the Garden Hose, while "hose reel" is the reel
    and a message another item explains more of ("chain oil": the Chain Lube) is that item."""
    garden = index_of(
        "product",
        [
            ("P-HOSE", "Garden Hose 30m", "watering", []),
            ("P-REEL", "Hose Reel Cart", "watering", []),
            ("P-CONN", "Hose Connector Set", "watering", []),
            ("P-NOZZLE", "Hose Nozzle", "watering", []),
            ("P-CAN", "Watering Can 10L", "watering", []),
        ],
    )
    assert top(garden, "hose") == "P-HOSE"
    assert top(garden, "do you have a hose?") == "P-HOSE"
    assert top(garden, "hose reel") == "P-REEL"
    bikes = index_of(
        "product",
        [
            ("P-CHAIN", "11 Speed Chain", "drivetrain", []),
            ("P-LUBE", "Dry Chain Lube", "drivetrain", []),
            ("P-TOOL", "Chain Tool", "tools", []),
            ("P-CHECKER", "Chain Wear Checker", "tools", []),
        ],
    )
    assert top(bikes, "chain") == "P-CHAIN"
    assert top(bikes, "chain oil") == "P-LUBE"


def test_a_name_ending_in_can_is_found_by_its_last_two_words() -> None:
    """ "Can" is a stopword elsewhere ("can I order"); ending a name it is the thing, so "watering can" is the
    Watering Can, not a tie among everything in the watering section."""
    garden = index_of(
        "product",
        [
            ("P-HOSE", "Garden Hose 30m", "watering", []),
            ("P-CAN", "Galvanised Watering Can 9L", "watering", []),
            ("P-SPRINKLER", "Oscillating Sprinkler", "watering", []),
        ],
    )
    found = match_in_index(garden, "watering can", 3)
    assert found[0].key == "P-CAN"
    assert found[0].confidence > found[1].confidence
    assert top(garden, "can i order a hose") == "P-HOSE"


def test_what_follows_a_comma_in_a_name_is_not_its_head_noun() -> None:
    """Stores write "Thing, Variant": the French Rolling Pin, Maple 18-Inch is a rolling pin, not a maple."""
    store = index_of(
        "product",
        [
            ("P-PIN", "French Rolling Pin, Maple 18-Inch", "bakeware", []),
            ("P-BOARD", "Maple Cutting Board", "tools", []),
            ("P-PRESS", "Garlic Press, Stainless", "tools", []),
            ("P-PEELER", "Swivel Peeler, Stainless", "tools", []),
        ],
    )
    assert "pin" in store.items[0].heads
    assert top(store, "rolling pins") == "P-PIN"
    assert top(store, "garlic pres") == "P-PRESS"


def test_a_decimal_measure_ending_a_name_is_no_head_noun() -> None:
    """ "Duvet 10.5 Tog, Double" is a duvet in 10.5 tog, as "Tights 60 Denier" are tights."""
    bedding = index_of(
        "product",
        [
            ("P-DUVET", "Duvet 10.5 Tog, Double", "bedding", []),
            ("P-COVER", "Duvet Cover Set, Double", "bedding", []),
        ],
    )
    assert "duvet" in bedding.items[0].heads
    assert top(bedding, "duvet") == "P-DUVET"
