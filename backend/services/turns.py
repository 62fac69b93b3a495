"""One turn of a conversation: record the entrepreneur's message durably, let the answerer
(the bot for now; a person after hand-over) reply, and record the reply."""

from __future__ import annotations

import asyncio
import re
import weakref
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from backend.db import Database
from backend.rasa_client import BotMessage, RasaClient, RasaUnavailable
from backend.services import conversations

START_INTENT = "/start_intake"
RESUME_INTENT = "/resume_intake"
NO_REPLY = (
    "Sorry, daar ging iets mis aan mijn kant. Je bericht is bewaard. Probeer het nog eens, of "
    "typ 'medewerker'."
)
_LEADING_SLASHES = re.compile(r"^[\s/]+")


@dataclass
class TurnResult:
    messages: list[dict]
    state: str
    ticket_reference: str | None


def for_rasa(text: str) -> str:
    """Users may not trigger intents directly ('/restart'): a leading slash is not a command."""
    stripped = _LEADING_SLASHES.sub("", text).strip()  # also "/ /restart"
    return stripped or "?"


class TurnService:
    def __init__(self, db: Database, rasa: RasaClient) -> None:
        self.db = db
        self.rasa = rasa
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def _lock(self, conversation_id: str) -> asyncio.Lock:
        lock = self._locks.get(conversation_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conversation_id] = lock
        return lock

    def lock(self, conversation_id: str) -> asyncio.Lock:
        """The conversation's turn lock, for channels that answer recorded messages themselves
        (backend/channels/whatsapp_inbound.py): one turn at a time per conversation."""
        return self._lock(conversation_id)

    def _record_bot(self, conversation_id: str,
                    replies: list[BotMessage]) -> tuple[str, str | None]:
        """Store the bot's replies; return the conversation's state and ticket reference."""
        with self.db.session() as s:
            for reply in replies:
                conversations.add_message(
                    s, conversation_id=conversation_id, sender="bot", text=reply.text,
                    buttons=reply.buttons,
                )
            return conversations.state_of(s, conversation_id=conversation_id)

    async def start(self, *, channel: str = "webchat") -> tuple[str, str, list[dict]]:
        """Open a conversation and return (id, token, greeting). Nothing is stored when the bot
        cannot greet (RasaUnavailable propagates)."""

        def create() -> tuple[str, str]:
            with self.db.session() as s:
                conversation, token = conversations.create_conversation(s, channel=channel)
                return conversation.id, token

        conversation_id, token = await run_in_threadpool(create)
        try:
            replies = await self.rasa.send(conversation_id, START_INTENT)
            if not replies:  # Rasa answers [] when its actions fail: no greeting, no chat
                raise RasaUnavailable("no greeting from the bot")
        except Exception:
            await run_in_threadpool(self._forget, conversation_id)
            raise
        await run_in_threadpool(self._record_bot, conversation_id, replies)
        return conversation_id, token, [r.as_dict() for r in replies]

    def _forget(self, conversation_id: str) -> None:
        from backend.models import Conversation

        with self.db.session() as s:
            conversation = s.get(Conversation, conversation_id)
            if conversation is not None:
                s.delete(conversation)

    async def handle(self, *, conversation_id: str, text: str) -> TurnResult:
        """The user's message is committed before the bot is asked, so it is never lost."""
        async with self._lock(conversation_id):

            def record_user() -> str:
                with self.db.session() as s:
                    conversations.add_message(
                        s, conversation_id=conversation_id, sender="user", text=text
                    )
                    state, _ = conversations.state_of(s, conversation_id=conversation_id)
                    if state == "closed":  # writing again after a close: the bot answers
                        conversations.reopen(s, conversation_id=conversation_id)
                        state = "bot"
                    return state

            state = await run_in_threadpool(record_user)
            replies: list[BotMessage] = []
            if state == "bot":
                replies = await self.rasa.send(conversation_id, for_rasa(text)) or [
                    BotMessage(NO_REPLY)  # never leave the entrepreneur without an answer
                ]
            # one unit of work: the replies, and the state the actions may have changed
            state, reference = await run_in_threadpool(self._record_bot, conversation_id, replies)
            return TurnResult([r.as_dict() for r in replies], state, reference)

    async def resume(self, *, conversation_id: str) -> list[dict]:
        """After a person hands the conversation back: the bot says so and picks up the intake
        where it was. Its messages are recorded like any bot turn."""
        async with self._lock(conversation_id):
            replies = await self.rasa.send(conversation_id, RESUME_INTENT)
            await run_in_threadpool(self._record_bot, conversation_id, replies)
            return [r.as_dict() for r in replies]
