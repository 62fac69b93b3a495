"""The Telegram helpdesk group as one object on app.state.telegram: the Bot (python-telegram-bot,
pointed at TELEGRAM_API_URL), the notifier, the update handler, and the lifespan tasks (outbox
retry loop; getUpdates polling or setWebhook). TELEGRAM_MODE=off makes every entry point a no-op.
While on, every hand-over change in this database keeps the group's posts in step (sync.py).

We use PTB's Bot and its types, not its Application: the hub is already an ASGI app with a
lifespan, so the webhook is one of its routes and polling is one of its tasks."""

from __future__ import annotations

import asyncio
import logging

from fastapi import BackgroundTasks
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from telegram import Bot, Update
from telegram.request import HTTPXRequest

from backend.db import Database
from backend.services.turns import TurnService
from backend.settings import Settings
from backend.telegram import store, sync
from backend.telegram.handler import UpdateHandler
from backend.telegram.notifier import Notifier

log = logging.getLogger("backend.telegram")
ALLOWED_UPDATES = ["message", "callback_query"]
WEBHOOK_PATH = "/webhooks/telegram"


class TelegramHelpdesk:
    def __init__(self, settings: Settings, db: Database, turns: TurnService) -> None:
        self.settings, self.db, self.turns = settings, db, turns
        self.mode = settings.telegram_mode
        self.chat_id = settings.telegram_helpdesk_chat_id
        self.bot: Bot | None = None
        self.notifier: Notifier | None = None
        self.handler: UpdateHandler | None = None
        self.poller = None
        self._requests: list[HTTPXRequest] = []
        self._tasks: list[asyncio.Task] = []
        self._lock = asyncio.Lock()  # one update at a time: a student's replies stay in order
        self._loop: asyncio.AbstractEventLoop | None = None
        if self.enabled:  # posts are queued from now on, delivered once started
            sync.attach(db.engine, self.wake)

    @property
    def enabled(self) -> bool:
        return self.mode != "off"

    def redact(self, text: str) -> str:
        token = self.settings.telegram_bot_token
        return text.replace(token, "<token>") if token else text

    # --- lifespan ----------------------------------------------------------------------------

    async def start(self) -> None:
        if not self.enabled:
            return
        logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines show the token
        self._lock = asyncio.Lock()  # bound to this (the serving) event loop
        self._loop = asyncio.get_running_loop()
        self._requests = [
            HTTPXRequest(connection_pool_size=8, connect_timeout=5, read_timeout=10,
                         write_timeout=10, pool_timeout=5),
            HTTPXRequest(connection_pool_size=1, connect_timeout=5, read_timeout=10,
                         write_timeout=10, pool_timeout=5),  # getUpdates adds its own timeout
        ]
        base = self.settings.telegram_api_url
        self.bot = Bot(self.settings.telegram_bot_token, base_url=f"{base}/bot",
                       base_file_url=f"{base}/file/bot", request=self._requests[0],
                       get_updates_request=self._requests[1])
        self.notifier = Notifier(db=self.db, bot=self.bot, chat_id=self.chat_id,
                                 retry_seconds=self.settings.telegram_retry_seconds,
                                 redact=self.redact)
        self.handler = UpdateHandler(db=self.db, bot=self.bot, turns=self.turns,
                                     notifier=self.notifier,
                                     max_text_chars=self.settings.max_text_chars)
        self._tasks.append(asyncio.create_task(self.notifier.run_forever()))
        if self.mode == "polling":
            from backend.telegram.ingress import Poller

            self.poller = Poller(self)
            self._tasks.append(asyncio.create_task(self.poller.run()))
        elif self.settings.telegram_set_webhook:
            self._tasks.append(asyncio.create_task(self.register_webhook()))
        log.info("telegram helpdesk group on (%s)", self.mode)

    async def stop(self) -> None:
        self._loop = None
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        for request in self._requests:
            await request.shutdown()
        self._requests.clear()

    async def register_webhook(self) -> None:
        """Point Telegram at PUBLIC_BASE_URL/webhooks/telegram with our secret token."""
        url = self.settings.public_base_url + WEBHOOK_PATH
        try:
            await self.bot.set_webhook(url, secret_token=self.settings.telegram_webhook_secret,
                                       allowed_updates=ALLOWED_UPDATES)
            log.info("telegram webhook set to %s", url)
        except Exception as exc:
            log.error("telegram setWebhook failed: %s", self.redact(str(exc)))

    # --- hand-over requests ------------------------------------------------------------------

    def wake(self) -> None:
        """A post was queued or marked for an edit (called from any thread, after the commit):
        the retry loop runs a round now."""
        loop, notifier = self._loop, self.notifier
        if loop is None or notifier is None:
            return  # not started: the loop's first round picks it up
        try:
            loop.call_soon_threadsafe(notifier.wakeup.set)
        except RuntimeError:  # the loop is closing
            pass

    def handover_requested(self, conversation_id: str, background: BackgroundTasks) -> None:
        """Called by the hand-over API after the request is committed (the hand-over hook has
        queued the post by then). Tries the post after the response; never raises (Telegram is
        not the request)."""
        if not self.enabled:
            return
        try:
            with self.db.session() as s:
                # (a round woken by the commit may be posting it now: deliver waits for it)
                row_id = store.enqueue(s, conversation_id=conversation_id) or store.newest_id(
                    s, conversation_id)
        except IntegrityError:
            return  # queued at this very moment by a concurrent identical request
        except Exception:
            log.exception("could not queue the telegram post for %s", conversation_id)
            return
        if row_id is not None:
            background.add_task(self.deliver, row_id)

    async def deliver(self, row_id: int) -> None:
        if self.notifier is None:
            return  # not started (yet): the retry loop posts it once it runs
        try:
            await self.notifier.deliver(row_id)
        except Exception:
            log.exception("telegram post %s: delivery attempt failed", row_id)

    # --- updates from the group ----------------------------------------------------------------

    def parse(self, data: dict) -> Update:
        return Update.de_json(data, self.bot)

    def from_helpdesk(self, update: Update) -> bool:
        if update.callback_query is not None:
            message = update.callback_query.message
        else:
            message = update.message
        return message is not None and message.chat.id == self.chat_id

    async def admit(self, update: Update) -> bool:
        """True when this update is from the helpdesk group and was not seen before (it is
        then recorded, so a redelivery is dropped). Database errors propagate."""
        if not self.from_helpdesk(update):
            log.info("telegram update %s from another chat ignored", update.update_id)
            return False

        def record() -> bool:
            try:
                with self.db.session() as s:
                    store.admit_update(s, update_id=update.update_id)
                return True
            except IntegrityError:
                return False

        fresh = await run_in_threadpool(record)
        if not fresh:
            log.info("telegram update %s seen before: dropped", update.update_id)
        return fresh

    async def process(self, update: Update) -> None:
        status = "done"
        async with self._lock:
            try:
                await self.handler.process(update)
            except Exception:
                status = "failed"
                log.exception("telegram update %s failed", update.update_id)

        def finish() -> None:
            with self.db.session() as s:
                store.finish_update(s, update_id=update.update_id, status=status)

        try:
            await run_in_threadpool(finish)
        except Exception:
            log.exception("could not mark telegram update %s", update.update_id)
