"""A second development shop for catalogue matching (issue #13): Bolt & Bench, a neighbourhood hardware store
with a few counter services. Written for development — rules may be tuned against it, unlike
tests/quality/heldout — on a domain that is neither the demo's (footwear), the held-out shop's (kitchen and
home) nor the first development shop's (pets), so a rule that only fits one shop's words shows up here.

The catalogue is entered the way an owner would: trade names ("Cordless Drill Driver 18V"), a few aliases
(the brand-name habits of customers: "stanley knife", "rawlplugs"), categories as the shop's aisles. The
queries were written as customers write, before the matcher was run on them: typos, short words, plurals
(some irregular), sound-alike spellings, informal names, whole sentences, and things the shop does not sell
— many of them near neighbours of what it does sell (it sells a paint roller, not a paint sprayer; door
hinges, not doors; a caulking gun, not a glue gun or a nail gun).

QUERIES: (customer message, expected SKU or service code, or None when the shop does not sell it, kind).
Kinds: "short" (words of five letters or fewer, often with one edit), "plural", "typo" (longer words),
"phonetic", "alias" (informal names the catalogue does not list), "sentence", "not_sold".
"""

from __future__ import annotations

from typing import Any

from tests.quality.dev.items import product

SHOP_NAME = "Bolt & Bench Hardware"
SHOP_SLUG = "bolt-bench"


def _p(sku: str, name: str, category: str, price: str, aliases: list[str] | None = None) -> dict[str, Any]:
    return product("Bolt & Bench", sku, name, category, price, aliases, stock=8)


PRODUCTS: list[dict[str, Any]] = [
    _p("BB-HAMMER", "Claw Hammer 16oz", "hand tools", "14.00", ["hammer"]),
    _p("BB-MALLET", "Rubber Mallet", "hand tools", "9.50"),
    _p("BB-SCREWDRV", "Screwdriver Set (6 piece)", "hand tools", "16.00", ["phillips and flathead"]),
    _p("BB-PLIERS", "Combination Pliers", "hand tools", "11.00"),
    _p("BB-WRENCH", "Adjustable Wrench 10in", "hand tools", "13.50", ["adjustable spanner", "shifter"]),
    _p("BB-SAW", "Hand Saw 22in", "hand tools", "15.00", ["panel saw", "wood saw"]),
    _p("BB-HACKSAW", "Hacksaw", "hand tools", "10.00", ["metal saw"]),
    _p("BB-KNIFE", "Utility Knife", "hand tools", "6.00", ["stanley knife", "box cutter"]),
    _p("BB-TAPE", "Tape Measure 5m", "measuring", "7.50", ["measuring tape"]),
    _p("BB-LEVEL", "Spirit Level 600mm", "measuring", "12.00", ["bubble level"]),
    _p("BB-DRILL", "Cordless Drill Driver 18V", "power tools", "89.00", ["battery drill"]),
    _p("BB-BITS", "HSS Drill Bit Set", "power tools", "14.00", ["drill bits"]),
    _p("BB-JIGSAW", "Jigsaw 650W", "power tools", "49.00"),
    _p("BB-SANDER", "Orbital Sander", "power tools", "45.00", ["sanding machine"]),
    _p("BB-SANDPAPER", "Sandpaper Assorted (10 sheets)", "abrasives", "4.00", ["sanding paper"]),
    _p("BB-SCREWS", "Wood Screws Box 4x40mm", "fixings", "6.50", ["screws"]),
    _p("BB-NAILS", "Galvanised Nails 500g", "fixings", "4.50"),
    _p("BB-PLUGS", "Wall Plugs (100)", "fixings", "3.00", ["rawlplugs"]),
    _p("BB-BOLTS", "Hex Bolts & Nuts M8", "fixings", "5.00", ["nuts and bolts"]),
    _p("BB-HINGE", "Brass Door Hinge (pair)", "door hardware", "8.00"),
    _p("BB-HANDLE", "Lever Door Handle", "door hardware", "19.00", ["door knob"]),
    _p("BB-LOCK", "Padlock 40mm", "security", "9.00"),
    _p("BB-LATCH", "Gate Latch", "security", "6.50"),
    _p("BB-ROLLER", "Paint Roller Kit 9in", "painting", "12.00", ["roller and tray"]),
    _p("BB-BRUSH", "Paint Brush Set", "painting", "9.00", ["paintbrushes"]),
    _p("BB-PAINT", "White Emulsion Paint 5L", "painting", "24.00", ["wall paint", "emulsion"]),
    _p("BB-MASK", "Masking Tape 25mm", "painting", "3.50", ["painters tape"]),
    _p("BB-SHEET", "Dust Sheet", "painting", "5.00", ["drop cloth"]),
    _p("BB-FILLER", "All-Purpose Filler", "painting", "6.00", ["polyfilla", "crack filler"]),
    _p("BB-SEALANT", "Silicone Sealant", "plumbing", "5.50", ["caulk", "bathroom sealant"]),
    _p("BB-GUN", "Caulking Gun", "plumbing", "7.00", ["sealant gun"]),
    _p("BB-PLUNGER", "Sink Plunger", "plumbing", "6.00"),
    _p("BB-PTFE", "PTFE Thread Tape", "plumbing", "1.50", ["plumbers tape"]),
    _p("BB-GLUE", "Wood Glue 250ml", "adhesives", "5.00", ["pva"]),
    _p("BB-SUPERGLUE", "Super Glue 3g", "adhesives", "2.50", ["instant glue"]),
    _p("BB-DUCT", "Duct Tape 50m", "adhesives", "6.00", ["gaffer tape"]),
    _p("BB-BULB", "LED Bulb E27 Warm White", "electrical", "3.00", ["light bulb"]),
    _p("BB-EXT", "Extension Lead 4-way", "electrical", "12.00", ["extension cord"]),
    _p("BB-TORCH", "LED Torch", "electrical", "10.00", ["flashlight"]),
    _p("BB-GLOVES", "Work Gloves", "safety", "4.00", ["rigger gloves"]),
    _p("BB-GOGGLES", "Safety Goggles", "safety", "5.00", ["safety glasses"]),
    _p("BB-LADDER", "Aluminium Step Ladder 3-tread", "access", "39.00", ["stepladder"]),
    _p("BB-WD40", "WD-40 Multi-Use 400ml", "lubricants", "6.50", ["wd40"]),
    _p("BB-TOOLBOX", "Tool Box 19in", "storage", "18.00", ["toolbox"]),
]

SERVICES: list[dict[str, Any]] = [
    {
        "code": "BB-SVC-KEY",
        "name": "Key Cutting",
        "aliases": ["copy a key", "spare key"],
        "description": "House and padlock keys cut while you wait.",
        "category": "services",
        "price": "4.00",
        "duration_minutes": 5,
        "is_active": True,
    },
    {
        "code": "BB-SVC-TINT",
        "name": "Paint Colour Matching",
        "aliases": ["paint mixing", "color matching"],
        "description": "Bring a sample and we mix emulsion to match.",
        "category": "services",
        "price": "0.00",
        "duration_minutes": 15,
        "is_active": True,
    },
    {
        "code": "BB-SVC-SHARP",
        "name": "Blade Sharpening",
        "aliases": ["knife sharpening", "saw sharpening"],
        "description": "Saws, chisels and garden blades sharpened in two days.",
        "category": "services",
        "price": "6.00",
        "duration_minutes": 30,
        "is_active": True,
    },
]

QUERIES: list[tuple[str, str | None, str]] = [
    # --- short words, often one edit ------------------------------------------------------------------------
    ("hamer", "BB-HAMMER", "short"),
    ("do u have a hammr", "BB-HAMMER", "short"),
    ("rubber malet", "BB-MALLET", "short"),
    ("spirt level", "BB-LEVEL", "short"),
    ("hadn saw", "BB-SAW", "short"),
    ("drll bits", "BB-BITS", "short"),
    ("cordless dril", "BB-DRILL", "short"),
    ("wall plgs", "BB-PLUGS", "short"),
    ("gate lach", "BB-LATCH", "short"),
    ("galvanised nials", "BB-NAILS", "short"),
    ("wood scrws", "BB-SCREWS", "short"),
    ("sink plungr", "BB-PLUNGER", "short"),
    ("a lader", "BB-LADDER", "short"),
    ("utility knfe", "BB-KNIFE", "short"),
    ("led torhc", "BB-TORCH", "short"),
    ("wood gleu", "BB-GLUE", "short"),
    ("work glvoes", "BB-GLOVES", "short"),
    ("dust sheeet", "BB-SHEET", "short"),
    ("key cuting", "BB-SVC-KEY", "short"),
    # --- plurals --------------------------------------------------------------------------------------------
    ("hammers", "BB-HAMMER", "plural"),
    ("screwdrivers", "BB-SCREWDRV", "plural"),
    ("adjustable wrenches", "BB-WRENCH", "plural"),
    ("spirit levels", "BB-LEVEL", "plural"),
    ("drill bit", "BB-BITS", "plural"),
    ("wood screw", "BB-SCREWS", "plural"),
    ("door hinges", "BB-HINGE", "plural"),
    ("padlocks", "BB-LOCK", "plural"),
    ("paint rollers", "BB-ROLLER", "plural"),
    ("paint brushes", "BB-BRUSH", "plural"),
    ("dust sheets", "BB-SHEET", "plural"),
    ("led bulb", "BB-BULB", "plural"),
    ("extension leads", "BB-EXT", "plural"),
    ("torches", "BB-TORCH", "plural"),
    ("work glove", "BB-GLOVES", "plural"),
    ("ladders", "BB-LADDER", "plural"),
    ("utility knives", "BB-KNIFE", "plural"),
    ("plungers", "BB-PLUNGER", "plural"),
    # --- longer typos ---------------------------------------------------------------------------------------
    ("screwdirver set", "BB-SCREWDRV", "typo"),
    ("adjustible wrench", "BB-WRENCH", "typo"),
    ("cordles drill", "BB-DRILL", "typo"),
    ("orbitel sander", "BB-SANDER", "typo"),
    ("sandpapper", "BB-SANDPAPER", "typo"),
    ("galvanized nails", "BB-NAILS", "typo"),
    ("emulsoin paint", "BB-PAINT", "typo"),
    ("maskin tape", "BB-MASK", "typo"),
    ("silicon sealant", "BB-SEALANT", "typo"),
    ("caulkng gun", "BB-GUN", "typo"),
    ("extention lead", "BB-EXT", "typo"),
    ("aluminum step ladder", "BB-LADDER", "typo"),
    ("measureing tape", "BB-TAPE", "typo"),
    ("superglue", "BB-SUPERGLUE", "typo"),
    # --- sound-alike spellings ------------------------------------------------------------------------------
    ("plyers", "BB-PLIERS", "phonetic"),
    ("door hindge", "BB-HINGE", "phonetic"),
    ("padlok", "BB-LOCK", "phonetic"),
    ("tourch", "BB-TORCH", "phonetic"),
    ("duck tape", "BB-DUCT", "phonetic"),
    ("sillicone", "BB-SEALANT", "phonetic"),
    ("emulshun", "BB-PAINT", "phonetic"),
    ("safety goggels", "BB-GOGGLES", "phonetic"),
    ("kaulking gun", "BB-GUN", "phonetic"),
    # --- aliases and informal names -------------------------------------------------------------------------
    ("stanley knife", "BB-KNIFE", "alias"),
    ("a spanner", "BB-WRENCH", "alias"),
    ("flash light", "BB-TORCH", "alias"),
    ("phillips screwdriver", "BB-SCREWDRV", "alias"),
    ("lightbulbs", "BB-BULB", "alias"),
    ("thread seal tape", "BB-PTFE", "alias"),
    ("plumbers tape", "BB-PTFE", "alias"),
    ("rawl plugs", "BB-PLUGS", "alias"),
    ("wd 40", "BB-WD40", "alias"),
    ("sanding sheets", "BB-SANDPAPER", "alias"),
    ("crack filler", "BB-FILLER", "alias"),
    ("gaffer", "BB-DUCT", "alias"),
    ("step stool", "BB-LADDER", "alias"),
    # --- mentions inside longer messages --------------------------------------------------------------------
    ("hi do you have a claw hammer in stock?", "BB-HAMMER", "sentence"),
    ("how much is the cordless drill", "BB-DRILL", "sentence"),
    ("can you cut a copy of my house key", "BB-SVC-KEY", "sentence"),
    ("i need 2 spare keys cut please", "BB-SVC-KEY", "sentence"),
    ("can you match a paint colour from a sample", "BB-SVC-TINT", "sentence"),
    ("do you sharpen saws", "BB-SVC-SHARP", "sentence"),
    ("my sink is blocked, do you sell plungers", "BB-PLUNGER", "sentence"),
    ("need silicone to seal around the bath", "BB-SEALANT", "sentence"),
    ("whats the price of the 5 litre white paint", "BB-PAINT", "sentence"),
    ("do the wood screws come in a box of 200?", "BB-SCREWS", "sentence"),
    ("is the step ladder aluminium", "BB-LADDER", "sentence"),
    ("need a padlock for my shed", "BB-LOCK", "sentence"),
    ("does the jigsaw come with blades", "BB-JIGSAW", "sentence"),
    # --- things the shop does not sell (many of them near neighbours of what it does) -----------------------
    ("paint sprayer", None, "not_sold"),
    ("do you sell doors", None, "not_sold"),
    ("a new front door", None, "not_sold"),
    ("door mat", None, "not_sold"),
    ("chainsaw", None, "not_sold"),
    ("circular saw", None, "not_sold"),
    ("impact driver", None, "not_sold"),
    ("angle grinder", None, "not_sold"),
    ("socket set", None, "not_sold"),
    ("allen keys", None, "not_sold"),
    ("can you program a car key fob", None, "not_sold"),
    ("wallpaper paste", None, "not_sold"),
    ("floor tiles", None, "not_sold"),
    ("tile adhesive", None, "not_sold"),
    ("bag of cement", None, "not_sold"),
    ("garden hose", None, "not_sold"),
    ("smoke alarm", None, "not_sold"),
    ("light switch", None, "not_sold"),
    ("toilet seat", None, "not_sold"),
    ("mixer tap for the bathroom", None, "not_sold"),
    ("copper pipe", None, "not_sold"),
    ("plywood sheets", None, "not_sold"),
    ("nail gun", None, "not_sold"),
    ("hot glue gun", None, "not_sold"),
    ("spray paint", None, "not_sold"),
    ("paint stripper", None, "not_sold"),
    ("wood stain", None, "not_sold"),
    ("AA batteries", None, "not_sold"),
    ("safety boots", None, "not_sold"),
    ("hard hat", None, "not_sold"),
    ("cable ties", None, "not_sold"),
    ("wheelbarrow", None, "not_sold"),
    ("window locks", None, "not_sold"),
    ("can you fit a new lock for me", None, "not_sold"),
    ("do you do tool hire", None, "not_sold"),
]
