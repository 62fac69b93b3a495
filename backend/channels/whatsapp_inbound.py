"""Answer recorded WhatsApp messages, one conversation at a time and in order.

A new conversation first gets the greeting (Rasa '/start_intake' with the channel, phone and
WhatsApp profile name as metadata, so the bot does not ask for the phone number). In state bot
the text goes to Rasa (a number picks one of the bot's numbered options); while a person has
the conversation it is only recorded. Voice notes, images and locations get a friendly answer
and never reach Rasa. The answer is recorded and queued in the outbox in one unit of work."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool

from backend.db import Database
from backend.rasa_client import BotMessage, RasaClient, RasaUnavailable
from backend.services import inbox, whatsapp_text
from backend.services.turns import NO_REPLY, START_INTENT, TurnService, for_rasa
from backend.settings import Settings

log = logging.getLogger("backend.channels")
BOT_DOWN = (
    "Sorry, de assistent is even niet bereikbaar. Je bericht is bewaard. Stuur het over een "
    "paar minuten nog eens, of typ 'medewerker'."
)
RASA_ATTEMPTS = 3


class InboundProcessor:
    def __init__(self, settings: Settings, db: Database, rasa: RasaClient, turns: TurnService,
                 answered: Callable[[str], None]) -> None:
        self.settings, self.db, self.rasa, self.turns = settings, db, rasa, turns
        self.answered = answered  # called with the conversation id once replies are queued

    async def run(self, conversation_id: str) -> None:
        async with self.turns.lock(conversation_id):
            while (pending := await run_in_threadpool(self._next, conversation_id)) is not None:
                try:
                    replies, greeted = await self._answer(pending)
                except Exception:  # never leave the entrepreneur without an answer
                    log.exception("answering WhatsApp message %s failed", pending.message_id)
                    replies, greeted = [BotMessage(NO_REPLY)], False
                await run_in_threadpool(self._finish, pending, replies, greeted)
                self.answered(conversation_id)

    def _next(self, conversation_id: str) -> inbox.Pending | None:
        with self.db.session() as s:
            return inbox.next_pending(s, conversation_id=conversation_id)

    def _finish(self, pending: inbox.Pending, replies: list[BotMessage], greeted: bool) -> None:
        with self.db.session() as s:
            inbox.finish(s, pending=pending, replies=[(r.text, r.buttons) for r in replies],
                         greeted=greeted)

    async def _rasa(self, pending: inbox.Pending, text: str) -> list[BotMessage] | None:
        """Rasa's answer; None when it stays unavailable after a few tries."""
        metadata = {"channel": "whatsapp", "phone": pending.contact,
                    "profile_name": pending.profile_name}
        for attempt in range(RASA_ATTEMPTS):
            try:
                return await self.rasa.send(pending.conversation_id, text, metadata)
            except RasaUnavailable as exc:
                log.warning("Rasa unavailable for %s: %s", pending.conversation_id, exc)
                if attempt + 1 < RASA_ATTEMPTS:
                    await asyncio.sleep(self.settings.outbox_backoff_seconds * 2**attempt)
        return None

    async def _answer(self, pending: inbox.Pending) -> tuple[list[BotMessage], bool]:
        """(the replies, whether the greeting happened now)."""
        replies: list[BotMessage] = []
        greeted_now = False
        if not pending.greeted:
            greeting = await self._rasa(pending, START_INTENT)
            if not greeting:  # down, or its actions failed: greet with the next message
                return [BotMessage(BOT_DOWN)], False
            replies, greeted_now = list(greeting), True
        notice = whatsapp_text.notice_for(pending.text)
        if notice:
            return [*replies, BotMessage(notice)], greeted_now
        if pending.state != "bot" or (greeted_now and whatsapp_text.is_opener(pending.text)):
            return replies, greeted_now  # a person answers; or 'hallo' needs only the greeting
        text = pending.text if greeted_now else whatsapp_text.resolve_option(
            pending.text, pending.options)
        answer = await self._rasa(pending, for_rasa(text))
        if answer is None:
            answer = [BotMessage(BOT_DOWN)]
        return [*replies, *(answer or [BotMessage(NO_REPLY)])], greeted_now
