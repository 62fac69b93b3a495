"""Keeps the group's hand-over posts in step with the conversations, whoever changes them (the
dashboard, the API, the claim-timeout sweeper, the phone line, the group itself).

The hand-over service calls `on_handover` (one of its hooks) inside the unit of work of every
transition. A new request (or a phone callback request without a post yet) queues its post; any
other change marks the conversation's newest post for an edit (status 'edit'), in the same
transaction, so the edit can't be lost. After the commit the Telegram helpdesk of that database
is woken and edits at once (backend/telegram/notifier.py); a failed edit is retried from here
with the posts' backoff.

A posted row's status: 'sent' (shows the request waiting, with 'Oppakken'), 'shown' (shows it
taken, handed back or closed), 'edit' (to be edited at next_attempt_at; None: now), 'editing'
(leased for one attempt), 'edit_failed' (given up; last_error says why)."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import case, event, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from backend.models import Conversation, TelegramHandover
from backend.services import handover
from backend.telegram import store, texts

log = logging.getLogger("backend.telegram")
POSTED = ("sent", "shown", "edit", "editing", "edit_failed")
QUEUES = ("requested", "callback")  # events that may need a (first) post

# engine -> the running helpdesk's wake-up (a WeakMethod: an app that is gone is forgotten)
_live: weakref.WeakKeyDictionary[Engine, weakref.WeakMethod] = weakref.WeakKeyDictionary()


def attach(engine: Engine, wake: Callable[[], None]) -> None:
    """Telegram is on for this database: follow its hand-overs and call `wake` (from any thread)
    after a commit that changed a post."""
    _live[engine] = weakref.WeakMethod(wake)


def _wake_for(db: Session) -> Callable[[], None] | None:
    ref = _live.get(db.get_bind())
    return ref() if ref is not None else None


def on_handover(db: Session, conversation_id: str, what: str) -> None:
    """The hand-over hook. Never raises: a post is not worth a student's failed claim."""
    if _wake_for(db) is None:
        return  # Telegram is off for this database
    try:
        with db.begin_nested():  # a failure here is rolled back alone
            created = store.enqueue(db, conversation_id=conversation_id) if what in QUEUES else None
            if created is None:
                mark_stale(db, conversation_id=conversation_id)
    except Exception:
        log.exception("telegram: could not follow %s of %s", what, conversation_id)
        return
    if not event.contains(db, "after_commit", _after_commit):
        event.listen(db, "after_commit", _after_commit)


def _after_commit(db: Session) -> None:
    try:
        wake = _wake_for(db)
        if wake is not None:
            wake()
    except Exception:  # after the commit: the retry round edits it instead
        log.exception("telegram: could not wake the notifier")


if on_handover not in handover.hooks:
    handover.hooks.append(on_handover)


# --- the edit outbox ---------------------------------------------------------------------------

def mark_stale(db: Session, *, conversation_id: str) -> int | None:
    """The newest post about the conversation must show its new state: returns its id. One
    UPDATE, also on a post still being sent (which takes its row lock, so that post's own
    finish sees this change: see posted())."""
    row_id = store.newest_id(db, conversation_id)
    if row_id is None:
        return None
    posted = TelegramHandover.status.in_(POSTED)
    db.execute(
        update(TelegramHandover).where(TelegramHandover.id == row_id)
        .values(status=case((posted, "edit"), else_=TelegramHandover.status),
                attempts=case((posted, 0), else_=TelegramHandover.attempts),
                next_attempt_at=case((posted, None), else_=TelegramHandover.next_attempt_at),
                last_error=case((posted, None), else_=TelegramHandover.last_error))
        .execution_options(synchronize_session=False)
    )
    return row_id


def posted(db: Session, *, row_id: int, chat_id: int, message_id: int, now: datetime,
           shown: texts.PostView) -> bool:
    """The post went out showing `shown`; True (and marked for an edit) when the conversation
    changed meanwhile. The row is written first, so a change committing later finds it posted."""
    store.finish(db, row_id=row_id, status="sent", chat_id=chat_id, message_id=message_id,
                 now=now)
    if store.view(db, row_id=row_id) == shown:
        return False
    db.execute(update(TelegramHandover).where(TelegramHandover.id == row_id)
               .values(status="edit", attempts=0, next_attempt_at=None))
    return True


def reconcile(db: Session) -> int:
    """Posts still offering 'Oppakken' for a request that no longer waits (changed by something
    that has no hook, e.g. a callback marked done) or that a newer post replaced: to be edited."""
    rows = db.execute(
        select(TelegramHandover.id, TelegramHandover.conversation_id, Conversation.state)
        .join(Conversation, Conversation.id == TelegramHandover.conversation_id)
        .where(TelegramHandover.status == "sent")
    ).all()
    stale = [row_id for row_id, cid, state in rows
             if state != "waiting_for_human" or store.newest_id(db, cid) != row_id]
    if stale:
        db.execute(update(TelegramHandover).where(TelegramHandover.id.in_(stale),
                                                  TelegramHandover.status == "sent")
                   .values(status="edit", attempts=0, next_attempt_at=None))
    return len(stale)


def out_of_date(db: Session, *, chat_id: int, message_id: int) -> int | None:
    """A student pressed 'Oppakken' on this post and it no longer applies: if no edit is on its
    way (e.g. the last one was given up), the post is marked for one. Returns its id if so."""
    row = store.find(db, chat_id=chat_id, message_id=message_id)
    if row is None or row.status not in ("sent", "shown", "edit_failed"):
        return None
    view = store.view(db, row_id=row.id)
    if view is None or texts.has_button(view):
        return None
    db.execute(update(TelegramHandover).where(TelegramHandover.id == row.id)
               .values(status="edit", attempts=0, next_attempt_at=None, last_error=None))
    return row.id


def _edit_due(now: datetime):
    return (((TelegramHandover.status == "edit")
             & (TelegramHandover.next_attempt_at.is_(None)
                | (TelegramHandover.next_attempt_at <= now)))
            | ((TelegramHandover.status == "editing") & (TelegramHandover.next_attempt_at <= now)))


def edit_due_ids(db: Session, *, now: datetime, limit: int = 20) -> list[int]:
    return list(db.scalars(select(TelegramHandover.id).where(_edit_due(now))
                           .order_by(TelegramHandover.id).limit(limit)))


def take_edit(db: Session, *, row_id: int, now: datetime,
              lease: timedelta) -> tuple[int, int, int] | None:
    """Lease a due edit: (attempt, chat id, message id), or None when it is not due."""
    result = db.execute(
        update(TelegramHandover)
        .where(TelegramHandover.id == row_id, TelegramHandover.message_id.is_not(None),
               _edit_due(now))
        .values(status="editing", attempts=TelegramHandover.attempts + 1,
                next_attempt_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    row = db.get(TelegramHandover, row_id)
    db.refresh(row)
    return row.attempts, row.chat_id, row.message_id


def finish_edit(db: Session, *, row_id: int, status: str, error: str | None = None,
                retry_at: datetime | None = None) -> bool:
    """End an attempt: 'sent'/'shown' (done), 'edit' (again at retry_at) or 'edit_failed'. Only
    while still leased: a change marked during the attempt keeps the post due (False)."""
    result = db.execute(
        update(TelegramHandover)
        .where(TelegramHandover.id == row_id, TelegramHandover.status == "editing")
        .values(status=status, last_error=error[:300] if error else None,
                next_attempt_at=retry_at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
