"""Callback requests for staff: the open ones to call (newest first), and marking one done."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from backend.api.deps import database, require_staff
from backend.db import Database
from backend.services import callbacks

router = APIRouter(prefix="/api/v1/callbacks", tags=["callbacks"],
                   dependencies=[Depends(require_staff)])


class DoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff: StrictStr = Field(min_length=1, max_length=120)
    note: StrictStr = Field(default="", max_length=2000)


@router.get("")
def list_callbacks(status: str | None = Query(default=None,
                                              pattern="^(" + "|".join(callbacks.STATUSES) + ")$"),
                   limit: int = Query(default=100, ge=1, le=500),
                   db: Database = Depends(database)) -> dict:
    with db.session() as s:
        return {"items": callbacks.listing(s, status=status, limit=limit)}


@router.post("/{key}/done")
def mark_done(key: str, body: DoneIn, db: Database = Depends(database)) -> dict:
    """`key` is the id or the reference (TB-...)."""
    staff = body.staff.strip()
    if not staff:
        raise HTTPException(422, "staff must name who called back")
    try:
        with db.session() as s:
            return callbacks.mark_done(s, key=key, staff=staff, note=body.note.strip())
    except callbacks.CallbackNotFound:
        raise HTTPException(404, "callback request not found") from None
    except callbacks.CallbackConflict as exc:
        raise HTTPException(409, str(exc)) from None
