"""The outbox for staff: what went out to WhatsApp, what failed (and why), and a retry."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from backend.api.deps import database, require_staff
from backend.db import Database
from backend.services import outbox

router = APIRouter(prefix="/api/v1/outbox", tags=["outbox"], dependencies=[Depends(require_staff)])


@router.get("")
def list_outbox(status: str | None = Query(default=None, pattern="^(" + "|".join(outbox.STATUSES)
                                           + ")$"),
                conversation_id: str | None = Query(default=None, max_length=40),
                limit: int = Query(default=100, ge=1, le=500),
                db: Database = Depends(database)) -> dict:
    with db.session() as s:
        return {"items": outbox.listing(s, status=status, conversation_id=conversation_id,
                                        limit=limit)}


def _retry(db: Database, row_id: int) -> dict:
    with db.session() as s:
        return outbox.retry(s, row_id=row_id)


@router.post("/{row_id}/retry")
async def retry(row_id: int, request: Request, db: Database = Depends(database)) -> dict:
    """Put a failed message back in the queue (a fresh round of attempts)."""
    try:
        row = await run_in_threadpool(_retry, db, row_id)
    except outbox.OutboxNotFound:
        raise HTTPException(404, "outbox message not found") from None
    except outbox.OutboxConflict as exc:
        raise HTTPException(409, str(exc)) from None
    whatsapp = getattr(request.app.state, "whatsapp", None)
    if whatsapp is not None:
        whatsapp.sender.kick(row["conversation_id"])
    return row
