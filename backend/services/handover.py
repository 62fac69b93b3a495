"""Hand-over to a helpdesk student: bot -> waiting_for_human -> human -> bot | closed.

Every transition is one conditional UPDATE, so two students claiming at once cannot both win."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.models import Conversation, HelpdeskOverride, Message, Ticket, iso, utcnow
from backend.services import callbacks, conversations
from backend.services.helpdesk_hours import OfficeHours

REASONS = ("asked", "bot_failed", "frustrated", "sensitive", "staff")

# Called as hook(session, conversation_id, event) inside the unit of work of every transition,
# after it (so it commits or rolls back with it), with event requested | claimed | released |
# closed | callback; the Telegram group keeps its posts in step this way
# (backend/telegram/sync.py). A hook must not raise.
Hook = Callable[[Session, str, str], None]
hooks: list[Hook] = []


def changed(db: Session, conversation_id: str, event: str) -> None:
    """Tell the hooks; also for changes made outside this module (a phone callback request)."""
    for hook in hooks:
        hook(db, conversation_id, event)


class HandoverConflict(RuntimeError):
    """The transition is not possible from the conversation's current state (HTTP 409)."""


def _utc(value: datetime) -> datetime:
    """Aware and in UTC. SQLite stores a datetime without its offset (and hands it back naive),
    so everything is stored, and read back, as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _get(db: Session, conversation_id: str) -> Conversation:
    conversation = db.get(Conversation, conversation_id) if len(conversation_id) <= 40 else None
    if conversation is None:
        raise conversations.ConversationNotFound(conversation_id)
    return conversation


def override(db: Session) -> bool | None:
    row = db.scalar(select(HelpdeskOverride).order_by(HelpdeskOverride.id.desc()).limit(1))
    return row.open if row else None


def set_override(db: Session, *, open_now: bool | None, by: str) -> None:
    db.add(HelpdeskOverride(open=open_now, set_by=by))
    db.flush()


def availability(db: Session, hours: OfficeHours, now: datetime | None = None) -> dict:
    now = now or utcnow()
    forced = override(db)
    is_open = hours.is_open(now, forced)
    return {
        "open": is_open,
        "override": forced,
        "scheduled_open": hours.scheduled_open(now),
        "expected_wait_minutes": hours.expected_wait_minutes,
        "next_opening": None if is_open else hours.describe_next_opening(now),
    }


def werkplaats_of(db: Session, conversation_id: str) -> str | None:
    """The werkplaats a conversation belongs to, once its ticket says so."""
    return db.scalar(select(Ticket.werkplaats).where(Ticket.conversation_id == conversation_id))


def request(db: Session, *, conversation_id: str, reason: str, hours: OfficeHours,
            now: datetime | None = None) -> dict:
    """The bot asks for a person. Idempotent while a request is open."""
    now = _utc(now or utcnow())
    conversation = _get(db, conversation_id)
    hours = hours.for_werkplaats(werkplaats_of(db, conversation_id))
    status = availability(db, hours, now)
    if conversation.state in ("bot", "closed"):
        conversation.state = "waiting_for_human"
        conversation.handover_reason = reason
        conversation.handover_requested_at = now
        conversation.assigned_to = None
        conversation.claimed_at = None
        conversation.callback = not status["open"]
        db.flush()
        changed(db, conversation_id, "requested")
    return {"state": conversation.state, "callback": conversation.callback, **status}


def claim(db: Session, *, conversation_id: str, staff: str, now: datetime | None = None) -> None:
    conversation = _get(db, conversation_id)
    result = db.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id,
               Conversation.state.in_(("waiting_for_human", "bot")))
        .values(state="human", assigned_to=staff, claimed_at=_utc(now or utcnow()),
                callback=False)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        db.refresh(conversation)
        changed(db, conversation_id, "claimed")
        return
    db.refresh(conversation)
    if conversation.state == "human" and conversation.assigned_to == staff:
        return  # the same student clicked twice
    if conversation.state == "human":
        raise HandoverConflict(f"already claimed by {conversation.assigned_to}")
    raise HandoverConflict(f"conversation is {conversation.state}")


def reply(db: Session, *, conversation_id: str, staff: str, text: str) -> Message:
    conversation = _get(db, conversation_id)
    if conversation.state != "human":
        raise HandoverConflict("claim the conversation before replying")
    return conversations.add_message(db, conversation_id=conversation_id, sender="staff",
                                     text=text)


def release(db: Session, *, conversation_id: str) -> None:
    conversation = _get(db, conversation_id)
    if conversation.state not in ("human", "waiting_for_human"):
        raise HandoverConflict(f"conversation is {conversation.state}")
    conversation.state = "bot"
    conversation.assigned_to = None
    conversation.callback = False
    db.flush()
    changed(db, conversation_id, "released")


def close(db: Session, *, conversation_id: str, outcome: str, now: datetime | None = None) -> None:
    conversation = _get(db, conversation_id)
    if conversation.state == "closed":
        raise HandoverConflict("conversation is already closed")
    conversation.state = "closed"
    conversation.closed_at = _utc(now or utcnow())
    conversation.outcome = outcome
    db.flush()
    changed(db, conversation_id, "closed")


def expire_waiting(db: Session, *, hours: OfficeHours, now: datetime | None = None) -> list[str]:
    """Waiting longer than the claim timeout: becomes a callback (the flag and an open callback
    request, one per conversation). Returns the ids changed."""
    now = _utc(now or utcnow())
    rows = db.scalars(
        select(Conversation).where(Conversation.state == "waiting_for_human",
                                   Conversation.callback.is_(False),
                                   Conversation.handover_requested_at.is_not(None))
    ).all()
    expired = []
    for conversation in rows:
        requested = _utc(conversation.handover_requested_at)
        timeout = hours.for_werkplaats(werkplaats_of(db, conversation.id)).claim_timeout
        if now - requested >= timeout:
            conversation.callback = True  # the queue's flag, and a record staff act on
            callbacks.request(db, conversation_id=conversation.id, reason="claim_timeout")
            expired.append(conversation.id)
    db.flush()
    for conversation_id in expired:
        changed(db, conversation_id, "callback")
    return expired


CALLBACK_TEXT = (
    "Het lukt nu niet om iemand van de helpdesk te vinden. Je vraag is bewaard als "
    "terugbelverzoek: een student neemt {when} contact met je op."
)


def expire_and_tell(db: Session, *, hours: OfficeHours, now: datetime | None = None) -> list[str]:
    """The claim timeout passed: make callbacks and tell each entrepreneur in the conversation."""
    now = now or utcnow()
    changed = expire_waiting(db, hours=hours, now=now)
    when = "zo snel mogelijk" if hours.scheduled_open(now) else hours.describe_next_opening(now)
    for conversation_id in changed:
        conversations.add_message(db, conversation_id=conversation_id, sender="bot",
                                  text=CALLBACK_TEXT.format(when=when))
    return changed


def queue(db: Session, *, now: datetime | None = None, include_claimed: bool = False) -> list[dict]:
    """Conversations waiting for a person (and, on request, those a person has), oldest first."""
    now = _utc(now or utcnow())
    states = ("waiting_for_human", "human") if include_claimed else ("waiting_for_human",)
    rows = db.scalars(select(Conversation).where(Conversation.state.in_(states))
                      .order_by(Conversation.handover_requested_at)).all()
    items = []
    for c in rows:
        ticket = db.scalar(select(Ticket).where(Ticket.conversation_id == c.id))
        requested = _utc(c.handover_requested_at or c.updated_at)
        items.append({
            "conversation_id": c.id,
            "state": c.state,
            "channel": c.channel,
            "reason": c.handover_reason,
            "callback": c.callback,
            "assigned_to": c.assigned_to,
            "requested_at": iso(requested),
            "waiting_seconds": max(0, int((now - requested).total_seconds())),
            "theme": ticket.theme if ticket else None,
            "ticket_reference": ticket.reference if ticket else None,
            "summary": ticket.summary if ticket else _first_user_text(db, c.id),
        })
    return items


def _first_user_text(db: Session, conversation_id: str) -> str:
    text = db.scalar(select(Message.text).where(Message.conversation_id == conversation_id,
                                                Message.sender == "user")
                     .order_by(Message.id).limit(1))
    return (text or "")[:300]
