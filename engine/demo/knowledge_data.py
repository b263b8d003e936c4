"""The demo shop's knowledge base: 40 FAQs, policies and procedures for Stride & Co.

Plain data, read by `engine.demo.seed`. Each entry has a stable `key` (stored as the entry's `source`,
"demo:<key>", so a re-run recognises it even after the owner renames it), 2-5 factual sentences with concrete
numbers, and keywords. Entries are deliberately distinct so a later retrieval-quality test can ask "which
entry answers this question?" and expect exactly one.

House facts used across entries (keep them consistent when editing):
- Stores: Bristol flagship (14 Cobbler's Row, BS1 5TR), Bath (3 Abbey Yard, BA1 1LT), Cardiff (22 Arcade Walk,
  CF10 1AE). Open Mon-Sat 9:30-18:00 (Thu to 20:00), Sun 11:00-17:00; bank holidays 10:00-16:00.
- Customer team Mon-Fri 8:00-20:00, Sat 9:00-17:00; phone 0117 496 0123; hello@stride.example.
- UK standard delivery £3.95 (free over £50), 3-5 working days; next day £6.95 if ordered by 2pm.
- Returns 30 days, free UK return label; refunds within 5 working days of receipt.
"""

from __future__ import annotations

from typing import Any

KNOWLEDGE: list[dict[str, Any]] = [
    # --- Delivery ------------------------------------------------------------------------------------------
    {
        "key": "delivery-uk-standard",
        "entry_type": "policy",
        "category": "delivery",
        "title": "Standard UK delivery cost and times",
        "content": "Standard delivery to UK mainland addresses costs £3.95 and arrives in 3 to 5 working "
        "days. Standard delivery is free on orders over £50. Every standard parcel is tracked and needs no "
        "signature.",
        "keywords": ["delivery", "shipping", "standard delivery", "free delivery", "postage", "how long"],
        "priority": 10,
    },
    {
        "key": "delivery-next-day",
        "entry_type": "policy",
        "category": "delivery",
        "title": "Next-day delivery",
        "content": "Next-day delivery costs £6.95 and is available to UK mainland addresses. Orders placed "
        "by 2pm Monday to Friday arrive the next working day. Orders placed after 2pm on Friday or at the "
        "weekend arrive on Tuesday. Next-day delivery is not free, whatever the order value.",
        "keywords": ["next day", "express", "fast delivery", "tomorrow", "cut-off", "2pm"],
        "priority": 8,
    },
    {
        "key": "delivery-remote-uk",
        "entry_type": "policy",
        "category": "delivery",
        "title": "Delivery to Northern Ireland, the Highlands and islands",
        "content": "We deliver to Northern Ireland, the Scottish Highlands, the Isle of Man, the Channel "
        "Islands and Scottish islands at the standard £3.95 price, with no surcharge. Delivery there takes 5 "
        "to 7 working days. Next-day delivery is not available to these areas.",
        "keywords": [
            "northern ireland",
            "highlands",
            "islands",
            "isle of man",
            "jersey",
            "guernsey",
            "remote",
        ],
        "priority": 4,
    },
    {
        "key": "delivery-international",
        "entry_type": "policy",
        "category": "delivery",
        "title": "International delivery and customs duties",
        "content": "Delivery to Ireland and the EU costs £12.95, takes 5 to 8 working days and is free on "
        "orders over £150; prices include all duties and taxes for these countries. Delivery to the USA, "
        "Canada and Australia costs £19.95 and takes 7 to 12 working days. For destinations outside the EU, "
        "local import duties may be charged on arrival and are paid by the recipient.",
        "keywords": ["international", "overseas", "EU", "Ireland", "USA", "customs", "duties", "abroad"],
        "priority": 6,
    },
    {
        "key": "delivery-click-collect",
        "entry_type": "policy",
        "category": "delivery",
        "title": "Click and collect from a store",
        "content": "Click and collect is free from our Bristol, Bath and Cardiff stores. If the item is in "
        "stock at your chosen store it is ready within 2 hours during opening hours; otherwise it arrives in "
        "2 to 3 working days. We hold collections for 7 days and you will need your order confirmation.",
        "keywords": ["click and collect", "collect in store", "pick up", "collection", "reserve"],
        "priority": 6,
    },
    {
        "key": "delivery-dispatch-tracking",
        "entry_type": "faq",
        "category": "delivery",
        "title": "When orders are dispatched and how to track them",
        "content": "Orders placed before 2pm on a working day are dispatched the same day; later orders "
        "leave the next working day. When your parcel is dispatched we send a tracking link by WhatsApp and "
        "email. You can also track it at stride.example/track with your order number and postcode.",
        "keywords": ["track", "tracking", "where is my order", "dispatched", "shipped", "order status"],
        "priority": 9,
    },
    # --- Orders --------------------------------------------------------------------------------------------
    {
        "key": "orders-lost-damaged",
        "entry_type": "procedure",
        "category": "orders",
        "title": "Missing, late or damaged parcels",
        "content": "If your parcel has not arrived 10 working days after dispatch, or arrives damaged, tell "
        "us within 14 days with your order number and, for damage, a photo. We open a claim with the courier "
        "and reply within 2 working days. If the parcel is lost or damaged we send a replacement or a full "
        "refund, whichever you prefer.",
        "keywords": ["lost parcel", "not arrived", "missing", "damaged", "late delivery", "never received"],
        "priority": 7,
    },
    {
        "key": "orders-change-cancel",
        "entry_type": "policy",
        "category": "orders",
        "title": "Changing or cancelling an order",
        "content": "You can change the size, colour or address of an order, or cancel it, within 1 hour of "
        "placing it, as long as it has not been dispatched. Message us on WhatsApp with your order number to "
        "do this. Once an order has been dispatched it cannot be cancelled, but you can return it free of "
        "charge within 30 days.",
        "keywords": ["cancel", "change order", "amend", "wrong size ordered", "change address", "modify"],
        "priority": 7,
    },
    {
        "key": "orders-out-of-stock",
        "entry_type": "faq",
        "category": "orders",
        "title": "Out-of-stock items and restock alerts",
        "content": "Most out-of-stock sizes are restocked within 2 to 4 weeks. Ask us on WhatsApp or tap "
        "Notify me on the product page and we will message you as soon as your size is back. We cannot "
        "reserve sizes that are out of stock, and we do not take payment until an item is available.",
        "keywords": ["out of stock", "sold out", "restock", "back in stock", "notify me", "unavailable"],
        "priority": 5,
    },
    # --- Returns -------------------------------------------------------------------------------------------
    {
        "key": "returns-policy",
        "entry_type": "policy",
        "category": "returns",
        "title": "Returns policy: 30 days",
        "content": "You can return unworn items within 30 days of delivery or purchase for a full refund. "
        "Shoes must be in their original box with any tags attached, and only tried on indoors. Refunds go "
        "back to the original payment method within 5 working days of us receiving the return; your bank may "
        "take a further 3 to 5 working days to show it.",
        "keywords": ["return", "returns", "refund", "money back", "30 days", "return policy"],
        "priority": 10,
    },
    {
        "key": "returns-by-post",
        "entry_type": "procedure",
        "category": "returns",
        "title": "How to return an online order by post",
        "content": "UK returns are free: create a prepaid label at stride.example/returns or send us your "
        "order number on WhatsApp and we will send one. Pack the items in their original box, attach the "
        "label and drop the parcel at any Post Office or parcel locker within 30 days. Returns from outside "
        "the UK are sent at your own cost with a tracked service.",
        "keywords": [
            "return label",
            "send back",
            "post return",
            "returns portal",
            "free returns",
            "how to return",
        ],
        "priority": 9,
    },
    {
        "key": "returns-exchanges",
        "entry_type": "policy",
        "category": "returns",
        "title": "Exchanging for a different size or colour",
        "content": "Size and colour exchanges are free within 30 days. For online orders we dispatch the new "
        "item as soon as the courier scans your return, so you are not left waiting. In any of our stores an "
        "exchange is done on the spot if the size you want is in stock.",
        "keywords": ["exchange", "swap", "different size", "wrong size", "too small", "too big"],
        "priority": 8,
    },
    {
        "key": "returns-in-store",
        "entry_type": "faq",
        "category": "returns",
        "title": "Returning an online order in a store",
        "content": "Online orders can be returned at our Bristol, Bath or Cardiff stores within 30 days. "
        "Bring the items with your order number or confirmation email. The refund is made to your original "
        "payment card immediately at the till.",
        "keywords": ["return in store", "return to shop", "in-store return", "bring back"],
        "priority": 6,
    },
    {
        "key": "returns-non-returnable",
        "entry_type": "policy",
        "category": "returns",
        "title": "Items that cannot be returned",
        "content": "For hygiene reasons we cannot accept returns of socks once the pack has been opened. "
        "Custom-moulded insoles are made for your feet and cannot be returned, and gift cards are not "
        "refundable. Shoes that have been worn outdoors can only be returned if they are faulty.",
        "keywords": ["non-returnable", "cannot return", "socks", "hygiene", "worn outside", "exceptions"],
        "priority": 5,
    },
    {
        "key": "returns-sale-last-pairs",
        "entry_type": "policy",
        "category": "returns",
        "title": "Returns of sale and Last Pairs items",
        "content": "Items bought in our seasonal sale follow the normal 30-day returns policy. Items marked "
        "Last Pairs are final clearance: they can be exchanged or returned for store credit within 14 days, "
        "but not refunded. Faulty sale items are always refundable.",
        "keywords": ["sale", "clearance", "last pairs", "discounted", "store credit", "reduced"],
        "priority": 4,
    },
    {
        "key": "returns-faulty-guarantee",
        "entry_type": "policy",
        "category": "returns",
        "title": "Faulty items and our 12-month guarantee",
        "content": "Our own-brand footwear is guaranteed against manufacturing faults for 12 months from "
        "purchase, and apparel for 6 months. Send photos of the fault and your order number on WhatsApp; we "
        "assess it within 3 working days and offer a repair, replacement or refund. Normal wear, such as a "
        "running shoe midsole flattening after 800 km, is not a fault. Your statutory rights are not "
        "affected.",
        "keywords": ["faulty", "broken", "defect", "guarantee", "warranty", "sole came off", "split"],
        "priority": 8,
    },
    # --- Payment -------------------------------------------------------------------------------------------
    {
        "key": "payment-methods",
        "entry_type": "faq",
        "category": "payment",
        "title": "Accepted payment methods",
        "content": "Online we accept Visa, Mastercard, American Express, Apple Pay, Google Pay and PayPal. "
        "In store we also take cash and contactless payments. We will never ask for your card details on "
        "WhatsApp.",
        "keywords": ["payment", "pay", "card", "paypal", "apple pay", "amex", "cash"],
        "priority": 7,
    },
    {
        "key": "payment-klarna",
        "entry_type": "faq",
        "category": "payment",
        "title": "Pay in 3 instalments with Klarna",
        "content": "You can split orders between £30 and £1,000 into 3 interest-free monthly payments with "
        "Klarna. Choose Klarna at checkout; the first payment is taken when the order is dispatched. "
        "Approval is decided by Klarna, and late payments may affect your credit score.",
        "keywords": ["klarna", "instalments", "pay later", "pay in 3", "split payment", "finance"],
        "priority": 5,
    },
    {
        "key": "payment-gift-cards",
        "entry_type": "faq",
        "category": "payment",
        "title": "Gift cards: amounts, validity and balance",
        "content": "Gift cards are available from £10 to £250, as an e-gift card sent by email within "
        "minutes or as a physical card. They are valid for 24 months from purchase and can be used online "
        "and in all our stores, up to 3 cards per order. Check your balance at stride.example/giftcard; gift "
        "cards cannot be exchanged for cash.",
        "keywords": ["gift card", "voucher", "balance", "e-gift", "expiry", "present"],
        "priority": 6,
    },
    {
        "key": "payment-discounts",
        "entry_type": "policy",
        "category": "payment",
        "title": "Discount codes and student or NHS discount",
        "content": "One discount code can be used per order, entered at checkout before payment. Codes "
        "cannot be used on gift cards or Last Pairs items. Students and NHS staff get 10% off full-price "
        "items after verifying their status once at stride.example/discounts.",
        "keywords": ["discount", "promo code", "voucher code", "student discount", "NHS", "coupon"],
        "priority": 5,
    },
    {
        "key": "payment-problems",
        "entry_type": "faq",
        "category": "payment",
        "title": "Declined payments and pending charges",
        "content": "If your card is declined, check that the billing address matches the one your bank "
        "holds, or try another payment method. A failed or cancelled order can leave a pending authorisation "
        "on your account, which your bank releases within 3 to 5 working days. If you have been charged "
        "twice, send us your order number and we will check and refund the duplicate.",
        "keywords": [
            "declined",
            "payment failed",
            "charged twice",
            "pending",
            "double charge",
            "authorisation",
        ],
        "priority": 5,
    },
    # --- Hours ---------------------------------------------------------------------------------------------
    {
        "key": "hours-stores",
        "entry_type": "faq",
        "category": "hours",
        "title": "Store opening hours",
        "content": "All three stores open Monday to Saturday from 9:30 to 18:00, with late opening until "
        "20:00 on Thursdays. On Sundays they open from 11:00 to 17:00. Gait analysis and fittings stop 30 "
        "minutes before closing.",
        "keywords": ["opening hours", "open", "close", "times", "sunday", "late night", "when are you open"],
        "priority": 9,
    },
    {
        "key": "hours-bank-holidays",
        "entry_type": "faq",
        "category": "hours",
        "title": "Bank holiday and Christmas opening",
        "content": "On bank holidays our stores open from 10:00 to 16:00. Stores are closed on Christmas "
        "Day, Boxing Day, New Year's Day and Easter Sunday. Online orders can be placed every day, but no "
        "parcels are dispatched on bank holidays.",
        "keywords": ["bank holiday", "christmas", "boxing day", "new year", "easter", "holiday hours"],
        "priority": 4,
    },
    {
        "key": "hours-customer-service",
        "entry_type": "faq",
        "category": "hours",
        "title": "Customer service hours and how to contact us",
        "content": "Maya, our WhatsApp assistant, answers 24 hours a day. Our customer team replies on "
        "WhatsApp, by phone on 0117 496 0123 and by email at hello@stride.example from 8:00 to 20:00 Monday "
        "to Friday and 9:00 to 17:00 on Saturdays. Messages sent on Sundays are answered on Monday morning.",
        "keywords": ["contact", "phone number", "email", "speak to someone", "human", "customer service"],
        "priority": 8,
    },
    # --- Store ---------------------------------------------------------------------------------------------
    {
        "key": "store-locations",
        "entry_type": "faq",
        "category": "store",
        "title": "Store locations and addresses",
        "content": "Our flagship store is at 14 Cobbler's Row, Bristol BS1 5TR, and has the gait analysis "
        "treadmill and repair workshop. We also have stores at 3 Abbey Yard, Bath BA1 1LT and 22 Arcade "
        "Walk, Cardiff CF10 1AE. Prices are the same in every store and online, but stock differs by store.",
        "keywords": ["store", "shop", "address", "location", "bristol", "bath", "cardiff", "near me"],
        "priority": 8,
    },
    # --- Sizing --------------------------------------------------------------------------------------------
    {
        "key": "sizing-conversion",
        "entry_type": "faq",
        "category": "sizing",
        "title": "UK, EU and US shoe size conversion",
        "content": "Our footwear is sized in UK sizes and is unisex. UK 5 is EU 38, UK 6 is EU 39, UK 7 is "
        "EU 40.5, UK 8 is EU 42, UK 9 is EU 43, UK 10 is EU 44.5 and UK 11 is EU 45.5. For US sizes, add 1 "
        "to the UK size for men's and 2 for women's, so UK 7 is US men's 8 and US women's 9.",
        "keywords": ["size chart", "conversion", "EU size", "US size", "european size", "what size"],
        "priority": 9,
    },
    {
        "key": "sizing-measure-feet",
        "entry_type": "procedure",
        "category": "sizing",
        "title": "How to measure your feet at home",
        "content": "Stand on a sheet of paper with your heel against a wall and mark the tip of your longest "
        "toe, then measure the distance in centimetres. Measure both feet in the evening and use the longer "
        "one. A foot length of 24.5 cm is UK 6, 25.4 cm is UK 7, 26.2 cm is UK 8, 27.1 cm is UK 9 and 27.9 "
        "cm is UK 10.",
        "keywords": ["measure", "foot length", "centimetres", "cm", "how to measure", "size guide"],
        "priority": 7,
    },
    {
        "key": "sizing-model-fit",
        "entry_type": "faq",
        "category": "sizing",
        "title": "How each model fits: true to size, size up or down",
        "content": "The Cloudstep 90, Drift and Court 78 fit true to size. The Tempo Pro 2 racing shoe runs "
        "small, so go half a size up, while the Camden Chelsea Boot runs large, so go half a size down. The "
        "Riviera Penny Loafer feels snug at first and softens within a few wears.",
        "keywords": ["fit", "true to size", "runs small", "runs large", "size up", "half size"],
        "priority": 7,
    },
    {
        "key": "sizing-wide-fit",
        "entry_type": "faq",
        "category": "sizing",
        "title": "Wide fit options",
        "content": "Our standard adult fit is a D width. The Cloudstep 90 Wide Fit and the Fellwalker Hiking "
        "Boot come in an E width with a roomier toe box. The Scholar School Shoe is available in a wide F "
        "fit for children.",
        "keywords": ["wide fit", "wide feet", "width", "E fit", "narrow", "toe box"],
        "priority": 5,
    },
    {
        "key": "sizing-kids",
        "entry_type": "faq",
        "category": "sizing",
        "title": "Children's sizing and growing room",
        "content": "Children's shoes should have about 1 cm of growing room in front of the longest toe, "
        "roughly a thumb's width. Measure children under 5 every 3 months and older children every 4 months, "
        "as feet can grow a size in that time. Our kids' fitting service in store is free and takes 20 "
        "minutes.",
        "keywords": ["kids", "children", "child size", "growing room", "toddler", "school shoes size"],
        "priority": 5,
    },
    {
        "key": "sizing-apparel",
        "entry_type": "faq",
        "category": "sizing",
        "title": "Clothing size guide",
        "content": "Our tops and hoodies are unisex and sized by chest measurement: XS 32-34 in, S 35-37 in, "
        "M 38-40 in, L 41-43 in, XL 44-46 in and XXL 47-49 in. Running tees are a regular fit and the "
        "Everyday Hoodie is a relaxed fit. If you are between sizes, choose the larger size for tops.",
        "keywords": ["clothing size", "apparel", "chest", "hoodie size", "t-shirt size", "XL"],
        "priority": 4,
    },
    # --- Care ----------------------------------------------------------------------------------------------
    {
        "key": "care-white-leather",
        "entry_type": "procedure",
        "category": "care",
        "title": "Cleaning white leather trainers",
        "content": "Wipe white leather trainers with a damp cloth and a little mild soap or our foaming "
        "cleaner, and scrub the midsole with a soft brush. Never put leather trainers in the washing "
        "machine. Let them dry naturally at room temperature, away from radiators, which crack leather.",
        "keywords": ["clean", "white trainers", "leather", "dirty", "stains", "court 78"],
        "priority": 5,
    },
    {
        "key": "care-suede",
        "entry_type": "procedure",
        "category": "care",
        "title": "Caring for suede and nubuck",
        "content": "Treat suede and nubuck with protector spray before the first wear and every 4 to 6 weeks "
        "after that. Brush off dry dirt with a suede brush and lift marks with a suede eraser. Never soak "
        "suede; if it gets wet, blot it and let it dry away from direct heat.",
        "keywords": ["suede", "nubuck", "protector", "water marks", "desert boot", "brush"],
        "priority": 4,
    },
    {
        "key": "care-machine-wash",
        "entry_type": "procedure",
        "category": "care",
        "title": "Which shoes can go in the washing machine",
        "content": "Only our Harbour Canvas shoes are machine washable: remove the insoles and laces, put "
        "them in a pillowcase and wash at 30 °C on a gentle cycle. Running shoes, leather and suede should "
        "never be machine washed because the glue and foam break down. Stuff washed shoes with newspaper and "
        "air-dry them for 24 hours.",
        "keywords": ["washing machine", "wash", "machine washable", "canvas", "smelly shoes", "laundry"],
        "priority": 4,
    },
    {
        "key": "care-running-shoe-lifespan",
        "entry_type": "faq",
        "category": "care",
        "title": "When to replace running shoes",
        "content": "Most running shoes last between 500 and 800 km, roughly 300 to 500 miles. Signs it is "
        "time to replace them are a midsole that feels flat or creased, worn-through outsole rubber and new "
        "aches after runs. Rotating two pairs helps each pair last longer.",
        "keywords": ["replace", "how long do running shoes last", "mileage", "worn out", "lifespan", "km"],
        "priority": 4,
    },
    # --- Services ------------------------------------------------------------------------------------------
    {
        "key": "services-gait-analysis",
        "entry_type": "procedure",
        "category": "services",
        "title": "Gait analysis: what happens and how to book",
        "content": "Gait analysis takes 30 minutes at our Bristol store: you run on a treadmill while we "
        "film your feet in slow motion, then we recommend shoes for how you land. It costs £15, refunded if "
        "you buy running shoes the same day. Bring your current running shoes and wear running kit; book "
        "through WhatsApp or in store.",
        "keywords": ["gait analysis", "treadmill", "running assessment", "pronation", "book", "fitting"],
        "priority": 6,
    },
    {
        "key": "services-repairs-cleaning",
        "entry_type": "faq",
        "category": "services",
        "title": "Repairs, resoling and shoe cleaning",
        "content": "Our Bristol workshop resoles Goodyear-welted shoes and boots from £45 and replaces heels "
        "from £18, with a turnaround of 7 to 10 working days. The Sneaker Deep Clean costs £20 and is ready "
        "in 3 working days. Running shoes with glued soles cannot be resoled.",
        "keywords": ["repair", "resole", "heel", "cobbler", "cleaning service", "fix my shoes"],
        "priority": 5,
    },
    {
        "key": "services-appointments",
        "entry_type": "policy",
        "category": "services",
        "title": "Booking, moving and cancelling appointments",
        "content": "Gait analysis, custom insole fittings, kids' fittings and cleaning drop-offs can be "
        "booked on WhatsApp or in store. You can move or cancel an appointment free of charge up to 24 hours "
        "before it starts. If you are more than 15 minutes late we may need to rebook you.",
        "keywords": ["appointment", "booking", "reschedule", "cancel appointment", "book a slot", "late"],
        "priority": 6,
    },
    # --- Loyalty and privacy -------------------------------------------------------------------------------
    {
        "key": "loyalty-stride-club",
        "entry_type": "faq",
        "category": "loyalty",
        "title": "Stride Club loyalty points",
        "content": "Stride Club is free to join online or in store. You earn 1 point for every £1 spent, and "
        "200 points become a £10 voucher automatically. Members get a 15% birthday code and early access to "
        "the sale; points expire after 12 months without a purchase.",
        "keywords": ["loyalty", "points", "rewards", "stride club", "membership", "birthday"],
        "priority": 4,
    },
    {
        "key": "privacy-whatsapp",
        "entry_type": "policy",
        "category": "privacy",
        "title": "How we use your WhatsApp number and data",
        "content": "We use your WhatsApp number to answer your questions and send order and appointment "
        "updates. We only send offers if you have opted in, and you can stop them at any time by replying "
        "STOP. To see or delete the data we hold about you, email privacy@stride.example and we will respond "
        "within 30 days.",
        "keywords": ["privacy", "data", "GDPR", "unsubscribe", "STOP", "marketing", "delete my data"],
        "priority": 5,
    },
]
