"""The "Stride & Co." demo tenant: `seed_demo(session)` creates it once and completes it on later runs.

Data lives in readable modules (tenant_data, catalog_data, knowledge_data, customers_data); the loader is
`engine.demo.seed`; `python -m engine.demo` runs it against the configured database and prints the logins.
"""

from engine.demo.seed import DemoSeedResult, seed_demo

__all__ = ["DemoSeedResult", "seed_demo"]
