"""Liveness that means something (the database answers and LanceDB opens), and the Prometheus scrape.

/metrics is open unless METRICS_TOKEN is set; then it answers 401 without `Authorization: Bearer <token>`
(compared in constant time). Open by default because Prometheus usually scrapes over a private network and a
fresh clone should show its figures; docs/operations.md says to set the token when the port is public."""

from __future__ import annotations

import hmac
import time
from typing import Any

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from engine.config import get_settings
from engine.db import get_engine
from engine.observability import metrics

router = APIRouter(tags=["health"])


def _check_database() -> None:
    with get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))


def _check_lancedb() -> None:
    import lancedb

    lancedb.connect(get_settings().lancedb_uri).table_names()


@router.get("/healthz")
def healthz() -> JSONResponse:
    checks: dict[str, Any] = {}
    healthy = True
    for name, check in (("database", _check_database), ("lancedb", _check_lancedb)):
        started = time.perf_counter()
        try:
            check()
            checks[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
        except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
            healthy = False
            checks[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    return JSONResponse(body, status_code=200 if healthy else 503)


@router.get("/metrics", include_in_schema=False)
def prometheus_metrics(authorization: str | None = Header(default=None)) -> Response:
    token = get_settings().metrics_token
    if token and not hmac.compare_digest((authorization or "").encode(), f"Bearer {token}".encode()):
        return JSONResponse(
            {"detail": "this scrape needs Authorization: Bearer <METRICS_TOKEN>"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Response(metrics.render(), media_type=metrics.CONTENT_TYPE)
