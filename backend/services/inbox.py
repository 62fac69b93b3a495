"""Inbound channel messages (WhatsApp; later the phone): who the contact is, which conversation
the message belongs to, and which messages still wait for an answer. Sync, one unit of work per
call, like the other services."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Conversation, Message, utcnow
from backend.services import conversations, outbox

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass
class Recorded:
    conversation_id: str
    message_id: int
    created: bool


@dataclass
class Pending:
    """An inbound message to answer, with what answering it needs to know."""

    message_id: int
    conversation_id: str
    text: str
    state: str
    contact: str
    profile_name: str
    greeted: bool
    options: list[dict] = field(default_factory=list)


def phone_of(address: str, prefix: str = "whatsapp:") -> str | None:
    """'whatsapp:+31612345678' -> '+31612345678' (E.164), else None."""
    if not address.startswith(prefix):
        return None
    number = address[len(prefix):].strip()
    return number if E164.match(number) else None


def seen(db: Session, *, provider_id: str) -> bool:
    return db.scalar(select(Message.id).where(Message.provider_id == provider_id)) is not None


def contact_conversation(db: Session, *, channel: str, contact: str) -> Conversation | None:
    """The contact's latest conversation on this channel."""
    return db.scalar(select(Conversation).where(
        Conversation.channel == channel, Conversation.contact == contact
    ).order_by(Conversation.created_at.desc(), Conversation.id.desc()).limit(1))


def conversations_of_contact(db: Session, *, contact: str) -> list[dict]:
    """One person, several channels: every conversation with this phone number."""
    rows = db.scalars(select(Conversation).where(Conversation.contact == contact)
                      .order_by(Conversation.created_at)).all()
    return [{"conversation_id": c.id, "channel": c.channel, "state": c.state} for c in rows]


def record_inbound(db: Session, *, channel: str, contact: str, provider_id: str, text: str,
                   profile_name: str | None = None) -> Recorded | None:
    """Store the message in the contact's conversation (a new one, or a closed one reopened).
    None for a provider id seen before. A concurrent duplicate fails on the unique provider id
    (IntegrityError): the caller's unit of work is rolled back and nothing is left behind."""
    if seen(db, provider_id=provider_id):
        return None
    conversation = contact_conversation(db, channel=channel, contact=contact)
    created = conversation is None
    if conversation is None:
        conversation, _token = conversations.create_conversation(db, channel=channel)
        conversation.contact = contact
    elif conversation.state == "closed":
        conversations.reopen(db, conversation_id=conversation.id)
    if profile_name:
        conversation.profile_name = profile_name[:120]
    message = Message(conversation_id=conversation.id, sender="user", text=text,
                      provider_id=provider_id)
    db.add(message)
    db.flush()
    outbox.requeue_waiting(db, conversation_id=conversation.id)  # the window is open again
    return Recorded(conversation.id, message.id, created)


def waiting_conversations(db: Session) -> list[str]:
    """Conversations with inbound messages that have not been answered yet."""
    return list(db.scalars(select(Message.conversation_id).where(
        Message.processed_at.is_(None), Message.provider_id.is_not(None)).distinct()))


def _options(db: Session, conversation_id: str) -> list[dict]:
    """The buttons of the bot's last turn (the options a number refers to)."""
    recent = db.scalars(select(Message).where(Message.conversation_id == conversation_id)
                        .order_by(Message.id.desc()).limit(20))
    for message in recent:
        if message.sender == "user" and message.processed_at is None:
            continue  # this message and the ones queued behind it
        if message.sender != "bot":
            return []
        if message.buttons:
            return list(message.buttons)
    return []


def next_pending(db: Session, *, conversation_id: str) -> Pending | None:
    message = db.scalar(select(Message).where(
        Message.conversation_id == conversation_id, Message.processed_at.is_(None),
        Message.provider_id.is_not(None)).order_by(Message.id).limit(1))
    if message is None:
        return None
    conversation = db.get(Conversation, conversation_id)
    return Pending(message.id, conversation_id, message.text, conversation.state,
                   conversation.contact or "", conversation.profile_name or "",
                   conversation.greeted_at is not None, _options(db, conversation_id))


def finish(db: Session, *, pending: Pending, replies: list[tuple[str, list[dict]]],
           greeted: bool) -> None:
    """Record the answer (queued for delivery by the outbox hook) and mark the message done,
    in one unit of work."""
    for text, buttons in replies:
        conversations.add_message(db, conversation_id=pending.conversation_id, sender="bot",
                                  text=text, buttons=buttons)
    message = db.get(Message, pending.message_id)
    message.processed_at = utcnow()
    if greeted:
        db.get(Conversation, pending.conversation_id).greeted_at = utcnow()
    db.flush()
