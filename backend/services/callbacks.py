"""Callback requests: someone from the helpdesk must call the entrepreneur back. A record staff
see and mark done (API, dashboard), next to the conversation's `callback` flag that the queue
shows. At most one open request per conversation: asking again returns the open one (and a
partial unique index catches a concurrent second one).

Made when a caller chooses a callback, a phone hand-over happens outside office hours, the
helpdesk does not answer the <Dial>, a caller hangs up while waiting for a person, the bot is
down at the start of a call, and when nobody claims a waiting conversation in time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.db import Database
from backend.models import CallbackRequest, Conversation, Ticket, iso, utcnow
from backend.services import conversations

REASONS = ("outside_hours", "no_answer", "caller_choice", "claim_timeout", "hangup", "bot_down")
STATUSES = ("open", "done")
DONE_OUTCOME = "teruggebeld"


class CallbackNotFound(LookupError):
    pass


class CallbackConflict(RuntimeError):
    """The request is already done (HTTP 409)."""


def _reference(row: CallbackRequest) -> str:
    return f"TB-{row.created_at.year}-{row.id:05d}"


def open_for(db: Session, *, conversation_id: str) -> CallbackRequest | None:
    return db.scalar(select(CallbackRequest).where(
        CallbackRequest.conversation_id == conversation_id, CallbackRequest.status == "open"))


def request(db: Session, *, conversation_id: str, reason: str, phone: str | None = None,
            now: datetime | None = None) -> tuple[CallbackRequest, bool]:
    """The conversation's open callback request, made now if there is none: (row, created).
    Also sets the conversation's callback flag."""
    if reason not in REASONS:
        raise ValueError(f"unknown callback reason {reason!r}")
    conversation = db.get(Conversation, conversation_id)
    if conversation is None:
        raise conversations.ConversationNotFound(conversation_id)
    conversation.callback = True
    existing = open_for(db, conversation_id=conversation_id)
    if existing is not None:
        return existing, False
    if phone is None:
        phone = conversation.contact or db.scalar(
            select(Ticket.phone).where(Ticket.conversation_id == conversation_id))
    row = CallbackRequest(conversation_id=conversation_id, phone=phone, reason=reason,
                          status="open", created_at=now or utcnow())
    db.add(row)
    db.flush()
    row.reference = _reference(row)
    db.flush()
    return row, True


def ensure(database: Database, *, conversation_id: str, reason: str,
           phone: str | None = None) -> dict:
    """`request` in its own unit of work; a concurrent request that won the race (the unique
    index refused ours) is returned instead."""
    for attempt in (1, 2):
        try:
            with database.session() as s:
                row, _created = request(s, conversation_id=conversation_id, reason=reason,
                                        phone=phone)
                return as_dict(row)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _get(db: Session, key: str | int) -> CallbackRequest:
    """By id ('12') or by reference ('TB-2026-00012')."""
    key = str(key).strip()
    row = None
    if key.isdigit() and len(key) < 12:
        row = db.get(CallbackRequest, int(key))
    elif key.upper().startswith("TB-") and len(key) <= 20:
        row = db.scalar(select(CallbackRequest).where(CallbackRequest.reference == key.upper()))
    if row is None:
        raise CallbackNotFound(key)
    return row


def mark_done(db: Session, *, key: str | int, staff: str, note: str = "",
              now: datetime | None = None) -> dict:
    """Staff called back. A conversation still waiting for a person is closed with the outcome
    'teruggebeld' (writing again reopens it, as after any close)."""
    row = _get(db, key)
    if row.status == "done":
        raise CallbackConflict(f"{row.reference} is already done (by {row.done_by})")
    row.status, row.done_at, row.done_by = "done", now or utcnow(), staff
    row.note = note or None
    conversation = db.get(Conversation, row.conversation_id)
    if conversation is not None:
        conversation.callback = False
        if conversation.state == "waiting_for_human":
            conversation.state = "closed"
            conversation.closed_at = row.done_at
            conversation.outcome = DONE_OUTCOME
    db.flush()
    return as_dict(row)


def listing(db: Session, *, status: str | None = None, limit: int = 100) -> list[dict]:
    """Newest first."""
    query = (select(CallbackRequest, Conversation.channel, Ticket.reference, Ticket.contact_name)
             .join(Conversation, Conversation.id == CallbackRequest.conversation_id)
             .outerjoin(Ticket, Ticket.conversation_id == CallbackRequest.conversation_id)
             .order_by(CallbackRequest.created_at.desc(), CallbackRequest.id.desc())
             .limit(limit))
    if status:
        query = query.where(CallbackRequest.status == status)
    return [as_dict(row, channel=channel, ticket_reference=ticket, contact_name=name)
            for row, channel, ticket, name in db.execute(query)]


def as_dict(row: CallbackRequest, **extra) -> dict:
    return {
        "id": row.id,
        "reference": row.reference,
        "conversation_id": row.conversation_id,
        "phone": row.phone,
        "reason": row.reason,
        "status": row.status,
        "created_at": iso(row.created_at),
        "done_at": iso(row.done_at) if row.done_at else None,
        "done_by": row.done_by,
        "note": row.note,
        **extra,
    }
