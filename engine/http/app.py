"""The engine's FastAPI app, mounted into Reflex (api_transformer) or served alone (`engine serve`)."""

from __future__ import annotations

from fastapi import FastAPI

from engine.http import auth_routes, health, media_public, media_routes, webhooks
from engine.http.api_v1 import create_api
from engine.http.observe import ObserveRequests
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
    app.add_middleware(ObserveRequests)
    return app
