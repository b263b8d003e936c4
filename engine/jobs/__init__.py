"""Scheduled work: the scheduler wiring and the worker entry point."""
