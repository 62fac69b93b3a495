"""Conversations and their transcript (sync, one database unit of work per call)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Conversation, Message, Ticket, iso
from backend.services import outbox

STATES = ("bot", "waiting_for_human", "human", "closed")
# control characters, and lone surrogates (valid in JSON, but not storable as UTF-8)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class ConversationNotFound(LookupError):
    pass


class NotAuthorized(PermissionError):
    pass


def clean_text(text: str) -> str:
    """Drop control characters (PostgreSQL refuses NUL), lone surrogates and surrounding
    blanks."""
    return _CONTROL.sub("", text).strip()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_conversation(db: Session, *, channel: str = "webchat") -> tuple[Conversation, str]:
    token = secrets.token_urlsafe(32)
    conversation = Conversation(id=uuid.uuid4().hex, token_hash=_hash(token), channel=channel)
    db.add(conversation)
    db.flush()
    return conversation, token


def authenticate(db: Session, *, conversation_id: str, token: str | None) -> Conversation:
    conversation = db.get(Conversation, conversation_id) if len(conversation_id) <= 40 else None
    if conversation is None:
        raise ConversationNotFound(conversation_id)
    if not token or not hmac.compare_digest(conversation.token_hash, _hash(token)):
        raise NotAuthorized(conversation_id)
    return conversation


def add_message(
    db: Session,
    *,
    conversation_id: str,
    sender: str,
    text: str,
    buttons: list[dict] | None = None,
    at: datetime | None = None,
) -> Message:
    message = Message(
        conversation_id=conversation_id, sender=sender, text=text, buttons=buttons or []
    )
    if at is not None:
        message.at = at
    db.add(message)
    db.flush()
    outbox.on_message(db, message)  # WhatsApp: queue it for delivery in the same transaction
    return message


def transcript(db: Session, *, conversation_id: str) -> list[dict]:
    rows = db.scalars(
        select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
    )
    return [{"from": m.sender, "text": m.text, "at": iso(m.at)} for m in rows]


def state_of(db: Session, *, conversation_id: str) -> tuple[str, str | None]:
    """The conversation's hand-over state and its ticket reference, if any."""
    conversation = db.get(Conversation, conversation_id)
    if conversation is None:
        raise ConversationNotFound(conversation_id)
    reference = db.scalar(select(Ticket.reference).where(Ticket.conversation_id == conversation_id))
    return conversation.state, reference


def reopen(db: Session, *, conversation_id: str) -> None:
    conversation = db.get(Conversation, conversation_id)
    if conversation is not None and conversation.state == "closed":
        conversation.state = "bot"
        db.flush()
