"""WhatsApp and Twilio Content API limits, in one place (reference/twilio-whatsapp.md).

Where sources disagree the safer number is used: a message we refuse to build is a bug we see in tests, a
message Twilio refuses is a customer who got nothing.
"""

from __future__ import annotations

# Plain text and media captions (twilio/text, twilio/media, Messages API Body).
TEXT_BODY_MAX = 1600

# Interactive messages: quick-reply buttons, list picker, and the card title.
INTERACTIVE_BODY_MAX = 1024
BUTTONS_MAX = 3  # in a 24-hour session without an approved template
BUTTON_TITLE_MAX = 20
OPTION_ID_MAX = 128

LIST_ITEMS_MIN = 1
LIST_ITEMS_MAX = 10  # across all sections
LIST_SECTIONS_MAX = 10
LIST_SECTION_TITLE_MAX = 24
LIST_ITEM_TITLE_MAX = 24
LIST_ITEM_DESCRIPTION_MAX = 72
LIST_BUTTON_MAX = 20

CARD_TITLE_MAX = 1024
CARD_SUBTITLE_MAX = 60
CARD_BUTTONS_MAX = 3  # in session, without approval

MB = 1024 * 1024
MESSAGE_MEDIA_MAX_BYTES = 16 * MB
IMAGE_MAX_BYTES = 5 * MB

# Real content types WhatsApp accepts, with the size limit of each (check the type, never the file name).
MEDIA_TYPES: dict[str, int] = {
    "image/jpeg": IMAGE_MAX_BYTES,
    "image/png": IMAGE_MAX_BYTES,
    "video/mp4": MESSAGE_MEDIA_MAX_BYTES,
    "audio/ogg": MESSAGE_MEDIA_MAX_BYTES,
    "audio/amr": MESSAGE_MEDIA_MAX_BYTES,
    "audio/3gpp": MESSAGE_MEDIA_MAX_BYTES,
    "audio/aac": MESSAGE_MEDIA_MAX_BYTES,
    "audio/mpeg": MESSAGE_MEDIA_MAX_BYTES,
    "application/pdf": MESSAGE_MEDIA_MAX_BYTES,
    "application/msword": MESSAGE_MEDIA_MAX_BYTES,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": MESSAGE_MEDIA_MAX_BYTES,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": MESSAGE_MEDIA_MAX_BYTES,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": MESSAGE_MEDIA_MAX_BYTES,
}
MEDIA_PER_MESSAGE = 1

# Outbound throughput per WhatsApp sender (Twilio's default; text can be raised, media cannot).
SENDER_MESSAGES_PER_SECOND = 80

# The customer-service window: free-form messages only within 24 h of the customer's latest message.
SESSION_WINDOW_HOURS = 24
