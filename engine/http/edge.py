"""Input hygiene at the edge: text cleaned of code points no store can keep, JSON nesting and numbers bounded.

Why here and not in each service: a NUL byte is valid in a Python string and in SQLite, but PostgreSQL refuses
it in any text column, so a NUL in a WhatsApp profile name used to lose the whole message there; a lone
surrogate (`"\\ud800"` is valid JSON) cannot even be encoded to UTF-8. Neither can mean anything to a person,
so they are dropped from every field as the request comes in, before any service sees it — the same way for
the webhook form and the REST API's JSON bodies and query strings.

Nesting is bounded for a similar reason: Python's JSON reader recurses, so a few thousand `[` end in a
RecursionError (a 500) and, stored, in a document nobody can read back. Depth is measured by scanning the
text, never by recursing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

# C0 controls but tab, newline and carriage return; DEL and the C1 controls; lone surrogates; the
# noncharacters (U+FDD0-U+FDEF and the last two code points of every plane).
_INVALID = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)

MAX_JSON_DEPTH = 16  # objects and arrays inside each other: more than any real payload of ours needs
MAX_JSON_INT = 2**63 - 1  # what a BIGINT column holds; larger whole numbers are refused, never wrapped
METADATA_FIELD = "ChannelMetadata"  # the one webhook field that carries JSON


class InputRefused(ValueError):
    """A request body the API will not read; the message names why (answered 422)."""


def clean_text(value: str) -> str:
    """`value` without the code points no database or person can use (see the module docstring)."""
    return _INVALID.sub("", value)


def json_depth(text: str) -> int:
    """How deeply objects and arrays nest in JSON `text`, counted without parsing (brackets in strings
    do not count); malformed text gets a number too, and the parser refuses it later."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def clean_form(items: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """A webhook form with every name and value cleaned; ChannelMetadata nested too deeply is replaced by
    a note saying so, so the message itself is still stored. The signature is checked on the raw form."""
    cleaned: dict[str, str] = {}
    for name, value in items:
        key, text = clean_text(str(name)), clean_text(str(value))
        if key == METADATA_FIELD and json_depth(text) > MAX_JSON_DEPTH:
            text = json.dumps({"dropped": f"nested deeper than {MAX_JSON_DEPTH} levels"})
        cleaned.setdefault(key, text)
    return cleaned


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InputRefused(f"the number {text[:20]} is out of range")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 19 or abs(value := int(text)) > MAX_JSON_INT:
        raise InputRefused(f"the number {text[:20]}… is out of range")
    return value


def _no_constants(name: str) -> Any:
    raise InputRefused(f"{name} is not a number JSON allows")


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean_value(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(k): _clean_value(v) for k, v in value.items()}
    return value


def clean_json(raw: bytes) -> bytes:
    """A JSON body re-encoded with every string cleaned, or InputRefused (too deep, a number out of range,
    NaN/Infinity, not UTF-8). Text that is not JSON at all comes back as it came, for the parser to refuse."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputRefused("the body is not UTF-8") from exc
    if json_depth(text) > MAX_JSON_DEPTH:
        raise InputRefused(f"the body nests objects or arrays deeper than {MAX_JSON_DEPTH} levels")
    try:
        value = json.loads(text, parse_float=_finite, parse_int=_bounded_int, parse_constant=_no_constants)
    except (json.JSONDecodeError, RecursionError):
        return raw
    except ValueError as exc:  # InputRefused, or int() refusing thousands of digits
        raise InputRefused(str(exc) if isinstance(exc, InputRefused) else "a number is out of range") from exc
    return json.dumps(_clean_value(value), ensure_ascii=False).encode("utf-8")


__all__ = [
    "InputRefused",
    "MAX_JSON_DEPTH",
    "clean_form",
    "clean_json",
    "clean_text",
    "json_depth",
]
