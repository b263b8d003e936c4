"""Liveness that means something: the database answers and LanceDB opens."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from engine.config import get_settings
from engine.db import get_engine

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
