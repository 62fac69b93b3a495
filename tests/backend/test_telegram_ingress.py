"""backend.telegram.ingress: the webhook (secret token, helpdesk chat only, each update once) and
getUpdates polling (offset, backoff, rate limits), and registering the webhook."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from backend.models import TelegramUpdate
from backend.telegram import texts
from tests.backend.fake_telegram import OTHER_CHAT
from tests.backend.helpers import transcript
from tests.backend.telegram_rig import ANNA, BRAM, SECRET, TelegramRig, wait_for


@pytest.fixture
def rig(migrated, fake_rasa) -> Iterator[TelegramRig]:
    with TelegramRig(migrated, fake_rasa) as r:
        yield r


def seen(rig: TelegramRig, update: dict) -> int:
    with rig.app.state.db.session() as s:
        return s.scalar(select(func.count()).select_from(TelegramUpdate)
                        .where(TelegramUpdate.update_id == update["update_id"]))


# --- webhook -----------------------------------------------------------------------------------

@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x", SECRET[:-1]])
def test_without_the_right_secret_nothing_is_processed(rig, secret):
    cid, _, post = rig.waiting()
    calls = len(rig.fake.calls)
    update = rig.fake.callback(ANNA, post["message_id"], f"claim:{cid}")
    response = rig.deliver(update, secret=secret)
    assert response.status_code == 403
    assert rig.state(cid).state == "waiting_for_human"
    assert seen(rig, update) == 0  # not even remembered
    assert len(rig.fake.calls) == calls  # and nothing said to Telegram


def test_the_right_secret_is_answered_with_200(rig):
    cid, _, post = rig.waiting()
    update = rig.fake.callback(ANNA, post["message_id"], f"claim:{cid}")
    response = rig.deliver(update)
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert rig.state(cid).state == "human"
    assert seen(rig, update) == 1


def test_updates_from_another_chat_are_ignored(rig):
    cid, headers, post = rig.waiting()
    rig.click(ANNA, post)
    calls = len(rig.fake.calls)
    # the same bot sits in another group, where someone uses its commands
    stranger = rig.fake.message(BRAM, "Hallo bot", chat_id=OTHER_CHAT)
    assert rig.deliver(stranger).status_code == 200
    # a forged update claiming to answer the post from another chat
    forged = {"update_id": stranger["update_id"] + 1,
              "message": {**stranger["message"], "message_id": 999999, "text": "/sluit weg",
                          "reply_to_message": {**post, "chat": stranger["message"]["chat"]}}}
    assert rig.deliver(forged).status_code == 200
    assert rig.state(cid).state == "human"
    assert len(rig.fake.calls) == calls
    assert seen(rig, stranger) == 0 and seen(rig, forged) == 0


def test_a_redelivered_update_is_processed_once(rig):
    cid, headers, post = rig.waiting()
    rig.click(ANNA, post)
    update = rig.reply(ANNA, post, "Ik kijk even mee.")
    assert rig.deliver(update).status_code == 200  # Telegram did not hear our 200: again
    assert rig.deliver(update).status_code == 200
    staff = [m for m in transcript(rig.client, cid, headers) if m["from"] == "staff"]
    assert [m["text"] for m in staff] == ["Ik kijk even mee."]


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"update_id": "7"}', b"{}",
                                  b'{"update_id": 7, "message": {"chat": 1}}'])
def test_a_malformed_update_is_a_400(rig, body):
    response = rig.client.post("/webhooks/telegram", content=body,
                               headers={"X-Telegram-Bot-Api-Secret-Token": SECRET,
                                        "Content-Type": "application/json"})
    assert response.status_code == 400


def test_no_webhook_unless_in_webhook_mode(client):
    response = client.post("/webhooks/telegram", json={"update_id": 1},
                           headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 404


def test_webhook_mode_registers_the_webhook_with_the_secret(migrated, fake_rasa):
    with TelegramRig(migrated, fake_rasa, telegram_set_webhook=True,
                     public_base_url="https://intake.example.nl") as rig:
        assert wait_for(lambda: rig.fake.webhook)
        assert rig.fake.webhook == {"url": "https://intake.example.nl/webhooks/telegram",
                                    "secret_token": SECRET,
                                    "allowed_updates": ["message", "callback_query"]}


def test_a_refused_webhook_registration_is_logged_not_fatal(migrated, fake_rasa, caplog):
    with TelegramRig(migrated, fake_rasa, telegram_set_webhook=True,
                     public_base_url="http://127.0.0.1:8000") as rig:
        assert wait_for(lambda: rig.fake.attempts("setWebhook"))
        assert wait_for(lambda: "https url must be provided" in caplog.text.lower())
        assert rig.client.get("/healthz").status_code in (200, 503)


# --- polling -----------------------------------------------------------------------------------

@pytest.fixture
def polling(migrated, fake_rasa) -> Iterator[TelegramRig]:
    with TelegramRig(migrated, fake_rasa, mode="polling") as r:
        yield r


def test_polling_processes_queued_updates_and_confirms_them(polling):
    rig = polling
    cid, headers, post = rig.waiting()
    assert wait_for(lambda: rig.fake.attempts("getUpdates"))
    assert rig.fake.sent("deleteWebhook")  # getUpdates is refused while a webhook is set
    rig.fake.callback(ANNA, post["message_id"], f"claim:{cid}", queue=True)
    last = rig.fake.message(ANNA, "Goedemorgen!", reply_to=post["message_id"], queue=True)
    assert wait_for(lambda: any(m["from"] == "staff"
                                for m in transcript(rig.client, cid, headers)))
    assert rig.state(cid).assigned_to == "Anna"
    # the next getUpdates confirms what was processed
    assert wait_for(lambda: any(int(p.get("offset") or 0) == last["update_id"] + 1
                                for p in rig.fake.sent("getUpdates")))
    assert wait_for(lambda: rig.fake.updates == [])


def test_the_webhook_route_is_closed_in_polling_mode(polling):
    assert polling.deliver({"update_id": 1}).status_code == 404


def failed_polls(rig: TelegramRig, status: int) -> int:
    with rig.fake._cond:
        return sum(1 for c in rig.fake.calls if c["method"] == "getUpdates"
                   and c["status"] == status)


def test_polling_backs_off_on_errors_and_keeps_going(polling, caplog):
    rig = polling
    cid, _, post = rig.waiting()
    rig.helpdesk.poller.first_backoff = 0.05
    rig.fake.fail(500, times=3, method="getUpdates")
    assert wait_for(lambda: failed_polls(rig, 500) == 3, timeout=10)
    update = rig.fake.callback(BRAM, post["message_id"], f"claim:{cid}", queue=True)
    assert wait_for(lambda: rig.fake.answer_to(update), timeout=10)
    assert rig.state(cid).assigned_to == "Bram"
    for seconds in ("0.05", "0.1", "0.2"):  # backing off, doubling
        assert f"retry in {seconds} s" in caplog.text


def test_polling_obeys_a_rate_limit(polling, caplog):
    rig = polling
    cid, _, post = rig.waiting()
    rig.fake.fail(429, retry_after=1, method="getUpdates")
    assert wait_for(lambda: failed_polls(rig, 429) == 1, timeout=10)
    update = rig.fake.callback(BRAM, post["message_id"], f"claim:{cid}", queue=True)
    assert wait_for(lambda: rig.fake.answer_to(update), timeout=10)
    assert rig.fake.answer_to(update)["text"] == texts.CLAIMED_OK
    assert "rate limited" in caplog.text


def test_polling_ignores_other_chats(polling):
    rig = polling
    cid, headers, post = rig.waiting()
    stranger = rig.fake.message(BRAM, "/sluit", chat_id=OTHER_CHAT, queue=True)
    rig.fake.callback(ANNA, post["message_id"], f"claim:{cid}", queue=True)
    assert wait_for(lambda: rig.state(cid).state == "human")
    assert seen(rig, stranger) == 0
    assert rig.fake.sent("sendMessage")[-1]["text"] == post["text"]  # nothing said to Bram
