"""Hand-over API: the bot asks for a person (service token); staff claim, reply, release and
close (staff token); the queue and the helpdesk's availability."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Body, Depends, HTTPException, Request
from pydantic import BaseModel, Field, StrictBool, StrictStr
from starlette.concurrency import run_in_threadpool

from backend.api.deps import database, require_service, require_staff
from backend.db import Database
from backend.rasa_client import RasaUnavailable
from backend.services import handover
from backend.services.conversations import ConversationNotFound, clean_text

router = APIRouter(prefix="/api/v1", tags=["hand-over"])


class HandoverIn(BaseModel):
    reason: str = Field(default="asked", pattern="^(" + "|".join(handover.REASONS) + ")$")


class StaffIn(BaseModel):
    staff: StrictStr = Field(default="helpdesk", min_length=1, max_length=120)


class ReplyIn(StaffIn):
    text: StrictStr = Field(max_length=5000)


class CloseIn(BaseModel):
    outcome: StrictStr = Field(default="afgehandeld", min_length=1, max_length=200)


class AvailabilityIn(BaseModel):
    open: StrictBool | None


def _run(db: Database, fn, **kwargs):
    try:
        with db.session() as s:
            return fn(s, **kwargs)
    except ConversationNotFound:
        raise HTTPException(404, "conversation not found") from None
    except handover.HandoverConflict as exc:
        raise HTTPException(409, str(exc)) from None


@router.post("/conversations/{conversation_id}/handover", dependencies=[Depends(require_service)])
def request_handover(conversation_id: str, request: Request, background: BackgroundTasks,
                     body: HandoverIn = Body(default_factory=HandoverIn),
                     db: Database = Depends(database)) -> dict:
    result = _run(db, handover.request, conversation_id=conversation_id, reason=body.reason,
                  hours=request.app.state.office_hours)
    # the helpdesk's Telegram group: queued now, posted after the response, never fails this
    request.app.state.telegram.handover_requested(conversation_id, background)
    return result


@router.post("/conversations/{conversation_id}/claim", dependencies=[Depends(require_staff)])
def claim(conversation_id: str, body: StaffIn = Body(default_factory=StaffIn),
          db: Database = Depends(database)) -> dict:
    _run(db, handover.claim, conversation_id=conversation_id, staff=body.staff)
    return {"state": "human", "assigned_to": body.staff}


@router.post("/conversations/{conversation_id}/reply", status_code=201,
             dependencies=[Depends(require_staff)])
def reply(conversation_id: str, body: ReplyIn, db: Database = Depends(database)) -> dict:
    text = clean_text(body.text)
    if not text:
        raise HTTPException(422, "text must not be empty")
    message = _run(db, handover.reply, conversation_id=conversation_id, staff=body.staff,
                   text=text)
    return {"from": "staff", "text": message.text, "at": message.at.isoformat()}


@router.post("/conversations/{conversation_id}/release", dependencies=[Depends(require_staff)])
async def release(conversation_id: str, request: Request,
                  db: Database = Depends(database)) -> dict:
    await run_in_threadpool(_run, db, handover.release, conversation_id=conversation_id)
    try:
        messages = await request.app.state.turns.resume(conversation_id=conversation_id)
    except RasaUnavailable:
        messages = []  # the bot answers the entrepreneur's next message instead
    return {"state": "bot", "messages": messages}


@router.post("/conversations/{conversation_id}/close", dependencies=[Depends(require_staff)])
def close(conversation_id: str, body: CloseIn = Body(default_factory=CloseIn),
          db: Database = Depends(database)) -> dict:
    _run(db, handover.close, conversation_id=conversation_id, outcome=body.outcome)
    return {"state": "closed", "outcome": body.outcome}


@router.get("/handovers", dependencies=[Depends(require_staff)])
def handovers(include_claimed: bool = False, db: Database = Depends(database)) -> dict:
    with db.session() as s:
        return {"items": handover.queue(s, include_claimed=include_claimed)}


@router.get("/helpdesk/availability", dependencies=[Depends(require_staff)])
def get_availability(request: Request, db: Database = Depends(database)) -> dict:
    with db.session() as s:
        return handover.availability(s, request.app.state.office_hours)


@router.put("/helpdesk/availability", dependencies=[Depends(require_staff)])
def put_availability(body: AvailabilityIn, request: Request,
                     db: Database = Depends(database)) -> dict:
    with db.session() as s:
        handover.set_override(s, open_now=body.open, by="api")
        return handover.availability(s, request.app.state.office_hours)
