"""Tickets (staff read, action server writes idempotently) and theme classification."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from backend.api.deps import database, require_service, require_staff
from backend.api.schemas import ClassifyIn, Theme, TicketIn
from backend.db import Database
from backend.rasa_client import RasaUnavailable
from backend.services import tickets
from backend.services.conversations import ConversationNotFound
from bot.theme_scores import ranked, scores_of_parse

router = APIRouter(prefix="/api/v1", tags=["tickets"])


@router.post("/tickets", status_code=201, dependencies=[Depends(require_service)])
def create_ticket(
    body: TicketIn, request: Request, response: Response, db: Database = Depends(database)
) -> dict:
    try:
        ticket, created = tickets.create_ticket(
            db, data=body.model_dump(), directory=request.app.state.directory
        )
    except ConversationNotFound:
        raise HTTPException(404, "conversation not found") from None
    except tickets.ReservedDetail as exc:
        raise HTTPException(422, str(exc)) from None
    if not created:
        response.status_code = 200
    return tickets.ticket_dict(ticket)


@router.get("/tickets", dependencies=[Depends(require_staff)])
def list_tickets(
    theme: Theme | None = None,
    status: str | None = Query(default=None, max_length=40),
    werkplaats: str | None = Query(default=None, max_length=120),
    limit: int = Query(default=200, ge=1, le=1000),
    db: Database = Depends(database),
) -> dict:
    with db.session() as s:
        rows = tickets.list_tickets(
            s, theme=theme, status=status, werkplaats=werkplaats, limit=limit
        )
        return {"items": [tickets.ticket_dict(t) for t in rows]}


@router.get("/tickets/{reference}", dependencies=[Depends(require_staff)])
def get_ticket(reference: str, db: Database = Depends(database)) -> dict:
    with db.session() as s:
        ticket = tickets.get_ticket(s, reference=reference)
        if ticket is None:
            raise HTTPException(404, "ticket not found")
        return tickets.ticket_dict(ticket)


@router.post("/classify", dependencies=[Depends(require_staff)])
async def classify(body: ClassifyIn, request: Request) -> dict:
    text = body.text.strip()
    if not text:
        raise HTTPException(422, "text must not be empty")
    try:
        parsed = await request.app.state.rasa.parse(text)
    except RasaUnavailable:
        raise HTTPException(503, "the NLU model is not reachable right now") from None
    scores = ranked(scores_of_parse(parsed))
    return {"theme": scores[0]["theme"], "themes": scores}
