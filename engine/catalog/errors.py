"""Errors the catalog services raise; their messages name the field and are safe to show to the user."""

from __future__ import annotations

from dataclasses import dataclass

from engine.db import NotFound


@dataclass(frozen=True)
class FieldError:
    """One refused value: which field, and why (the console shows it beside the input)."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class CatalogError(ValueError):
    """Input was refused. `errors` lists every field at fault, so a form can mark them all at once."""

    def __init__(self, errors: list[FieldError] | FieldError | str, field: str = "__all__") -> None:
        if isinstance(errors, str):
            errors = [FieldError(field, errors)]
        elif isinstance(errors, FieldError):
            errors = [errors]
        self.errors: list[FieldError] = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))

    def as_dict(self) -> dict[str, object]:
        return {
            "message": str(self),
            "errors": [{"field": e.field, "message": e.message} for e in self.errors],
        }


class CatalogNotFound(NotFound):
    """The product, service, order or appointment is missing, or belongs to another tenant."""


__all__ = ["CatalogError", "CatalogNotFound", "FieldError"]
