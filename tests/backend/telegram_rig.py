"""The hub with the Telegram helpdesk group switched on against FakeTelegram, and the moves the
tests make as entrepreneur (web chat), bot (hand-over request) and students (Telegram)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from fastapi.testclient import TestClient

from backend.app import create_app
from backend.models import Conversation, TelegramHandover
from tests.backend.conftest import SERVICE_TOKEN, FakeRasa, make_settings
from tests.backend.fake_telegram import HELPDESK_CHAT, TOKEN, FakeTelegram, user
from tests.backend.helpers import bearer, start_conversation

SECRET = "webhook-secret_0123456789"
ANNA = user("Anna", 1001, last_name="de Boer", username="anna_db")
BRAM = user("Bram", 1002, last_name="Jansen")
ANNA_TOO = user("Anna", 1003, last_name="Visser")  # another student called Anna


class TelegramRig:
    def __init__(self, database_url: str, rasa: FakeRasa, *, mode: str = "webhook",
                 api_url: str | None = None, **overrides) -> None:
        self.fake = FakeTelegram()
        self.rasa = rasa
        settings = dict(telegram_mode=mode, telegram_bot_token=TOKEN,
                        telegram_helpdesk_chat_id=HELPDESK_CHAT, telegram_webhook_secret=SECRET,
                        telegram_api_url=api_url or self.fake.url, telegram_set_webhook=False,
                        telegram_poll_timeout=1, telegram_retry_seconds=3600)
        settings.update(overrides)
        self.app = create_app(make_settings(database_url, rasa.url, **settings))
        self.client = TestClient(self.app)

    def __enter__(self) -> TelegramRig:
        self.client.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.client.__exit__(*exc)
        self.fake.close()

    @property
    def helpdesk(self):
        return self.app.state.telegram

    # --- entrepreneur and bot -----------------------------------------------------------------

    def conversation(self) -> tuple[str, dict]:
        return start_conversation(self.client)

    def say(self, cid: str, headers: dict, text: str) -> dict:
        response = self.client.post(f"/api/v1/conversations/{cid}/messages", json={"text": text},
                                    headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    def request_handover(self, cid: str, reason: str = "asked"):
        return self.client.post(f"/api/v1/conversations/{cid}/handover", json={"reason": reason},
                                headers=bearer(SERVICE_TOKEN))

    def waiting(self, reason: str = "asked") -> tuple[str, dict, dict]:
        """A conversation waiting for a person, and its post in the group."""
        cid, headers = self.conversation()
        assert self.request_handover(cid, reason).status_code == 200
        return cid, headers, self.post_for(cid)

    # --- the group ------------------------------------------------------------------------------

    def posts_for(self, cid: str) -> list[dict]:
        """The bot's messages in the group carrying the claim button for this conversation."""
        found = []
        for (chat, _), msg in sorted(self.fake.messages.items()):
            rows = (msg.get("reply_markup") or {}).get("inline_keyboard") or []
            if chat == HELPDESK_CHAT and any(b.get("callback_data") == f"claim:{cid}"
                                             for row in rows for b in row):
                found.append(msg)
        return found

    def post_for(self, cid: str) -> dict:
        posts = self.posts_for(cid)
        assert len(posts) == 1, posts
        return dict(posts[0])

    def message_now(self, message_id: int, chat_id: int = HELPDESK_CHAT) -> dict:
        return self.fake.messages[(chat_id, message_id)]

    def deliver(self, update: dict, secret: str | None = SECRET):
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return self.client.post("/webhooks/telegram", json=update, headers=headers)

    def click(self, who: dict, post: dict, cid: str | None = None) -> str | None:
        """A student presses 'Oppakken'; returns the toast they get."""
        data = f"claim:{cid}" if cid else post["reply_markup"]["inline_keyboard"][0][0][
            "callback_data"]
        update = self.fake.callback(who, post["message_id"], data)
        assert self.deliver(update).status_code == 200
        answer = self.fake.answer_to(update)
        return answer.get("text") if answer else None

    def reply(self, who: dict, post: dict, text: str | None, **extra) -> dict:
        """A student answers the post (Telegram's 'Beantwoorden'); returns the update."""
        update = self.fake.message(who, text, reply_to=post["message_id"], **extra)
        assert self.deliver(update).status_code == 200
        return update

    def told(self, update: dict) -> list[str]:
        """What the bot said in the group in reply to this student message."""
        mid = update["message"]["message_id"]
        said = []
        for params in self.fake.sent("sendMessage"):
            reply = params.get("reply_parameters") or "{}"
            reply = json.loads(reply) if isinstance(reply, str) else reply
            if reply.get("message_id") == mid:
                said.append(params["text"])
        return said

    # --- the database ------------------------------------------------------------------------

    def state(self, cid: str) -> Conversation:
        with self.app.state.db.session() as s:
            return s.get(Conversation, cid)

    def outbox(self, cid: str) -> list[TelegramHandover]:
        from sqlalchemy import select

        with self.app.state.db.session() as s:
            return list(s.scalars(select(TelegramHandover)
                                  .where(TelegramHandover.conversation_id == cid)
                                  .order_by(TelegramHandover.id)))


def wait_for(predicate: Callable[[], object], timeout: float = 5.0) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)
