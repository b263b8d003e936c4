"""WhatsApp through Twilio: webhook parsing and signatures, the rich message builder and its limits, the
Twilio sender (Content API, fallbacks, retries, throttling) and delivery-status handling."""
