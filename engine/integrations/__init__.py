"""Outgoing webhooks: a shop's other systems (CRM, order system, scripts) hear what happened in Parley.

    events.py     emit(): the outbox row and one delivery per subscribed endpoint, in the caller's transaction
    catalog.py    the event types and their words; which data fields are the customer's own text
    endpoints.py  register, change, rotate the secret, remove; the URL checked like every URL a tenant types
    signing.py    the HMAC-SHA256 signature over "timestamp.body" (docs/webhooks.md shows how to verify it)
    transport.py  one POST to a public address, pinned against DNS rebinding
    delivery.py   the worker's job: claim due deliveries, send, back off, give up after a day, disable
    log.py        what was sent where, for Settings → Integrations and the REST API; resend and test

This package sits low in the engine (models, security, db, config only) so conversations and campaigns can
emit events without a cycle; the job wiring lives in engine/jobs/integrations.py.
"""
