"""Knowledge base: versioned entries in SQL, a LanceDB index per tenant, hybrid search, imports.

Callers (console page, REST API, agent) use `engine.knowledge.service` (and `importing`, `documents`);
maintenance (CLI reindex, the repair job) uses `engine.knowledge.index`.
"""

import os

# Lance logs from Rust; its routine notices ("No existing dataset ... will be created") are not warnings to
# us. Set before lancedb is first imported, which is when its logger reads this.
os.environ.setdefault("LANCEDB_LOG", "error")
