"""Shared request dependencies: the app's services and bearer-token checks."""

from __future__ import annotations

import hmac

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from backend.db import Database
from backend.settings import Settings

bearer = HTTPBearer(auto_error=False)


def settings(request: Request) -> Settings:
    return request.app.state.settings


def database(request: Request) -> Database:
    return request.app.state.db


def bearer_token(creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> str | None:
    return creds.credentials if creds else None


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def _matches(token: str | None, *expected: str) -> bool:
    return bool(token) and any(
        e and hmac.compare_digest(token.encode(), e.encode()) for e in expected
    )


def require_staff(
    token: str | None = Depends(bearer_token), cfg: Settings = Depends(settings)
) -> None:
    if not _matches(token, cfg.admin_token):
        raise _unauthorized("staff token required")


def require_service(
    token: str | None = Depends(bearer_token), cfg: Settings = Depends(settings)
) -> None:
    """The action server (service token) or staff may write tickets."""
    if not _matches(token, cfg.service_token, cfg.admin_token):
        raise _unauthorized("service token required")
