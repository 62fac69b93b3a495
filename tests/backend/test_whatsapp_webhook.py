"""WhatsApp turns: recorded before they are acknowledged, processed once, in order, answered
through the Messages API; numbered options, media, metadata for Rasa, and the hand-over."""

from __future__ import annotations

import threading
import time

import pytest

from backend.models import Conversation, Message
from backend.services.turns import NO_REPLY
from tests.backend.fake_twilio import WHATSAPP_FROM
from tests.backend.helpers import bearer
from tests.backend.whatsapp_helpers import (
    GREETING,
    conversation_of,
    eventually,
    inbound,
    new_phone,
    post,
    processed,
    rows,
    script,
    whatsapp_app,
)

OPTIONS = [{"title": "Ja, dat mag", "payload": "ja"}, {"title": "Nee", "payload": "nee"}]


def said(fake_rasa, conversation_id: str) -> list[str]:
    return [r["message"] for r in fake_rasa.received if r["sender"] == conversation_id]


def test_a_first_message_gets_the_greeting_and_an_answer(wa, fake_rasa, twilio):
    phone = new_phone()
    assert post(wa, inbound(phone, "ik wil een webshop")).status_code == 200
    sent = twilio.wait_for(f"whatsapp:{phone}", 2)
    assert [m["Body"] for m in sent] == [GREETING, "echo: ik wil een webshop"]
    assert all(m["From"] == WHATSAPP_FROM for m in sent)
    conversation = conversation_of(wa, phone)
    assert conversation.channel == "whatsapp" and conversation.state == "bot"
    froms = [m.sender for m in rows(wa, Message, Message.conversation_id == conversation.id)]
    assert froms == ["user", "bot", "bot"]


def test_phone_and_profile_name_reach_rasa_as_metadata(wa, fake_rasa, twilio):
    phone = new_phone()
    post(wa, inbound(phone, "ik wil een webshop", ProfileName="Anna de Boer"))
    twilio.wait_for(f"whatsapp:{phone}", 2)
    cid = conversation_of(wa, phone).id
    mine = [r for r in fake_rasa.received if r["sender"] == cid]
    assert mine[0]["message"] == "/start_intake"
    expected = {"channel": "whatsapp", "phone": phone, "profile_name": "Anna de Boer"}
    assert all(r["metadata"] == expected for r in mine)


def test_a_bare_hello_only_gets_the_greeting(wa, fake_rasa, twilio):
    phone = new_phone()
    post(wa, inbound(phone, "Hallo!"))
    assert [m["Body"] for m in twilio.wait_for(f"whatsapp:{phone}", 1)] == [GREETING]
    time.sleep(0.2)
    assert said(fake_rasa, conversation_of(wa, phone).id) == ["/start_intake"]


def test_the_same_message_sid_twice_is_processed_once(wa, fake_rasa, twilio):
    phone = new_phone()
    params = inbound(phone, "ik wil een webshop")
    assert post(wa, params).status_code == 200
    assert post(wa, params).status_code == 200
    twilio.wait_for(f"whatsapp:{phone}", 2)
    time.sleep(0.3)
    assert post(wa, params).status_code == 200  # also after it was answered
    time.sleep(0.3)
    cid = conversation_of(wa, phone).id
    assert said(fake_rasa, cid) == ["/start_intake", "ik wil een webshop"]
    assert len(rows(wa, Message, Message.provider_id == params["MessageSid"])) == 1
    assert len(twilio.to(f"whatsapp:{phone}")) == 2


def test_concurrent_duplicates_are_processed_once(wa, fake_rasa, twilio):
    phone = new_phone()
    params = inbound(phone, "ik wil een webshop")
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(post(wa, params).status_code))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 6
    twilio.wait_for(f"whatsapp:{phone}", 2)
    time.sleep(0.3)
    assert len(rows(wa, Conversation, Conversation.contact == phone)) == 1
    assert len(rows(wa, Message, Message.provider_id == params["MessageSid"])) == 1
    cid = conversation_of(wa, phone).id
    assert said(fake_rasa, cid) == ["/start_intake", "ik wil een webshop"]
    assert len(twilio.to(f"whatsapp:{phone}")) == 2


def test_messages_from_one_sender_are_answered_in_order(wa, fake_rasa, twilio):
    def slow_echo(message: str) -> list[dict]:
        time.sleep(0.05)
        return [{"text": f"echo: {message}"}]

    script(fake_rasa, slow_echo)
    phone = new_phone()
    texts = [f"bericht nummer {i}" for i in range(1, 7)]
    for text in texts:
        assert post(wa, inbound(phone, text)).status_code == 200
    sent = twilio.wait_for(f"whatsapp:{phone}", 1 + len(texts))
    assert [m["Body"] for m in sent] == [GREETING] + [f"echo: {t}" for t in texts]
    assert said(fake_rasa, conversation_of(wa, phone).id) == ["/start_intake", *texts]


def test_two_senders_are_answered_side_by_side(wa, twilio):
    a, b = new_phone(), new_phone()
    post(wa, inbound(a, "ik wil een webshop"))
    post(wa, inbound(b, "ik wil een app"))
    assert twilio.wait_for(f"whatsapp:{a}", 2)[-1]["Body"] == "echo: ik wil een webshop"
    assert twilio.wait_for(f"whatsapp:{b}", 2)[-1]["Body"] == "echo: ik wil een app"
    assert conversation_of(wa, a).id != conversation_of(wa, b).id


def test_buttons_become_numbered_options_answered_by_number_or_words(wa, fake_rasa, twilio):
    script(fake_rasa, lambda m: [{"text": "Mogen we je antwoorden bewaren?",
                                  "buttons": OPTIONS}])
    phone = new_phone()
    post(wa, inbound(phone, "ik wil een webshop"))
    body = twilio.wait_for(f"whatsapp:{phone}", 2)[-1]["Body"]
    assert body.startswith("Mogen we je antwoorden bewaren?\n\n1. Ja, dat mag\n2. Nee")
    post(wa, inbound(phone, "2"))
    twilio.wait_for(f"whatsapp:{phone}", 3)
    post(wa, inbound(phone, "Ja, dat mag!"))
    twilio.wait_for(f"whatsapp:{phone}", 4)
    post(wa, inbound(phone, "7"))  # not an option: passed on as typed
    twilio.wait_for(f"whatsapp:{phone}", 5)
    cid = conversation_of(wa, phone).id
    assert said(fake_rasa, cid)[-3:] == ["nee", "ja", "7"]


@pytest.mark.parametrize("extra, recorded, answer", [
    ({"NumMedia": "1", "MediaContentType0": "audio/ogg",
      "MediaUrl0": "https://api.twilio.com/media/ME1"}, "[spraakbericht]", "spraakberichten"),
    ({"NumMedia": "1", "MediaContentType0": "image/jpeg", "Body": "zo ziet het eruit",
      "MediaUrl0": "https://api.twilio.com/media/ME2"}, "[afbeelding] zo ziet het eruit",
     "Afbeeldingen"),
    ({"NumMedia": "1", "MediaContentType0": "application/pdf",
      "MediaUrl0": "https://api.twilio.com/media/ME3"}, "[bestand]", "Bestanden"),
    ({"Latitude": "52.0907", "Longitude": "5.1214", "Address": "Utrecht"},
     "[locatie] 52.0907,5.1214 (Utrecht)", "postcode"),
])
def test_media_and_locations_get_a_friendly_answer(wa, fake_rasa, twilio, extra, recorded,
                                                   answer):
    phone = new_phone()
    post(wa, inbound(phone, **{"Body": "", **extra}))
    sent = twilio.wait_for(f"whatsapp:{phone}", 2)
    assert sent[0]["Body"] == GREETING and answer in sent[1]["Body"]
    cid = conversation_of(wa, phone).id
    assert said(fake_rasa, cid) == ["/start_intake"]  # media never reach Rasa
    user = rows(wa, Message, Message.conversation_id == cid, Message.sender == "user")
    assert [m.text for m in user] == [recorded]


def test_a_voice_note_points_to_typing_or_calling(wa, twilio):
    phone = new_phone()
    post(wa, inbound(phone, "", NumMedia="1", MediaContentType0="audio/ogg"))
    text = twilio.wait_for(f"whatsapp:{phone}", 2)[1]["Body"]
    assert "typen" in text and "085" in text


def test_while_a_person_has_it_messages_are_only_recorded(wa, fake_rasa, twilio, staff):
    phone = new_phone()
    post(wa, inbound(phone, "ik wil een webshop"))
    twilio.wait_for(f"whatsapp:{phone}", 2)
    cid = conversation_of(wa, phone).id
    assert wa.post(f"/api/v1/conversations/{cid}/claim", json={"staff": "Sanne"},
                   headers=staff).status_code == 200
    post(wa, inbound(phone, "hallo? iemand daar?"))
    eventually(lambda: processed(wa, phone, 2), what="recorded")
    assert said(fake_rasa, cid) == ["/start_intake", "ik wil een webshop"]
    reply = wa.post(f"/api/v1/conversations/{cid}/reply", headers=staff,
                    json={"staff": "Sanne", "text": "Hoi, ik ben Sanne. Waarmee kan ik helpen?"})
    assert reply.status_code == 201
    sent = twilio.wait_for(f"whatsapp:{phone}", 3)
    assert sent[-1]["Body"] == "Hoi, ik ben Sanne. Waarmee kan ik helpen?"


def test_a_closed_conversation_reopens_and_a_webchat_is_another_contact(wa, fake_rasa, twilio,
                                                                       staff):
    phone = new_phone()
    post(wa, inbound(phone, "ik wil een webshop"))
    twilio.wait_for(f"whatsapp:{phone}", 2)
    cid = conversation_of(wa, phone).id
    assert wa.post(f"/api/v1/conversations/{cid}/close", headers=staff).status_code == 200
    post(wa, inbound(phone, "nog een vraag"))
    twilio.wait_for(f"whatsapp:{phone}", 3)
    again = rows(wa, Conversation, Conversation.contact == phone)
    assert [c.id for c in again] == [cid] and again[0].state == "bot"
    assert said(fake_rasa, cid)[-1] == "nog een vraag"  # no second greeting


def test_when_rasa_is_down_the_entrepreneur_hears_so_and_is_greeted_later(wa, fake_rasa,
                                                                          twilio):
    fake_rasa.up = False
    phone = new_phone()
    post(wa, inbound(phone, "ik wil een webshop"))
    assert "niet bereikbaar" in twilio.wait_for(f"whatsapp:{phone}", 1)[0]["Body"]
    fake_rasa.up = True
    post(wa, inbound(phone, "ik wil nog steeds een webshop"))
    sent = twilio.wait_for(f"whatsapp:{phone}", 3)
    assert [m["Body"] for m in sent[1:]] == [GREETING, "echo: ik wil nog steeds een webshop"]


def test_an_empty_rasa_answer_still_gets_a_reply(wa, fake_rasa, twilio):
    script(fake_rasa, lambda m: [])
    phone = new_phone()
    post(wa, inbound(phone, "ik wil een webshop"))
    assert twilio.wait_for(f"whatsapp:{phone}", 2)[1]["Body"] == NO_REPLY


def test_messages_recorded_before_a_restart_are_answered_after_it(migrated, fake_rasa, twilio):
    script(fake_rasa)
    phone = new_phone()
    with whatsapp_app(migrated, fake_rasa, twilio) as client:
        post(client, inbound(phone, "ik wil een webshop"))
        twilio.wait_for(f"whatsapp:{phone}", 2)
        with client.app.state.db.session() as s:  # as if the process died right after the ack
            conversation = s.get(Conversation, conversation_of(client, phone).id)
            s.add(Message(conversation_id=conversation.id, sender="user",
                          text="bewaard maar nooit beantwoord", provider_id="SMrestart" + phone))
    assert len(twilio.to(f"whatsapp:{phone}")) == 2
    with whatsapp_app(migrated, fake_rasa, twilio):
        sent = twilio.wait_for(f"whatsapp:{phone}", 3)
    assert sent[-1]["Body"] == "echo: bewaard maar nooit beantwoord"


def test_the_transcript_api_shows_whatsapp_conversations_to_nobody_without_a_token(wa, twilio):
    phone = new_phone()
    post(wa, inbound(phone, "ik wil een webshop"))
    twilio.wait_for(f"whatsapp:{phone}", 2)
    cid = conversation_of(wa, phone).id
    response = wa.get(f"/api/v1/conversations/{cid}/messages", headers=bearer("raden"))
    assert response.status_code == 401


def test_the_unique_message_sid_stops_duplicates_even_without_the_webhook_lock(wa, twilio):
    """Two processes (no shared lock) recording the same MessageSid: one row, no error."""
    phone = new_phone()
    post(wa, inbound(phone, "Hallo"))
    twilio.wait_for(f"whatsapp:{phone}", 1)
    channel = wa.app.state.whatsapp
    barrier = threading.Barrier(4)
    results: list = []

    def record():
        barrier.wait()
        results.append(channel.record(phone=phone, sid="SMrace" + phone, text="dubbel",
                                      profile_name=None))

    threads = [threading.Thread(target=record) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len([r for r in results if r is not None]) == 1
    assert len(rows(wa, Message, Message.provider_id == "SMrace" + phone)) == 1
