"""Folding: both sides of every catalogue comparison are lowercased without accents or apostrophes, so a
customer who types an accent, or leaves it out, meets the same word (engine/catalog/text.py)."""

from __future__ import annotations

import pytest

from engine.catalog.text import fold
from tests.engine.catalog.indexes import index_of, top


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Zapatillas Niño's", "zapatillas ninos"),
        ("CAFÉ", "cafe"),
        ("Łyżka", "lyzka"),  # Polish ł has no accent to strip: it is its own letter
        ("Smørrebrød", "smorrebrod"),
        ("Straße", "strasse"),
        ("Œuf", "oeuf"),
    ],
)
def test_a_word_is_folded_to_plain_lower_case_letters(written: str, folded: str) -> None:
    assert fold(written) == folded


def test_a_polish_word_written_with_or_without_its_letters_finds_the_same_item() -> None:
    shop = index_of("product", [("P-SPOON", "Drewniana Łyżka", "kitchen tools", [])])
    assert top(shop, "łyżka") == "P-SPOON"
    assert top(shop, "lyzka") == "P-SPOON"
