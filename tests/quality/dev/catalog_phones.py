"""A fifth development shop for catalogue matching (issue #13): Plug & Play, a phone and electronics
accessories shop with a small repair bench (screen repair, battery replacement, charging port repair, data
transfer, screen protector fitting). Written for development — rules may be tuned against it, unlike
tests/quality/heldout — on a trade none of the other shops share (pets, hardware, beauty, clothing), and its
first figures, taken before any rule was changed for it, are the honest estimate of how the matcher does on
a shop nobody here has seen.

Its words are hard for a matcher in their own ways: model-ish tokens ("USB-C", "20W", "10000mAh", "S24",
"iPhone 15", "3-in-1", "microSD"), words that many items share (a *USB-C* cable, charger, hub and adapter; a
*screen* protector, a screen repair and a screen cleaning kit; a *watch* strap and a watch charger; a
*charging* stand, pad, port repair and cable), brand words customers use for the generic thing (airpods,
magsafe, popsocket), informal names (charging brick, portable charger, pen drive, memory card), short words
(case, cable, plug, hub, mic, grip, pouch) and sentences about a broken phone. The catalogue is entered the
way an owner would: trade names, a few aliases, categories as the shop's aisles. The queries were written as
customers write, before the matcher was run on them: typos, short words, typo'd plurals, sound-alike
spellings, informal names, model words, whole sentences (a few in Spanish and Portuguese), and things the
shop does not sell — many of them near neighbours of what it does (a laptop charger's laptop, a TV, printer
ink, a phone contract, a SIM card where only a SIM tool is sold, headphones where only earbuds are).

QUERIES: (customer message, expected SKU or service code, or None when the shop does not sell it, kind).
Kinds: "short" (words of five letters or fewer, often with one edit), "plural", "typo" (longer words),
"phonetic", "alias" (informal names the catalogue does not list), "model" (model and standard words),
"sentence", "not_sold".
"""

from __future__ import annotations

from typing import Any

from tests.quality.dev.items import row_makers

SHOP_NAME = "Plug & Play"
SHOP_SLUG = "plug-play"

_p, _s = row_makers(SHOP_NAME, stock=6, service_category="repairs & services")


PRODUCTS: list[dict[str, Any]] = [
    # cases and covers
    _p(
        "PP-CASE15",
        "iPhone 15 Silicone Case",
        "cases",
        "19.00",
        [],
        "Soft-touch silicone, microfibre lining.",
    ),
    _p("PP-CASE14", "iPhone 14 Clear Case", "cases", "15.00", [], "Anti-yellowing TPU, raised edges."),
    _p("PP-CASES24", "Samsung Galaxy S24 Rugged Case", "cases", "22.00", [], "Drop-tested to 3 m."),
    _p("PP-FOLIO", "Leather Wallet Phone Case", "cases", "29.00", ["flip case"], "Three card slots."),
    _p("PP-PODCASE", "AirPods Pro Protective Cover", "cases", "12.00", [], "Silicone with a keyring clip."),
    _p("PP-POUCH", "Waterproof Phone Pouch", "cases", "10.00", [], "IPX8, fits phones up to 7 inch."),
    # screen protection
    _p(
        "PP-GLASS15",
        "iPhone 15 Tempered Glass Screen Protector",
        "screen protection",
        "12.00",
        [],
        "9H glass, 2 pack with an alignment frame.",
    ),
    _p("PP-GLASSS24", "Galaxy S24 Screen Protector", "screen protection", "12.00", [], "Ultrasonic-safe."),
    _p("PP-PRIVACY", "Privacy Screen Protector", "screen protection", "16.00", [], "Dark from the side."),
    _p("PP-LENS", "Camera Lens Protector", "screen protection", "8.00", [], "Sapphire-coated rings."),
    _p("PP-CLEAN", "Screen Cleaning Kit", "screen protection", "7.00", [], "Spray and microfibre cloth."),
    # chargers
    _p("PP-WALL20", "20W USB-C Wall Charger", "chargers", "18.00", ["plug"], "Fast charging, foldable pins."),
    _p("PP-CAR", "Dual USB Car Charger", "chargers", "14.00", [], "USB-C and USB-A, 36W total."),
    _p("PP-PAD", "Wireless Charging Pad", "chargers", "20.00", ["qi charger"], "15W Qi, non-slip top."),
    _p("PP-MAGSAFE", "MagSafe Magnetic Charger", "chargers", "29.00", [], "Snaps onto iPhone 12 and later."),
    _p("PP-STAND3", "3-in-1 Charging Stand", "chargers", "45.00", [], "Phone, watch and earbuds at once."),
    _p("PP-WATCHCHG", "Smart Watch Charger", "chargers", "16.00", [], "Magnetic puck, USB-C lead."),
    # cables
    _p("PP-CABLECC", "USB-C to USB-C Cable 1m", "cables", "9.00", [], "60W, braided nylon."),
    _p("PP-CABLECL", "USB-C to Lightning Cable 1m", "cables", "12.00", [], "MFi certified."),
    _p("PP-CABLEMICRO", "Micro USB Cable", "cables", "6.00", [], "USB-A to Micro-B, 1 m."),
    _p("PP-CABLE3", "3-in-1 Multi Charging Cable", "cables", "13.00", [], "Lightning, USB-C and Micro USB."),
    # power
    _p("PP-BANK", "10000mAh Power Bank", "power", "25.00", [], "Two USB ports, LED gauge."),
    _p("PP-BATTPACK", "MagSafe Battery Pack", "power", "35.00", [], "5000mAh, magnetic."),
    # audio
    _p("PP-BUDS", "Wireless Earbuds", "audio", "39.00", ["bluetooth earbuds"], "24 h with the case."),
    _p("PP-WIRED", "Wired Earphones USB-C", "audio", "12.00", [], "In-line mic and volume keys."),
    _p("PP-SPEAKER", "Portable Bluetooth Speaker", "audio", "35.00", [], "Splash-proof, 12 h battery."),
    _p("PP-AUX", "USB-C to 3.5mm Headphone Adapter", "audio", "8.00", [], "DAC chip inside."),
    # watch
    _p("PP-STRAP", "Silicone Smart Watch Strap", "watch", "12.00", ["watch band"], "38-45 mm, pin buckle."),
    # adapters and hubs
    _p("PP-HDMI", "USB-C to HDMI Adapter", "adapters", "19.00", [], "4K at 60 Hz."),
    _p("PP-HUB", "USB-C Hub 7-in-1", "adapters", "39.00", [], "HDMI, 3 USB-A, SD, microSD, PD."),
    _p("PP-OTG", "USB-C to USB-A Adapter", "adapters", "6.00", ["otg adapter"], "For memory sticks."),
    _p("PP-TRAVEL", "Universal Travel Adapter", "adapters", "22.00", [], "UK, EU, US and AU pins."),
    # storage
    _p("PP-SD128", "128GB microSD Card", "storage", "18.00", ["memory card"], "A2, with an SD adapter."),
    _p("PP-FLASH", "64GB USB Flash Drive", "storage", "10.00", [], "USB 3.2, metal keyring."),
    _p("PP-READER", "SD Card Reader", "storage", "11.00", [], "USB-C and USB-A ends."),
    # photo and video
    _p("PP-TRIPOD", "Flexible Phone Tripod", "photo & video", "17.00", [], "Bendy legs, phone clamp."),
    _p("PP-SELFIE", "Bluetooth Selfie Stick", "photo & video", "15.00", [], "Extends to 80 cm."),
    _p("PP-RING", "10 inch LED Ring Light", "photo & video", "29.00", [], "Three colour modes, stand."),
    _p("PP-GIMBAL", "Phone Gimbal Stabiliser", "photo & video", "69.00", [], "Three-axis, face tracking."),
    _p("PP-MIC", "Wireless Lavalier Microphone", "photo & video", "35.00", ["clip mic"], "Two transmitters."),
    # mounts, grips and odds
    _p("PP-MOUNT", "Magnetic Car Phone Holder", "mounts & grips", "15.00", ["car mount"], "Vent clip."),
    _p("PP-DESK", "Adjustable Desk Phone Stand", "mounts & grips", "13.00", [], "Aluminium, folds flat."),
    _p("PP-GRIP", "Phone Grip Ring", "mounts & grips", "6.00", [], "360° ring, doubles as a stand."),
    _p("PP-LANYARD", "Crossbody Phone Lanyard", "mounts & grips", "11.00", [], "Adjustable strap."),
    _p("PP-STYLUS", "Stylus Pen", "mounts & grips", "9.00", [], "Disc tip, works on any touchscreen."),
    _p("PP-SIMTOOL", "SIM Ejector Tool", "mounts & grips", "1.00", [], "Pack of five."),
]

SERVICES: list[dict[str, Any]] = [
    _s("PP-SVC-SCREEN", "Screen Repair", "89.00", 60, ["screen replacement"], "Cracked or dead screens."),
    _s("PP-SVC-BATT", "Battery Replacement", "59.00", 45, [], "Genuine-spec cells, 6 month warranty."),
    _s("PP-SVC-PORT", "Charging Port Repair", "49.00", 45, [], "Port cleaned or replaced."),
    _s("PP-SVC-DATA", "Data Transfer", "25.00", 30, [], "Photos, contacts and chats to a new phone."),
    _s("PP-SVC-FIT", "Screen Protector Fitting", "5.00", 10, [], "Bubble-free, while you wait."),
]

QUERIES: list[tuple[str, str | None, str]] = [
    # --- short words, often one edit ------------------------------------------------------------------------
    ("car chager", "PP-CAR", "short"),
    ("erbuds", "PP-BUDS", "short"),
    ("lightning cabel", "PP-CABLECL", "short"),
    ("micro usb cabel", "PP-CABLEMICRO", "short"),
    ("sd crad", "PP-SD128", "short"),
    ("hdmi adaptr", "PP-HDMI", "short"),
    ("hub", "PP-HUB", "short"),
    ("usb hubb", "PP-HUB", "short"),
    ("s24 caes", "PP-CASES24", "short"),
    ("iphone 14 cse", "PP-CASE14", "short"),
    ("ring ligth", "PP-RING", "short"),
    ("tripd", "PP-TRIPOD", "short"),
    ("gimbl", "PP-GIMBAL", "short"),
    ("mic", "PP-MIC", "short"),
    ("pouch", "PP-POUCH", "short"),
    ("plug", "PP-WALL20", "short"),
    ("grip", "PP-GRIP", "short"),
    ("phone stnd", "PP-DESK", "short"),
    ("sim tool", "PP-SIMTOOL", "short"),
    ("stylus", "PP-STYLUS", "short"),
    ("watch strp", "PP-STRAP", "short"),
    ("lens protctor", "PP-LENS", "short"),
    ("otg", "PP-OTG", "short"),
    ("flash drve", "PP-FLASH", "short"),
    ("card redaer", "PP-READER", "short"),
    ("selfi stick", "PP-SELFIE", "short"),
    ("speakr", "PP-SPEAKER", "short"),
    # --- plurals, some typo'd -------------------------------------------------------------------------------
    ("earbud", "PP-BUDS", "plural"),
    ("wireless earbud", "PP-BUDS", "plural"),
    ("wired earphone", "PP-WIRED", "plural"),
    ("car chargers", "PP-CAR", "plural"),
    ("power banks", "PP-BANK", "plural"),
    ("powerbanks", "PP-BANK", "plural"),
    ("tripods", "PP-TRIPOD", "plural"),
    ("ring lights", "PP-RING", "plural"),
    ("selfie sticks", "PP-SELFIE", "plural"),
    ("sd cards", "PP-SD128", "plural"),
    ("micro sd cards", "PP-SD128", "plural"),
    ("memory cards", "PP-SD128", "plural"),
    ("usb flash drives", "PP-FLASH", "plural"),
    ("hdmi adapters", "PP-HDMI", "plural"),
    ("travel adaptors", "PP-TRAVEL", "plural"),
    ("watch straps", "PP-STRAP", "plural"),
    ("watch bands", "PP-STRAP", "plural"),
    ("stylus pens", "PP-STYLUS", "plural"),
    ("lanyards", "PP-LANYARD", "plural"),
    ("speakers", "PP-SPEAKER", "plural"),
    ("car mounts", "PP-MOUNT", "plural"),
    ("camera lens protectors", "PP-LENS", "plural"),
    ("privacy screen protectors", "PP-PRIVACY", "plural"),
    ("micro usb cables", "PP-CABLEMICRO", "plural"),
    ("lightning cabels", "PP-CABLECL", "plural"),
    ("powerbankz", "PP-BANK", "plural"),
    ("tripodes", "PP-TRIPOD", "plural"),
    ("gimbals", "PP-GIMBAL", "plural"),
    ("microphones", "PP-MIC", "plural"),
    ("sd card readers", "PP-READER", "plural"),
    # --- longer typos ---------------------------------------------------------------------------------------
    ("wireles earbuds", "PP-BUDS", "typo"),
    ("bluetooh speaker", "PP-SPEAKER", "typo"),
    ("portible speaker", "PP-SPEAKER", "typo"),
    ("screen protecter for s24", "PP-GLASSS24", "typo"),
    ("tempred glass iphone 15", "PP-GLASS15", "typo"),
    ("privacy scren protector", "PP-PRIVACY", "typo"),
    ("wirless charging pad", "PP-PAD", "typo"),
    ("magsafe chrager", "PP-MAGSAFE", "typo"),
    ("lavalier microfone", "PP-MIC", "typo"),
    ("stabilizer", "PP-GIMBAL", "typo"),
    ("gimble stabiliser", "PP-GIMBAL", "typo"),
    ("headphone adaptor", "PP-AUX", "typo"),
    ("univeral travel adapter", "PP-TRAVEL", "typo"),
    ("batery replacement", "PP-SVC-BATT", "typo"),
    ("battery replacment", "PP-SVC-BATT", "typo"),
    ("screen repiar", "PP-SVC-SCREEN", "typo"),
    ("data tranfer", "PP-SVC-DATA", "typo"),
    ("charging port repar", "PP-SVC-PORT", "typo"),
    ("lanyrd", "PP-LANYARD", "typo"),
    ("cleaning kitt for screen", "PP-CLEAN", "typo"),
    ("waterprof pouch", "PP-POUCH", "typo"),
    ("leather walet case", "PP-FOLIO", "typo"),
    ("smart wach charger", "PP-WATCHCHG", "typo"),
    ("airpods pro cover", "PP-PODCASE", "typo"),
    ("magnetic car holdr", "PP-MOUNT", "typo"),
    # --- sound-alike spellings ------------------------------------------------------------------------------
    ("ear bods", "PP-BUDS", "phonetic"),
    ("chargin pad", "PP-PAD", "phonetic"),
    ("spiker", "PP-SPEAKER", "phonetic"),
    ("tri pod", "PP-TRIPOD", "phonetic"),
    ("self stick", "PP-SELFIE", "phonetic"),
    ("lanyerd", "PP-LANYARD", "phonetic"),
    ("stylis pen", "PP-STYLUS", "phonetic"),
    ("hdmi adopter", "PP-HDMI", "phonetic"),
    ("mag safe charger", "PP-MAGSAFE", "phonetic"),
    ("ring lite", "PP-RING", "phonetic"),
    ("memery card", "PP-SD128", "phonetic"),
    ("scrin repair", "PP-SVC-SCREEN", "phonetic"),
    ("batry pack magsafe", "PP-BATTPACK", "phonetic"),
    # --- aliases and informal names -------------------------------------------------------------------------
    ("charging brick", "PP-WALL20", "alias"),
    ("wall plug charger", "PP-WALL20", "alias"),
    ("portable charger", "PP-BANK", "alias"),
    ("airpods case", "PP-PODCASE", "alias"),
    ("pen drive", "PP-FLASH", "alias"),
    ("memory stick", "PP-FLASH", "alias"),
    ("popsocket", "PP-GRIP", "alias"),
    ("bluetooth speaker", "PP-SPEAKER", "alias"),
    ("wireless charger", "PP-PAD", "alias"),
    ("phone holder for the car", "PP-MOUNT", "alias"),
    ("dongle for hdmi", "PP-HDMI", "alias"),
    ("headphone jack adapter", "PP-AUX", "alias"),
    ("apple watch band", "PP-STRAP", "alias"),
    ("phone strap", "PP-LANYARD", "alias"),
    ("wallet case", "PP-FOLIO", "alias"),
    ("glass protector", "PP-GLASS15", "alias"),
    ("new battery", "PP-SVC-BATT", "alias"),
    ("move my photos to my new phone", "PP-SVC-DATA", "alias"),
    # --- model and standard words ---------------------------------------------------------------------------
    ("usb c to usb c", "PP-CABLECC", "model"),
    ("type-c cable", "PP-CABLECC", "model"),
    ("type c to lightning", "PP-CABLECL", "model"),
    ("iphone 15 case", "PP-CASE15", "model"),
    ("galaxy s24 case", "PP-CASES24", "model"),
    ("20w charger", "PP-WALL20", "model"),
    ("10000mah", "PP-BANK", "model"),
    ("128gb micro sd", "PP-SD128", "model"),
    ("64gb usb", "PP-FLASH", "model"),
    ("3 in 1 charger", "PP-STAND3", "model"),
    ("usbc hub", "PP-HUB", "model"),
    ("usb-c headphone adapter", "PP-AUX", "model"),
    # --- mentions inside longer messages (a few in Spanish and Portuguese) ----------------------------------
    ("my screen is cracked can u fix it", "PP-SVC-SCREEN", "sentence"),
    ("my battery dies really fast can you replace it?", "PP-SVC-BATT", "sentence"),
    ("phone wont charge, i think the port is broken", "PP-SVC-PORT", "sentence"),
    ("can you transfer my data to my new phone", "PP-SVC-DATA", "sentence"),
    ("do you put screen protectors on for me", "PP-SVC-FIT", "sentence"),
    ("hi do u have a case for iphone 15", "PP-CASE15", "sentence"),
    ("how much is the power bank", "PP-BANK", "sentence"),
    ("do the earbuds work with android?", "PP-BUDS", "sentence"),
    ("need a charger for my car", "PP-CAR", "sentence"),
    ("is the ring light good for tiktok", "PP-RING", "sentence"),
    ("looking for a cable to connect my phone to the tv", "PP-HDMI", "sentence"),
    ("whats the price of the 128gb sd card", "PP-SD128", "sentence"),
    ("does the tripod fit a big phone", "PP-TRIPOD", "sentence"),
    ("i need a strap for my smart watch", "PP-STRAP", "sentence"),
    ("have you got the clear case for iphone 14", "PP-CASE14", "sentence"),
    ("hola tienen cargador para carro?", "PP-CAR", "sentence"),
    ("cuanto cuesta la funda del iphone 15", "PP-CASE15", "sentence"),
    ("tienen audífonos inalámbricos?", "PP-BUDS", "sentence"),
    ("vocês têm capinha para galaxy s24?", "PP-CASES24", "sentence"),
    ("quanto custa o carregador portátil", "PP-BANK", "sentence"),
    ("vocês trocam a bateria?", "PP-SVC-BATT", "sentence"),
    ("troca de tela", "PP-SVC-SCREEN", "sentence"),
    # --- things the shop does not sell (many of them near neighbours of what it does) -----------------------
    ("laptop", None, "not_sold"),
    ("tv", None, "not_sold"),
    ("smart tv", None, "not_sold"),
    ("printer ink", None, "not_sold"),
    ("phone contract", None, "not_sold"),
    ("sim card", None, "not_sold"),
    ("new iphone 15", None, "not_sold"),
    ("ipad", None, "not_sold"),
    ("tablet", None, "not_sold"),
    ("playstation", None, "not_sold"),
    ("game controller", None, "not_sold"),
    ("over ear headphones", None, "not_sold"),
    ("smart watch", None, "not_sold"),
    ("keyboard", None, "not_sold"),
    ("mouse", None, "not_sold"),
    ("webcam", None, "not_sold"),
    ("drone", None, "not_sold"),
    ("dash cam", None, "not_sold"),
    ("external hard drive", None, "not_sold"),
    ("laptop bag", None, "not_sold"),
    ("extension lead", None, "not_sold"),
    ("batteries aa", None, "not_sold"),
    ("camera", None, "not_sold"),
    ("vr headset", None, "not_sold"),
    ("router", None, "not_sold"),
    ("ipad case", None, "not_sold"),
    ("kindle", None, "not_sold"),
    ("laptop screen repair", None, "not_sold"),
    ("tv repair", None, "not_sold"),
    ("unlock my phone", None, "not_sold"),
    ("phone insurance", None, "not_sold"),
    ("light bulb", None, "not_sold"),
    ("ethernet cable", None, "not_sold"),
    ("tienen cartuchos de tinta?", None, "not_sold"),
    ("vende chip de celular?", None, "not_sold"),
    ("do you sell second hand phones", None, "not_sold"),
]
