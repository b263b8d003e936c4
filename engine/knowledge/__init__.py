"""Knowledge base: versioned entries in SQL, a LanceDB index per tenant, hybrid search, imports.

Callers (console page, REST API, agent) use `engine.knowledge.service`; maintenance (CLI reindex, repair job)
uses `engine.knowledge.index`.
"""
