"""Header cells onto an importer's fields: exact names, known synonyms ("type" → entry_type, "qty" → stock),
and for anything else the closest field as a suggestion ("did you mean entry_type?").

Unknown columns are never guessed into a field silently: a wrong guess would write the wrong data into every
row. They are reported with the suggestion, and the owner renames the column or picks another file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

SUGGEST_CUTOFF = 70  # WRatio score out of 100; below it a "did you mean" would more often mislead than help


def normalize_column(name: str) -> str:
    """ "Entry type", "entry-type", " ENTRY_TYPE " all become "entry_type"."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


@dataclass(frozen=True)
class UnknownColumn:
    name: str
    suggestion: str | None = None

    def message(self, fields: Sequence[str]) -> str:
        if self.suggestion:
            return f"unknown column: did you mean {self.suggestion}?"
        return f"unknown column; the columns are: {', '.join(fields)}"


@dataclass(frozen=True)
class ColumnMatch:
    """For each header cell its field (None when unknown), the unknown ones, and fields named twice."""

    fields: tuple[str | None, ...]
    unknown: tuple[UnknownColumn, ...]
    duplicates: tuple[str, ...]

    @property
    def present(self) -> set[str]:
        return {f for f in self.fields if f}


def suggest(name: str, fields: Sequence[str], synonyms: Mapping[str, str]) -> str | None:
    """The field whose name (or one of whose synonyms) is closest to `name`, if it is close enough."""
    key = normalize_column(name)
    if not key:
        return None
    choices = {field: field for field in fields} | dict(synonyms)
    found = process.extractOne(key, list(choices), scorer=fuzz.WRatio, score_cutoff=SUGGEST_CUTOFF)
    return choices[found[0]] if found else None


def match_columns(
    header: Sequence[str], fields: Sequence[str], synonyms: Mapping[str, str] | None = None
) -> ColumnMatch:
    """Map each header cell to a field by its normalised name, then by synonym."""
    synonyms = {normalize_column(k): v for k, v in (synonyms or {}).items()}
    mapped: list[str | None] = []
    unknown: list[UnknownColumn] = []
    for cell in header:
        key = normalize_column(cell)
        field = key if key in fields else synonyms.get(key)
        mapped.append(field)
        if field is None:
            unknown.append(UnknownColumn(cell or "(blank)", suggest(cell, fields, synonyms)))
    duplicates = sorted({f for f in mapped if f and mapped.count(f) > 1})
    return ColumnMatch(tuple(mapped), tuple(unknown), tuple(duplicates))
