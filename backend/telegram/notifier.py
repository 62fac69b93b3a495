"""Posts hand-over requests to the helpdesk group from the outbox (telegram_handovers), and
edits each post when its conversation changes (backend/telegram/sync.py marks them).

A request is queued in the database first; delivery is tried at once (after the API has
answered, or when woken after a commit) and then again by the retry loop with backoff, so a
Telegram outage delays posts and edits but never loses them: every attempt leaves its status
and error in the row. One attempt at a time per process (a lock), so the loop and a student's
action never edit the same post at once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from starlette.concurrency import run_in_threadpool
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, RetryAfter

from backend.db import Database
from backend.models import utcnow
from backend.telegram import store, sync, texts

log = logging.getLogger("backend.telegram")


def seconds(value: float | timedelta) -> float:
    """RetryAfter.retry_after is an int or a timedelta, depending on the PTB version."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def claim_keyboard(conversation_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.CLAIM_BUTTON,
                               callback_data=f"{texts.CLAIM_PREFIX}{conversation_id}")]]
    )


class Notifier:
    def __init__(self, *, db: Database, bot: Bot, chat_id: int, retry_seconds: float,
                 redact: Callable[[str], str], backoff_base: float = 30.0,
                 max_attempts: int = 8, lease: timedelta = timedelta(minutes=2)) -> None:
        self.db, self.bot, self.chat_id = db, bot, chat_id
        self.retry_seconds = retry_seconds
        self.redact = redact
        self.backoff_base, self.max_attempts, self.lease = backoff_base, max_attempts, lease
        self.wakeup = asyncio.Event()  # set (thread-safely, by the helpdesk) after a change
        self._lock = asyncio.Lock()

    def _in_db(self, fn, **kwargs):
        with self.db.session() as s:
            return fn(s, **kwargs)

    async def _db(self, fn, **kwargs):
        return await run_in_threadpool(self._in_db, fn, **kwargs)

    async def deliver(self, row_id: int) -> str | None:
        """One delivery attempt for one outbox row; returns the row's new status (None when the
        row is not due, e.g. another worker has it)."""
        async with self._lock:
            return await self._deliver(row_id)

    async def _deliver(self, row_id: int) -> str | None:
        now = utcnow()
        attempt = await self._db(store.take, row_id=row_id, now=now, lease=self.lease)
        if attempt is None:
            return None
        view = await self._db(store.view, row_id=row_id)
        if view is None or not texts.has_button(view):  # claimed, closed or replaced meanwhile
            await self._db(store.finish, row_id=row_id, status="skipped")
            return "skipped"
        try:
            message = await self.bot.send_message(
                chat_id=self.chat_id,
                text=texts.render(view, now),
                reply_markup=claim_keyboard(view.conversation_id),
            )
        except Exception as exc:  # TelegramError, or anything else: keep it for the retry loop
            retry_at = self._retry_at(exc, attempt)
            error = self.redact(f"{type(exc).__name__}: {exc}")
            log.warning("telegram hand-over post for %s failed (attempt %d, %s): %s",
                        view.conversation_id, attempt,
                        f"retry at {retry_at:%H:%M:%S}" if retry_at else "giving up", error)
            await self._db(store.finish, row_id=row_id, status="failed", error=error,
                           retry_at=retry_at)
            return "failed"
        changed = await self._db(sync.posted, row_id=row_id, chat_id=message.chat.id,
                                 message_id=message.message_id, now=utcnow(), shown=view)
        log.info("telegram hand-over post for %s sent", view.conversation_id)
        if changed:  # claimed (or so) while it was on its way: show that right away
            await self._edit(row_id)
        return "sent"

    def _retry_at(self, exc: Exception, attempt: int) -> datetime | None:
        if attempt >= self.max_attempts:
            return None
        if isinstance(exc, RetryAfter):
            delay = seconds(exc.retry_after)
        else:
            delay = min(self.backoff_base * 2 ** (attempt - 1), 3600.0)
        return utcnow() + timedelta(seconds=delay)

    async def deliver_due(self) -> None:
        for row_id in await self._db(store.due_ids, now=utcnow()):
            await self.deliver(row_id)

    # --- keeping posts in step ---------------------------------------------------------------

    async def edit(self, row_id: int, line: tuple[str, str] | None = None) -> str | None:
        """One edit attempt: the post shows its conversation as it is now. `line` is (state,
        status line): a student's own action in the group, named, used while the state is that.
        Returns the row's new status (None when no edit was due, e.g. done already)."""
        async with self._lock:
            return await self._edit(row_id, line)

    async def _edit(self, row_id: int, line: tuple[str, str] | None = None) -> str | None:
        now = utcnow()
        taken = await self._db(sync.take_edit, row_id=row_id, now=now, lease=self.lease)
        if taken is None:
            return None
        attempt, chat_id, message_id = taken
        view = await self._db(store.view, row_id=row_id)
        if view is None:
            await self._db(sync.finish_edit, row_id=row_id, status="edit_failed",
                           error="the conversation is gone")
            return "edit_failed"
        button = texts.has_button(view)
        own = line[1] if line and line[0] == view.state else None
        try:
            await self.bot.edit_message_text(
                texts.render(view, now, own), chat_id=chat_id, message_id=message_id,
                reply_markup=claim_keyboard(view.conversation_id) if button else None)
        except Exception as exc:
            return await self._edit_failed(row_id, view.conversation_id, attempt, exc,
                                           "sent" if button else "shown")
        status = "sent" if button else "shown"
        await self._db(sync.finish_edit, row_id=row_id, status=status)
        return status

    async def _edit_failed(self, row_id: int, conversation_id: str, attempt: int,
                           exc: Exception, done: str) -> str:
        error = self.redact(f"{type(exc).__name__}: {exc}")
        if isinstance(exc, BadRequest) and "not modified" in str(exc).lower():
            status, retry_at, error = done, None, None  # it shows this already
        elif isinstance(exc, BadRequest):  # gone, not ours, ...: asking again won't help
            status, retry_at = "edit_failed", None
        else:
            retry_at = self._retry_at(exc, attempt)
            status = "edit" if retry_at else "edit_failed"
        if error:
            log.warning("telegram edit of the post for %s failed (attempt %d, %s): %s",
                        conversation_id, attempt,
                        f"retry at {retry_at:%H:%M:%S}" if retry_at else "giving up", error)
        await self._db(sync.finish_edit, row_id=row_id, status=status, error=error,
                       retry_at=retry_at)
        return status

    async def edit_due(self, *, batches: int = 10) -> None:
        """The edits that are due (in batches, until none are left)."""
        for _ in range(batches):
            due = await self._db(sync.edit_due_ids, now=utcnow())
            for row_id in due:
                await self.edit(row_id)
            if not due:
                return

    async def catch_up(self) -> None:
        """Posts still offering 'Oppakken' for what no longer waits (a change without a hook)
        are edited too; every retry round, not on every wake-up."""
        await self._db(sync.reconcile)
        await self.edit_due()

    async def run_forever(self) -> None:
        """The retry loop (a task of the app's lifespan): a round when woken after a change,
        and every retry_seconds; also forgets old update ids."""
        while True:
            try:
                await asyncio.wait_for(self.wakeup.wait(), self.retry_seconds)
                periodic = False
            except TimeoutError:
                periodic = True
            self.wakeup.clear()
            try:
                await self.deliver_due()
                if periodic:
                    await self.catch_up()
                    await self._db(store.prune_updates, before=utcnow() - timedelta(days=2))
                else:
                    await self.edit_due()
            except Exception:  # keep looping; the next round retries
                log.exception("telegram outbox round failed")
