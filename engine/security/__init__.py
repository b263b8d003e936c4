"""Passwords, API tokens and scopes, encryption at rest."""
