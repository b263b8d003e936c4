"""The demo shop's customers, with their orders, appointments and WhatsApp conversations.

Plain data, read by `engine.demo.seed`. Times are relative to the moment of seeding so the inbox always looks
recent: `days_ago` / `minutes_ago` in the past, appointments `in_days` from today at a local shop time.
Order lines name a SKU and a quantity; the seed copies the name and price from the catalogue, so totals always
add up. Phone numbers are in Ofcom's reserved drama range (+44 7700 900xxx): they reach nobody.

Message senders: "customer" (inbound), "agent" (Maya, outbound) and "human" (a staff member, outbound).
"""

from __future__ import annotations

from typing import Any

CUSTOMERS: list[dict[str, Any]] = [
    {
        "phone": "whatsapp:+447700900101",
        "name": "Amelia Hughes",
        "language": "en",
        "opted_in": True,
        "key_facts": {"shoe_size": "UK 6.5", "running": "training for the Bath Half"},
        "orders": [
            {
                "order_number": "STR-10418",
                "status": "delivered",
                "days_ago": 24,
                "updated_days_ago": 21,
                "items": [("STR-RUN-CS90", 1), ("STR-SCK-RUN3", 1)],
            },
            {
                "order_number": "STR-10457",
                "status": "shipped",
                "days_ago": 2,
                "updated_days_ago": 1,
                "items": [("STR-APP-JKT", 1)],
            },
        ],
        "appointments": [
            {
                "service": "SVC-GAIT",
                "in_days": 3,
                "local_time": "10:30",
                "status": "booked",
                "notes": "Training for the Bath Half; bringing her current Cloudstep 90s.",
            },
        ],
        "conversations": [
            {
                "key": "c01",
                "status": "bot",
                "messages": [
                    ("customer", "Hi! Where's my order STR-10457? 🙂", 130),
                    (
                        "agent",
                        "Hi Amelia! Your order STR-10457 (Stormshell Packable Rain Jacket) was dispatched "
                        "yesterday and is on its way. Standard delivery takes 3 to 5 working days, and the "
                        "tracking link is in the WhatsApp and email we sent you.",
                        129,
                    ),
                    ("customer", "Great, thanks. Is my gait analysis still booked for this week?", 126),
                    (
                        "agent",
                        "Yes, your Gait Analysis at our Bristol store is still booked. Please bring your "
                        "current running shoes and wear running kit; the session takes 30 minutes.",
                        125,
                    ),
                ],
            },
        ],
    },
    {
        "phone": "whatsapp:+447700900102",
        "name": "Tom Okafor",
        "language": "en",
        "opted_in": True,
        "key_facts": {"shoe_size": "UK 10", "running": "races 10Ks"},
        "orders": [
            {
                "order_number": "STR-10392",
                "status": "delivered",
                "days_ago": 35,
                "updated_days_ago": 33,
                "items": [("STR-RUN-TP2", 1), ("STR-APP-SHRT", 1)],
            },
        ],
        "appointments": [],
        "conversations": [
            {
                "key": "c02",
                "status": "handoff",
                "handoff_reason": "Refund dispute: wants a refund for a faulty racing shoe and mentions "
                "disputing the payment with his bank.",
                "assign_to": "agent",
                "messages": [
                    (
                        "customer",
                        "The sole on my Tempo Pro 2 is peeling away at the toe after 3 weeks. "
                        "Order STR-10392.",
                        95,
                    ),
                    (
                        "agent",
                        "I'm sorry to hear that, Tom. Our own-brand footwear is guaranteed against "
                        "manufacturing faults for 12 months. Could you send a photo of the sole so our team "
                        "can assess it?",
                        94,
                    ),
                    ("customer", "I want my money back, not a repair. I paid £140 for these.", 80),
                    (
                        "agent",
                        "I understand. I've passed your refund request to our customer team, who will take "
                        "it from here.",
                        79,
                    ),
                    (
                        "human",
                        "Hi Tom, this is Jess from the Stride team. I'm checking your photos with our "
                        "workshop today and will come back to you by tomorrow at the latest.",
                        60,
                    ),
                    ("customer", "If it isn't refunded I'll dispute the payment with my bank.", 42),
                ],
            },
        ],
    },
    {
        "phone": "whatsapp:+447700900103",
        "name": "Priya Shah",
        "language": "en",
        "opted_in": True,
        "key_facts": {"children": "two, aged 4 and 7"},
        "orders": [
            {
                "order_number": "STR-10440",
                "status": "delivered",
                "days_ago": 10,
                "updated_days_ago": 7,
                "items": [("STR-KID-SCH", 2)],
            },
        ],
        "appointments": [
            {
                "service": "SVC-KIDFIT",
                "in_days": 6,
                "local_time": "16:00",
                "status": "booked",
                "notes": "Two children, aged 4 and 7.",
            },
        ],
        "conversations": [
            {
                "key": "c03",
                "status": "closed",
                "messages": [
                    ("customer", "Do you do kids fittings? My youngest is 4", 4320),
                    (
                        "agent",
                        "We do! Our Kids' Foot Measuring & Fitting is free and takes 20 minutes, from first "
                        "shoes up to UK 5. Would you like me to book a slot?",
                        4319,
                    ),
                    ("customer", "Yes please, after school next week if possible", 4310),
                    (
                        "agent",
                        "Done: a kids' fitting at our Bristol store next week at 16:00. You can move or "
                        "cancel it free of charge up to 24 hours before.",
                        4309,
                    ),
                    ("customer", "Perfect, thank you!", 4305),
                ],
            },
        ],
    },
    {
        "phone": "whatsapp:+447700900104",
        "name": "Daniel Reed",
        "language": "en",
        "opted_in": True,
        "key_facts": {"shoe_size": "UK 9", "prefers": "leather boots"},
        "orders": [
            {
                "order_number": "STR-10301",
                "status": "delivered",
                "days_ago": 60,
                "updated_days_ago": 57,
                "items": [("STR-FRM-BRG", 1)],
            },
            {
                "order_number": "STR-10463",
                "status": "processing",
                "days_ago": 0,
                "updated_days_ago": 0,
                "items": [("STR-BOT-CHL", 1), ("STR-CARE-WPS", 1)],
            },
        ],
        "appointments": [
            {
                "service": "SVC-RESOLE",
                "in_days": -12,
                "local_time": "12:15",
                "status": "completed",
                "notes": "Heel replacement on his Whitehall Brogues.",
            },
        ],
        "conversations": [],
    },
    {
        "phone": "whatsapp:+447700900105",
        "name": "Sofia Marín",
        "language": "es",
        "opted_in": False,
        "key_facts": {},
        "orders": [
            {
                "order_number": "STR-10377",
                "status": "returned",
                "days_ago": 41,
                "updated_days_ago": 30,
                "items": [("STR-SND-SLD", 2)],
            },
            {
                "order_number": "STR-10429",
                "status": "cancelled",
                "days_ago": 15,
                "updated_days_ago": 15,
                "items": [("STR-TRN-C78", 1)],
            },
        ],
        "appointments": [
            {
                "service": "SVC-INSOLE",
                "in_days": 9,
                "local_time": "14:00",
                "status": "booked",
                "notes": None,
            },
        ],
        "conversations": [],
    },
]
