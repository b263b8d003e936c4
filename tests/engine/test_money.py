"""engine.money: one text for an amount in a currency, and no other module keeping a symbol table."""

from __future__ import annotations

import ast
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from engine.money import amount_text, currency_symbol, format_money, strip_currency

ROOT = Path(__file__).resolve().parents[2]
FORMATTER = ROOT / "engine" / "money.py"
# Modules whose currency signs are not a display table, with the reason.
NOT_A_TABLE = {
    "engine/knowledge/search.py": "its word pattern keeps '£50' one search token",
    "engine/knowledge/ranking.py": "search.py's word pattern: found_terms finds what matched_terms does",
    "engine/catalog/attributes.py": "a bare '42' after '£' or '$' is a price, not a shoe size",
}


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (Decimal("1234.5"), "GBP", "£1,234.50"),
        (Decimal("95"), "EUR", "€95.00"),
        (Decimal("0.5"), "USD", "$0.50"),
        (Decimal("95"), "INR", "₹95.00"),
        (Decimal("1234.5"), "JPY", "¥1,235"),  # no decimals, rounded half up
        (Decimal("95"), "CHF", "CHF 95.00"),  # a symbol in letters stands apart from the digits
        (Decimal("-3"), "gbp", "-£3.00"),
        ("95.00", None, "$95.00"),  # DTO text; a tenant without a currency is on USD
        (Decimal("2.345"), "GBP", "£2.35"),  # half up, not banker's rounding
    ],
)
def test_amounts_read_with_the_currency_symbol_and_decimals(
    amount: Decimal | str, currency: str | None, text: str
) -> None:
    assert format_money(amount, currency) == text


def test_precise_amounts_keep_what_one_ai_call_costs() -> None:
    assert format_money(Decimal("0.0042"), "USD", precise=True) == "$0.0042"
    assert format_money(Decimal("0.5"), "USD", precise=True) == "$0.50"
    assert format_money(Decimal("0.00001"), "USD", precise=True) == "< $0.0001"
    assert format_money(Decimal("12.3456"), "USD", precise=True) == "$12.35"


def test_parsing_helpers() -> None:
    assert strip_currency("£1,250.50") == "1,250.50"
    assert strip_currency("CHF 12", "chf") == "12"
    assert strip_currency("R$ 7", "BRL") == "7"
    assert amount_text(Decimal("95")) == "95.00" and amount_text("not a number") == "0.00"
    assert currency_symbol("JPY") == "¥" and currency_symbol("XYZ") == "XYZ"
    with pytest.raises(ValueError):
        format_money("ninety", "GBP")


def _signs(text: str) -> set[str]:
    return {ch for ch in text if unicodedata.category(ch) == "Sc"}


def _tables(tree: ast.AST) -> list[int]:
    """Lines holding a currency-symbol table: a string with two signs or more, or a literal collection with
    two or more strings holding a sign (a dict of code → symbol, a tuple of signs to strip)."""
    lines: list[int] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(_signs(node.value)) >= 2:
            lines.append(node.lineno)
        elif isinstance(node, ast.Dict | ast.Tuple | ast.List | ast.Set):
            elements = node.values if isinstance(node, ast.Dict) else node.elts
            signed = [
                e
                for e in elements
                if isinstance(e, ast.Constant) and isinstance(e.value, str) and _signs(e.value)
            ]
            if len(signed) >= 2:
                lines.append(node.lineno)
    return sorted(set(lines))


def test_no_module_but_the_formatter_keeps_a_currency_symbol_table() -> None:
    offenders = {}
    for package in ("engine", "console"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            if path == FORMATTER or name in NOT_A_TABLE or "demo" in path.parts:
                continue
            if lines := _tables(ast.parse(path.read_text(encoding="utf-8"))):
                offenders[name] = lines
    assert offenders == {}


def test_the_table_finder_finds_tables() -> None:
    sample = 'A = {"USD": "$", "GBP": "£"}\nB = "x".lstrip("£$€")\nC = ("$", "€", code)\nD = "£3.95 a pair"\n'
    assert _tables(ast.parse(sample)) == [1, 2, 3]
