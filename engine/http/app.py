"""The engine's FastAPI app, mounted into Reflex (api_transformer) or served alone (`engine serve`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI

from engine.http import auth_routes, health, media_public, media_routes, webhooks
from engine.http.api_v1 import create_api
from engine.http.observe import ObserveRequests, first_segment
from engine.observability import logs, tracing


def create_app() -> FastAPI:
    logs.configure_once()  # LOG_FORMAT, ids from contextvars, redaction (docs/operations.md)
    tracing.configure()  # on only when OTEL_EXPORTER_OTLP_ENDPOINT is set
    app = FastAPI(title="Parley engine", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(health.router)
    app.include_router(auth_routes.router)
    app.include_router(webhooks.router)
    app.include_router(media_routes.router)
    app.include_router(media_public.router)
    app.mount("/api/v1", create_api())
    # The engine's own first path segments, before Reflex adds the console's routes to this app.
    own = frozenset(first_segment(path) for path in _paths(app.routes)) - {""}
    app.add_middleware(ObserveRequests, own=own)
    return app


def _paths(routes: Iterable[Any]) -> Iterator[str]:
    """Every route's path, into included routers (FastAPI keeps those as one entry each)."""
    for route in routes:
        path = getattr(route, "path", None)
        if path is not None:
            yield path
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _paths(included.routes)
