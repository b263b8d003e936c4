"""Figures a tenant or operator sees: SQL aggregates, one home for each (DESIGN.md §2)."""
