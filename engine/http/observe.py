"""Every HTTP request of the engine app timed, traced and logged with a request id.

A pure ASGI middleware (not BaseHTTPMiddleware) so the request's contextvars — the request id bound for
every log line, the server span — are the ones the route runs under, thread pool included. The route label
is the matched route's template (`/api/v1/knowledge/{entry_id}`), never the raw path, so the histogram's
series stay bounded; a path no route matched reads "unmatched". Websockets (Reflex's) are passed through.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.observability import logs, metrics, tracing

REQUEST_ID_HEADER = "x-request-id"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{8,64}$")  # a caller's id is kept only when it looks like an id


def route_template(scope: Scope) -> str:
    """The matched route's path template, under the mount it came through ("unmatched" when none)."""
    route = scope.get("route")
    path = getattr(route, "path", None) or getattr(route, "path_format", None)
    if not path:
        return "unmatched"
    return f"{scope.get('root_path', '')}{path}" or "/"


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers") or ():
        if name == REQUEST_ID_HEADER.encode():
            text = value.decode("latin-1").strip()
            if _REQUEST_ID.match(text):
                return text
    return uuid.uuid4().hex


def first_segment(path: str) -> str:
    return path.lstrip("/").split("/", 1)[0]


class ObserveRequests:
    """`own`: the first path segments of the engine's own routes (healthz, metrics, webhooks, api), taken by
    create_app before Reflex mounts the console into the same app. Any other request — the console's pages,
    assets and event socket behind Reflex's routes — passes through untouched: the histogram, the log events
    and the spans are the webhooks' and the API's."""

    def __init__(self, app: ASGIApp, own: frozenset[str] | None = None) -> None:
        self.app = app
        self.own = own

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (
            self.own is not None and first_segment(scope.get("path", "")) not in self.own
        ):
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        status = {"code": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
                headers = list(message.get("headers") or [])
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        method = scope.get("method", "GET")
        raw = scope.get("headers") or []
        headers: dict[str, Any] = {k.decode("latin-1"): v.decode("latin-1") for k, v in raw}
        started = time.perf_counter()
        with (
            logs.bound(request_id=request_id),
            tracing.server_span(f"{method} {scope.get('path', '')}", headers, request_id=request_id) as span,
        ):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                route = route_template(scope)
                metrics.observe_request(route, method, status["code"], seconds)
                if span is not None:
                    span.update_name(f"{method} {route}")
                    span.set_attribute("http.route", route)
                    span.set_attribute("http.response.status_code", status["code"])
                kind = "webhook" if route.startswith("/webhooks/") else "http.request"
                ms = round(seconds * 1000, 1)
                tenant_id = (scope.get("state") or {}).get("tenant_id")  # set by the API token's check
                fields = {"tenant_id": tenant_id} if tenant_id is not None else {}
                logs.event(kind, method=method, route=route, status=status["code"], ms=ms, **fields)


__all__ = ["REQUEST_ID_HEADER", "ObserveRequests", "first_segment", "route_template"]
