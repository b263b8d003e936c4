"""The campaign services' refusals, in words a shop owner reads, naming the field (the API maps them)."""

from __future__ import annotations


class CampaignError(ValueError):
    """A value breaks a rule: `field` is a path like `buttons[3].title`, `limit` the number it breaks."""

    def __init__(self, field: str, message: str, limit: int | None = None) -> None:
        self.field = field
        self.message = message
        self.limit = limit
        super().__init__(f"{field}: {message}")


class CampaignStateError(RuntimeError):
    """The campaign cannot do that now (start a sent campaign, resume a cancelled one...)."""


__all__ = ["CampaignError", "CampaignStateError"]
