"""Customer-facing wording per language, one JSON file per language in this folder (README.md has the keys).

Below the services so every one of them can read it: the agent (replies, the handoff notice), conversations
(the rating question) and the offline provider. Adding a language is adding a file."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).parent


@lru_cache(maxsize=1)
def locales() -> dict[str, dict[str, Any]]:
    """{code: locale data} for every file in this folder."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(FOLDER.glob("*.json"))}


def locale(code: str | None) -> dict[str, Any]:
    """The wording for a language, English when we have none for it."""
    found = locales()
    return found.get((code or "en").lower(), found["en"])


__all__ = ["FOLDER", "locale", "locales"]
