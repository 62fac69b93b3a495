"""Database models (SQLAlchemy 2, typed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(value: datetime) -> str:
    """ISO-8601 with timezone (SQLite hands datetimes back without one)."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20), default="webchat")
    # bot | waiting_for_human | human | closed
    state: Mapped[str] = mapped_column(String(24), default="bot")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Hand-over to a helpdesk student (see backend/services/handover.py).
    handover_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    handover_requested_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True
    )
    assigned_to: Mapped[str | None] = mapped_column(String(120), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    callback: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Who is on the other end (E.164 phone; WhatsApp and phone calls), and the name their
    # WhatsApp profile shows (a suggestion: the bot asks before it uses it).
    contact: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    profile_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    greeted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # A phone call's Twilio CallSid (channel voice): one conversation per call.
    call_sid: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Twilio's final CallStatus of that call (completed, busy, no-answer, failed, canceled)
    # and when the hub heard it (backend/channels/voice.py, the status webhook).
    call_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    call_ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id", cascade="all, delete-orphan"
    )


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    sender: Mapped[str] = mapped_column(String(10))  # user | bot | staff
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[Any]] = mapped_column(default=list)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Inbound channel messages: the provider's id (Twilio MessageSid; unique, so a duplicate
    # delivery is a no-op) and when the hub finished answering it (None: still to do).
    provider_id: Mapped[str | None] = mapped_column(
        String(64), nullable=True, unique=True, index=True
    )
    processed_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True
    )

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True, index=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id"), unique=True, index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="nieuw", index=True)
    channel: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    theme: Mapped[str] = mapped_column(String(40), index=True)
    themes: Mapped[list[Any]] = mapped_column(default=list)
    question: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    company_name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(120), default="")
    employees: Mapped[int | None] = mapped_column(Integer, nullable=True)
    postcode: Mapped[str] = mapped_column(String(10), default="")
    place: Mapped[str] = mapped_column(String(120), default="")
    kvk_number: Mapped[str | None] = mapped_column(String(8), nullable=True)
    contact_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    werkplaats: Mapped[str] = mapped_column(String(120), index=True)
    consent_privacy: Mapped[bool] = mapped_column(Boolean)
    consent_followup: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(String(120), nullable=True)
    maturity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # What the werkplaats offers (a coordinator's choice; backend/services/tickets.py OFFERS).
    offer: Mapped[str | None] = mapped_column(String(60), nullable=True)


class HelpdeskOverride(Base):
    """A coordinator opened or closed the helpdesk 'right now', overriding the office hours."""

    __tablename__ = "helpdesk_override"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    open: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # None: follow the hours
    set_by: Mapped[str] = mapped_column(String(120), default="")
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StaffUser(Base):
    """A dashboard user: helpdesk student, coordinator or admin (backend/dashboard/auth.py)."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))  # student | coordinator | admin
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class StaffSession(Base):
    """A signed-in dashboard session. Only the SHA-256 of the cookie's token is stored."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class TelegramHandover(Base):
    """A hand-over for the Telegram helpdesk group (backend/telegram/): the outbox row (status,
    attempts) and, once posted, the group message -> conversation mapping and who claimed it."""

    __tablename__ = "telegram_handovers"
    __table_args__ = (
        UniqueConstraint("chat_id", "message_id", name="uq_telegram_handovers_message"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    request_key: Mapped[str] = mapped_column(String(80), unique=True)  # one post per request
    # pending | sending | sent | failed (retried until next_attempt_at is None) | skipped
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    claimed_by_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # Telegram user
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)  # first name only


class TelegramUpdate(Base):
    """Telegram update ids already taken in (webhook or polling): each is processed once."""

    __tablename__ = "telegram_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                  index=True)
    status: Mapped[str] = mapped_column(String(12), default="received")  # received|done|failed


class OutboxMessage(Base):
    """A message on its way to an entrepreneur on WhatsApp (backend/services/outbox.py).
    status: queued | sent | failed | needs_template. Failed ones stay visible to staff."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), nullable=True, index=True
    )
    channel: Mapped[str] = mapped_column(String(20), default="whatsapp")
    to: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    provider_sid: Mapped[str | None] = mapped_column(String(64), nullable=True)
    content_sid: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CallbackRequest(Base):
    """Someone must call the entrepreneur back (backend/services/callbacks.py): a record staff
    act on. At most one open request per conversation (a partial unique index).
    reason: outside_hours | no_answer | caller_choice | claim_timeout | hangup | bot_down."""

    __tablename__ = "callback_requests"
    __table_args__ = (
        Index("uq_callback_requests_open", "conversation_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True, index=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    reason: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)  # open | done
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    done_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
