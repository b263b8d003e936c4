"""Labelled questions over the demo knowledge base (engine/demo/knowledge_data.py).

Each item: (question as a customer would type it, the demo entry key that answers it, what kind of wording).
Kinds: "paraphrase" (same meaning, mostly other words), "typo" (misspellings, missing letters, slang
spelling), "other" (indirect wording: a situation rather than a question, or words not in the entry).
Written without looking at the search results, so the set measures retrieval rather than fitting it.
"""

from __future__ import annotations

QUESTIONS: list[tuple[str, str, str]] = [
    # delivery
    ("how much does shipping cost in the uk", "delivery-uk-standard", "paraphrase"),
    ("is postage free if i spend over 50 quid", "delivery-uk-standard", "other"),
    ("how many days until my parcel arrives with normal delivery", "delivery-uk-standard", "paraphrase"),
    ("can i get my trainers tomorrow", "delivery-next-day", "other"),
    ("whats the cut off time for next day delivry", "delivery-next-day", "typo"),
    ("do you ship to belfast", "delivery-remote-uk", "other"),
    ("delivery to the isle of skye, is there an extra charge", "delivery-remote-uk", "paraphrase"),
    ("do you send orders to france and will I pay customs", "delivery-international", "paraphrase"),
    ("shiping to the usa how long", "delivery-international", "typo"),
    ("can I pick my order up from your shop instead", "delivery-click-collect", "paraphrase"),
    ("click n collect bath store how quick", "delivery-click-collect", "typo"),
    ("where is my order, has it been sent yet", "delivery-dispatch-tracking", "paraphrase"),
    ("how do i trak my parcel", "delivery-dispatch-tracking", "typo"),
    # orders
    ("my package never turned up", "orders-lost-damaged", "other"),
    ("the box arrived crushed and the shoes are damaged", "orders-lost-damaged", "paraphrase"),
    ("I ordered the wrong size 10 minutes ago, can you change it", "orders-change-cancel", "other"),
    ("how do I cancel my order", "orders-change-cancel", "paraphrase"),
    ("when will size 9 be back in stock", "orders-out-of-stock", "paraphrase"),
    ("your runners are sold out, can you let me know when they're back", "orders-out-of-stock", "other"),
    # returns
    ("what is your refund policy", "returns-policy", "paraphrase"),
    ("how long do i have to get my money back", "returns-policy", "other"),
    ("retrun polcy", "returns-policy", "typo"),
    ("how do I send shoes back by post, do I need to pay for the label", "returns-by-post", "paraphrase"),
    ("do i have to pay postage to return stuff", "returns-by-post", "other"),
    ("can i swap these for a bigger size", "returns-exchanges", "other"),
    ("exhange for another colour", "returns-exchanges", "typo"),
    ("can I bring back something I bought online to the Cardiff shop", "returns-in-store", "paraphrase"),
    ("can I return opened socks", "returns-non-returnable", "paraphrase"),
    ("I wore my shoes outside once, can I still return them", "returns-non-returnable", "other"),
    ("I bought shoes in the sale, can I get a refund", "returns-sale-last-pairs", "paraphrase"),
    ("are clearance items refundable", "returns-sale-last-pairs", "paraphrase"),
    ("the sole came off after 3 months", "returns-faulty-guarantee", "other"),
    ("what warranty do your boots have", "returns-faulty-guarantee", "paraphrase"),
    ("my shoes are fualty what can you do", "returns-faulty-guarantee", "typo"),
    # payment
    ("can I pay with paypal", "payment-methods", "paraphrase"),
    ("do you take amex or apple pay", "payment-methods", "paraphrase"),
    ("can I spread the cost over a few months", "payment-klarna", "other"),
    ("buy now pay later option?", "payment-klarna", "paraphrase"),
    ("do gift vouchers expire", "payment-gift-cards", "paraphrase"),
    ("how do i check my giftcard balence", "payment-gift-cards", "typo"),
    ("do you have a student discount", "payment-discounts", "paraphrase"),
    ("my promo code is not working at checkout", "payment-discounts", "other"),
    ("my card keeps getting declined", "payment-problems", "paraphrase"),
    ("I was charged twice for one order", "payment-problems", "paraphrase"),
    # hours, contact, stores
    ("what time do you close on saturday", "hours-stores", "paraphrase"),
    ("are you open late on thursdays", "hours-stores", "paraphrase"),
    ("opning times sunday", "hours-stores", "typo"),
    ("are you open on boxing day", "hours-bank-holidays", "paraphrase"),
    ("easter monday opening hours", "hours-bank-holidays", "paraphrase"),
    ("can I speak to a real person", "hours-customer-service", "other"),
    ("whats your phone number", "hours-customer-service", "paraphrase"),
    ("where is your bristol shop", "store-locations", "paraphrase"),
    ("do you have a store near cardiff", "store-locations", "paraphrase"),
    # sizing
    ("what is a uk 8 in european sizes", "sizing-conversion", "paraphrase"),
    ("I'm a US women's 9, what UK size is that", "sizing-conversion", "paraphrase"),
    ("how do I work out my shoe size at home", "sizing-measure-feet", "paraphrase"),
    ("my foot is 26 cm long what size am I", "sizing-measure-feet", "other"),
    ("does the tempo pro 2 come up small", "sizing-model-fit", "paraphrase"),
    ("should i size down in the chelsea boot", "sizing-model-fit", "paraphrase"),
    ("I have wide feet, which shoes will fit me", "sizing-wide-fit", "paraphrase"),
    ("do you do an E width", "sizing-wide-fit", "paraphrase"),
    ("how much room should my son's school shoes have", "sizing-kids", "other"),
    ("kids fitting how often to measure", "sizing-kids", "paraphrase"),
    ("what size hoodie should i get for a 40 inch chest", "sizing-apparel", "paraphrase"),
    # care
    ("how do i clean my white trainers", "care-white-leather", "paraphrase"),
    ("my white sneakers got dirty", "care-white-leather", "other"),
    ("how to look after suede boots", "care-suede", "paraphrase"),
    ("I got my suede shoes wet in the rain", "care-suede", "other"),
    ("can I put my shoes in the washing machine", "care-machine-wash", "paraphrase"),
    ("how many miles do running shoes last", "care-running-shoe-lifespan", "paraphrase"),
    ("my trainers feel flat, time for new ones?", "care-running-shoe-lifespan", "other"),
    # services
    ("what is gait analysis and how much is it", "services-gait-analysis", "paraphrase"),
    ("can someone watch me run and recommend shoes", "services-gait-analysis", "other"),
    ("can you resole my leather boots", "services-repairs-cleaning", "paraphrase"),
    ("do you fix shoes, the heel is worn down", "services-repairs-cleaning", "other"),
    ("I need to move my appointment to next week", "services-appointments", "paraphrase"),
    ("what happens if I'm late for my booking", "services-appointments", "paraphrase"),
    # loyalty, privacy
    ("do you have a rewards scheme", "loyalty-stride-club", "paraphrase"),
    ("how many points do I get per pound", "loyalty-stride-club", "paraphrase"),
    ("stop sending me marketing messages", "privacy-whatsapp", "other"),
    ("what do you do with my personal data", "privacy-whatsapp", "paraphrase"),
]
