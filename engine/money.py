"""Money as text: one formatter (amount + currency → "£95.00") for the console and for WhatsApp replies.

Prices used to be formatted in six places with six symbol tables, so one price could read "₹95.00" in the
console and "95.00 INR" on WhatsApp. Every place now calls `format_money`, built on Babel's CLDR data: the
right symbol and the right number of decimals for every ISO 4217 currency (JPY has none), in one locale.
Amounts are Decimal (money is never float, DESIGN §3); text and ints are accepted because DTOs carry "95.00".
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision, get_currency_symbol

LOCALE = "en"  # the console and the agent's replies are in English; one locale keeps them identical
DEFAULT_CURRENCY = "USD"  # what a tenant starts with (engine.models.tenancy.Tenant.currency)
SMALLEST = Decimal("0.0001")  # `precise` amounts: what one AI call costs

Amount = Decimal | int | str


def _code(currency: str | None) -> str:
    return (currency or DEFAULT_CURRENCY).strip().upper() or DEFAULT_CURRENCY


@lru_cache(maxsize=256)
def currency_symbol(currency: str | None) -> str:
    """ "£" for GBP, "CHF" for a currency whose symbol is its code (no trailing space)."""
    return get_currency_symbol(_code(currency), locale=LOCALE)


@lru_cache(maxsize=256)
def currency_digits(currency: str | None) -> int:
    """Decimals the currency is written with: 2 for GBP, 0 for JPY."""
    return get_currency_precision(_code(currency))


def to_decimal(amount: Amount | None) -> Decimal:
    """The amount as a Decimal; None and "" are zero. Refuses text that is not a number (ValueError)."""
    if amount is None or amount == "":
        return Decimal(0)
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not an amount: {amount!r}") from None
    if not value.is_finite():
        raise ValueError(f"not an amount: {amount!r}")
    return value


def format_money(amount: Amount | None, currency: str | None, *, precise: bool = False) -> str:
    """£1,234.50 · ¥1,235 · CHF 95.00 · -€3.00, rounded half up to the currency's decimals.

    `precise` keeps up to four decimals for amounts under one unit — what a single AI call costs ($0.0042) —
    and says "< $0.0001" rather than rounding a real cost down to zero.
    """
    code = _code(currency)
    value = to_decimal(amount)
    if precise and 0 < abs(value) < 1:
        if abs(value) < SMALLEST:
            return f"< {_spaced(currency_symbol(code), str(SMALLEST))}"
        value = value.quantize(SMALLEST, rounding=ROUND_HALF_UP)
        text = format_currency(
            value,
            code,
            format="¤#,##0.00##",
            locale=LOCALE,
            currency_digits=False,
            decimal_quantization=False,
        )
    else:
        value = value.quantize(Decimal(1).scaleb(-currency_digits(code)), rounding=ROUND_HALF_UP)
        text = format_currency(value, code, locale=LOCALE)
    return _space_after_letters(text, currency_symbol(code))


def amount_text(amount: Amount | None) -> str:
    """Plain decimal text with two places ("95.00"), the API's and the CSV's form; a bad value reads 0.00."""
    try:
        return f"{to_decimal(amount).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"
    except ValueError:
        return "0.00"


def strip_currency(text: str, currency: str | None = None) -> str:
    """What a person typed without its currency: "£1,250.50" → "1,250.50", "CHF 12" → "12"."""
    if currency:
        for mark in (currency_symbol(currency), _code(currency)):
            text = re.sub(re.escape(mark), "", text, flags=re.IGNORECASE)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Sc").strip()


def _spaced(symbol: str, number: str) -> str:
    return f"{symbol} {number}" if symbol[-1:].isalpha() else f"{symbol}{number}"


def _space_after_letters(text: str, symbol: str) -> str:
    """CLDR asks for a space between a letter symbol and the digits ("CHF 95.00"); Babel leaves it out."""
    if not symbol[-1:].isalpha():
        return text
    return text.replace(symbol, f"{symbol} ", 1)


__all__ = [
    "DEFAULT_CURRENCY",
    "amount_text",
    "currency_digits",
    "currency_symbol",
    "format_money",
    "strip_currency",
    "to_decimal",
]
