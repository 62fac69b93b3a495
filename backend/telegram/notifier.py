"""Posts hand-over requests to the helpdesk group from the outbox (telegram_handovers).

A request is queued in the database first; delivery is tried at once (after the API has
answered) and then again by the retry loop with backoff, so a Telegram outage delays posts but
never loses them: every attempt leaves its status and error in the row."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from starlette.concurrency import run_in_threadpool
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import RetryAfter

from backend.db import Database
from backend.models import utcnow
from backend.telegram import store, texts

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

    def _in_db(self, fn, **kwargs):
        with self.db.session() as s:
            return fn(s, **kwargs)

    async def _db(self, fn, **kwargs):
        return await run_in_threadpool(self._in_db, fn, **kwargs)

    async def deliver(self, row_id: int) -> str | None:
        """One delivery attempt for one outbox row; returns the row's new status (None when the
        row is not due, e.g. another worker has it)."""
        now = utcnow()
        attempt = await self._db(store.take, row_id=row_id, now=now, lease=self.lease)
        if attempt is None:
            return None
        view = await self._db(store.view, row_id=row_id)
        if view is None or view.state != "waiting_for_human":  # claimed or closed meanwhile
            await self._db(store.finish, row_id=row_id, status="skipped")
            return "skipped"
        try:
            message = await self.bot.send_message(
                chat_id=self.chat_id,
                text=texts.render(view, now, texts.WAITING),
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
        await self._db(store.finish, row_id=row_id, status="sent", chat_id=message.chat.id,
                       message_id=message.message_id, now=utcnow())
        log.info("telegram hand-over post for %s sent", view.conversation_id)
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

    async def run_forever(self) -> None:
        """The retry loop (a task of the app's lifespan); also forgets old update ids."""
        while True:
            await asyncio.sleep(self.retry_seconds)
            try:
                await self.deliver_due()
                await self._db(store.prune_updates, before=utcnow() - timedelta(days=2))
            except Exception:  # keep looping; the next round retries
                log.exception("telegram outbox round failed")
