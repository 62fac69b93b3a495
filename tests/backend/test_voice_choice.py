"""Two failures in a row on the phone (silence, or an answer not understood) give the caller a
choice: go on over WhatsApp (a message through the outbox that continues the same
conversation) or be called back (a callback request). Honest when WhatsApp is not set up."""

from __future__ import annotations

import json

import pytest

from backend.models import Conversation, OutboxMessage
from backend.services import voice_text
from tests.backend.voice_helpers import (
    action_query,
    answer,
    ask_questions,
    call,
    callback_requests,
    conversation,
    follow_the_hours,  # noqa: F401  (autouse fixture)
    new_call,
    says,
    sent_to_bot,
    transcript,
)
from tests.backend.whatsapp_helpers import (
    GREETING,
    eventually,
    inbound,
    new_phone,
    outbox_rows,
    post,
    processed,
    rows,
    script,
)
from tests.backend.whatsapp_helpers import whatsapp_app as app_for

TEMPLATE = "HX" + "cd" * 16
EMPLOYEES_Q = "Met hoeveel mensen werken jullie, jijzelf meegeteld?"


@pytest.fixture
def line(migrated, fake_rasa, twilio, staff):
    script(fake_rasa)
    with app_for(migrated, fake_rasa, twilio, twilio_whatsapp_template_sid=TEMPLATE) as client:
        yield client


def at_the_choice(client, phone: str, sid: str):
    root = call(client, sid, phone)
    root = answer(client, root, sid, phone)  # silence
    root = answer(client, root, sid, phone, SpeechResult="")  # silence again
    assert says(root) == [voice_text.CHOICE]
    assert "step=choice" in action_query(root)
    return root


def test_the_bot_asking_the_same_twice_offers_the_choice(migrated, fake_rasa, twilio):
    ask_questions(fake_rasa, {}, first=(EMPLOYEES_Q, "employees"),
                  accept=lambda slot, message: False)
    with app_for(migrated, fake_rasa, twilio) as client:
        phone, sid = new_phone(), new_call()
        root = call(client, sid, phone)
        root = answer(client, root, sid, phone, SpeechResult="een paar")
        assert says(root)[0].startswith("Dat snap ik niet.")
        assert action_query(root) == "ask=employees&fails=1"
        root = answer(client, root, sid, phone, SpeechResult="best veel")
        assert says(root) == [voice_text.CHOICE]
        root = answer(client, root, sid, phone, SpeechResult="terugbellen graag")
        assert root.find("Hangup") is not None
        c = conversation(client, sid)
        [request] = callback_requests(client, c.id)
        assert request.reason == "caller_choice"


def test_a_good_answer_in_between_starts_counting_again(migrated, fake_rasa, twilio):
    ask_questions(fake_rasa, {}, first=(EMPLOYEES_Q, "employees"),
                  accept=lambda slot, message: message.isdigit())
    with app_for(migrated, fake_rasa, twilio) as client:
        phone, sid = new_phone(), new_call()
        root = call(client, sid, phone)
        root = answer(client, root, sid, phone)  # silence: 1
        assert action_query(root) == "ask=employees&fails=1"
        root = answer(client, root, sid, phone, Digits="4")
        assert action_query(root) == "" and says(root) == ["Dank je, dat was alles."]


def test_choosing_a_callback(line, fake_rasa, staff):
    assert line.put("/api/v1/helpdesk/availability", json={"open": True},
                    headers=staff).status_code == 200
    phone, sid = new_phone(), new_call()
    root = at_the_choice(line, phone, sid)
    root = answer(line, root, sid, phone, Digits="2")
    assert says(root) == ["Goed. Een medewerker belt je zo snel mogelijk terug op dit nummer. "
                          "Tot ziens!"]
    assert root.find("Hangup") is not None and root.find("Gather") is None
    c = conversation(line, sid)
    assert c.state == "waiting_for_human" and c.callback is True and c.handover_reason == "asked"
    [request] = callback_requests(line, c.id)
    assert (request.reason, request.phone, request.status) == ("caller_choice", phone, "open")
    listed = line.get("/api/v1/callbacks", params={"status": "open"}, headers=staff).json()
    assert request.reference in [i["reference"] for i in listed["items"]]
    assert transcript(line, c.id)[-1] == ("bot", says(root)[0])


def test_choosing_whatsapp_continues_the_same_conversation_there(line, fake_rasa, twilio):
    phone, sid = new_phone(), new_call()
    root = at_the_choice(line, phone, sid)
    root = answer(line, root, sid, phone, SpeechResult="via WhatsApp graag")
    assert says(root) == [voice_text.WHATSAPP_COMING] and root.find("Hangup") is not None
    c = conversation(line, sid)
    assert c.channel == "whatsapp" and c.contact == phone
    # outside WhatsApp's 24-hour window (the caller never wrote): the approved template
    first, resumed = twilio.wait_for(f"whatsapp:{phone}", 2)
    assert first["ContentSid"] == TEMPLATE and "Body" not in first
    assert json.loads(first["ContentVariables"]) == {"1": voice_text.WHATSAPP_MESSAGE}
    assert json.loads(resumed["ContentVariables"]) == {"1": "echo: /resume_intake"}
    assert sent_to_bot(fake_rasa, c.id)[-1] == "/resume_intake"  # the bot asks again
    eventually(lambda: all(r.status == "sent" for r in outbox_rows(line, phone)),
               what="both sent")
    assert callback_requests(line, c.id) == []
    # what the caller heard on the phone was not sent to WhatsApp
    assert [m["ContentVariables"] for m in twilio.to(f"whatsapp:{phone}")
            if voice_text.WHATSAPP_COMING in m.get("ContentVariables", "")] == []
    # the caller answers on WhatsApp: the same conversation, the same bot tracker
    post(line, inbound(phone, "Ik heb een bakkerij"))
    eventually(lambda: processed(line, phone, 1), what="answered")
    assert rows(line, Conversation, Conversation.contact == phone)[-1].id == c.id
    mine = [r for r in fake_rasa.received if r["sender"] == c.id]
    assert mine[-1]["message"] == "Ik heb een bakkerij"
    assert mine[-1]["metadata"]["channel"] == "whatsapp"
    assert mine[0]["message"] == "/start_intake"  # greeted once, on the phone


def test_without_a_template_the_caller_hears_where_to_write(migrated, fake_rasa, twilio):
    script(fake_rasa)
    with app_for(migrated, fake_rasa, twilio) as client:
        phone, sid = new_phone(), new_call()
        root = at_the_choice(client, phone, sid)
        root = answer(client, root, sid, phone, Digits="1")
        [text] = says(root)
        assert text.startswith("Goed. Stuur ons een WhatsApp-bericht op nummer 0, 9, 7, 0, 1, 0,")
        assert "+" not in text and "whatsapp:" not in text
        c = conversation(client, sid)
        assert c.channel == "whatsapp"
        assert outbox_rows(client, phone) == []  # no message the caller could not receive
        post(client, inbound(phone, "Hoi, ik belde net"))
        eventually(lambda: processed(client, phone, 1), what="answered")
        assert sent_to_bot(fake_rasa, c.id)[-1] == "Hoi, ik belde net"


def test_a_failing_whatsapp_send_ends_visibly_in_the_outbox(line, fake_rasa, twilio, staff):
    twilio.fail(400)  # e.g. the number is not on WhatsApp
    phone, sid = new_phone(), new_call()
    root = at_the_choice(line, phone, sid)
    answer(line, root, sid, phone, SpeechResult="een")
    c = conversation(line, sid)
    failed = eventually(lambda: [r for r in outbox_rows(line, phone) if r.status == "failed"],
                        what="a failed row")
    assert failed[0].body == voice_text.WHATSAPP_MESSAGE and failed[0].conversation_id == c.id
    listed = line.get("/api/v1/outbox", params={"status": "failed"}, headers=staff).json()
    assert failed[0].id in [i["id"] for i in listed["items"]]
    twilio.recover()


def test_without_whatsapp_the_caller_is_told_and_offered_a_callback(migrated, fake_rasa, twilio):
    script(fake_rasa)
    with app_for(migrated, fake_rasa, twilio, twilio_whatsapp_from="") as client:
        phone, sid = new_phone(), new_call()
        root = call(client, sid, phone)
        root = answer(client, root, sid, phone)
        root = answer(client, root, sid, phone)
        assert says(root) == [voice_text.CHOICE_WITHOUT_WHATSAPP]
        assert "WhatsApp kan nu helaas niet" in says(root)[0]
        root = answer(client, root, sid, phone, Digits="1")  # not possible: asked again
        assert says(root) == [voice_text.NOT_UNDERSTOOD, voice_text.CHOICE_WITHOUT_WHATSAPP]
        root = answer(client, root, sid, phone, SpeechResult="ja")
        assert root.find("Hangup") is not None and "belt je" in says(root)[0]
        c = conversation(client, sid)
        assert c.channel == "voice"
        assert [r.reason for r in callback_requests(client, c.id)] == ["caller_choice"]
        assert rows(client, OutboxMessage, OutboxMessage.conversation_id == c.id) == []


def test_silence_at_the_choice_twice_makes_a_callback(line, fake_rasa, staff):
    assert line.put("/api/v1/helpdesk/availability", json={"open": False},
                    headers=staff).status_code == 200
    phone, sid = new_phone(), new_call()
    root = at_the_choice(line, phone, sid)
    root = answer(line, root, sid, phone)
    assert says(root) == ["Ik hoorde niets.", voice_text.CHOICE]
    root = answer(line, root, sid, phone)
    [text] = says(root)
    assert text.startswith("Het lukt helaas niet. Ik heb een terugbelverzoek voor je gemaakt")
    assert "zo snel mogelijk" not in text  # closed: when it opens again
    assert root.find("Hangup") is not None
    c = conversation(line, sid)
    assert [r.reason for r in callback_requests(line, c.id)] == ["no_answer"]
    assert c.state == "waiting_for_human" and c.callback is True
    assert sent_to_bot(fake_rasa, c.id) == ["/start_intake"]


def test_a_withheld_number_gets_no_impossible_offer(line, fake_rasa):
    sid = new_call()
    root = call(line, sid, "anonymous")
    assert says(root) == [GREETING]
    root = answer(line, root, sid, "anonymous")
    root = answer(line, root, sid, "anonymous")
    assert says(root) == [voice_text.NO_NUMBER] and root.find("Hangup") is not None
    assert "website" in says(root)[0] and "http" not in says(root)[0]
    assert callback_requests(line, conversation(line, sid).id) == []
