"""GET /healthz: the state of the database, Rasa and the action server (503 if one is down)."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

router = APIRouter(tags=["health"])


def _database_ok(request: Request) -> bool:
    try:
        with request.app.state.db.session() as s:
            s.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


async def _action_server_ok(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=3) as client:
            return (await client.get(f"{url}/health")).status_code == 200
    except httpx.HTTPError:
        return False


@router.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    cfg = request.app.state.settings
    checks = {
        "database": await run_in_threadpool(_database_ok, request),
        "rasa": await request.app.state.rasa.healthy(),
        "action_server": await _action_server_ok(cfg.action_server_url),
    }
    body = {
        "status": "ok" if all(checks.values()) else "degraded",
        **{k: ("ok" if v else "down") for k, v in checks.items()},
    }
    return JSONResponse(body, status_code=200 if all(checks.values()) else 503)
