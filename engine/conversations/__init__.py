"""Conversations: storing inbound messages, the burst queue and its worker, the reply seam and the inbox
services the console calls."""
