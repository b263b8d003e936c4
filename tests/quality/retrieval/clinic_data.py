"""A second knowledge base, of a different business: Harbourside Dental, a family dental practice.

Written for the retrieval-quality set (tests/quality/retrieval/) so the ranking is measured on a base it was
not tuned on. Like the demo shop's, it mixes general policies with entries about one named case (children,
implants, a named town, emergencies at the weekend), because that is where a general question can be
answered by too specific an entry. Keys are stored as each entry's `source` ("clinic:<key>").

House facts: Harbourside Dental, 8 Quay Street, Falmouth TR11 3HH (main surgery) and a branch at 41 Fore
Street, Penryn TR10 8HN. Open Mon-Fri 8:00-18:00, Sat 9:00-13:00; Penryn Tue and Thu only.
"""

from __future__ import annotations

from typing import Any

CLINIC: list[dict[str, Any]] = [
    {
        "key": "book-appointment",
        "entry_type": "procedure",
        "category": "appointments",
        "priority": 10,
        "title": "Booking an appointment",
        "content": (
            "Book a check-up or treatment by WhatsApp, by phone on 01326 555 010 or online. New and "
            "existing patients can usually be seen within two weeks; tell us if you are in pain and we "
            "will find an earlier slot."
        ),
        "keywords": ["book", "appointment", "booking", "check-up", "see a dentist"],
    },
    {
        "key": "cancel-appointment",
        "entry_type": "policy",
        "category": "appointments",
        "priority": 9,
        "title": "Cancelling or moving an appointment",
        "content": (
            "Please give at least 24 hours' notice to cancel or move an appointment. Late cancellations "
            "and missed appointments are charged £25. You can move an appointment by replying to your "
            "reminder."
        ),
        "keywords": [
            "cancel",
            "reschedule",
            "move appointment",
            "missed appointment",
            "late cancellation fee",
        ],
    },
    {
        "key": "cancel-long-treatment",
        "entry_type": "policy",
        "category": "appointments",
        "priority": 4,
        "title": "Cancelling long treatment sessions (implants, sedation)",
        "content": (
            "Treatment sessions longer than 90 minutes, such as implant surgery or sedation appointments,"
            " need 72 hours' notice to cancel. A late cancellation of these sessions forfeits the £100 "
            "deposit."
        ),
        "keywords": ["implant surgery", "sedation", "deposit", "72 hours", "long appointment"],
    },
    {
        "key": "reminders",
        "entry_type": "info",
        "category": "appointments",
        "priority": 5,
        "title": "Appointment reminders",
        "content": (
            "We send a reminder by WhatsApp or text two days before your appointment and on the morning "
            "itself. Reply C to confirm or R to ask for a new time."
        ),
        "keywords": ["reminder", "text message", "confirm appointment", "notification"],
    },
    {
        "key": "running-late",
        "entry_type": "policy",
        "category": "appointments",
        "priority": 5,
        "title": "Arriving late",
        "content": (
            "If you arrive more than 10 minutes late we may need to shorten or rebook your appointment so"
            " other patients are not kept waiting. Call us if you are running late."
        ),
        "keywords": ["late", "running late", "arrive late", "delayed"],
    },
    {
        "key": "opening-hours",
        "entry_type": "info",
        "category": "hours",
        "priority": 10,
        "title": "Opening hours",
        "content": (
            "The Falmouth surgery is open Monday to Friday 8:00 to 18:00 and Saturday 9:00 to 13:00. We "
            "are closed on Sundays."
        ),
        "keywords": ["opening hours", "open", "close", "times", "saturday", "when are you open"],
    },
    {
        "key": "bank-holiday-hours",
        "entry_type": "info",
        "category": "hours",
        "priority": 3,
        "title": "Bank holiday and Christmas closures",
        "content": (
            "Both surgeries are closed on bank holidays and from 24 December to 1 January. The emergency "
            "line still answers on those days."
        ),
        "keywords": ["bank holiday", "christmas", "new year", "easter", "closed"],
    },
    {
        "key": "penryn-branch",
        "entry_type": "info",
        "category": "locations",
        "priority": 4,
        "title": "Penryn branch surgery",
        "content": (
            "Our Penryn branch at 41 Fore Street, TR10 8HN, is open Tuesday and Thursday 9:00 to 17:00 "
            "for check-ups and hygiene appointments. It has step-free access but no parking."
        ),
        "keywords": ["penryn", "fore street", "branch", "second surgery"],
    },
    {
        "key": "location-parking",
        "entry_type": "info",
        "category": "locations",
        "priority": 8,
        "title": "Where we are and parking",
        "content": (
            "The main surgery is at 8 Quay Street, Falmouth TR11 3HH, two minutes from the bus station. "
            "Patients can park free for two hours in the Quay car park; ask reception for a ticket."
        ),
        "keywords": ["address", "where", "location", "parking", "directions", "falmouth", "bus"],
    },
    {
        "key": "accessibility",
        "entry_type": "info",
        "category": "locations",
        "priority": 5,
        "title": "Wheelchair access and accessibility",
        "content": (
            "The Falmouth surgery has a ramp, a lift to the first-floor rooms and an accessible toilet. "
            "Tell us when booking if you need a ground-floor room, extra time or a hearing loop."
        ),
        "keywords": ["wheelchair", "accessible", "disabled access", "ramp", "lift", "hearing loop"],
    },
    {
        "key": "private-fees",
        "entry_type": "policy",
        "category": "fees",
        "priority": 10,
        "title": "Private treatment prices",
        "content": (
            "A private check-up costs £55, a hygienist visit £65, a white filling from £120, a crown from"
            " £550 and a root canal from £395. You get a written treatment plan with prices before any "
            "treatment starts."
        ),
        "keywords": ["price", "cost", "how much", "fees", "price list", "private"],
    },
    {
        "key": "nhs-fees",
        "entry_type": "policy",
        "category": "fees",
        "priority": 6,
        "title": "NHS treatment and charges",
        "content": (
            "We take NHS patients for check-ups and routine treatment when places are free. NHS charges "
            "are set nationally in three bands: Band 1 £26.80, Band 2 £73.50 and Band 3 £319.10."
        ),
        "keywords": ["nhs", "band 1", "band 2", "band 3", "nhs dentist", "nhs waiting list"],
    },
    {
        "key": "payment-methods",
        "entry_type": "info",
        "category": "fees",
        "priority": 7,
        "title": "How to pay",
        "content": (
            "We take debit and credit cards, Apple Pay and Google Pay at reception. We do not take "
            "cheques. Payment is due on the day of each appointment."
        ),
        "keywords": ["pay", "payment", "card", "apple pay", "cash", "cheque"],
    },
    {
        "key": "finance",
        "entry_type": "policy",
        "category": "fees",
        "priority": 4,
        "title": "Spreading the cost: 0% finance for treatment over £1,000",
        "content": (
            "Treatment plans over £1,000, such as implants, braces or veneers, can be paid over 12 months"
            " at 0% interest, subject to a credit check. Ask for a finance form at your consultation."
        ),
        "keywords": ["finance", "monthly payments", "interest free", "0%", "instalments", "spread the cost"],
    },
    {
        "key": "membership-plan",
        "entry_type": "policy",
        "category": "fees",
        "priority": 6,
        "title": "Harbourside membership plan",
        "content": (
            "For £16.50 a month the membership plan covers two check-ups and two hygienist visits a year,"
            " 10% off treatment and worldwide dental emergency cover."
        ),
        "keywords": ["membership", "monthly plan", "dental plan", "subscription", "insurance"],
    },
    {
        "key": "insurance",
        "entry_type": "info",
        "category": "fees",
        "priority": 5,
        "title": "Dental insurance claims",
        "content": (
            "We are not part of any insurer's network, but we give you an itemised receipt and fill in "
            "claim forms for Denplan, Bupa and other insurers so you can claim the cost back."
        ),
        "keywords": ["insurance", "claim", "denplan", "bupa", "receipt", "claim form"],
    },
    {
        "key": "emergency",
        "entry_type": "procedure",
        "category": "emergencies",
        "priority": 10,
        "title": "Dental emergencies and toothache",
        "content": (
            "If you are in pain, have a swelling or have broken a tooth, call 01326 555 010 at 8:00: we "
            "keep emergency slots every weekday. An emergency appointment costs £70 for private patients."
        ),
        "keywords": ["emergency", "toothache", "pain", "swelling", "broken tooth", "urgent"],
    },
    {
        "key": "emergency-out-of-hours",
        "entry_type": "procedure",
        "category": "emergencies",
        "priority": 5,
        "title": "Emergencies at night and at weekends",
        "content": (
            "When we are closed, members of our plan can call the out-of-hours line on 0800 555 0190. "
            "Everyone else should call NHS 111, who can book an urgent dental appointment in Cornwall."
        ),
        "keywords": ["out of hours", "weekend", "night", "sunday", "111", "after hours"],
    },
    {
        "key": "knocked-out-tooth",
        "entry_type": "procedure",
        "category": "emergencies",
        "priority": 4,
        "title": "A knocked-out adult tooth",
        "content": (
            "Hold the tooth by the crown, rinse it in milk, and put it back in the socket if you can, or "
            "keep it in milk. Come in within the hour: a tooth replanted quickly can often be saved."
        ),
        "keywords": ["knocked out", "tooth fell out", "avulsed", "accident", "milk"],
    },
    {
        "key": "check-up",
        "entry_type": "info",
        "category": "treatments",
        "priority": 8,
        "title": "What happens at a check-up",
        "content": (
            "A check-up takes about 20 minutes: we examine your teeth, gums and mouth, take X-rays every "
            "two years, and explain any treatment you need. Most adults need a check-up every 6 to 12 "
            "months."
        ),
        "keywords": ["check-up", "examination", "x-ray", "how often", "routine"],
    },
    {
        "key": "hygienist",
        "entry_type": "info",
        "category": "treatments",
        "priority": 7,
        "title": "Hygienist visits and scale and polish",
        "content": (
            "A hygienist visit takes 30 minutes: a scale and polish removes tartar and stains and helps "
            "prevent gum disease. You can book a hygienist directly, without a check-up first."
        ),
        "keywords": ["hygienist", "scale and polish", "cleaning", "tartar", "gum disease"],
    },
    {
        "key": "whitening",
        "entry_type": "info",
        "category": "treatments",
        "priority": 6,
        "title": "Teeth whitening",
        "content": (
            "Home whitening with custom trays costs £295 and takes two to three weeks. We only whiten "
            "after a check-up, and whitening does not change the colour of crowns or fillings."
        ),
        "keywords": ["whitening", "whiten", "bleaching", "yellow teeth", "stains"],
    },
    {
        "key": "implants",
        "entry_type": "info",
        "category": "treatments",
        "priority": 5,
        "title": "Dental implants",
        "content": (
            "An implant replaces a missing tooth with a titanium post and a crown. A single implant costs"
            " from £2,400, takes three to six months from start to finish and starts with a consultation "
            "at £95."
        ),
        "keywords": ["implant", "missing tooth", "replace tooth", "titanium", "gap"],
    },
    {
        "key": "invisalign",
        "entry_type": "info",
        "category": "treatments",
        "priority": 5,
        "title": "Invisalign and adult braces",
        "content": (
            "Clear aligners straighten teeth in 6 to 18 months and cost from £2,900; fixed adult braces "
            "cost from £3,200. A free 20-minute consultation tells you which suits you."
        ),
        "keywords": ["invisalign", "braces", "aligners", "straighten", "crooked teeth", "orthodontics"],
    },
    {
        "key": "root-canal",
        "entry_type": "info",
        "category": "treatments",
        "priority": 5,
        "title": "Root canal treatment",
        "content": (
            "Root canal treatment removes infected nerve tissue from inside a tooth and usually takes two"
            " visits of an hour. It is done under local anaesthetic and should feel no worse than a "
            "filling."
        ),
        "keywords": ["root canal", "nerve", "infection", "abscess", "endodontics"],
    },
    {
        "key": "wisdom-teeth",
        "entry_type": "info",
        "category": "treatments",
        "priority": 4,
        "title": "Wisdom teeth removal",
        "content": (
            "We remove most wisdom teeth at the surgery under local anaesthetic. Difficult lower wisdom "
            "teeth are referred to the oral surgery unit at Treliske hospital."
        ),
        "keywords": ["wisdom teeth", "extraction", "removal", "impacted"],
    },
    {
        "key": "sedation",
        "entry_type": "info",
        "category": "treatments",
        "priority": 4,
        "title": "Nervous patients and sedation",
        "content": (
            "If you are nervous, tell us when you book: we take things slowly and explain each step. IV "
            "sedation is available for longer treatments at £250 a session; you need someone to take you "
            "home."
        ),
        "keywords": ["nervous", "anxious", "scared", "phobia", "sedation", "fear"],
    },
    {
        "key": "aftercare-extraction",
        "entry_type": "procedure",
        "category": "treatments",
        "priority": 4,
        "title": "After a tooth extraction",
        "content": (
            "Do not rinse, smoke or drink alcohol for 24 hours after an extraction. Some bleeding and "
            "soreness is normal for two days; if it is still bleeding after pressing a gauze for 30 "
            "minutes, call us."
        ),
        "keywords": ["after extraction", "bleeding", "aftercare", "socket", "dry socket"],
    },
    {
        "key": "children",
        "entry_type": "policy",
        "category": "children",
        "priority": 7,
        "title": "Children's dentistry",
        "content": (
            "Children under 18 are seen free on the NHS. Bring your child from their first tooth; check-"
            "ups for children are every six months and include fluoride varnish from age three."
        ),
        "keywords": ["children", "kids", "child", "baby teeth", "under 18", "fluoride"],
    },
    {
        "key": "children-cancel",
        "entry_type": "policy",
        "category": "children",
        "priority": 3,
        "title": "Missed children's appointments",
        "content": (
            "Children's appointments are never charged when missed, but after three missed appointments "
            "in a year we write to the family to find a time that works."
        ),
        "keywords": ["child missed appointment", "children", "no charge", "family"],
    },
    {
        "key": "orthodontics-kids",
        "entry_type": "info",
        "category": "children",
        "priority": 4,
        "title": "Braces for children and teenagers",
        "content": (
            "NHS braces are available for under-18s with a clear need, after a referral from your "
            "dentist; the waiting list is about 18 months. Private children's braces cost from £2,500."
        ),
        "keywords": ["teen braces", "children braces", "orthodontist referral", "under 18"],
    },
    {
        "key": "new-patients",
        "entry_type": "procedure",
        "category": "registration",
        "priority": 8,
        "title": "Registering as a new patient",
        "content": (
            "To join the practice, fill in the new patient form on WhatsApp or at reception and book a "
            "first examination (£75, 40 minutes). Bring a list of your medicines."
        ),
        "keywords": ["new patient", "register", "join", "sign up", "registration"],
    },
    {
        "key": "medical-history",
        "entry_type": "policy",
        "category": "registration",
        "priority": 5,
        "title": "Medical history and medicines",
        "content": (
            "Please update your medical history at every visit and tell us about blood thinners, "
            "pregnancy, diabetes or heart conditions: they change how we treat you safely."
        ),
        "keywords": ["medical history", "medication", "blood thinners", "pregnant", "health conditions"],
    },
    {
        "key": "records-privacy",
        "entry_type": "policy",
        "category": "registration",
        "priority": 4,
        "title": "Your records and privacy",
        "content": (
            "Your dental records are kept securely for 11 years after your last visit. You can ask for a "
            "copy of your records or X-rays free of charge; we reply within one month."
        ),
        "keywords": ["records", "privacy", "gdpr", "copy of x-rays", "data"],
    },
    {
        "key": "complaints",
        "entry_type": "procedure",
        "category": "registration",
        "priority": 4,
        "title": "Feedback and complaints",
        "content": (
            "If you are unhappy with your care, tell the practice manager, Ruth Penrose, in person, by "
            "email or by letter. We acknowledge complaints within 3 working days and reply in full within"
            " 10."
        ),
        "keywords": ["complaint", "unhappy", "feedback", "practice manager", "problem with treatment"],
    },
]
