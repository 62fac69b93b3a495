"""Hand-overs on the phone line reach the Telegram helpdesk group like the web and WhatsApp ones:
channel 'telefoon', the callback request's reference (never the caller's number), and the post
follows what happens next on the line (put through, not answered, hung up)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from backend.telegram import texts
from tests.backend.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, WHATSAPP_FROM
from tests.backend.telegram_rig import ANNA, TelegramRig, wait_for
from tests.backend.voice_helpers import (
    HELPDESK,
    STATUS,
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

HANDOVER_TEXT = "Ik zet je door naar een medewerker."


@pytest.fixture
def line(migrated, fake_rasa, twilio, staff) -> Iterator[TelegramRig]:
    """The hub with the phone line and the Telegram group; FakeRasa's hand-over action asks for a
    person through the hub's API, like the action server does."""
    hub: list[TelegramRig] = []

    def reply(message: str) -> list[dict]:
        if message == "medewerker":
            cid = fake_rasa.received[-1]["sender"]
            assert hub[0].request_handover(cid).status_code == 200
            return [{"text": HANDOVER_TEXT}]
        return [{"text": f"echo: {message}"}]

    script(fake_rasa, reply)
    with TelegramRig(migrated, fake_rasa, public_base_url=PUBLIC, twilio_account_sid=ACCOUNT_SID,
                     twilio_auth_token=AUTH_TOKEN, twilio_whatsapp_from=WHATSAPP_FROM,
                     twilio_api_url=twilio.url, twilio_helpdesk_number=HELPDESK) as rig:
        hub.append(rig)
        yield rig
        rig.client.put("/api/v1/helpdesk/availability", json={"open": None}, headers=staff)


def _helpdesk(rig: TelegramRig, staff: dict, open_now: bool) -> None:
    assert rig.client.put("/api/v1/helpdesk/availability", json={"open": open_now},
                          headers=staff).status_code == 200


def _asks_for_a_person(rig: TelegramRig) -> tuple[str, str, object]:
    phone, sid = new_phone(), new_call()
    root = call(rig.client, sid, phone)
    root = answer(rig.client, root, sid, phone, SpeechResult="medewerker")
    return phone, sid, root


def _post(rig: TelegramRig, cid: str, text: str = "") -> dict:
    """The conversation's post once it shows `text` (voice hand-overs made inside the hub are
    posted right after their commit, by the notifier)."""
    def found():
        posts = rig.posts_for(cid) or [rig.message_now(r.message_id) for r in rig.outbox(cid)
                                       if r.message_id is not None]
        return posts[-1] if posts and text in posts[-1]["text"] else None

    assert wait_for(found), [r.status for r in rig.outbox(cid)]
    return found()


def _private(rig: TelegramRig, phone: str) -> None:
    everything = json.dumps([c["params"] for c in rig.fake.calls])
    assert phone not in everything and phone.lstrip("+") not in everything
    assert phone[-9:] not in everything  # not as 06... either


def test_asking_for_a_person_in_office_hours_is_posted_and_put_through(line, staff):
    _helpdesk(line, staff, True)
    phone, sid, root = _asks_for_a_person(line)
    assert root.find("Dial").text == HELPDESK
    cid = conversation(line.client, sid).id
    posted = _post(line, cid, "Kanaal: telefoon")
    assert posted["text"].startswith("Nieuwe hand-over")
    assert "Reden: de ondernemer vraagt om een medewerker" in posted["text"]
    assert posted["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"claim:{cid}"
    assert "Terugbelverzoek" not in posted["text"]
    # the helpdesk answers the Dial: the post says so and offers nothing to pick up
    follow(line.client, root.find("Dial").get("action"), sid, phone, DialCallStatus="completed")
    now = _post(line, cid, "Doorverbonden: de helpdesk heeft de beller aan de telefoon")
    assert "reply_markup" not in now
    assert len(line.fake.sent("sendMessage")) == 1
    _private(line, phone)


def test_asking_for_a_person_outside_office_hours_posts_the_callback_reference(line, staff):
    _helpdesk(line, staff, False)
    phone, sid, root = _asks_for_a_person(line)
    assert root.find("Dial") is None and "terug" in says(root)[-1]
    c = conversation(line.client, sid)
    [request] = callback_requests(line.client, c.id)
    now = _post(line, c.id, f"Terugbelverzoek: {request.reference}")
    assert now["text"].startswith("Terugbelverzoek: de helpdesk was dicht")
    assert "Kanaal: telefoon" in now["text"] and "Wordt teruggebeld." in now["text"]
    assert now["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"claim:{c.id}"
    assert len(line.posts_for(c.id)) == 1 and len(line.outbox(c.id)) == 1
    _private(line, phone)


@pytest.mark.parametrize("dial_status", ["no-answer", "busy"])
def test_a_dial_nobody_answers_shows_the_callback_on_the_post(line, staff, dial_status):
    _helpdesk(line, staff, True)
    phone, sid, root = _asks_for_a_person(line)
    cid = conversation(line.client, sid).id
    _post(line, cid, "Wie pakt dit op?")
    follow(line.client, root.find("Dial").get("action"), sid, phone, DialCallStatus=dial_status)
    [request] = callback_requests(line.client, cid)
    now = _post(line, cid, f"Terugbelverzoek: {request.reference}")
    assert now["text"].startswith("Terugbelverzoek: de helpdesk nam de telefoon niet op")
    assert "reply_markup" in now and len(line.outbox(cid)) == 1
    _private(line, phone)


def test_hanging_up_while_waiting_shows_the_callback_on_the_post(line, staff):
    _helpdesk(line, staff, True)
    phone, sid, _ = _asks_for_a_person(line)
    cid = conversation(line.client, sid).id
    _post(line, cid, "Wie pakt dit op?")
    params = call_params(sid, phone, CallStatus="completed")
    assert post(line.client, params, path=STATUS).status_code == 200
    [request] = callback_requests(line.client, cid)
    now = _post(line, cid, f"Terugbelverzoek: {request.reference}")
    assert now["text"].startswith("Terugbelverzoek: de beller hing op tijdens het wachten")
    _private(line, phone)


def test_a_caller_choosing_a_callback_is_posted(line, staff):
    """No bot hand-over here: the hub itself makes the request when the caller picks 2."""
    _helpdesk(line, staff, True)
    phone, sid = new_phone(), new_call()
    root = call(line.client, sid, phone)
    root = answer(line.client, root, sid, phone)  # silence
    root = answer(line.client, root, sid, phone)  # silence again: the choice
    root = answer(line.client, root, sid, phone, Digits="2")
    assert root.find("Hangup") is not None
    c = conversation(line.client, sid)
    [request] = callback_requests(line.client, c.id)
    now = _post(line, c.id, f"Terugbelverzoek: {request.reference}")
    assert now["text"].startswith("Terugbelverzoek: de beller wil teruggebeld worden")
    assert "Kanaal: telefoon" in now["text"]
    assert "Reden: de ondernemer vraagt om een medewerker" in now["text"]
    _private(line, phone)


def test_the_bot_down_at_the_start_of_a_call_is_posted(line, staff, fake_rasa):
    fake_rasa.up = False
    phone, sid = new_phone(), new_call()
    root = call(line.client, sid, phone)
    assert root.find("Hangup") is not None
    c = conversation(line.client, sid)
    [request] = callback_requests(line.client, c.id)
    now = _post(line, c.id, f"Terugbelverzoek: {request.reference}")
    assert now["text"].startswith("Terugbelverzoek: de assistent was niet bereikbaar")
    assert "Reden: de bot kwam er niet uit" in now["text"]


def test_a_phone_callback_claimed_from_telegram(line, staff):
    _helpdesk(line, staff, False)
    _, sid, _ = _asks_for_a_person(line)
    cid = conversation(line.client, sid).id
    [request] = callback_requests(line.client, cid)
    posted = _post(line, cid, request.reference)
    assert line.click(ANNA, posted) == texts.CLAIMED_OK
    now = _post(line, cid, "Opgepakt door Anna")
    assert "reply_markup" not in now and request.reference in now["text"]
    assert conversation(line.client, sid).assigned_to == "Anna"
