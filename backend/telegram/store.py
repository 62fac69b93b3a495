"""The Telegram side's database work: the hand-over outbox, the group message -> conversation
mapping, who claimed a post, and the update ids already taken in. Plain functions on a Session
(callers own the unit of work); every refusal is raised as Refused, so the caller's session
rolls back whatever was half done."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from backend.channels.voice_store import PHONE_STAFF
from backend.models import (
    Conversation,
    StaffUser,
    TelegramHandover,
    TelegramUpdate,
    Ticket,
    utcnow,
)
from backend.services import callbacks, handover
from backend.services.conversations import clean_text
from backend.telegram import texts


class Refused(Exception):
    """The student's action is not possible; the message says why (in Dutch)."""


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- the outbox ------------------------------------------------------------------------------

def enqueue(db: Session, *, conversation_id: str) -> int | None:
    """One post per hand-over request: returns the new outbox row's id, or None when the
    conversation is not waiting or this request was queued already (requests are idempotent)."""
    conversation = db.get(Conversation, conversation_id)
    if (conversation is None or conversation.state != "waiting_for_human"
            or conversation.handover_requested_at is None):
        return None
    key = f"{conversation_id}:{_utc(conversation.handover_requested_at).isoformat()}"
    if db.scalar(select(TelegramHandover.id).where(TelegramHandover.request_key == key)):
        return None
    row = TelegramHandover(conversation_id=conversation_id, request_key=key, status="pending",
                           attempts=0)
    db.add(row)
    db.flush()  # IntegrityError: the same request, queued at the same moment elsewhere
    return row.id


def _due(now: datetime):
    return or_(
        and_(TelegramHandover.status == "pending", TelegramHandover.next_attempt_at.is_(None)),
        and_(TelegramHandover.status.in_(("pending", "failed", "sending")),
             TelegramHandover.next_attempt_at <= now),
    )


def due_ids(db: Session, *, now: datetime, limit: int = 20) -> list[int]:
    return list(db.scalars(select(TelegramHandover.id).where(_due(now))
                           .order_by(TelegramHandover.id).limit(limit)))


def take(db: Session, *, row_id: int, now: datetime, lease: timedelta) -> int | None:
    """Lease a due row for one delivery attempt (a crashed attempt's lease runs out, then the
    retry loop takes it again). Returns the attempt number, or None when someone else has it."""
    result = db.execute(
        update(TelegramHandover)
        .where(TelegramHandover.id == row_id, _due(now))
        .values(status="sending", attempts=TelegramHandover.attempts + 1,
                next_attempt_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    return db.scalar(select(TelegramHandover.attempts).where(TelegramHandover.id == row_id))


def finish(db: Session, *, row_id: int, status: str, error: str | None = None,
           retry_at: datetime | None = None, chat_id: int | None = None,
           message_id: int | None = None, now: datetime | None = None) -> None:
    row = db.get(TelegramHandover, row_id)
    row.status = status
    row.last_error = error[:300] if error else None
    row.next_attempt_at = retry_at
    if status == "sent":
        row.chat_id, row.message_id, row.sent_at = chat_id, message_id, now
    db.flush()


def holder(db: Session, row: TelegramHandover,
           conversation: Conversation) -> tuple[str | None, str | None]:
    """(first name, via) of whoever has the conversation: the student who claimed it from this
    post (telegram), a dashboard user (by e-mail), the helpdesk phone, or a staff tool's name."""
    who = conversation.assigned_to
    if conversation.state != "human" or not who:
        return None, None
    if row.claimed_by_id is not None and who == row.claimed_by:
        return row.claimed_by, "telegram"
    if who == PHONE_STAFF:
        return None, "phone"
    name = db.scalar(select(StaffUser.name).where(StaffUser.email == who))
    if name is not None:
        return texts.first_name((name.split() or ["collega"])[0]), "dashboard"
    return texts.first_name(who.split("@", 1)[0]), "other"


def newest_id(db: Session, conversation_id: str) -> int | None:
    return db.scalar(select(func.max(TelegramHandover.id))
                     .where(TelegramHandover.conversation_id == conversation_id))


def view(db: Session, *, row_id: int) -> texts.PostView | None:
    row = db.get(TelegramHandover, row_id)
    conversation = db.get(Conversation, row.conversation_id) if row else None
    if conversation is None:
        return None
    ticket = db.scalar(select(Ticket).where(Ticket.conversation_id == conversation.id))
    claimer, via = holder(db, row, conversation)
    callback = callbacks.open_for(db, conversation_id=conversation.id)
    return texts.PostView(
        conversation_id=conversation.id,
        state=conversation.state,
        channel=conversation.channel,
        reason=conversation.handover_reason,
        requested_at=_utc(conversation.handover_requested_at or conversation.updated_at),
        callback=bool(conversation.callback),
        theme=ticket.theme if ticket else None,
        ticket_reference=ticket.reference if ticket else None,
        claimed_at=_utc(conversation.claimed_at) if conversation.claimed_at else None,
        claimer=claimer,
        claimed_via=via,
        outcome=conversation.outcome,
        callback_reference=callback.reference if callback else None,
        callback_reason=callback.reason if callback else None,
        superseded=newest_id(db, conversation.id) != row.id,
    )


# --- the group's actions -----------------------------------------------------------------------

def find(db: Session, *, chat_id: int, message_id: int) -> TelegramHandover | None:
    return db.scalar(select(TelegramHandover).where(TelegramHandover.chat_id == chat_id,
                                                    TelegramHandover.message_id == message_id))


def _current(db: Session, chat_id: int, message_id: int) -> tuple[TelegramHandover, Conversation]:
    """The post a student acts on, if it is the newest one about a conversation that exists."""
    row = find(db, chat_id=chat_id, message_id=message_id)
    conversation = db.get(Conversation, row.conversation_id) if row else None
    if row is None or conversation is None:
        raise Refused(texts.UNKNOWN_POST)
    if newest_id(db, row.conversation_id) != row.id:
        raise Refused(texts.OLD_POST)
    return row, conversation


def claim(db: Session, *, chat_id: int, message_id: int, conversation_id: str, user_id: int,
          name: str) -> tuple[int, str]:
    """The 'Oppakken' button. Returns (row id, answer). Two students at once: the conditional
    UPDATEs (the hand-over service's, then this row's) let exactly one win. A conversation
    someone already has (here, in the dashboard, on the phone) is refused and left as it is."""
    row, conversation = _current(db, chat_id, message_id)
    if row.conversation_id != conversation_id:
        raise Refused(texts.UNKNOWN_POST)
    if conversation.state == "human":
        if row.claimed_by_id == user_id and conversation.assigned_to == row.claimed_by:
            return row.id, texts.CLAIMED_AGAIN
        raise _taken(db, row, conversation)
    if conversation.state == "bot":
        raise Refused(texts.BACK_WITH_BOT)
    now = utcnow()
    try:
        handover.claim(db, conversation_id=conversation_id, staff=name, now=now)
    except handover.HandoverConflict:
        db.refresh(conversation)
        if conversation.state == "human":
            raise _taken(db, row, conversation) from None
        raise Refused(texts.ALREADY_CLOSED) from None
    if conversation.claimed_at is None or _utc(conversation.claimed_at) != _utc(now):
        raise _taken(db, row, conversation)  # claimed just now by someone of the same name
    won = db.execute(
        update(TelegramHandover)
        .where(TelegramHandover.id == row.id,
               or_(TelegramHandover.claimed_by_id.is_(None),
                   TelegramHandover.claimed_by_id == user_id))
        .values(claimed_by_id=user_id, claimed_by=name)
        .execution_options(synchronize_session=False)
    )
    if won.rowcount != 1:  # another student with the same first name was first
        db.refresh(row)
        raise Refused(texts.taken_by(row.claimed_by))
    return row.id, texts.CLAIMED_OK


def _taken(db: Session, row: TelegramHandover, conversation: Conversation) -> Refused:
    db.refresh(row)
    return Refused(texts.taken_by(texts.holder(*holder(db, row, conversation))))


def _claimer(db: Session, chat_id: int, message_id: int, user_id: int, *,
             waiting_ok: bool) -> tuple[TelegramHandover, Conversation]:
    """Only the student who claimed the conversation (from this post) may act on it; /vrij and
    /sluit may also be used on a request nobody has claimed yet."""
    row, conversation = _current(db, chat_id, message_id)
    if conversation.state == "closed":
        raise Refused(texts.ALREADY_CLOSED)
    if conversation.state == "bot":
        raise Refused(texts.BACK_WITH_BOT)
    if conversation.state == "waiting_for_human":
        if waiting_ok:
            return row, conversation
        raise Refused(texts.CLAIM_FIRST)
    if row.claimed_by_id != user_id or conversation.assigned_to != row.claimed_by:
        raise Refused(texts.only_claimer(texts.holder(*holder(db, row, conversation))))
    return row, conversation


def reply(db: Session, *, chat_id: int, message_id: int, user_id: int, text: str,
          max_chars: int) -> str:
    """A student's reply to the post: goes into the conversation as from 'staff'."""
    row, conversation = _claimer(db, chat_id, message_id, user_id, waiting_ok=False)
    text = clean_text(text)
    if not text:
        raise Refused(texts.EMPTY_TEXT)
    if len(text) > max_chars:
        raise Refused(texts.TOO_LONG)
    handover.reply(db, conversation_id=conversation.id, staff=row.claimed_by, text=text)
    return conversation.id


def release(db: Session, *, chat_id: int, message_id: int, user_id: int) -> tuple[int, str]:
    row, conversation = _claimer(db, chat_id, message_id, user_id, waiting_ok=True)
    handover.release(db, conversation_id=conversation.id)
    return row.id, conversation.id


def close(db: Session, *, chat_id: int, message_id: int, user_id: int, outcome: str) -> int:
    row, conversation = _claimer(db, chat_id, message_id, user_id, waiting_ok=True)
    handover.close(db, conversation_id=conversation.id, outcome=outcome)
    return row.id


# --- updates taken in ------------------------------------------------------------------------

def admit_update(db: Session, *, update_id: int) -> None:
    """Remember an update id; IntegrityError when it was seen before (a redelivery)."""
    db.add(TelegramUpdate(update_id=update_id, status="received"))
    db.flush()


def finish_update(db: Session, *, update_id: int, status: str) -> None:
    db.execute(update(TelegramUpdate).where(TelegramUpdate.update_id == update_id)
               .values(status=status))


def prune_updates(db: Session, *, before: datetime) -> int:
    """Telegram redelivers for at most 24 hours: older ids need not be remembered."""
    return db.execute(delete(TelegramUpdate).where(TelegramUpdate.received_at < before)).rowcount
