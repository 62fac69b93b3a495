"""How updates reach the hub: POST /webhooks/telegram (TELEGRAM_MODE=webhook; Telegram sends our
secret in X-Telegram-Bot-Api-Secret-Token) or getUpdates long polling (TELEGRAM_MODE=polling).
Both hand the update to the same TelegramHelpdesk.admit/process."""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import TYPE_CHECKING

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request
from telegram.error import InvalidToken, RetryAfter

from backend.telegram.helpdesk import ALLOWED_UPDATES, WEBHOOK_PATH
from backend.telegram.notifier import seconds

if TYPE_CHECKING:
    from backend.telegram.helpdesk import TelegramHelpdesk

log = logging.getLogger("backend.telegram")
router = APIRouter(tags=["telegram"])
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@router.post(WEBHOOK_PATH, include_in_schema=False)
async def telegram_webhook(request: Request, background: BackgroundTasks) -> dict:
    helpdesk: TelegramHelpdesk = request.app.state.telegram
    if helpdesk.mode != "webhook":
        raise HTTPException(404, "Not Found")
    given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
    expected = helpdesk.settings.telegram_webhook_secret.encode()
    if not expected or not hmac.compare_digest(given, expected):
        raise HTTPException(403, "forbidden")
    if helpdesk.bot is None:
        raise HTTPException(503, "not ready")  # Telegram retries later
    try:
        data = await request.json()
    except ValueError:
        raise HTTPException(400, "body must be a JSON Telegram update") from None
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        raise HTTPException(400, "body must be a JSON Telegram update")
    try:
        update = helpdesk.parse(data)
    except Exception:
        raise HTTPException(400, "body must be a JSON Telegram update") from None
    if await helpdesk.admit(update):  # recorded before we answer: a redelivery is dropped
        background.add_task(helpdesk.process, update)  # after the 200
    return {"ok": True}


class Poller:
    """getUpdates long polling with offset handling: an update is confirmed (the offset moves
    past it) only once it is recorded; errors back off from 1 s to a minute, and a 429's
    retry_after is obeyed."""

    def __init__(self, helpdesk: TelegramHelpdesk, first_backoff: float = 1.0,
                 max_backoff: float = 60.0) -> None:
        self.helpdesk = helpdesk
        self.offset: int | None = None
        self.first_backoff, self.max_backoff = first_backoff, max_backoff

    async def run(self) -> None:
        bot = self.helpdesk.bot
        backoff: float | None = None  # None: the last round went well
        webhook_removed = False
        while True:
            try:
                if not webhook_removed:  # getUpdates is refused while a webhook is set
                    await bot.delete_webhook()
                    webhook_removed = True
                updates = await bot.get_updates(
                    offset=self.offset, timeout=int(self.helpdesk.settings.telegram_poll_timeout),
                    allowed_updates=ALLOWED_UPDATES,
                )
                for update in updates:
                    if await self.helpdesk.admit(update):
                        await self.helpdesk.process(update)
                    self.offset = update.update_id + 1
                backoff = None
            except asyncio.CancelledError:
                raise
            except RetryAfter as exc:
                log.warning("telegram getUpdates: rate limited, waiting %s s", exc.retry_after)
                await asyncio.sleep(seconds(exc.retry_after))
            except Exception as exc:
                backoff = (self.first_backoff if backoff is None
                           else min(backoff * 2, self.max_backoff))
                level = logging.ERROR if isinstance(exc, InvalidToken) else logging.WARNING
                log.log(level, "telegram polling failed (retry in %.2g s): %s", backoff,
                        self.helpdesk.redact(f"{type(exc).__name__}: {exc}"))
                await asyncio.sleep(backoff)
