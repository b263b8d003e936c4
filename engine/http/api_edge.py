"""The REST API's front door: query strings and JSON bodies cleaned before FastAPI reads them.

An ASGI middleware rather than a dependency, so it sees every route — those declared later included — and
answers before any route code runs: a body nested too deeply or carrying a number no column can hold (1e309,
NaN, a 30-digit integer) is a 422 here, not a 500 inside a service. What may pass is cleaned of unusable code
points (engine.http.edge). Bodies of other types (CSV, uploads) are left to their routes, which bound them.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from engine.http.edge import InputRefused, clean_json, clean_text

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_JSON_BODY = 1024 * 1024  # bytes: no API body of ours is near it


async def _answer(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": {"status": status, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _clean_query(raw: bytes) -> bytes:
    if not raw:
        return raw
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace")
    cleaned = [(clean_text(k), clean_text(v)) for k, v in pairs]
    if cleaned == pairs:
        return raw
    return urlencode(cleaned).encode("ascii")


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers") or []:
        if name == b"content-type":
            media = value.split(b";")[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return False


class CleanInput:
    """Wraps the API app: every request's query string and JSON body pass engine.http.edge first."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope["query_string"] = _clean_query(scope.get("query_string") or b"")
        if not _is_json(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_JSON_BODY:
                await _answer(send, 413, f"the body is larger than {MAX_JSON_BODY} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        raw = b"".join(chunks)
        try:
            body = clean_json(raw) if raw.strip() else raw
        except InputRefused as exc:
            await _answer(send, 422, str(exc))
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


__all__ = ["MAX_JSON_BODY", "CleanInput"]
