"""The phone line: signed Twilio Voice webhooks only, Dutch TwiML (Say in a speech+dtmf Gather),
one conversation per call with the caller's number, turns through Rasa with the phone as
metadata, buttons by number, silence, and the hand-over (Dial or callback)."""

from __future__ import annotations

import time

import pytest

from backend.models import Conversation, Message
from backend.services import handover
from tests.backend.fake_twilio import AUTH_TOKEN
from tests.backend.voice_helpers import (
    GATHER,
    HELPDESK,
    VOICE,
    call,
    call_params,
    callback_requests,
    conversation,
    follow_the_hours,  # noqa: F401  (autouse fixture)
    gather,
    new_call,
    says,
)
from tests.backend.whatsapp_helpers import GREETING, PUBLIC, new_phone, post, rows, script
from tests.backend.whatsapp_helpers import whatsapp_app as app_for

OPTIONS = [{"title": "Ja, dat mag 👍", "payload": "ja"},
           {"title": "Nee, liever niet", "payload": "nee"}]
HANDOVER_TEXT = "Ik zet je door naar een medewerker."


@pytest.fixture
def phone_app(migrated, fake_rasa, twilio):
    script(fake_rasa)
    with app_for(migrated, fake_rasa, twilio, twilio_helpdesk_number=HELPDESK) as client:
        yield client


def test_only_signed_calls_are_answered(phone_app, fake_rasa):
    phone, sid = new_phone(), new_call()
    params = call_params(sid, phone)
    bad = [
        phone_app.post(VOICE, data=params),  # unsigned
        post(phone_app, params, path=VOICE, token="wrong-token-0123456789"),
        post(phone_app, dict(params, From="+31600000000"), path=VOICE, sign_params=params),
        post(phone_app, params, path=VOICE, signed_url=PUBLIC + "/webhooks/twilio/whatsapp"),
        post(phone_app, params, path=VOICE, signed_url="http://testserver" + VOICE),
        post(phone_app, params, path=GATHER, signed_url=PUBLIC + VOICE),  # another URL
    ]
    assert [r.status_code for r in bad] == [403] * len(bad)
    assert rows(phone_app, Conversation, Conversation.contact == phone) == []
    assert fake_rasa.received == []


def test_the_greeting_is_dutch_speech_in_a_gather(migrated, fake_rasa, twilio):
    fake_rasa.reply = lambda sender, message: [{
        "recipient_id": sender,
        "text": "Hoi! 😀 Ik ben de assistent. Meer op https://werkplaats.nl/info 🚀",
    }, {"recipient_id": sender, "text": "Wat is je e-mailadres?"}]
    with app_for(migrated, fake_rasa, twilio, twilio_voice="Polly.Ruben") as client:
        phone, sid = new_phone(), new_call()
        root = call(client, sid, phone)
    assert root.tag == "Response"
    g = root.find("Gather")
    assert g is not None
    assert "speech" in g.get("input") and "dtmf" in g.get("input")
    assert g.get("language") == "nl-NL" and g.get("speechTimeout") == "auto"
    assert g.get("action") == PUBLIC + GATHER and g.get("method") == "POST"
    assert "apenstaartje" in g.get("hints")
    spoken = g.findall("Say")
    assert len(spoken) == 2
    assert all(s.get("language") == "nl-NL" and s.get("voice") == "Polly.Ruben" for s in spoken)
    for text in says(root):
        assert "http" not in text and "werkplaats.nl" not in text
        assert "😀" not in text and "🚀" not in text
    assert says(root)[0].startswith("Hoi! Ik ben de assistent.")


def test_a_speech_turn_goes_to_rasa_with_the_phone(phone_app, fake_rasa):
    phone, sid = new_phone(), new_call()
    root = call(phone_app, sid, phone)
    assert says(root) == [GREETING]
    assert root.find("Gather/Say").get("voice") == "Polly.Lotte"
    started = time.perf_counter()
    root = gather(phone_app, root.find("Gather").get("action"), sid, phone,
                  SpeechResult="Ik heb een bakkerij", Confidence="0.91")
    took = time.perf_counter() - started
    print(f"voice turn took {took * 1000:.0f} ms")  # the bot's turn is the budget
    assert says(root) == ["echo: Ik heb een bakkerij"]
    c = conversation(phone_app, sid)
    assert c.channel == "voice" and c.contact == phone and c.greeted_at is not None
    mine = [r for r in fake_rasa.received if r["sender"] == c.id]
    assert [r["message"] for r in mine] == ["/start_intake", "Ik heb een bakkerij"]
    assert all(r["metadata"] == {"channel": "voice", "phone": phone} for r in mine)
    texts = [(m.sender, m.text) for m in rows(phone_app, Message,
                                              Message.conversation_id == c.id)]
    assert texts == [("bot", GREETING), ("user", "Ik heb een bakkerij"),
                     ("bot", "echo: Ik heb een bakkerij")]
    # the same call webhook again (a retry) keeps the one conversation
    call(phone_app, sid, phone)
    assert len(rows(phone_app, Conversation, Conversation.call_sid == sid)) == 1


def test_buttons_are_spoken_and_a_digit_or_word_picks_one(phone_app, fake_rasa):
    script(fake_rasa, lambda message: [{"text": f"gekozen: {message}", "buttons": OPTIONS}])
    phone, sid = new_phone(), new_call()
    root = call(phone_app, sid, phone)
    root = gather(phone_app, root.find("Gather").get("action"), sid, phone,
                  SpeechResult="ik wil meer klanten", Confidence="0.8")
    assert says(root) == ["gekozen: ik wil meer klanten Zeg 1 voor Ja, dat mag, "
                          "of 2 voor Nee, liever niet."]
    g = root.find("Gather")
    assert g.get("numDigits") == "1" and "Nee, liever niet" in g.get("hints")
    root = gather(phone_app, g.get("action"), sid, phone, Digits="2")
    assert says(root)[0].startswith("gekozen: nee")
    root = gather(phone_app, root.find("Gather").get("action"), sid, phone,
                  SpeechResult="Twee.", Confidence="0.7")
    assert says(root)[0].startswith("gekozen: nee")
    gather(phone_app, root.find("Gather").get("action"), sid, phone,
           SpeechResult="ja dat mag", Confidence="0.7")
    sent = [r["message"] for r in fake_rasa.received]
    assert sent[-3:] == ["nee", "nee", "ja"]
    c = conversation(phone_app, sid)
    users = [m.text for m in rows(phone_app, Message, Message.conversation_id == c.id,
                                  Message.sender == "user")]
    assert users == ["ik wil meer klanten", "2", "Twee.", "ja dat mag"]


def test_silence_is_asked_once_then_the_caller_gets_a_choice(phone_app, fake_rasa):
    phone, sid = new_phone(), new_call()
    root = call(phone_app, sid, phone)
    root = gather(phone_app, root.find("Gather").get("action"), sid, phone)
    assert says(root) == ["Ik hoorde niets.", GREETING]
    action = root.find("Gather").get("action")
    assert action == PUBLIC + GATHER + "?fails=1"
    assert root.find("Redirect").text == action  # also when Twilio skips the action
    root = gather(phone_app, action, sid, phone, SpeechResult="")
    [text] = says(root)
    assert "Zeg 1 om verder te gaan via WhatsApp" in text and "Zeg 2 om teruggebeld" in text
    g = root.find("Gather")
    assert g.get("numDigits") == "1" and "step=choice" in g.get("action")
    c = conversation(phone_app, sid)
    assert c.state == "bot" and callback_requests(phone_app, c.id) == []
    assert [r["message"] for r in fake_rasa.received if r["sender"] == c.id] == [
        "/start_intake"]


def _handing_over(client, fake_rasa):
    """FakeRasa answers 'medewerker' like the bot's hand-over: the action asks for a person."""
    def answer(message):
        if message == "medewerker":
            cid = fake_rasa.received[-1]["sender"]
            with client.app.state.db.session() as s:
                handover.request(s, conversation_id=cid, reason="asked",
                                 hours=client.app.state.office_hours)
            return [{"text": HANDOVER_TEXT}]
        return [{"text": f"echo: {message}"}]
    script(fake_rasa, answer)


def test_asking_for_a_person_during_office_hours_dials_the_helpdesk(phone_app, fake_rasa,
                                                                    staff):
    _handing_over(phone_app, fake_rasa)
    assert phone_app.put("/api/v1/helpdesk/availability", json={"open": True},
                         headers=staff).status_code == 200
    phone, sid = new_phone(), new_call()
    root = call(phone_app, sid, phone)
    root = gather(phone_app, root.find("Gather").get("action"), sid, phone,
                  SpeechResult="medewerker", Confidence="0.9")
    dial = root.find("Dial")
    assert dial.text == HELPDESK
    assert dial.get("action") == PUBLIC + VOICE + "/dial" and dial.get("method") == "POST"
    assert says(root)[0] == HANDOVER_TEXT
    assert root.find("Gather") is None
    c = conversation(phone_app, sid)
    assert c.state == "waiting_for_human" and c.callback is False
    assert callback_requests(phone_app, c.id) == []


def test_asking_for_a_person_outside_office_hours_is_a_callback(phone_app, fake_rasa, staff):
    _handing_over(phone_app, fake_rasa)
    assert phone_app.put("/api/v1/helpdesk/availability", json={"open": False},
                         headers=staff).status_code == 200
    phone, sid = new_phone(), new_call()
    root = call(phone_app, sid, phone)
    root = gather(phone_app, root.find("Gather").get("action"), sid, phone,
                  SpeechResult="medewerker", Confidence="0.9")
    assert root.find("Dial") is None and root.find("Hangup") is not None
    assert "belt je" in says(root)[-1] and "terug" in says(root)[-1]
    c = conversation(phone_app, sid)
    assert c.state == "waiting_for_human" and c.callback is True
    [request] = callback_requests(phone_app, c.id)
    assert request.reason == "outside_hours" and request.phone == phone
    assert request.status == "open" and request.reference.startswith("TB-")
    # while a person has it, the bot is silent
    before = len(fake_rasa.received)
    with phone_app.app.state.db.session() as s:
        handover.claim(s, conversation_id=c.id, staff="student")
    root = gather(phone_app, PUBLIC + GATHER, sid, phone, SpeechResult="hallo?")
    assert len(fake_rasa.received) == before
    assert root.find("Hangup") is not None and "medewerker" in says(root)[0]


def test_without_the_twilio_token_voice_is_refused(migrated, fake_rasa, twilio):
    with app_for(migrated, fake_rasa, twilio, twilio_auth_token="") as client:
        params = call_params(new_call(), new_phone())
        response = post(client, params, path=VOICE, token=AUTH_TOKEN)
    assert response.status_code == 403


def test_voice_settings():
    from backend.settings import SettingsError, load_settings

    env = {"INTAKE_ENV": "test", "INTAKE_ADMIN_TOKEN": "x" * 20, "RASA_TOKEN": "y" * 20,
           "INTAKE_SERVICE_TOKEN": "z" * 20}
    default = load_settings(env)
    assert default.twilio_voice == "Polly.Lotte" and default.twilio_helpdesk_number == ""
    assert default.voice_turn_timeout == 8.0
    custom = load_settings(dict(env, TWILIO_VOICE="Polly.Ruben",
                                TWILIO_HELPDESK_NUMBER=HELPDESK, VOICE_TURN_TIMEOUT="5.5"))
    assert custom.twilio_voice == "Polly.Ruben" and custom.twilio_helpdesk_number == HELPDESK
    assert custom.voice_turn_timeout == 5.5
    with pytest.raises(SettingsError):
        load_settings(dict(env, TWILIO_HELPDESK_NUMBER="085-0000000"))
    for bad in ("15", "0", "acht", "nan"):  # Twilio waits 15 s: the turn must stay below
        with pytest.raises(SettingsError, match="VOICE_TURN_TIMEOUT"):
            load_settings(dict(env, VOICE_TURN_TIMEOUT=bad))


def test_typing_instructions_are_said_as_saying():
    from backend.services.voice_text import for_ear

    assert for_ear("Heb je liever alleen telefoon, typ dan 'geen'.") == (
        "Heb je liever alleen telefoon, zeg dan 'geen'.")
    assert for_ear("Typ 'medewerker' voor een mens. Het type bedrijf?") == (
        "Zeg 'medewerker' voor een mens. Het type bedrijf?")
