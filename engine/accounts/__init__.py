"""Tenants, staff, memberships, login sessions, API tokens and tenant secrets."""
