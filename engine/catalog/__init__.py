"""Catalog: products, services, orders and appointments; fuzzy matching and spelling correction.

The public surface the console, the REST API and the agent pipeline use is re-exported here; everything takes
a session and an explicit tenant id and returns DTOs (never ORM rows).
"""
