"""Match indexes built in memory from (key, name, category, aliases) rows, and the item a message names at
MATCH_THRESHOLD: the set-up the pure matcher tests share (their `products` and `services` fixtures are in
conftest.py)."""

from __future__ import annotations

from engine.catalog.index import MatchIndex, build_index, indexed_item, product_phrases
from engine.catalog.matcher import MATCH_THRESHOLD, match_in_index

Spec = tuple[str, str, str, list[str]]  # key, name, category, aliases


def index_of(kind: str, specs: list[Spec], descriptions: dict[str, str] | None = None) -> MatchIndex:
    """The index of these rows; `descriptions` by key, as the owner wrote them."""
    about = descriptions or {}
    rows = []
    for i, (key, name, category, aliases) in enumerate(specs):
        item = indexed_item(i, key, name, category, 1, True, True, about.get(key))
        rows.append((item, product_phrases(key, name, aliases, category)))
    return build_index(kind, rows)  # type: ignore[arg-type]


def top(index: MatchIndex, text: str, elsewhere: MatchIndex | None = None) -> str | None:
    """The key of the best match at MATCH_THRESHOLD or above, or None."""
    found = [
        m for m in match_in_index(index, text, 3, elsewhere=elsewhere) if m.confidence >= MATCH_THRESHOLD
    ]
    return found[0].key if found else None
