"""Messaging channels. WhatsApp through Twilio is the only one; the agent never imports a channel directly."""
