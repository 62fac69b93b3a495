"""The fake Bot API refuses what the real one refuses: otherwise the other Telegram tests could
pass against a bot that Telegram would turn down. Driven through python-telegram-bot (as the hub
uses it) and, for the raw answers, plain HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, RetryAfter

from tests.backend.fake_telegram import HELPDESK_CHAT, TOKEN, FakeTelegram, user


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    server = FakeTelegram()
    yield server
    server.close()


def call(fake: FakeTelegram, method: str, token: str = TOKEN, **kwargs):
    async def go():
        async with Bot(token, base_url=f"{fake.url}/bot") as bot:
            return await getattr(bot, method)(**kwargs)

    return asyncio.run(go())


def raw(fake: FakeTelegram, method: str, **params) -> tuple[int, dict]:
    response = httpx.post(f"{fake.url}/bot{TOKEN}/{method}", json=params)
    return response.status_code, response.json()


def test_send_message_returns_a_real_message(fake):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Oppakken", callback_data="claim:1")]])
    message = call(fake, "send_message", chat_id=HELPDESK_CHAT, text="Hallo", reply_markup=keyboard)
    assert message.message_id > 0 and message.chat.id == HELPDESK_CHAT
    assert message.from_user.is_bot and message.date.year >= 2025
    assert message.reply_markup == keyboard
    status, body = raw(fake, "sendMessage", chat_id=HELPDESK_CHAT, text="Hoi")
    assert status == 200 and body["ok"] is True
    assert set(body["result"]) >= {"message_id", "from", "chat", "date", "text"}


@pytest.mark.parametrize("params, description", [
    ({"text": "x"}, "Bad Request: chat_id is empty"),
    ({"chat_id": 42, "text": "x"}, "Bad Request: chat not found"),
    ({"chat_id": HELPDESK_CHAT, "text": "  "}, "Bad Request: message text is empty"),
    ({"chat_id": HELPDESK_CHAT}, "Bad Request: message text is empty"),
    ({"chat_id": HELPDESK_CHAT, "text": "x" * 4097}, "Bad Request: message is too long"),
    ({"chat_id": HELPDESK_CHAT, "text": "x", "reply_markup": "{"},
     "Bad Request: can't parse reply_markup JSON object"),
    ({"chat_id": HELPDESK_CHAT, "text": "x",
      "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "x" * 65}]]}},
     "Bad Request: BUTTON_DATA_INVALID"),
    ({"chat_id": HELPDESK_CHAT, "text": "x", "reply_parameters": {"message_id": 999999999}},
     "Bad Request: message to be replied not found"),
])
def test_send_message_refusals(fake, params, description):
    status, body = raw(fake, "sendMessage", **params)
    assert status == 400
    assert body == {"ok": False, "error_code": 400, "description": description}


def test_a_4096_character_message_is_fine_and_ptb_raises_bad_request_above(fake):
    assert call(fake, "send_message", chat_id=HELPDESK_CHAT, text="x" * 4096)
    with pytest.raises(BadRequest, match="(?i)too long"):
        call(fake, "send_message", chat_id=HELPDESK_CHAT, text="x" * 4097)


def test_a_missing_reply_target_is_allowed_when_asked(fake):
    message = call(fake, "send_message", chat_id=HELPDESK_CHAT, text="x",
                   reply_parameters=ReplyParameters(999999999, allow_sending_without_reply=True))
    assert message.reply_to_message is None


def test_wrong_token_and_unknown_method(fake):
    with pytest.raises(InvalidToken):
        call(fake, "get_me", token="123:wrong-token-wrong-token-wrong")
    response = httpx.post(f"{fake.url}/bot{TOKEN}/sendTelepathy", json={})
    assert (response.status_code, response.json()["description"]) == (404, "Not Found")


def test_edit_message_text(fake):
    message = call(fake, "send_message", chat_id=HELPDESK_CHAT, text="Eerst")
    edited = call(fake, "edit_message_text", chat_id=HELPDESK_CHAT,
                  message_id=message.message_id, text="Daarna")
    assert edited.text == "Daarna" and edited.edit_date is not None
    with pytest.raises(BadRequest, match="(?i)not modified"):
        call(fake, "edit_message_text", chat_id=HELPDESK_CHAT, message_id=message.message_id,
             text="Daarna")
    with pytest.raises(BadRequest, match="(?i)not found"):
        call(fake, "edit_message_text", chat_id=HELPDESK_CHAT, message_id=999999999, text="x")
    theirs = fake.message(user("Anna", 1), "van Anna")["message"]
    with pytest.raises(BadRequest, match="(?i)can't be edited"):
        call(fake, "edit_message_text", chat_id=HELPDESK_CHAT, message_id=theirs["message_id"],
             text="x")


def test_callback_queries_are_answered_once(fake):
    message = call(fake, "send_message", chat_id=HELPDESK_CHAT, text="Post")
    update = fake.callback(user("Anna", 1), message.message_id, "claim:1")
    query_id = update["callback_query"]["id"]
    with pytest.raises(BadRequest, match="(?i)message_too_long"):
        call(fake, "answer_callback_query", callback_query_id=query_id, text="x" * 201)
    assert call(fake, "answer_callback_query", callback_query_id=query_id, text="ok") is True
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        call(fake, "answer_callback_query", callback_query_id=query_id)
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        call(fake, "answer_callback_query", callback_query_id="nonsense")


def test_get_updates_offsets_and_the_webhook_conflict(fake):
    first = fake.message(user("Anna", 1), "een", queue=True)
    second = fake.message(user("Anna", 1), "twee", queue=True)
    updates = call(fake, "get_updates")
    assert [u.update_id for u in updates] == [first["update_id"], second["update_id"]]
    assert [u.message.text for u in updates] == ["een", "twee"]
    assert [u.update_id for u in call(fake, "get_updates", offset=second["update_id"])] == [
        second["update_id"]]  # the first one is confirmed and forgotten
    assert call(fake, "get_updates", offset=second["update_id"] + 1, timeout=0) == ()
    assert call(fake, "set_webhook", url="https://intake.example.nl/webhooks/telegram",
                secret_token="abc_DEF-123")
    with pytest.raises(Conflict, match="(?i)webhook is active"):
        call(fake, "get_updates")
    with pytest.raises(BadRequest, match="(?i)https url"):
        call(fake, "set_webhook", url="http://intake.example.nl/webhooks/telegram")
    with pytest.raises(BadRequest, match="(?i)unallowed characters"):
        call(fake, "set_webhook", url="https://x.nl/", secret_token="geen spaties")
    assert call(fake, "delete_webhook") and fake.webhook is None


def test_failures_on_request(fake):
    fake.fail(429, retry_after=7)
    status, body = raw(fake, "getMe")
    assert (status, body["parameters"]) == (429, {"retry_after": 7})
    fake.fail(429, retry_after=3)
    with pytest.raises(RetryAfter):
        call(fake, "get_me")
    fake.down = True
    with pytest.raises(NetworkError, match="(?i)Internal Server Error"):
        call(fake, "get_me")
    fake.down = False
    assert call(fake, "get_me").username == "werkplaats_helpdesk_bot"


def test_form_and_multipart_bodies_are_read_like_json(fake):
    markup = json.dumps({"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]})
    form = httpx.post(f"{fake.url}/bot{TOKEN}/sendMessage",
                      data={"chat_id": str(HELPDESK_CHAT), "text": "form", "reply_markup": markup})
    multipart = httpx.post(f"{fake.url}/bot{TOKEN}/sendMessage",
                           files={"chat_id": (None, str(HELPDESK_CHAT)), "text": (None, "multi")})
    query = httpx.get(f"{fake.url}/bot{TOKEN}/sendMessage",
                      params={"chat_id": HELPDESK_CHAT, "text": "query"})
    assert [r.json()["result"]["text"] for r in (form, multipart, query)] == [
        "form", "multi", "query"]
    assert form.json()["result"]["reply_markup"] == json.loads(markup)
