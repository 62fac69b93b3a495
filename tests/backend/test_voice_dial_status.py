"""After the hand-over the call is put through with <Dial action=...>: an answered call is the
helpdesk's, a busy, unanswered, failed or canceled one becomes a callback request. The call
status webhook records how the call ended; hanging up while waiting makes a callback too."""

from __future__ import annotations

import pytest

from backend.services import handover
from tests.backend.voice_helpers import (
    DIAL,
    HELPDESK,
    STATUS,
    VOICE,
    answer,
    call,
    call_params,
    callback_requests,
    conversation,
    follow,
    new_call,
    says,
)
from tests.backend.whatsapp_helpers import PUBLIC, new_phone, post, script
from tests.backend.whatsapp_helpers import whatsapp_app as app_for

NOBODY = "Er neemt helaas niemand op."


@pytest.fixture
def line(migrated, fake_rasa, twilio, staff):
    def reply(message):
        if message == "medewerker":  # the bot's hand-over action asks for a person
            cid = fake_rasa.received[-1]["sender"]
            with client.app.state.db.session() as s:
                handover.request(s, conversation_id=cid, reason="asked",
                                 hours=client.app.state.office_hours)
            return [{"text": "Ik zet je door naar een medewerker."}]
        return [{"text": f"echo: {message}"}]

    script(fake_rasa, reply)
    with app_for(migrated, fake_rasa, twilio, twilio_helpdesk_number=HELPDESK) as client:
        assert client.put("/api/v1/helpdesk/availability", json={"open": True},
                          headers=staff).status_code == 200
        yield client
        client.put("/api/v1/helpdesk/availability", json={"open": None}, headers=staff)


def dialling(client) -> tuple[str, str, str]:
    """A call put through to the helpdesk: (phone, CallSid, the Dial's action URL)."""
    phone, sid = new_phone(), new_call()
    root = call(client, sid, phone)
    root = answer(client, root, sid, phone, SpeechResult="medewerker")
    dial = root.find("Dial")
    assert dial.text == HELPDESK and root.find("Say") is not None
    return phone, sid, dial.get("action")


def status(client, sid: str, phone: str, value: str, **extra):
    return post(client, call_params(sid, phone, CallStatus=value, **extra), path=STATUS)


@pytest.mark.parametrize("dial_status", ["no-answer", "busy", "failed", "canceled"])
def test_a_dial_nobody_answers_becomes_a_callback(line, dial_status):
    phone, sid, action = dialling(line)
    assert action == PUBLIC + DIAL
    root = follow(line, action, sid, phone, DialCallStatus=dial_status, DialCallSid="CA" + "9" * 32)
    assert says(root)[0].startswith(NOBODY) and "terug" in says(root)[0]
    assert root.find("Hangup") is not None and root.find("Dial") is None
    c = conversation(line, sid)
    assert c.callback is True and c.state == "waiting_for_human"
    [request] = callback_requests(line, c.id)
    assert (request.reason, request.phone) == ("no_answer", phone)
    # Twilio retries the webhook: still one open request
    follow(line, action, sid, phone, DialCallStatus=dial_status)
    assert len(callback_requests(line, c.id)) == 1


def test_an_answered_dial_is_the_helpdesks(line):
    phone, sid, action = dialling(line)
    root = follow(line, action, sid, phone, DialCallStatus="completed", DialCallDuration="95")
    assert root.find("Hangup") is not None and says(root) == []
    c = conversation(line, sid)
    assert c.state == "human" and c.assigned_to == "helpdesk (telefoon)"
    assert status(line, sid, phone, "completed", CallDuration="140").status_code == 200
    assert callback_requests(line, conversation(line, sid).id) == []


def test_the_call_status_is_recorded_once(line):
    phone, sid = new_phone(), new_call()
    call(line, sid, phone)
    assert status(line, sid, phone, "ringing").status_code == 200  # not final: nothing to do
    assert conversation(line, sid).call_status is None
    response = status(line, sid, phone, "completed", CallDuration="31")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
    first = conversation(line, sid)
    assert first.call_status == "completed" and first.call_ended_at is not None
    assert status(line, sid, phone, "completed").status_code == 200  # a retry
    again = conversation(line, sid)
    assert (again.call_status, again.call_ended_at) == (first.call_status, first.call_ended_at)
    assert callback_requests(line, first.id) == []  # hung up during the intake: no callback


def test_hanging_up_while_waiting_for_a_person_makes_a_callback(line):
    phone, sid, action = dialling(line)
    assert status(line, sid, phone, "completed").status_code == 200
    c = conversation(line, sid)
    [request] = callback_requests(line, c.id)
    assert request.reason == "hangup" and c.callback is True
    follow(line, action, sid, phone, DialCallStatus="canceled")  # Twilio's Dial action after
    assert [r.reason for r in callback_requests(line, c.id)] == ["hangup"]


def test_bad_status_webhooks(line):
    phone, sid = new_phone(), new_call()
    call(line, sid, phone)
    params = call_params(sid, phone, CallStatus="completed")
    assert line.post(STATUS, data=params).status_code == 403  # unsigned
    assert post(line, params, path=STATUS, signed_url=PUBLIC + VOICE).status_code == 403
    assert conversation(line, sid).call_status is None
    assert status(line, sid, phone, "exploded").status_code == 400
    assert status(line, sid, phone, "").status_code == 400
    assert post(line, {"CallStatus": "completed"}, path=STATUS).status_code == 400
    assert status(line, new_call(), phone, "completed").status_code == 404
    assert conversation(line, sid).call_status is None


def test_bad_dial_webhooks(line):
    phone, sid, action = dialling(line)
    assert line.post(DIAL, data=call_params(sid, phone, DialCallStatus="busy")).status_code == 403
    assert post(line, call_params(sid, phone), path=DIAL).status_code == 400
    assert post(line, call_params(new_call(), phone, DialCallStatus="busy"),
                path=DIAL).status_code == 404
    assert callback_requests(line, conversation(line, sid).id) == []
