"""Scripted fake servers (OpenAI-compatible, and later Twilio-compatible) the real clients talk to."""
