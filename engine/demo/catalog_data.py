"""The demo shop's catalogue: Stride & Co.'s own-label footwear, apparel and accessories, and its services.

Plain data, read by `engine.demo.seed`. Prices are GBP strings (turned into Decimal on load); aliases are the
informal names, abbreviations and misspellings customers really type, so the fuzzy matcher has work to do.
Every SKU in `related_skus` exists in PRODUCTS (the tests check it).
"""

from __future__ import annotations

from typing import Any


def uk_sizes(low: float, high: float, *, halves: bool = True) -> list[str]:
    """['UK 6', 'UK 6.5', ..., 'UK 12'] — half sizes up to UK 11, whole sizes above (as most ranges run)."""
    sizes: list[str] = []
    size = low
    while size <= high:
        sizes.append(f"UK {size:g}")
        size += 0.5 if halves and size < 11 else 1
    return sizes


def variant_stock(sizes: list[str], colors: list[str], gone: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """Stock per size × colour: 1-3 pairs of each (a repeating pattern, so the figures are stable), none
    of the pairs in `gone` — a range as a real shop has it, with gaps a customer can ask about."""
    return [
        {"size": size, "color": color, "stock": 0 if (size, color) in gone else 1 + (i + j) % 3}
        for i, size in enumerate(sizes)
        for j, color in enumerate(colors)
    ]


ADULT = uk_sizes(6, 12)
ADULT_WHOLE = uk_sizes(6, 12, halves=False)
WOMEN_AND_MEN = uk_sizes(3, 12)
KIDS_INFANT = [f"Infant {n}" for n in range(4, 13)]
KIDS_JUNIOR = ["Junior 10", "Junior 11", "Junior 12", "Junior 13", "UK 1", "UK 2", "UK 3", "UK 4", "UK 5"]
APPAREL = ["XS", "S", "M", "L", "XL", "XXL"]
SOCKS = ["S (UK 3-5)", "M (UK 6-8)", "L (UK 9-12)"]

PRODUCTS: list[dict[str, Any]] = [
    # --- Running -------------------------------------------------------------------------------------------
    {
        "sku": "STR-RUN-CS90",
        "name": "Cloudstep 90 Running Shoe",
        "aliases": ["CS90", "CS 90", "cloudstep", "cloud step", "cloudsteps", "cloudstpe", "cloudstep 90"],
        "description": "Our best-selling neutral road shoe: a soft foam midsole with 8 mm drop, breathable "
        "engineered mesh upper and a rubber outsole rated for 800 km. Fits true to size.",
        "category": "running",
        "price": "95.00",
        "stock": 24,
        "sizes": WOMEN_AND_MEN,
        "colors": ["Black/White", "Ocean Blue", "Volt Green"],
        "related_skus": ["STR-SCK-RUN3", "STR-ACC-INS", "STR-APP-TEE"],
    },
    {
        "sku": "STR-RUN-CS90W",
        "name": "Cloudstep 90 Wide Fit",
        "aliases": ["CS90 wide", "cloudstep wide", "wide cloudstep", "cs90w", "wide fit running shoe"],
        "description": "The Cloudstep 90 on a wider E-fit last with a roomier toe box, for wide or "
        "high-volume feet. Same cushioning and 8 mm drop as the standard fit.",
        "category": "running",
        "price": "95.00",
        "stock": 0,
        "sizes": ADULT,
        "colors": ["Black/White"],
        "related_skus": ["STR-RUN-CS90", "STR-SCK-RUN3", "STR-ACC-INS"],
    },
    {
        "sku": "STR-RUN-TP2",
        "name": "Tempo Pro 2 Racing Shoe",
        "aliases": ["TP2", "tempo pro", "tempo 2", "tempo pro 2", "race shoe", "carbon shoe", "tempro"],
        "description": "A lightweight race-day shoe with a full-length carbon plate and responsive foam, 215 "
        "g in UK 8. Runs small: we recommend half a size up.",
        "category": "running",
        "price": "140.00",
        "stock": 8,
        "sizes": ADULT,
        "colors": ["Solar Orange", "White/Black"],
        "related_skus": ["STR-APP-SHRT", "STR-SCK-NS5", "STR-APP-CAP"],
    },
    {
        "sku": "STR-RUN-TRL",
        "name": "Ridgeline Trail Runner",
        "aliases": ["ridgeline", "ridgline", "trail shoe", "trail runners", "RL trail", "off road shoes"],
        "description": "A grippy trail shoe with 5 mm lugs, a rock plate and a gusseted tongue that keeps "
        "grit out. Built for mud, gravel and fell paths.",
        "category": "running",
        "price": "115.00",
        "stock": 15,
        "sizes": ADULT,
        "colors": ["Moss/Black", "Slate Grey"],
        # UK 8 in Moss/Black has sold out (the Playground's size question finds Slate Grey and the
        # neighbouring sizes); stock is the variants' sum.
        "variants": variant_stock(
            ADULT, ["Moss/Black", "Slate Grey"], {("UK 8", "Moss/Black"), ("UK 12", "Slate Grey")}
        ),
        "related_skus": ["STR-SCK-MRN", "STR-APP-JKT", "STR-CARE-WPS"],
    },
    {
        "sku": "STR-RUN-DRF",
        "name": "Drift Daily Trainer",
        "aliases": ["drift", "drifts", "daily trainer", "gym shoes", "budget running shoe"],
        "description": "An affordable everyday running and gym shoe with a firm, stable ride and a 10 mm "
        "drop. A good first pair for new runners.",
        "category": "running",
        "price": "75.00",
        "stock": 31,
        "sizes": WOMEN_AND_MEN,
        "colors": ["Grey/Lime", "All Black", "Navy/Coral"],
        "related_skus": ["STR-SCK-NS5", "STR-APP-TEE", "STR-ACC-BAG"],
    },
    # --- Lifestyle trainers --------------------------------------------------------------------------------
    {
        "sku": "STR-TRN-C78",
        "name": "Court 78 Leather Trainer",
        "aliases": [
            "court 78",
            "C78",
            "cort 78",
            "white trainers",
            "court classic",
            "white leather trainers",
        ],
        "description": "A clean tennis-inspired trainer in full-grain leather with a stitched cupsole. Fits "
        "true to size and softens after a week of wear.",
        "category": "trainers",
        "price": "85.00",
        "stock": 40,
        "sizes": WOMEN_AND_MEN,
        "colors": ["White", "White/Green", "Black"],
        "related_skus": ["STR-CARE-KIT", "STR-SCK-NS5", "STR-CARE-WPS"],
    },
    {
        "sku": "STR-TRN-CNV-LO",
        "name": "Harbour Canvas Low",
        "aliases": [
            "harbour low",
            "harbor canvas",
            "canvas low",
            "canvas pumps",
            "canvas shoes",
            "plimsolls",
        ],
        "description": "A vulcanised canvas low-top with a cushioned footbed. Machine washable at 30 °C on a "
        "gentle cycle with the insole removed.",
        "category": "trainers",
        "price": "45.00",
        "stock": 52,
        "sizes": uk_sizes(3, 12, halves=False),
        "colors": ["Off White", "Navy", "Black", "Red"],
        "related_skus": ["STR-SCK-NS5", "STR-ACC-LCE", "STR-TRN-CNV-HI"],
    },
    {
        "sku": "STR-TRN-CNV-HI",
        "name": "Harbour Canvas High",
        "aliases": ["harbour high", "harbour hi", "canvas high", "hi tops", "high tops", "canvas boots"],
        "description": "The high-top version of the Harbour Canvas, with a padded ankle collar and seven "
        "eyelets. Machine washable at 30 °C.",
        "category": "trainers",
        "price": "50.00",
        "stock": 19,
        "sizes": uk_sizes(3, 12, halves=False),
        "colors": ["Off White", "Black"],
        "related_skus": ["STR-ACC-LCE", "STR-TRN-CNV-LO", "STR-SCK-RUN3"],
    },
    {
        "sku": "STR-TRN-SLP",
        "name": "Metro Slip-On",
        "aliases": ["slip on", "slip ons", "slipons", "metro", "laceless trainers"],
        "description": "A laceless knit trainer with elastic side panels and a pull tab, light enough to "
        "pack for travel.",
        "category": "trainers",
        "price": "55.00",
        "stock": 12,
        "sizes": uk_sizes(3, 12, halves=False),
        "colors": ["Charcoal", "Sand"],
        "related_skus": ["STR-SCK-NS5", "STR-CARE-WPS"],
    },
    {
        "sku": "STR-TRN-RR84",
        "name": "Retro Runner 84",
        "aliases": ["RR84", "retro 84", "retro runner", "retro runners", "suede runners"],
        "description": "An 80s-style runner in suede and nylon with a chunky EVA midsole, made for everyday "
        "wear rather than training.",
        "category": "trainers",
        "price": "80.00",
        "stock": 0,
        "sizes": WOMEN_AND_MEN,
        "colors": ["Grey/Navy", "Tan/Cream"],
        "related_skus": ["STR-CARE-KIT", "STR-CARE-WPS", "STR-SCK-NS5"],
    },
    # --- Boots ---------------------------------------------------------------------------------------------
    {
        "sku": "STR-BOT-CHL",
        "name": "Camden Chelsea Boot",
        "aliases": ["chelsea boot", "chelsea boots", "chelsey boots", "camden", "camden boots"],
        "description": "A Goodyear-welted Chelsea boot in oiled leather with elastic gussets and a stacked "
        "leather heel. Runs large: we recommend half a size down.",
        "category": "boots",
        "price": "130.00",
        "stock": 11,
        "sizes": ADULT,
        "colors": ["Dark Brown", "Black"],
        "related_skus": ["STR-CARE-KIT", "STR-CARE-WPS", "STR-SCK-MRN"],
    },
    {
        "sku": "STR-BOT-FW",
        "name": "Fellwalker Waterproof Hiking Boot",
        "aliases": ["fellwalker", "fell walker", "FW", "hiking boots", "walking boots", "waterproof boots"],
        "description": "A mid-height hiking boot with a waterproof breathable membrane, a grippy lugged sole "
        "and a padded ankle. Available in standard and wide (E) fit.",
        "category": "boots",
        "price": "145.00",
        "stock": 9,
        "sizes": ADULT,
        "colors": ["Brown/Orange", "Graphite"],
        "related_skus": ["STR-SCK-MRN", "STR-CARE-WPS", "STR-APP-JKT"],
    },
    {
        "sku": "STR-BOT-FRG",
        "name": "Forge Leather Work Boot",
        "aliases": ["forge", "forge boots", "work boots", "lace up boots", "workboots"],
        "description": "A rugged eight-eyelet lace-up boot in tumbled leather with a cushioned rubber wedge "
        "sole. Not a safety boot: it has no protective toe cap.",
        "category": "boots",
        "price": "120.00",
        "stock": 14,
        "sizes": ADULT_WHOLE,
        "colors": ["Tan", "Black"],
        "related_skus": ["STR-CARE-KIT", "STR-SCK-MRN", "STR-ACC-LCE"],
    },
    {
        "sku": "STR-BOT-SAH",
        "name": "Sahara Suede Desert Boot",
        "aliases": ["desert boot", "desert boots", "sahara", "suede boots", "sahara boots"],
        "description": "A two-eyelet desert boot in soft suede on a natural crepe sole. Treat with protector "
        "spray before the first wear.",
        "category": "boots",
        "price": "95.00",
        "stock": 7,
        "sizes": ADULT,
        "colors": ["Sand", "Chocolate"],
        "related_skus": ["STR-CARE-WPS", "STR-CARE-KIT"],
    },
    # --- Formal --------------------------------------------------------------------------------------------
    {
        "sku": "STR-FRM-OXF",
        "name": "Whitehall Oxford Shoe",
        "aliases": ["oxford", "oxfords", "whitehall", "oxford shoes", "work shoes", "smart shoes"],
        "description": "A classic closed-lace Oxford in polished calf leather with a leather sole and rubber "
        "heel insert, for the office and weddings.",
        "category": "formal",
        "price": "110.00",
        "stock": 16,
        "sizes": ADULT,
        "colors": ["Black", "Oxblood"],
        "related_skus": ["STR-CARE-KIT", "STR-ACC-INS"],
    },
    {
        "sku": "STR-FRM-BRG",
        "name": "Whitehall Brogue",
        "aliases": ["brogue", "brogues", "wingtip", "wing tips", "whitehall brogue"],
        "description": "A full brogue with wingtip punching in burnished calf leather on a Goodyear-welted "
        "leather sole, so it can be resoled by our repair service.",
        "category": "formal",
        "price": "115.00",
        "stock": 10,
        "sizes": ADULT,
        "colors": ["Tan", "Dark Brown"],
        "related_skus": ["STR-CARE-KIT", "STR-FRM-OXF"],
    },
    {
        "sku": "STR-FRM-LOF",
        "name": "Riviera Penny Loafer",
        "aliases": ["loafer", "loafers", "penny loafer", "penny loafers", "riviera", "rivera loafers"],
        "description": "A hand-stitched penny loafer in soft suede or leather with a flexible rubber sole. "
        "Slightly snug at first; the leather gives within a few wears.",
        "category": "formal",
        "price": "90.00",
        "stock": 13,
        "sizes": WOMEN_AND_MEN,
        "colors": ["Navy Suede", "Black Leather", "Cognac Leather"],
        "related_skus": ["STR-SCK-NS5", "STR-CARE-WPS"],
    },
    # --- Sandals -------------------------------------------------------------------------------------------
    {
        "sku": "STR-SND-SLD",
        "name": "Shoreline Slide",
        "aliases": ["slides", "sliders", "shoreline", "pool sliders", "pool slides", "sandals"],
        "description": "A one-piece moulded slide with a contoured footbed and textured sole, for the pool, "
        "beach and post-run recovery.",
        "category": "sandals",
        "price": "30.00",
        "stock": 60,
        "sizes": uk_sizes(3, 12, halves=False),
        "colors": ["Black", "Stone", "Sea Blue"],
        "related_skus": ["STR-ACC-BAG", "STR-APP-CAP"],
    },
    {
        "sku": "STR-SND-KES",
        "name": "Kestrel Trek Sandal",
        "aliases": ["kestrel", "trek sandal", "trek sandals", "walking sandals", "hiking sandals"],
        "description": "A three-strap adjustable walking sandal with a quick-dry lining and a grippy rubber "
        "outsole for coastal paths and travel.",
        "category": "sandals",
        "price": "60.00",
        "stock": 0,
        "sizes": uk_sizes(3, 12, halves=False),
        "colors": ["Olive", "Black"],
        "related_skus": ["STR-SND-SLD", "STR-APP-CAP"],
    },
    # --- Kids ----------------------------------------------------------------------------------------------
    {
        "sku": "STR-KID-CSJ",
        "name": "Cloudstep Junior",
        "aliases": ["cloudstep junior", "CS junior", "CSJ", "kids cloudstep", "kids running shoes"],
        "description": "The Cloudstep 90 scaled down for children, with a toggle lace so they can get them "
        "on and off without help.",
        "category": "kids",
        "price": "45.00",
        "stock": 22,
        "sizes": KIDS_JUNIOR,
        "colors": ["Ocean Blue", "Pink/Purple"],
        "related_skus": ["STR-KID-SCH", "STR-SCK-RUN3"],
    },
    {
        "sku": "STR-KID-PBL",
        "name": "Pebble Velcro Trainer",
        "aliases": ["pebble", "pebbles", "velcro trainers", "kids velcro", "toddler trainers", "first shoes"],
        "description": "A flexible, lightweight toddler and infant trainer with two rip-tape straps and a "
        "wide toe box for growing feet.",
        "category": "kids",
        "price": "35.00",
        "stock": 18,
        "sizes": KIDS_INFANT,
        "colors": ["Navy/Red", "Pink", "Yellow"],
        "related_skus": ["STR-KID-CSJ"],
    },
    {
        "sku": "STR-KID-SCH",
        "name": "Scholar School Shoe",
        "aliases": ["school shoes", "scholar", "school shoe", "black school shoes", "scholars"],
        "description": "A scuff-resistant black leather school shoe with a toe bumper and a single rip-tape "
        "strap, in standard and wide (F) fit.",
        "category": "kids",
        "price": "40.00",
        "stock": 27,
        "sizes": KIDS_JUNIOR,
        "colors": ["Black"],
        "related_skus": ["STR-CARE-KIT", "STR-KID-CSJ"],
    },
    # --- Apparel -------------------------------------------------------------------------------------------
    {
        "sku": "STR-APP-TEE",
        "name": "Stride Tech Running Tee",
        "aliases": ["tech tee", "running tee", "running top", "running t-shirt", "running tshirt", "t shirt"],
        "description": "A quick-dry recycled polyester running tee with flatlock seams and reflective "
        "details. Regular fit; size up for a relaxed fit.",
        "category": "apparel",
        "price": "25.00",
        "stock": 45,
        "sizes": APPAREL,
        "colors": ["Black", "Ocean Blue", "Volt Green", "White"],
        "related_skus": ["STR-APP-SHRT", "STR-APP-CAP", "STR-RUN-CS90"],
    },
    {
        "sku": "STR-APP-HOOD",
        "name": "Everyday Heavyweight Hoodie",
        "aliases": ["hoodie", "hoody", "hoodies", "jumper", "sweatshirt"],
        "description": "A 400 gsm brushed-back organic cotton hoodie with a double-layer hood and kangaroo "
        "pocket. Relaxed fit.",
        "category": "apparel",
        "price": "55.00",
        "stock": 23,
        "sizes": APPAREL,
        "colors": ["Heather Grey", "Forest", "Black"],
        "related_skus": ["STR-APP-CAP", "STR-TRN-C78"],
    },
    {
        "sku": "STR-APP-JKT",
        "name": "Stormshell Packable Rain Jacket",
        "aliases": ["stormshell", "storm shell", "rain jacket", "raincoat", "waterproof jacket", "rain coat"],
        "description": "A fully seam-sealed 10,000 mm waterproof jacket that packs into its own chest "
        "pocket. Weighs 180 g; hood adjusts at the back.",
        "category": "apparel",
        "price": "85.00",
        "stock": 6,
        "sizes": APPAREL,
        "colors": ["Hi-Vis Yellow", "Black"],
        "related_skus": ["STR-RUN-TRL", "STR-APP-CAP", "STR-BOT-FW"],
    },
    {
        "sku": "STR-APP-SHRT",
        "name": "Pace 5-inch Running Shorts",
        "aliases": ["running shorts", "pace shorts", "shorts", "5 inch shorts"],
        "description": "Lightweight 5-inch running shorts with a built-in brief, a zipped back pocket that "
        "fits a phone and a drawcord waist.",
        "category": "apparel",
        "price": "30.00",
        "stock": 28,
        "sizes": APPAREL,
        "colors": ["Black", "Navy"],
        "related_skus": ["STR-APP-TEE", "STR-SCK-NS5"],
    },
    {
        "sku": "STR-APP-TGT",
        "name": "Pace Running Tights",
        "aliases": ["running tights", "tights", "leggings", "running leggings", "pace tights"],
        "description": "Full-length compressive running tights with side pockets, a high waistband and "
        "reflective ankle prints for winter running.",
        "category": "apparel",
        "price": "40.00",
        "stock": 0,
        "sizes": APPAREL,
        "colors": ["Black"],
        "related_skus": ["STR-APP-TEE", "STR-APP-JKT"],
    },
    {
        "sku": "STR-APP-CAP",
        "name": "Stride Runner Cap",
        "aliases": ["cap", "running cap", "hat", "baseball cap", "sun cap"],
        "description": "A featherweight quick-dry cap with a soft peak, a sweatband and an adjustable back "
        "strap. One size.",
        "category": "apparel",
        "price": "18.00",
        "stock": 35,
        "sizes": ["One size"],
        "colors": ["Black", "White", "Ocean Blue"],
        "related_skus": ["STR-APP-TEE", "STR-APP-SHRT"],
    },
    # --- Socks ---------------------------------------------------------------------------------------------
    {
        "sku": "STR-SCK-RUN3",
        "name": "Cushioned Running Socks (3-pack)",
        "aliases": ["running socks", "sock pack", "3 pack socks", "cushioned socks", "sports socks"],
        "description": "Three pairs of cushioned quarter-length running socks with arch support and a "
        "seamless toe to prevent blisters.",
        "category": "socks",
        "price": "15.00",
        "stock": 80,
        "sizes": SOCKS,
        "colors": ["White", "Black", "Mixed"],
        "related_skus": ["STR-RUN-CS90", "STR-SCK-NS5"],
    },
    {
        "sku": "STR-SCK-MRN",
        "name": "Merino Hiking Socks",
        "aliases": ["merino socks", "wool socks", "hiking socks", "walking socks", "merino"],
        "description": "Mid-calf hiking socks in 70% merino wool with a cushioned sole, warm when wet and "
        "naturally odour-resistant.",
        "category": "socks",
        "price": "18.00",
        "stock": 41,
        "sizes": SOCKS,
        "colors": ["Charcoal", "Oatmeal"],
        "related_skus": ["STR-BOT-FW", "STR-RUN-TRL"],
    },
    {
        "sku": "STR-SCK-NS5",
        "name": "No-Show Trainer Socks (5-pack)",
        "aliases": ["trainer socks", "no show socks", "invisible socks", "ankle socks", "trainer liners"],
        "description": "Five pairs of low-cut cotton-blend socks with a silicone heel grip so they stay "
        "hidden inside trainers and loafers.",
        "category": "socks",
        "price": "14.00",
        "stock": 66,
        "sizes": SOCKS,
        "colors": ["White", "Black", "Beige"],
        "related_skus": ["STR-TRN-C78", "STR-FRM-LOF"],
    },
    # --- Accessories and care ------------------------------------------------------------------------------
    {
        "sku": "STR-ACC-INS",
        "name": "Stride Support Insoles",
        "aliases": ["insoles", "inserts", "footbeds", "arch support", "support insoles", "insols"],
        "description": "Off-the-shelf insoles with a firm heel cup and medium arch support, trimmable to fit "
        "most trainers and boots.",
        "category": "accessories",
        "price": "28.00",
        "stock": 37,
        "sizes": ["S (UK 3-5)", "M (UK 6-8)", "L (UK 9-12)"],
        "colors": ["Blue"],
        "related_skus": ["STR-RUN-CS90", "STR-BOT-FW"],
    },
    {
        "sku": "STR-ACC-LCE",
        "name": "Replacement Laces",
        "aliases": ["laces", "shoelaces", "shoe laces", "spare laces", "lace"],
        "description": "A pair of durable round or flat laces. 90 cm suits most low-top trainers, 120 cm "
        "high-tops and 150 cm boots.",
        "category": "accessories",
        "price": "5.00",
        "stock": 120,
        "sizes": ["90 cm", "120 cm", "150 cm"],
        "colors": ["White", "Black", "Brown", "Orange"],
        "related_skus": ["STR-TRN-CNV-HI", "STR-BOT-FRG"],
    },
    {
        "sku": "STR-CARE-KIT",
        "name": "Complete Shoe Care Kit",
        "aliases": ["care kit", "cleaning kit", "shoe cleaner", "sneaker cleaner", "trainer cleaner"],
        "description": "A foaming cleaner, a soft brush, a stiff brush and a microfibre cloth in a canvas "
        "pouch, safe on leather, canvas, knit and mesh.",
        "category": "care",
        "price": "24.00",
        "stock": 30,
        "sizes": [],
        "colors": [],
        "related_skus": ["STR-CARE-WPS", "STR-TRN-C78"],
    },
    {
        "sku": "STR-CARE-WPS",
        "name": "Weatherproof Protector Spray",
        "aliases": ["protector spray", "waterproof spray", "rain spray", "suede protector", "proofing spray"],
        "description": "A 200 ml water- and stain-repellent spray for suede, nubuck, leather and canvas. One "
        "can treats about eight pairs.",
        "category": "care",
        "price": "12.00",
        "stock": 44,
        "sizes": [],
        "colors": [],
        "related_skus": ["STR-CARE-KIT", "STR-BOT-SAH"],
    },
    {
        "sku": "STR-ACC-BAG",
        "name": "Commuter Gym Duffel",
        "aliases": ["gym bag", "duffel", "duffle bag", "holdall", "sports bag"],
        "description": "A 35-litre water-resistant duffel with a ventilated shoe compartment, padded "
        "shoulder strap and a laptop sleeve.",
        "category": "accessories",
        "price": "45.00",
        "stock": 12,
        "sizes": ["35 L"],
        "colors": ["Black", "Olive"],
        "related_skus": ["STR-RUN-DRF", "STR-SND-SLD"],
    },
    {
        "sku": "STR-GIFT-CARD",
        "name": "Stride & Co. Gift Card",
        "aliases": ["gift card", "giftcard", "voucher", "gift voucher", "e-gift card", "egift"],
        "description": "A gift card for any amount from £10 to £250, sent by email within minutes or posted "
        "in a card. Valid for 24 months online and in our stores.",
        "category": "gift cards",
        "price": "25.00",
        "stock": 999,
        "sizes": ["£10", "£25", "£50", "£100", "£250"],
        "colors": [],
        "related_skus": [],
    },
]

SERVICES: list[dict[str, Any]] = [
    {
        "code": "SVC-GAIT",
        "name": "Gait Analysis",
        "aliases": ["gait analysis", "running assessment", "gate analysis", "treadmill test", "run analysis"],
        "description": "A 30-minute session on our treadmill with slow-motion video of how your feet land, "
        "followed by shoe recommendations. The £15 fee is refunded if you buy running shoes the same day.",
        "category": "fitting",
        "price": "15.00",
        "duration_minutes": 30,
        "is_bookable": True,
    },
    {
        "code": "SVC-INSOLE",
        "name": "Custom Insole Fitting",
        "aliases": ["custom insoles", "insole fitting", "moulded insoles", "custom footbeds", "heat moulded"],
        "description": "A 45-minute fitting where we scan your feet and heat-mould a pair of insoles to them "
        "while you wait. Made for your feet, so they cannot be returned.",
        "category": "fitting",
        "price": "60.00",
        "duration_minutes": 45,
        "is_bookable": True,
    },
    {
        "code": "SVC-KIDFIT",
        "name": "Kids' Foot Measuring & Fitting",
        "aliases": ["kids fitting", "children's fitting", "measure my child's feet", "kids measuring"],
        "description": "A free 20-minute length-and-width measurement and fitting for children from their "
        "first shoes to size UK 5, with growing-room checks.",
        "category": "fitting",
        "price": "0.00",
        "duration_minutes": 20,
        "is_bookable": True,
    },
    {
        "code": "SVC-CLEAN",
        "name": "Sneaker Deep Clean",
        "aliases": ["shoe cleaning", "deep clean", "sneaker cleaning", "trainer cleaning", "clean my shoes"],
        "description": "A hand deep-clean of uppers, midsoles and laces with deodorising, ready in 3 working "
        "days. Book a drop-off slot or walk in.",
        "category": "care",
        "price": "20.00",
        "duration_minutes": 15,
        "is_bookable": True,
    },
    {
        "code": "SVC-RESOLE",
        "name": "Resole & Heel Repair",
        "aliases": ["resole", "sole repair", "heel repair", "new soles", "reheel", "cobbler"],
        "description": "Full leather or rubber resoling for Goodyear-welted shoes and boots, or heel-only "
        "repair from £18. Turnaround is 7 to 10 working days.",
        "category": "repairs",
        "price": "45.00",
        "duration_minutes": 15,
        "is_bookable": True,
    },
    {
        "code": "SVC-STRETCH",
        "name": "Shoe Stretching",
        "aliases": ["stretching", "stretch my shoes", "shoes too tight", "widen shoes"],
        "description": "Professional stretching of leather shoes and boots by up to half a size in width, "
        "ready in 48 hours. Walk-in only.",
        "category": "repairs",
        "price": "12.00",
        "duration_minutes": 10,
        "is_bookable": False,
    },
    {
        "code": "SVC-WRAP",
        "name": "Gift Wrapping",
        "aliases": ["gift wrap", "gift wrapping", "wrap it", "present wrapping"],
        "description": "Recycled kraft-paper wrapping with a ribbon and a handwritten message card, added at "
        "checkout or at the till.",
        "category": "gifting",
        "price": "4.00",
        "duration_minutes": 5,
        "is_bookable": False,
    },
    {
        "code": "SVC-PROOF",
        "name": "Waterproofing Treatment",
        "aliases": ["waterproofing", "proofing", "reproofing", "waterproof treatment"],
        "description": "A two-coat professional water- and stain-repellent treatment for suede, nubuck and "
        "canvas footwear, done while you shop in about 10 minutes.",
        "category": "care",
        "price": "10.00",
        "duration_minutes": 10,
        "is_bookable": False,
    },
]
