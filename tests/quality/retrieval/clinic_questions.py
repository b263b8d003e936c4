"""Labelled questions over the clinic knowledge base (clinic_data.py): NOT tuned on.

Written before the ranking change and never looked at per question while tuning (see README.md). Each item:
(question as a patient would type it, the entry key that answers it, kind). Kinds as in demo_questions.py:
"general" (a general question that a more specific entry also touches), "specific" (names the specific case),
"paraphrase", "typo", "other" (a situation rather than a question).
"""

from __future__ import annotations

QUESTIONS: list[tuple[str, str, str]] = [
    # appointments
    ("how do I book an appointment", "book-appointment", "general"),
    ("can i get seen by a dentist soon", "book-appointment", "paraphrase"),
    ("how do I cancel my appointment", "cancel-appointment", "general"),
    ("is there a charge if I miss my appointment", "cancel-appointment", "general"),
    ("i need to move my apointment to friday", "cancel-appointment", "typo"),
    ("how much notice to cancel my implant surgery", "cancel-long-treatment", "specific"),
    ("will I lose my deposit if I cancel the sedation appointment", "cancel-long-treatment", "specific"),
    ("will you remind me before my appointment", "reminders", "paraphrase"),
    ("I'm stuck in traffic and will be 15 minutes late", "running-late", "other"),
    # hours and locations
    ("what are your opening hours", "opening-hours", "general"),
    ("are you open on saturday", "opening-hours", "paraphrase"),
    ("wen do u close today", "opening-hours", "typo"),
    ("are you open on easter monday", "bank-holiday-hours", "specific"),
    ("is the practice closed over christmas", "bank-holiday-hours", "specific"),
    ("what days is the penryn surgery open", "penryn-branch", "specific"),
    ("where are you and is there parking", "location-parking", "general"),
    ("what is your address", "location-parking", "paraphrase"),
    ("can I get in with a wheelchair", "accessibility", "paraphrase"),
    # fees
    ("how much does a check up cost", "private-fees", "general"),
    ("what are your prices", "private-fees", "general"),
    ("how much is a filling", "private-fees", "paraphrase"),
    ("do you take nhs patients", "nhs-fees", "specific"),
    ("what is the band 2 charge", "nhs-fees", "specific"),
    ("can I pay by card", "payment-methods", "general"),
    ("do you acept cheques", "payment-methods", "typo"),
    ("can I pay for my implant monthly", "finance", "specific"),
    ("is there interest free finance", "finance", "paraphrase"),
    ("do you have a monthly dental plan", "membership-plan", "paraphrase"),
    ("can I claim on my bupa insurance", "insurance", "specific"),
    # emergencies
    ("I have really bad toothache", "emergency", "general"),
    ("I broke a tooth what should I do", "emergency", "other"),
    ("my face is swollen on one side", "emergency", "other"),
    ("who do I call for an emergency on sunday night", "emergency-out-of-hours", "specific"),
    ("my son's front tooth got knocked out playing rugby", "knocked-out-tooth", "specific"),
    # treatments
    ("what happens at a check-up", "check-up", "general"),
    ("how often should i have a checkup", "check-up", "paraphrase"),
    ("can I book a scale and polish", "hygienist", "paraphrase"),
    ("how much is teeth whitening", "whitening", "specific"),
    ("I have a gap where a tooth was pulled, what can replace it", "implants", "other"),
    ("do you do invisalign", "invisalign", "specific"),
    ("my teeth are crooked can they be straightened", "invisalign", "other"),
    ("does root canal hurt", "root-canal", "paraphrase"),
    ("can you take out my wisdom tooth", "wisdom-teeth", "paraphrase"),
    ("I'm terrified of the dentist", "sedation", "other"),
    ("my gum is still bleeding after the extraction", "aftercare-extraction", "other"),
    # children
    ("do you see children", "children", "general"),
    ("at what age should my baby first see a dentist", "children", "paraphrase"),
    ("my daughter is 14, can she get braces on the nhs", "orthodontics-kids", "specific"),
    # registration
    ("how do I register as a new patient", "new-patients", "general"),
    ("are you taking on new patiants", "new-patients", "typo"),
    ("I've started taking blood thinners, do you need to know", "medical-history", "other"),
    ("can I get a copy of my x-rays", "records-privacy", "paraphrase"),
    ("I want to make a complaint", "complaints", "paraphrase"),
]
