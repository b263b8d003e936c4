"""Qualifiers versus the thing itself (issue #13): specifications in names, head nouns, a message that uses an
item's words to qualify something the shop does not sell, word families, short typos, and real words the
speller must leave alone. Pure: indexes and vocabularies built in memory."""

from __future__ import annotations

import pytest

from engine.catalog.index import MatchIndex, descriptors, head_noun
from engine.catalog.matcher import match_in_index
from engine.catalog.spelling import build_vocabulary, correct_text
from tests.engine.catalog.indexes import index_of, top

PRODUCTS = [
    ("H-DRILL", "Cordless Drill Driver 18V", "power tools", ["battery drill"]),
    ("H-BITS", "HSS Drill Bit Set", "power tools", ["drill bits"]),
    ("H-SCREWDRV", "Screwdriver Set (6 piece)", "hand tools", []),
    ("H-SANDPAPER", "Sandpaper Assorted (10 sheets)", "abrasives", ["sanding paper"]),
    ("H-LADDER", "Aluminium Step Ladder 3-tread", "access", []),
    ("H-NAILS", "Galvanised Nails 500g", "fixings", []),
    ("H-GUN", "Caulking Gun", "plumbing", ["sealant gun"]),
    ("H-ROLLER", "Paint Roller Kit 9in", "painting", []),
    ("H-BRUSH", "Paint Brush Set", "painting", []),
    ("H-PAINT", "White Emulsion Paint 5L", "painting", ["wall paint"]),
    ("H-GOGGLES", "Safety Goggles", "safety", []),
    ("H-GLOVES", "Work Gloves", "safety", []),
    ("H-BULB", "LED Bulb E27", "electrical", ["light bulb"]),
    ("H-WD40", "WD-40 Multi-Use 400ml", "lubricants", ["wd40"]),
    ("H-TREE", "Sisal Cat Tree", "cat", []),
    ("H-POST", "Scratching Post", "cat", []),
    ("H-TRAY", "Hooded Litter Tray", "cat", []),
]
SERVICES = [
    ("S-TINT", "Paint Colour Matching", "services", ["paint mixing"]),
    ("S-SHARP", "Blade Sharpening", "services", ["saw sharpening"]),
    ("S-KEY", "Key Cutting", "services", ["spare key"]),
]


def test_specifications_and_pack_sizes_are_descriptors_not_head_nouns() -> None:
    assert descriptors("Cordless Drill Driver 18V") == {"18v"}
    assert descriptors("Screwdriver Set (6 piece)") == {"6", "piece"}
    assert descriptors("Aluminium Step Ladder 3-tread") == {"3", "tread"}
    assert descriptors("Cloudstep 90 Running Shoe") == frozenset()  # a model number is the name
    assert head_noun([("name", "Screwdriver Set (6 piece)")]) == "screwdriver"
    assert head_noun([("name", "Sandpaper Assorted (10 sheets)")]) == "sandpaper"
    assert head_noun([("name", "Aluminium Step Ladder 3-tread")]) == "ladder"


def test_a_leading_measure_a_complement_and_a_specified_word_leave_the_head_noun() -> None:
    assert descriptors("11 Speed Chain") == {"11", "speed"}  # a chain, of 11 speeds
    assert descriptors("10 inch LED Ring Light") == {"10", "inch"}
    assert head_noun([("name", "Floor Pump with Gauge")]) == "pump"  # the head comes before "with"
    assert head_noun([("name", "Stand for Phones")]) == "stand"
    assert head_noun([("name", "11-32T Cassette")]) == "cassette"  # one word and a specification


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("cordless drill", "H-DRILL"),  # 18V is a specification, not a word the customer owes us
        ("screwdrivers", "H-SCREWDRV"),
        ("ladders", "H-LADDER"),
        ("sandpaper", "H-SANDPAPER"),
        ("wd 40", "H-WD40"),  # two known words that the catalogue writes as one
        ("cat tree", "H-TREE"),  # names the item, not only its category
        ("cat tre", "H-TREE"),  # a three-letter word missing one letter
    ],
)
def test_short_names_of_sold_items_match(products: MatchIndex, text: str, key: str) -> None:
    assert top(products, text) == key


@pytest.mark.parametrize(
    "text",
    [
        "paint sprayer",  # the item's qualifier, then the customer's own head noun
        "safety boots",
        "light switch",
        "nail gun",  # another item's word qualifies the gun
        "AA batteries",  # a qualifier in the plural names the thing itself
        "impact driver",  # an unknown qualifier before a head noun
    ],
)
def test_a_qualifier_alone_does_not_name_an_item(
    products: MatchIndex, services: MatchIndex, text: str
) -> None:
    assert top(products, text) is None
    assert top(services, text, elsewhere=products) is None


def test_a_service_word_is_only_distinctive_if_the_whole_shop_uses_it_sparingly(
    products: MatchIndex, services: MatchIndex
) -> None:
    # Among three services "paint" looks like a brand word; the products say it is not.
    assert top(services, "paint sprayer", elsewhere=products) is None
    assert top(services, "paint mixing", elsewhere=products) == "S-TINT"


def test_a_verb_finds_its_ing_form(products: MatchIndex, services: MatchIndex) -> None:
    assert top(services, "do you sharpen saws", elsewhere=products) == "S-SHARP"
    assert top(products, "do you sharpen saws") is None


def test_the_speller_leaves_real_words_alone() -> None:
    vocabulary = build_vocabulary(
        [["Pet Safety Gate"], ["Harbour Canvas Low"], ["Galvanised Nails"]], [["stair gate"], [], []], []
    )
    assert correct_text("wood stain", vocabulary).text == "wood stain"  # not "stair"
    assert correct_text("locks", vocabulary).text == "locks"
    assert correct_text("nail gun", vocabulary).text == "nail gun"  # the singular of a shop word is known
    assert correct_text("harbor canvas", vocabulary).text == "harbour canvas"  # a letter left out
    assert correct_text("galvanised nials", vocabulary).text == "galvanised nails"


def test_what_a_customer_is_looking_for_is_not_what_it_is_for() -> None:
    """ "For" after a verb of seeking says what is sought: "looking for a belt for my husband" is the belt."""
    shop = index_of("product", [("P-BELT", "Leather Belt", "accessories", [])])
    assert top(shop, "looking for a belt for my husband") == "P-BELT"
    assert top(shop, "a buckle for my belt") is None


def test_a_verb_and_its_particle_written_apart_qualify_what_follows() -> None:
    """Press-on nails are not the shop's nail section, clip-on earrings not its hoops."""
    shop = index_of(
        "product",
        [
            ("P-POLISH", "Gel Nail Polish", "nails", []),
            ("P-FILE", "Glass Nail File", "nails", []),
            ("P-HOOPS", "Gold Hoop Earrings", "jewellery", []),
        ],
    )
    assert top(shop, "press on nails") is None
    assert top(shop, "clip on earrings") is None
    assert top(shop, "earrings") == "P-HOOPS"


def test_the_plural_of_a_trade_word_only_one_item_uses_names_it() -> None:
    """ "gimbals" is the Phone Gimbal Stabiliser: no English word, so no thing of its own the plural could
    name, where "puppies" (for sale) is not the Puppy Starter Kibble."""
    shop = index_of(
        "product",
        [
            ("P-GIMBAL", "Phone Gimbal Stabiliser", "photo & video", []),
            ("P-TRIPOD", "Flexible Phone Tripod", "photo & video", []),
            ("P-PUPPY", "Puppy Starter Kibble 2kg", "dog food", []),
        ],
    )
    assert top(shop, "gimbals") == "P-GIMBAL"
    assert top(shop, "gimbal") == "P-GIMBAL"
    assert top(shop, "do you have puppies for sale") is None


def test_a_product_word_before_a_service_name_says_what_the_service_is_done_on() -> None:
    """ "iphone screen repair" asks for the repair, confidently: the iPhone of an iPhone 15 Case is no
    product's head noun, so it names what the repair is done on; "manicure glue" still asks for the glue."""
    products = index_of(
        "product",
        [
            ("P-CASE", "iPhone 15 Silicone Case", "cases", []),
            ("P-GLASS", "Galaxy S24 Screen Protector", "screen protection", []),
            ("P-GLUE", "Nail Glue", "nails", []),
        ],
    )
    services = index_of(
        "service",
        [
            ("S-SCREEN", "Screen Repair", "repairs", []),
            ("S-MANI", "Gel Manicure", "nails", []),
        ],
    )
    for text in ("iphone screen repair", "galaxy screen repair"):
        found = match_in_index(services, text, 1, elsewhere=products)
        assert found[0].key == "S-SCREEN" and found[0].confident, found  # not damped as a qualifier
    assert top(services, "manicure glue", elsewhere=products) is None
