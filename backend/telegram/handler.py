"""What the helpdesk group does, update by update: 'Oppakken' claims, a reply to a hand-over post
answers the entrepreneur, /vrij hands the conversation back to the bot, /sluit closes it.

The database work is in store (one unit of work per action); this module talks to Telegram:
answers callback queries, has the notifier edit the post to show its new state (retried like
any other edit when Telegram fails), tells students why not."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from telegram import Bot, CallbackQuery, Message, ReplyParameters, Update
from telegram.error import TelegramError

from backend.db import Database
from backend.rasa_client import RasaUnavailable
from backend.services.turns import TurnService
from backend.telegram import store, sync, texts
from backend.telegram.notifier import Notifier

log = logging.getLogger("backend.telegram")


class UpdateHandler:
    def __init__(self, *, db: Database, bot: Bot, turns: TurnService, notifier: Notifier,
                 max_text_chars: int) -> None:
        self.db, self.bot, self.turns, self.notifier = db, bot, turns, notifier
        self.max_text_chars = max_text_chars

    def _in_db(self, fn, **kwargs):
        try:
            with self.db.session() as s:
                return fn(s, **kwargs)
        except store.Refused as refusal:
            return refusal

    async def _db(self, fn, **kwargs):
        """Run a store action; a refusal comes back as a store.Refused value (rolled back)."""
        return await run_in_threadpool(self._in_db, fn, **kwargs)

    async def process(self, update: Update) -> None:
        try:
            if update.callback_query is not None:
                await self._callback(update.callback_query)
            elif update.message is not None:
                await self._message(update.message)
            # anything else (edits, member changes, ...) is none of our business
        except Exception:  # e.g. the database is away: the student hears so, then we log it
            if update.callback_query is not None:
                await self._answer(update.callback_query, texts.SOMETHING_WRONG)
            elif update.message is not None:
                await self._say(update.message, texts.SOMETHING_WRONG)
            raise

    # --- the button ------------------------------------------------------------------------

    async def _callback(self, query: CallbackQuery) -> None:
        data = query.data or ""
        post = query.message
        if not data.startswith(texts.CLAIM_PREFIX) or post is None:
            await self._answer(query, texts.UNKNOWN_BUTTON)
            return
        name = texts.first_name(query.from_user.first_name)
        result = await self._db(
            store.claim, chat_id=post.chat.id, message_id=post.message_id,
            conversation_id=data.removeprefix(texts.CLAIM_PREFIX), user_id=query.from_user.id,
            name=name,
        )
        if isinstance(result, store.Refused):  # nothing changed; the student hears why
            await self._answer(query, str(result))
            if post.reply_markup is not None:  # this post still offers the button: out of date
                await self._repair(post.chat.id, post.message_id)
            return
        row_id, answer = result
        await self._answer(query, answer)
        await self.notifier.edit(row_id)  # marked by the claim: shows who has it now

    async def _repair(self, chat_id: int, message_id: int) -> None:
        row_id = await self._db(sync.out_of_date, chat_id=chat_id, message_id=message_id)
        if row_id is not None:
            await self.notifier.edit(row_id)

    async def _answer(self, query: CallbackQuery, text: str) -> None:
        try:
            await self.bot.answer_callback_query(query.id, text=text[:200])
        except TelegramError as exc:  # e.g. answered too late: the student sees no toast
            log.warning("telegram answerCallbackQuery failed: %s", exc)

    # --- messages in the group -----------------------------------------------------------

    async def _message(self, message: Message) -> None:
        command, argument = texts.parse_command(message.text)
        target = message.reply_to_message
        post = (await self._db(store.find, chat_id=message.chat.id,
                               message_id=target.message_id)) if target else None
        if post is None:  # ordinary chatter in the group, or a command said into the air
            if command is not None:
                await self._say(message, texts.USE_AS_REPLY)
            return
        user = message.from_user
        if user is None or message.sender_chat is not None:
            await self._say(message, texts.NOT_ANONYMOUS)
            return
        where = {"chat_id": message.chat.id, "message_id": target.message_id, "user_id": user.id}
        name = texts.first_name(user.first_name)
        if command == "vrij":
            await self._release(message, where, name)
        elif command == "sluit":
            outcome = argument[:200] or "afgehandeld"
            result = await self._db(store.close, outcome=outcome, **where)
            if isinstance(result, store.Refused):
                await self._say(message, str(result))
            else:
                await self.notifier.edit(result, ("closed", texts.closed_line(name, outcome)))
        elif command == "unknown":
            await self._say(message, texts.UNKNOWN_COMMAND)
        elif message.text is None:
            await self._say(message, texts.TEXT_ONLY)
        else:
            result = await self._db(store.reply, text=message.text,
                                    max_chars=self.max_text_chars, **where)
            if isinstance(result, store.Refused):
                await self._say(message, str(result))

    async def _release(self, message: Message, where: dict, name: str) -> None:
        result = await self._db(store.release, **where)
        if isinstance(result, store.Refused):
            await self._say(message, str(result))
            return
        row_id, conversation_id = result
        await self.notifier.edit(row_id, ("bot", texts.released_line(name)))
        try:  # the bot says so to the entrepreneur and picks the intake up again
            await self.turns.resume(conversation_id=conversation_id)
        except RasaUnavailable:
            log.warning("bot unavailable to resume %s; it answers the next message",
                        conversation_id)

    async def _say(self, message: Message, text: str) -> None:
        try:
            await self.bot.send_message(
                chat_id=message.chat.id, text=text,
                reply_parameters=ReplyParameters(message_id=message.message_id,
                                                 allow_sending_without_reply=True),
            )
        except TelegramError as exc:
            log.warning("telegram sendMessage failed: %s", exc)
