"""Labelled questions over the demo shop's knowledge (engine/demo/knowledge_data.py).

The 88 questions of tests/quality/knowledge_retrieval (paraphrases, typos, situations) plus "general"
questions: a general question that a more specific entry (a named region, sale items, exceptions) also
touches, where the general policy is the right answer (issue 15: "how long does delivery take?" answered with
the remote-areas entry). Each item: (question, demo entry key, kind).
"""

from __future__ import annotations

from tests.quality.knowledge_retrieval.questions import QUESTIONS as EARLIER

GENERAL: list[tuple[str, str, str]] = [
    ("how long does delivery take?", "delivery-uk-standard", "general"),
    ("how much is delivery", "delivery-uk-standard", "general"),
    ("is delivery free", "delivery-uk-standard", "general"),
    ("do you deliver", "delivery-uk-standard", "general"),
    ("how long will shipping take", "delivery-uk-standard", "general"),
    ("can I return shoes?", "returns-policy", "general"),
    ("can i return my trainers if they dont fit", "returns-policy", "general"),
    ("what is your returns policy", "returns-policy", "general"),
    ("do you do refunds", "returns-policy", "general"),
    ("how long do refunds take", "returns-policy", "general"),
    ("when are you open", "hours-stores", "general"),
    ("what payment methods do you accept", "payment-methods", "general"),
    ("how do I contact you", "hours-customer-service", "general"),
    ("do you have any discounts", "payment-discounts", "general"),
]

QUESTIONS: list[tuple[str, str, str]] = [*EARLIER, *GENERAL]
