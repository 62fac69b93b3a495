"""The phone line asks for an e-mail address, a postcode and numbers: spoken e-mail addresses
and postcodes are spelled back and only reach the bot after a yes; numbers may be keyed (closed
with '#'). Which question the caller answers comes from the bot's tracker (requested_slot)."""

from __future__ import annotations

import pytest

from tests.backend.voice_helpers import (
    GATHER,
    action_query,
    answer,
    ask_questions,
    call,
    conversation,
    new_call,
    says,
    sent_to_bot,
    transcript,
)
from tests.backend.whatsapp_helpers import PUBLIC, new_phone, post
from tests.backend.whatsapp_helpers import whatsapp_app as app_for

POSTCODE_Q = "Wat is de postcode en plaats van je bedrijf?"
EMPLOYEES_Q = "Met hoeveel mensen werken jullie, jijzelf meegeteld?"
KVK_Q = "Wat is je KvK-nummer? Dat zijn 8 cijfers."
KVK_BUTTONS = [{"title": "Weet ik niet", "payload": "weet ik niet"}]
DONE = "Dank je, dat was alles."
FLOW = {
    "contact_email": (POSTCODE_Q, "postcode"),
    "postcode": (EMPLOYEES_Q, "employees"),
    "employees": (KVK_Q, "kvk_number", KVK_BUTTONS),
}
CONFIRM_END = "Klopt dat? Zeg ja of nee, of toets 1 voor ja en 2 voor nee."


@pytest.fixture
def line(migrated, fake_rasa, twilio):
    ask_questions(fake_rasa, FLOW)
    with app_for(migrated, fake_rasa, twilio) as client:
        yield client


def start(client):
    phone, sid = new_phone(), new_call()
    return phone, sid, call(client, sid, phone)


def test_a_spoken_email_address_is_spelled_back_and_sent_after_yes(line, fake_rasa):
    phone, sid, root = start(line)
    g = root.find("Gather")
    assert action_query(root) == "ask=contact_email"
    assert "apenstaartje" in g.get("hints") and g.get("finishOnKey") is None
    root = answer(line, root, sid, phone, Confidence="0.62",
                  SpeechResult="anna apenstaartje bakkerij de korst punt n l")
    assert says(root) == ["Ik heb genoteerd: a, n, n, a, apenstaartje, b, a, k, k, e, r, i, j, d, "
                          f"e, k, o, r, s, t, punt n l. {CONFIRM_END}"]
    g = root.find("Gather")
    assert g.get("numDigits") == "1" and "ja" in g.get("hints")
    assert action_query(root) == "ask=contact_email&step=confirm"
    c = conversation(line, sid)
    assert sent_to_bot(fake_rasa, c.id) == ["/start_intake"]  # nothing yet
    root = answer(line, root, sid, phone, SpeechResult="Ja, klopt.", Confidence="0.9")
    assert sent_to_bot(fake_rasa, c.id) == ["/start_intake", "anna@bakkerijdekorst.nl"]
    assert says(root)[0].startswith(POSTCODE_Q) and action_query(root) == "ask=postcode"
    said = transcript(line, c.id)[1:4]  # the caller's words, what they heard, their yes
    assert said[0] == ("user", "anna apenstaartje bakkerij de korst punt n l")
    assert said[1][0] == "bot" and said[1][1].startswith("Ik heb genoteerd: a, n, n, a,")
    assert said[2] == ("user", "Ja, klopt.")


def test_no_asks_again_and_suggests_spelling(line, fake_rasa):
    phone, sid, root = start(line)
    c = conversation(line, sid)
    root = answer(line, root, sid, phone, SpeechResult="anna at bakker punt nl")
    assert "a, n, n, a, apenstaartje, b, a, k, k, e, r, punt n l" in says(root)[0]
    root = answer(line, root, sid, phone, Digits="2")
    assert says(root) == ["Oké. Zeg je e-mailadres nog een keer. Spel het gerust letter voor "
                          "letter, bijvoorbeeld: a, n, n, a, apenstaartje."]
    assert action_query(root) == "ask=contact_email"
    assert sent_to_bot(fake_rasa, c.id) == ["/start_intake"]
    root = answer(line, root, sid, phone, SpeechResult="a n n a at b a k k e r ij punt n l")
    assert "b, a, k, k, e, r, i, j, punt n l" in says(root)[0]
    root = answer(line, root, sid, phone, Digits="1")
    assert sent_to_bot(fake_rasa, c.id) == ["/start_intake", "anna@bakkerij.nl"]


def test_a_new_value_instead_of_yes_is_checked_again(line, fake_rasa):
    phone, sid, root = start(line)
    c = conversation(line, sid)
    root = answer(line, root, sid, phone, SpeechResult="anna at bakker punt nl")
    root = answer(line, root, sid, phone, SpeechResult="nee het is piet at bakker punt nl")
    assert says(root)[0].startswith("Ik heb genoteerd: p, i, e, t, apenstaartje")
    root = answer(line, root, sid, phone, SpeechResult="ja")
    assert sent_to_bot(fake_rasa, c.id)[-1] == "piet@bakker.nl"


def test_an_unclear_answer_to_the_check_asks_it_again_and_keeps_the_value(line, fake_rasa):
    phone, sid, root = start(line)
    c = conversation(line, sid)
    root = answer(line, root, sid, phone, SpeechResult="anna at bakker punt nl")
    root = answer(line, root, sid, phone, SpeechResult="eh wat zei je")
    assert says(root)[0] == "Sorry, dat verstond ik niet."
    assert says(root)[1].startswith("Ik heb genoteerd: a, n, n, a")
    assert action_query(root) == "ask=contact_email&step=confirm&fails=1"
    root = answer(line, root, sid, phone, SpeechResult="ja")
    assert sent_to_bot(fake_rasa, c.id) == ["/start_intake", "anna@bakker.nl"]


def test_silence_during_the_check_asks_it_again(line, fake_rasa):
    phone, sid, root = start(line)
    root = answer(line, root, sid, phone, SpeechResult="anna at bakker punt nl")
    root = answer(line, root, sid, phone)
    assert says(root)[0] == "Ik hoorde niets." and says(root)[1].startswith("Ik heb genoteerd")
    root = answer(line, root, sid, phone, Digits="1")
    assert sent_to_bot(fake_rasa, conversation(line, sid).id)[-1] == "anna@bakker.nl"


def test_what_is_not_an_email_address_goes_to_the_bot_as_said(line, fake_rasa):
    phone, sid, root = start(line)
    root = answer(line, root, sid, phone, SpeechResult="geen, bel me liever")
    assert sent_to_bot(fake_rasa, conversation(line, sid).id)[-1] == "geen, bel me liever"
    assert says(root)[0].startswith(POSTCODE_Q)


def _at_postcode(client):
    phone, sid, root = start(client)
    root = answer(client, root, sid, phone, SpeechResult="anna at bakker punt nl")
    root = answer(client, root, sid, phone, SpeechResult="ja")
    assert action_query(root) == "ask=postcode"
    return phone, sid, root


def test_a_spoken_postcode_is_spelled_back_with_the_place(line, fake_rasa):
    phone, sid, root = _at_postcode(line)
    g = root.find("Gather")
    assert g.get("finishOnKey") == "#" and g.get("numDigits") is None
    assert says(root)[-1].endswith("Of toets de vier cijfers in en sluit af met hekje.")
    root = answer(line, root, sid, phone, SpeechResult="3 5 1 1 a b Utrecht")
    assert says(root) == [f"Ik heb genoteerd: 3, 5, 1, 1, A, B, in Utrecht. {CONFIRM_END}"]
    root = answer(line, root, sid, phone, SpeechResult="ja")
    assert sent_to_bot(fake_rasa, conversation(line, sid).id)[-1] == "3511 AB Utrecht"
    assert says(root)[0].startswith(EMPLOYEES_Q)


def test_keyed_postcode_digits_then_the_letters(line, fake_rasa):
    phone, sid, root = _at_postcode(line)
    root = answer(line, root, sid, phone, Digits="3511")
    assert says(root) == ["En de twee letters van je postcode? Zeg ze een voor een."]
    g = root.find("Gather")
    assert g.get("input") == "speech" and "a, b, c" in g.get("hints")
    assert action_query(root) == "ask=postcode&step=letters"
    root = answer(line, root, sid, phone, SpeechResult="eh")
    assert says(root)[0] == "Sorry, dat verstond ik niet." and "letters" in says(root)[1]
    root = answer(line, root, sid, phone, SpeechResult="bee ka")
    assert says(root) == [f"Ik heb genoteerd: 3, 5, 1, 1, B, K. {CONFIRM_END}"]
    root = answer(line, root, sid, phone, Digits="1")
    c = conversation(line, sid)
    assert sent_to_bot(fake_rasa, c.id)[-1] == "3511 BK"
    users = [text for who, text in transcript(line, c.id) if who == "user"]
    assert users[-4:] == ["3511", "eh", "bee ka", "1"]  # every answer recorded as given


def test_numbers_can_be_keyed_and_are_sent_as_the_answer(line, fake_rasa):
    phone, sid, root = _at_postcode(line)
    root = answer(line, root, sid, phone, SpeechResult="3511 AB")
    root = answer(line, root, sid, phone, SpeechResult="ja")
    assert action_query(root) == "ask=employees"
    g = root.find("Gather")
    assert g.get("finishOnKey") == "#" and g.get("numDigits") is None
    assert "speech" in g.get("input") and "dtmf" in g.get("input")
    assert says(root) == [f"{EMPLOYEES_Q} Of toets het in en sluit af met hekje."]
    root = answer(line, root, sid, phone, Digits="12")
    c = conversation(line, sid)
    assert sent_to_bot(fake_rasa, c.id)[-1] == "12"
    # the KvK question has a button: keyed digits are the number, one key picks the button
    assert says(root) == [f"{KVK_Q} Zeg 1 voor Weet ik niet. Of toets het in en sluit af met "
                          "hekje."]
    g = root.find("Gather")
    assert g.get("finishOnKey") == "#" and g.get("numDigits") is None
    answer(line, root, sid, phone, Digits="12345678")
    assert sent_to_bot(fake_rasa, c.id)[-1] == "12345678"


def test_a_keyed_button_on_a_number_question(migrated, fake_rasa, twilio):
    ask_questions(fake_rasa, {}, first=(KVK_Q, "kvk_number", KVK_BUTTONS))
    with app_for(migrated, fake_rasa, twilio) as client:
        phone, sid, root = start(client)
        answer(client, root, sid, phone, Digits="1")
        assert sent_to_bot(fake_rasa, conversation(client, sid).id)[-1] == "weet ik niet"


def test_without_the_bots_tracker_nothing_is_spelled_back(migrated, fake_rasa, twilio):
    """Rasa cannot tell which question it asks: the answer goes to the bot as said."""
    ask_questions(fake_rasa, FLOW)
    plain = fake_rasa.reply
    fake_rasa.reply = lambda sender, message: (plain(sender, message),
                                              fake_rasa.slots.pop(sender, None))[0]
    with app_for(migrated, fake_rasa, twilio) as client:
        phone, sid, root = start(client)
        assert action_query(root) == ""
        answer(client, root, sid, phone, SpeechResult="anna at bakker punt nl")
        assert sent_to_bot(fake_rasa, conversation(client, sid).id)[-1] == (
            "anna at bakker punt nl")


def test_the_state_in_the_action_url_cannot_be_forged(line, fake_rasa):
    phone, sid, root = start(line)
    signed = root.find("Gather").get("action")
    forged = GATHER + "?ask=contact_email&step=confirm"
    params = {"CallSid": sid, "From": phone, "SpeechResult": "ja"}
    assert post(line, params, path=forged, signed_url=signed).status_code == 403
    assert post(line, params, path=forged, signed_url=PUBLIC + GATHER).status_code == 403
    assert sent_to_bot(fake_rasa, conversation(line, sid).id) == ["/start_intake"]


def test_asking_for_a_person_during_the_check_goes_to_the_bot(line, fake_rasa):
    phone, sid, root = start(line)
    root = answer(line, root, sid, phone, SpeechResult="anna at bakker punt nl")
    assert "step=confirm" in action_query(root)
    answer(line, root, sid, phone, SpeechResult="ik wil een medewerker")
    assert sent_to_bot(fake_rasa, conversation(line, sid).id)[-1] == "ik wil een medewerker"
