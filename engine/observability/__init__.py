"""What operators see of a running Parley: Prometheus metrics, structured logs, traces and alerts.

Low in the package graph on purpose: the agent, the LLM ledger, the channel and the worker record into it, so
it imports nothing of theirs (config, db and models only). Delivery of alerts (mail, outgoing webhooks) is
wired above it, in engine/jobs/alerts.py. docs/operations.md is the operator's guide.
"""
