"""The engine's HTTP surface: webhooks, REST API v1, console auth routes, health."""
