"""How the matcher reads a customer's word (issue #13): real English words are meant as written unless a
neighbouring word proves them a typo, chat abbreviations, sound-alike typos, short words missing a letter,
joined aliases, words only one item uses, the category answering only for a kind of thing, short function
words of other languages, and words that say the customer wants something else. Pure: indexes
built in memory."""

from __future__ import annotations

import pytest

from engine.catalog.index import MatchIndex
from engine.catalog.matcher import match_in_index
from tests.engine.catalog.indexes import index_of, top

PRODUCTS = [
    ("P-DEO", "Natural Deodorant Stick", "body", []),
    ("P-WASH", "Coconut Body Wash", "body", ["shower gel"]),
    ("P-SPF", "Sunscreen SPF 50", "skincare", ["sun cream"]),
    ("P-MASK", "Clay Face Mask", "skincare", []),
    ("P-HAIRMASK", "Deep Repair Hair Mask", "hair", []),
    ("P-SHAMPOO", "Argan Oil Shampoo", "hair", []),
    ("P-LINER", "Waterproof Eyeliner Pencil", "eyes", ["eye liner"]),
    ("P-LIPLINER", "Lip Liner Pencil", "lips", []),
    ("P-BALM", "Tinted Lip Balm", "lips", []),
    ("P-GLOSS", "Lip Gloss", "lips", []),
    ("P-LASHGLUE", "Lash Adhesive", "eyes", ["lash glue"]),
    ("P-LASHES", "False Eyelashes", "eyes", ["strip lashes"]),
    ("P-CURLER", "Lash Curler", "eyes", []),
    ("P-BROW", "Brow Gel", "eyes", []),
    ("P-PALETTE", "Eyeshadow Palette", "eyes", []),
    ("P-STRAIGHT", "Ceramic Hair Straightener", "hair tools", []),
    ("P-DRYER", "Ionic Hair Dryer", "hair tools", []),
    ("P-BRUSH", "Paddle Hair Brush", "hair tools", []),
    ("P-SPRAY", "Strong Hold Hairspray", "hair", ["hair spray"]),
    ("P-DUCT", "Duct Tape 50m", "adhesives", []),
    ("P-MASCARA", "Volumising Mascara", "eyes", []),
    ("P-POLISH", "Gel Nail Polish", "nails", ["nail varnish"]),
    ("P-REMOVER", "Acetone Nail Polish Remover", "nails", []),
    ("P-FILE", "Glass Nail File", "nails", []),
    ("P-MICELLAR", "Micellar Water", "skincare", ["makeup remover"]),
    ("P-PERFUME", "Eau de Parfum Rose", "fragrance", ["perfume"]),
    ("P-FOOD", "Grain-Free Dog Food", "dog food", []),
    ("P-LEAD", "Leash", "walking", ["lead"]),
]
SERVICES = [
    ("S-BROW", "Eyebrow Threading", "salon", []),
    ("S-MANI", "Gel Manicure", "salon", ["gel nails"]),
    ("S-MAKEUP", "Bridal Makeup Trial", "salon", ["wedding makeup"]),
    ("S-FACIAL", "Express Facial", "salon", ["mini facial"]),
    ("S-TINT", "Lash & Brow Tint", "salon", []),
]


@pytest.mark.parametrize("text", ["wood", "lean", "fake"])
def test_a_real_word_alone_is_not_bent_into_a_shop_word(products: MatchIndex, text: str) -> None:
    # "wood" is one letter from food, "lean" from lead, "fake" from face: customers mean the word they wrote.
    assert top(products, text) is None


def test_a_real_word_beside_another_items_words_stays_as_written(products: MatchIndex) -> None:
    # "plates" is two edits from "palette"; bent, it would be another item's word and cost the straightener.
    assert top(products, "does the straightener have ceramic plates") == "P-STRAIGHT"


@pytest.mark.parametrize(
    ("text", "key"),
    [("duck tape", "P-DUCT"), ("lip bam", "P-BALM")],
)
def test_a_real_word_is_a_typo_when_its_neighbour_shares_a_phrase_with_the_shop_word(
    products: MatchIndex, text: str, key: str
) -> None:
    assert top(products, text) == key
    real = text.split()[0 if text.startswith("duck") else 1]
    assert top(products, real) is None  # "duck" or "bam" alone is meant as written


@pytest.mark.parametrize(
    ("text", "key", "kind"),
    [("deo stick", "P-DEO", "product"), ("gel mani", "S-MANI", "service")],
)
def test_a_word_cut_short_is_the_one_name_word_it_starts(
    products: MatchIndex, services: MatchIndex, text: str, key: str, kind: str
) -> None:
    index, elsewhere = (products, None) if kind == "product" else (services, products)
    assert top(index, text, elsewhere) == key


def test_a_code_or_an_inflection_is_not_an_abbreviation(products: MatchIndex, services: MatchIndex) -> None:
    stretching = index_of("service", [("S-STRETCH", "Boot Stretching", "repairs", [])])
    assert top(stretching, "order STR-10457") is None
    assert top(products, "lip tint") is None  # "tinted" is a form of tint, not what "tint" abbreviates


def test_a_typo_that_sounds_like_the_word_counts_as_a_sound_alike(
    products: MatchIndex, services: MatchIndex
) -> None:
    assert top(services, "fashial", elsewhere=products) == "S-FACIAL"


def test_a_three_letter_word_may_miss_the_last_letter_of_an_english_alias_word(products: MatchIndex) -> None:
    assert top(products, "lash glu") == "P-LASHGLUE"


def test_a_two_word_alias_written_as_one_word_is_what_the_item_is(products: MatchIndex) -> None:
    # The name's head noun is "pencil"; the alias "eye liner" says it is an eyeliner, in the plural too.
    assert top(products, "eyeliners") == "P-LINER"


@pytest.mark.parametrize(("text", "key"), [("deodorant", "P-DEO"), ("sunscreen", "P-SPF")])
def test_a_name_word_no_other_item_uses_names_the_item(products: MatchIndex, text: str, key: str) -> None:
    assert top(products, text) == key


def test_a_verb_in_the_past_finds_its_ing_form(products: MatchIndex, services: MatchIndex) -> None:
    assert top(services, "can i get my eyebrows threaded", elsewhere=products) == "S-BROW"


def test_the_category_answers_only_when_it_qualifies_the_head_noun(products: MatchIndex) -> None:
    # "nail varnish remover": the nail qualifies the varnish, and the remover is the thing.
    assert top(products, "nail varnish remover") == "P-REMOVER"
    found = match_in_index(products, "hair masks", 3)
    assert found[0].key == "P-HAIRMASK" and found[0].matched_field == "category"  # a listing, the mask first
    assert top(products, "face masks") == "P-MASK"


def test_a_short_word_of_another_language_counts_against_no_item(products: MatchIndex) -> None:
    # "de" is a word of the Eau de Parfum, but here only the Spanish "of".
    assert top(products, "tienen mascara de pestañas?") == "P-MASCARA"


def test_a_product_word_beside_a_service_word_names_the_product(
    products: MatchIndex, services: MatchIndex
) -> None:
    assert top(services, "nail glue", elsewhere=products) is None  # the glue is a product's word
    assert top(services, "gel nails", elsewhere=products) == "S-MANI"


@pytest.mark.parametrize(("text", "kind"), [("makeup bag", "service"), ("eyelash extensions", "product")])
def test_a_noun_phrase_ending_in_unknown_words_asks_for_them(
    products: MatchIndex, services: MatchIndex, text: str, kind: str
) -> None:
    index, elsewhere = (products, None) if kind == "product" else (services, products)
    assert top(index, text, elsewhere) is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("mascara price", "P-MASCARA"),  # asking about it
        ("is the mascara washable", "P-MASCARA"),  # an adjective
        ("brow gell", "P-BROW"),  # a typo of the item's own word
        ("a mascara for race day", "P-MASCARA"),  # what it is for
    ],
)
def test_words_after_a_name_that_are_not_another_thing(products: MatchIndex, text: str, key: str) -> None:
    assert top(products, text) == key


def test_a_word_of_another_section_before_a_head_noun_names_another_thing(products: MatchIndex) -> None:
    # "lip" is the lips section's word: a lip mask is not the Clay Face Mask (skincare).
    assert top(products, "lip mask") is None
    assert top(products, "clay mask") == "P-MASK"


def test_a_compound_word_ends_in_the_shop_word_its_neighbour_goes_with(products: MatchIndex) -> None:
    # "eyelash" alone is the False Eyelashes; beside "glue" it is the lash of the Lash Glue.
    assert top(products, "eyelash glue") == "P-LASHGLUE"
    assert top(products, "eyelashes") == "P-LASHES"


def test_an_adjective_only_one_item_uses_does_not_name_it(products: MatchIndex) -> None:
    # "tinted" (Tinted Lip Balm) or "waterproof" (Waterproof Eyeliner Pencil) describes; it names nothing.
    assert top(products, "tinted") is None
    assert top(products, "waterproof") is None


def test_a_material_in_one_sections_names_is_not_the_sections_name() -> None:
    kitchen = index_of(
        "product",
        [
            ("K-BOWL", "Glass Mixing Bowl", "bakeware", []),
            ("K-JUG", "Glass Measuring Jug", "bakeware", []),
            ("K-DISH", "Glass Pie Dish", "bakeware", []),
            ("K-JAR", "Storage Jar", "storage", []),
            ("K-TIN", "Storage Tin", "storage", []),
        ],
    )
    # Three items say "glass", all bakeware: a word that common is no other item's; nor is it a section.
    assert top(kitchen, "glass jar") == "K-JAR"


def test_what_follows_is_the_and_a_mention_describes_it(products: MatchIndex) -> None:
    assert top(products, "is the mascara smudgy") == "P-MASCARA"
    assert top(products, "mascara smudgy") is None  # without "is", a kind of mascara the shop may not sell


def test_a_three_letter_typo_is_what_its_neighbour_goes_with(products: MatchIndex) -> None:
    # One substitution in three letters reaches too many words alone; "gloss" says "lup" is lip.
    assert top(products, "lup gloss") == "P-GLOSS"
    assert top(products, "lup") is None


def test_a_short_plural_typed_wrong_is_looked_up_as_typed(products: MatchIndex) -> None:
    # "glos" stems to "glo", which is nothing; as typed it is one letter short of gloss.
    assert top(products, "glos") == "P-GLOSS"


def test_a_noun_after_a_shop_word_is_not_the_verb_of_an_items_ing_word() -> None:
    """A customer's "kitchen roll" is a roll of paper, not the Rolling Pin; the verb alone still finds what
    the item is for."""
    shop = index_of(
        "product",
        [
            ("P-PIN", "Rolling Pin, Beech 45cm", "kitchen tools", []),
            ("P-JUG", "Pyrex Measuring Jug 1L", "kitchen tools", []),
            ("P-FOIL", "Kitchen Foil 30cm", "food storage", []),
        ],
    )
    assert top(shop, "kitchen roll") is None
    assert top(shop, "something to roll pastry") == "P-PIN"
    assert top(shop, "something to measure the milk") == "P-JUG"


HONEY = [
    ("P-HONEY-S", "Wildflower Honey 227g", "pantry", []),
    ("P-HONEY-L", "Wildflower Honey 454g", "pantry", []),
    ("P-JAR", "Kilner Preserve Jars 0.5L, Pack of 6", "food storage", []),
    ("P-CHOCS", "Butlers Chocolate Box 200g", "confectionery", []),
    ("P-PAN-S", "Non-Stick Frying Pan 20cm", "cookware", []),
    ("P-PAN-L", "Non-Stick Frying Pan 28cm", "cookware", []),
]


def test_an_amount_of_a_thing_asks_for_the_thing() -> None:
    shop = index_of("product", HONEY)
    assert top(shop, "a jar of honey") in ("P-HONEY-S", "P-HONEY-L")
    assert top(shop, "box of butlers chocolates") == "P-CHOCS"  # the box is the item's own word
    assert top(shop, "preserve jars") == "P-JAR"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("big jar of honey", "P-HONEY-L"),
        ("small honey", "P-HONEY-S"),
        ("large frying pan", "P-PAN-L"),
        ("a small frying pan", "P-PAN-S"),
    ],
)
def test_big_or_small_picks_the_item_whose_name_measures_more_or_less(text: str, key: str) -> None:
    assert top(index_of("product", HONEY), text) == key


def test_a_light_verb_alone_asks_for_no_work() -> None:
    """A customer's "make" says nothing of the work: a pot of tea to make is no Hamper Making, as "sharpen"
    is the Knife Sharpening."""
    services = index_of(
        "service",
        [
            ("S-HAMPER", "Hamper Making", "shop services", []),
            ("S-SHARPEN", "Knife Sharpening", "services", []),
        ],
    )
    assert top(services, "want to make a proper pot of tea") is None
    assert top(services, "can you make up a hamper") == "S-HAMPER"
    assert top(services, "can you sharpen this") == "S-SHARPEN"


REFUSING = [
    ("P-BLACK", "Clonakilty Black Pudding 280g", "deli", []),
    ("P-WHITE", "Clonakilty White Pudding 280g", "deli", []),
    ("P-PAPER", "Non-Stick Baking Paper 38cm", "baking", []),
    ("P-LOAF", "Sliced White Loaf", "bread", []),
]


def test_what_the_customer_says_they_do_not_want_is_not_offered() -> None:
    shop = index_of("product", REFUSING)
    assert top(shop, "the pudding that isnt the black one") == "P-WHITE"
    assert top(shop, "pudding, not black") == "P-WHITE"
    assert top(shop, "black pudding") == "P-BLACK"


def test_an_item_that_says_it_is_without_the_thing_is_what_was_asked_for() -> None:
    """Non-Stick Baking Paper is what "so it doesn't stick" asks for."""
    assert top(index_of("product", REFUSING), "baking paper so it doesnt stick") == "P-PAPER"
