"""backend.telegram.handler and store: what students do in the helpdesk group. 'Oppakken' claims
(one student wins a race), a reply to the post reaches the entrepreneur as from staff, /vrij hands
back to the bot (which resumes), /sluit closes; everyone else is told why not."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from backend.db import Database
from backend.telegram import store, texts
from tests.backend.helpers import transcript
from tests.backend.telegram_rig import ANNA, ANNA_TOO, BRAM, TelegramRig


@pytest.fixture
def rig(migrated, fake_rasa) -> Iterator[TelegramRig]:
    with TelegramRig(migrated, fake_rasa) as r:
        yield r


# --- Oppakken ------------------------------------------------------------------------------

def test_oppakken_claims_with_the_first_name_only_and_updates_the_post(rig):
    cid, _, post = rig.waiting()
    assert rig.click(ANNA, post) == texts.CLAIMED_OK
    conversation = rig.state(cid)
    assert (conversation.state, conversation.assigned_to) == ("human", "Anna")
    [row] = rig.outbox(cid)
    assert (row.claimed_by_id, row.claimed_by) == (ANNA["id"], "Anna")
    now = rig.message_now(post["message_id"])
    assert "Opgepakt door Anna na 0 min" in now["text"] and "edit_date" in now
    assert "reply_markup" not in now  # the button is gone
    assert "de Boer" not in now["text"] and "anna_db" not in now["text"]


def test_the_second_student_hears_who_has_it(rig):
    cid, _, post = rig.waiting()
    rig.click(ANNA, post)
    assert rig.click(BRAM, post) == "Al opgepakt door Anna."
    assert rig.state(cid).assigned_to == "Anna"
    assert rig.click(ANNA, post) == texts.CLAIMED_AGAIN


def test_two_students_racing_one_wins(rig):
    cid, _, post = rig.waiting()
    barrier, answers = threading.Barrier(2), {}

    def press(who):
        barrier.wait()
        answers[who["first_name"]] = rig.click(who, post)

    threads = [threading.Thread(target=press, args=(who,)) for who in (ANNA, BRAM)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    winner = rig.state(cid).assigned_to
    loser = "Bram" if winner == "Anna" else "Anna"
    assert winner in ("Anna", "Bram")
    assert answers == {winner: texts.CLAIMED_OK, loser: f"Al opgepakt door {winner}."}
    assert rig.outbox(cid)[0].claimed_by == winner


def test_two_students_with_the_same_first_name_racing_in_the_database(rig):
    """Straight at the store, in threads with their own sessions: the service's conditional
    UPDATE lets one 'Anna' win, and the post's own conditional UPDATE stops the other one."""
    cid, _, post = rig.waiting()
    db = Database(rig.helpdesk.settings.database_url)
    barrier, results = threading.Barrier(2), {}

    def claim(who):
        barrier.wait()
        try:
            with db.session() as s:
                results[who["id"]] = store.claim(
                    s, chat_id=post["chat"]["id"], message_id=post["message_id"],
                    conversation_id=cid, user_id=who["id"], name=who["first_name"])[1]
        except store.Refused as refused:
            results[who["id"]] = str(refused)

    threads = [threading.Thread(target=claim, args=(who,)) for who in (ANNA, ANNA_TOO)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    db.engine.dispose()
    assert sorted(results.values()) == sorted([texts.CLAIMED_OK, "Al opgepakt door Anna."])
    winner = next(uid for uid, said in results.items() if said == texts.CLAIMED_OK)
    assert rig.outbox(cid)[0].claimed_by_id == winner


def test_a_claim_from_the_dashboard_wins_over_a_late_button(rig, staff):
    cid, _, post = rig.waiting()
    rig.client.post(f"/api/v1/conversations/{cid}/claim", json={"staff": "Sanne"}, headers=staff)
    assert rig.click(BRAM, post) == "Al opgepakt door Sanne."


def test_a_forged_button_for_another_conversation_is_refused(rig):
    cid, _, post = rig.waiting()
    other, _, _ = rig.waiting()
    assert rig.click(ANNA, post, cid=other) == texts.UNKNOWN_POST
    assert rig.state(other).state == "waiting_for_human"


# --- replies -------------------------------------------------------------------------------

def test_the_claimers_reply_reaches_the_entrepreneur_as_staff(rig):
    cid, headers, post = rig.waiting()
    rig.click(ANNA, post)
    update = rig.reply(ANNA, post, "Hoi! Ik ben Anna van de helpdesk. Waar kan ik je mee helpen?")
    messages = transcript(rig.client, cid, headers)
    assert messages[-1]["from"] == "staff"
    assert messages[-1]["text"] == "Hoi! Ik ben Anna van de helpdesk. Waar kan ik je mee helpen?"
    assert rig.told(update) == []  # no chatter in the group when it worked
    # and the entrepreneur's answer goes to the person, not to the bot
    before = len(rig.rasa.received)
    rig.say(cid, headers, "Fijn, mijn webshop verkoopt niks")
    assert len(rig.rasa.received) == before


def test_other_students_cannot_answer_someone_elses_conversation(rig):
    cid, headers, post = rig.waiting()
    rig.click(ANNA, post)
    update = rig.reply(BRAM, post, "Ik doe het wel")
    assert rig.told(update) == [texts.only_claimer("Anna")]
    assert all(m["from"] != "staff" for m in transcript(rig.client, cid, headers))


def test_a_namesake_cannot_answer_either(rig):
    cid, _, post = rig.waiting()
    rig.click(ANNA, post)
    update = rig.reply(ANNA_TOO, post, "Ik ben ook Anna")
    assert rig.told(update) == [texts.only_claimer("Anna")]


def test_replying_before_claiming_is_refused(rig):
    cid, headers, post = rig.waiting()
    update = rig.reply(ANNA, post, "Hallo")
    assert rig.told(update) == [texts.CLAIM_FIRST]
    assert rig.state(cid).state == "waiting_for_human"


def test_only_text_is_passed_on(rig):
    _, _, post = rig.waiting()
    rig.click(ANNA, post)
    update = rig.reply(ANNA, post, None, photo=[{"file_id": "x", "file_unique_id": "y",
                                                 "width": 90, "height": 90}])
    assert rig.told(update) == [texts.TEXT_ONLY]


def test_group_chatter_and_replies_to_other_messages_are_left_alone(rig):
    _, _, post = rig.waiting()
    calls = len(rig.fake.calls)
    chat = rig.fake.message(BRAM, "Wie heeft er koffie?")
    assert rig.deliver(chat).status_code == 200
    assert rig.deliver(rig.fake.message(ANNA, "Ik!", reply_to=chat["message"]["message_id"])
                       ).status_code == 200
    assert len(rig.fake.calls) == calls


def test_an_old_post_is_not_used_after_a_new_request(rig, staff):
    cid, _, old = rig.waiting()
    rig.click(ANNA, old)
    rig.reply(ANNA, old, "/vrij")
    assert rig.request_handover(cid).status_code == 200
    new = rig.posts_for(cid)[-1]
    assert new["message_id"] != old["message_id"]
    assert rig.click(BRAM, old) == texts.OLD_POST
    assert rig.click(BRAM, new) == texts.CLAIMED_OK


# --- /vrij and /sluit -----------------------------------------------------------------------------

def test_vrij_hands_back_to_the_bot_which_resumes(rig):
    cid, headers, post = rig.waiting()
    rig.click(ANNA, post)
    rig.reply(ANNA, post, "/vrij")
    conversation = rig.state(cid)
    assert (conversation.state, conversation.assigned_to) == ("bot", None)
    assert rig.rasa.received[-1] == {"sender": cid, "message": "/resume_intake"}
    last = transcript(rig.client, cid, headers)[-1]
    assert (last["from"], last["text"]) == ("bot", "echo: /resume_intake")
    assert "Teruggegeven aan de bot door Anna." in rig.message_now(post["message_id"])["text"]


def test_vrij_with_the_bot_name_and_by_someone_else(rig):
    cid, _, post = rig.waiting()
    rig.click(ANNA, post)
    update = rig.reply(BRAM, post, "/vrij@werkplaats_helpdesk_bot")
    assert rig.told(update) == [texts.only_claimer("Anna")]
    assert rig.state(cid).state == "human"
    rig.reply(ANNA, post, "/vrij@werkplaats_helpdesk_bot")
    assert rig.state(cid).state == "bot"


def test_vrij_when_the_bot_is_down_still_releases(rig):
    cid, _, post = rig.waiting()
    rig.click(ANNA, post)
    rig.rasa.up = False
    rig.reply(ANNA, post, "/vrij")
    assert rig.state(cid).state == "bot"


def test_sluit_closes_with_the_outcome(rig):
    cid, _, post = rig.waiting()
    rig.click(ANNA, post)
    rig.reply(ANNA, post, "/sluit   doorverwezen naar   werkplaats Utrecht")
    conversation = rig.state(cid)
    assert (conversation.state, conversation.outcome) == ("closed",
                                                          "doorverwezen naar werkplaats Utrecht")
    text = rig.message_now(post["message_id"])["text"]
    assert "Gesloten door Anna (uitkomst: doorverwezen naar werkplaats Utrecht)." in text
    update = rig.reply(ANNA, post, "nog iets")
    assert rig.told(update) == [texts.ALREADY_CLOSED]


def test_sluit_without_an_outcome_and_on_an_unclaimed_request(rig):
    cid, _, post = rig.waiting()
    rig.reply(BRAM, post, "/sluit")  # nobody claimed it: anyone in the group may close it
    assert (rig.state(cid).state, rig.state(cid).outcome) == ("closed", "afgehandeld")


def test_commands_must_answer_the_post(rig):
    cid, _, post = rig.waiting()
    rig.click(ANNA, post)
    update = rig.fake.message(ANNA, "/vrij")
    rig.deliver(update)
    assert rig.told(update) == [texts.USE_AS_REPLY]
    assert rig.state(cid).state == "human"
    update = rig.reply(ANNA, post, "/weg")
    assert rig.told(update) == [texts.UNKNOWN_COMMAND]


def test_when_something_breaks_the_student_hears_it(rig, monkeypatch, caplog):
    cid, headers, post = rig.waiting()
    rig.click(ANNA, post)

    def broken(*args, **kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr(store, "reply", broken)
    update = rig.reply(ANNA, post, "Hallo?")
    assert rig.told(update) == [texts.SOMETHING_WRONG]
    assert f"telegram update {update['update_id']} failed" in caplog.text
    assert all(m["from"] != "staff" for m in transcript(rig.client, cid, headers))
