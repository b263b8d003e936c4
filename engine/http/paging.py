"""Path ids, page sizes and cursors, bounded once for every route.

Why bounds: a 25-digit id or `page=2**63-1` used to reach the database and fail there (an integer overflow
is a 500 on PostgreSQL and SQLite alike). Ids here stop at the largest INTEGER, limits at 100, and a cursor
is an opaque token the API gave out — anything else is a 422 before a query runs.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import HTTPException, Path, Query

MAX_ID = 2**31 - 1  # the largest value of the INTEGER primary keys
MAX_LIMIT = 100
MAX_PAGE = 100_000  # page numbers of the older offset-paged lists (catalog, knowledge)

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="an id of the token's tenant", examples=[42])]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"1 to {MAX_LIMIT} items per page")]
Cursor = Annotated[
    str | None,
    Query(max_length=64, description="`next_cursor` of the previous page; leave out for the first page"),
]


def encode_cursor(before_id: int | None) -> str | None:
    """An opaque cursor for "the items older than `before_id`" (None: there is no next page)."""
    if before_id is None:
        return None
    return base64.urlsafe_b64encode(f"v1:{before_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id a cursor stands for; 422 naming `cursor` when it is not one the API gave out."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = text.partition(":")
        value = int(number)
        if prefix != "v1" or not 1 <= value <= MAX_ID + 1:
            raise ValueError(text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise HTTPException(422, detail="cursor: not a cursor this API gave out") from None
    return value


def page_body(items: list[Any], next_before_id: int | None) -> dict[str, Any]:
    """The envelope of every cursor-paged list."""
    return {"items": items, "next_cursor": encode_cursor(next_before_id)}


__all__ = [
    "Cursor",
    "Id",
    "Limit",
    "MAX_ID",
    "MAX_LIMIT",
    "MAX_PAGE",
    "decode_cursor",
    "encode_cursor",
    "page_body",
]
