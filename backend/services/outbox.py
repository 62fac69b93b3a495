"""The outbox: every bot or staff message in a WhatsApp conversation becomes a row here in the
same transaction that records it, and backend/channels/outbox_sender.py delivers the rows.
A row that cannot be delivered stays visible (failed / needs_template) for staff to act on.

status: queued -> sent | failed | needs_template; staff can put failed ones back in the queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import Conversation, Message, OutboxMessage, iso, utcnow
from backend.services import whatsapp_text

STATUSES = ("queued", "sent", "failed", "needs_template")
DELIVERED_CHANNELS = ("whatsapp",)
WINDOW = timedelta(hours=24)  # WhatsApp's customer service window
OUTSIDE_WINDOW = "63016"  # Twilio's error: free-form message outside the window


class OutboxNotFound(LookupError):
    pass


class OutboxConflict(RuntimeError):
    """Only failed rows (or rows waiting for a template) can be queued again."""


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def on_message(db: Session, message: Message) -> None:
    """Called for every recorded message: queue what the entrepreneur must receive."""
    if message.sender == "user":
        return
    conversation = db.get(Conversation, message.conversation_id)
    if (conversation is None or conversation.channel not in DELIVERED_CHANNELS
            or not conversation.contact):
        return
    body = whatsapp_text.render(message.text, message.buttons)
    for part in whatsapp_text.split(body):
        db.add(OutboxMessage(conversation_id=conversation.id, message_id=message.id,
                             channel=conversation.channel, to=f"whatsapp:{conversation.contact}",
                             body=part, status="queued", attempts=0))
    db.flush()


def due_conversations(db: Session, *, now: datetime | None = None) -> list[str]:
    """Conversations with a queued row whose (next) attempt is due."""
    rows = db.scalars(select(OutboxMessage.conversation_id).where(
        OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= (now or utcnow())
    ).distinct())
    return list(rows)


def next_queued(db: Session, *, conversation_id: str) -> OutboxMessage | None:
    """The conversation's oldest queued row: rows go out in order, one after the other."""
    return db.scalar(select(OutboxMessage).where(
        OutboxMessage.conversation_id == conversation_id, OutboxMessage.status == "queued"
    ).order_by(OutboxMessage.id).limit(1))


def is_due(row: OutboxMessage, now: datetime | None = None) -> bool:
    return _utc(row.next_attempt_at) <= (now or utcnow())


def window_open(db: Session, *, conversation_id: str, now: datetime | None = None) -> bool:
    """True while the entrepreneur's last WhatsApp message is less than 24 hours old (only
    inbound WhatsApp messages, which carry a provider id, open the window: not what a caller
    said on the phone before going on over WhatsApp)."""
    last = db.scalar(select(func.max(Message.at)).where(
        Message.conversation_id == conversation_id, Message.sender == "user",
        Message.provider_id.is_not(None)))
    return last is not None and (now or utcnow()) - _utc(last) < WINDOW


def _row(db: Session, row_id: int) -> OutboxMessage:
    row = db.get(OutboxMessage, row_id)
    if row is None:
        raise OutboxNotFound(row_id)
    return row


def mark_sent(db: Session, *, row_id: int, sid: str, content_sid: str | None = None) -> None:
    row = _row(db, row_id)
    row.status, row.provider_sid, row.content_sid = "sent", sid, content_sid
    row.attempts += 1
    row.sent_at = utcnow()
    db.flush()


def mark_attempt_failed(db: Session, *, row_id: int, error: str, retry: bool,
                        max_attempts: int, backoff_seconds: float) -> str:
    """Count a failed attempt: try again later (exponential backoff) or give up. Returns the
    row's new status."""
    row = _row(db, row_id)
    row.attempts += 1
    row.last_error = error[:1000]
    if retry and row.attempts < max_attempts:
        delay = backoff_seconds * 2 ** (row.attempts - 1)
        row.next_attempt_at = utcnow() + timedelta(seconds=delay)
    else:
        row.status = "failed"
    db.flush()
    return row.status


def mark_needs_template(db: Session, *, row_id: int) -> None:
    row = _row(db, row_id)
    row.status = "needs_template"
    row.last_error = ("buiten het 24-uursvenster van WhatsApp en er is geen template ingesteld "
                      "(TWILIO_WHATSAPP_TEMPLATE_SID)")
    db.flush()


def delivery_failed(db: Session, *, sid: str, status: str, code: str = "",
                    message: str = "") -> bool:
    """Twilio reports (status callback) that a message it accepted never arrived. Outside the
    24-hour window (63016) it waits for a template or for the entrepreneur's next message."""
    row = db.scalar(select(OutboxMessage).where(OutboxMessage.provider_sid == sid))
    if row is None:
        return False
    row.status = "needs_template" if code == OUTSIDE_WINDOW else "failed"
    row.last_error = f"Twilio meldt {status}" + (f" ({code}{': ' + message if message else ''})"
                                                   if code else "")
    db.flush()
    return True


def requeue_waiting(db: Session, *, conversation_id: str) -> int:
    """The entrepreneur wrote again, so the window is open: send what was waiting for it."""
    rows = db.scalars(select(OutboxMessage).where(
        OutboxMessage.conversation_id == conversation_id,
        OutboxMessage.status == "needs_template")).all()
    for row in rows:
        row.status, row.next_attempt_at = "queued", utcnow()
    db.flush()
    return len(rows)


def retry(db: Session, *, row_id: int) -> dict:
    """Staff put a failed row back in the queue: a fresh round of attempts."""
    row = _row(db, row_id)
    if row.status not in ("failed", "needs_template"):
        raise OutboxConflict(f"outbox message is {row.status}")
    row.status, row.attempts, row.next_attempt_at = "queued", 0, utcnow()
    db.flush()
    return as_dict(row)


def fail_unsendable(db: Session, *, row_id: int, error: str) -> None:
    row = _row(db, row_id)
    row.status, row.last_error = "failed", error
    db.flush()


def listing(db: Session, *, status: str | None = None, conversation_id: str | None = None,
            limit: int = 100) -> list[dict]:
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    if conversation_id:
        query = query.where(OutboxMessage.conversation_id == conversation_id)
    return [as_dict(row) for row in db.scalars(query)]


def as_dict(row: OutboxMessage) -> dict:
    return {
        "id": row.id,
        "conversation_id": row.conversation_id,
        "message_id": row.message_id,
        "channel": row.channel,
        "to": row.to,
        "body": row.body,
        "status": row.status,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "provider_sid": row.provider_sid,
        "template": row.content_sid,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "next_attempt_at": iso(row.next_attempt_at),
        "sent_at": iso(row.sent_at) if row.sent_at else None,
    }
