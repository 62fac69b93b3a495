"""Web chat API: start a conversation, send a message, read the transcript."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from backend.api.deps import bearer_token, database, settings
from backend.api.schemas import MessageIn
from backend.db import Database
from backend.rasa_client import RasaUnavailable
from backend.services import conversations
from backend.settings import Settings

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])
BOT_DOWN = (
    "De assistent is even niet bereikbaar. Je bericht is bewaard; probeer het over een minuut "
    "opnieuw."
)


def _authorize(db: Database, conversation_id: str, token: str | None) -> None:
    try:
        with db.session() as s:
            conversations.authenticate(s, conversation_id=conversation_id, token=token)
    except conversations.ConversationNotFound:
        raise HTTPException(404, "conversation not found") from None
    except conversations.NotAuthorized:
        raise HTTPException(
            401, "conversation token required", headers={"WWW-Authenticate": "Bearer"}
        ) from None


@router.post("", status_code=201)
async def start_conversation(request: Request) -> dict:
    try:
        cid, token, messages = await request.app.state.turns.start(channel="webchat")
    except RasaUnavailable:
        raise HTTPException(503, BOT_DOWN) from None
    return {"conversation_id": cid, "token": token, "messages": messages}


@router.post("/{conversation_id}/messages")
async def send_message(
    conversation_id: str,
    body: MessageIn,
    request: Request,
    token: str | None = Depends(bearer_token),
    db: Database = Depends(database),
    cfg: Settings = Depends(settings),
) -> dict:
    await run_in_threadpool(_authorize, db, conversation_id, token)
    text = conversations.clean_text(body.text)
    if not text:
        raise HTTPException(422, "text must not be empty")
    if len(text) > cfg.max_text_chars:
        raise HTTPException(422, f"text is longer than {cfg.max_text_chars} characters")
    try:
        result = await request.app.state.turns.handle(conversation_id=conversation_id, text=text)
    except RasaUnavailable:
        raise HTTPException(503, BOT_DOWN) from None
    return {
        "messages": result.messages,
        "state": result.state,
        "ticket_reference": result.ticket_reference,
    }


@router.get("/{conversation_id}/messages")
def get_transcript(
    conversation_id: str,
    token: str | None = Depends(bearer_token),
    db: Database = Depends(database),
) -> dict:
    _authorize(db, conversation_id, token)
    with db.session() as s:
        # the state lets the web widget see a hand-over (and poll faster while a person helps)
        state, _ = conversations.state_of(s, conversation_id=conversation_id)
        return {"messages": conversations.transcript(s, conversation_id=conversation_id),
                "state": state}
