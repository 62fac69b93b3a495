"""The outbox: retries with backoff, failures that stay visible to staff, 4xx at once, the
24-hour window (template or needs_template), staff replies, long texts, the staff API."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import update

from backend.channels.outbox_sender import NOT_CONFIGURED
from backend.models import Message, OutboxMessage, utcnow
from tests.backend.helpers import start_conversation
from tests.backend.whatsapp_helpers import (
    GREETING,
    PUBLIC,
    conversation_of,
    eventually,
    inbound,
    new_phone,
    outbox_rows,
    post,
    rows,
    script,
    whatsapp_app,
)

TEMPLATE = "HX" + "ab" * 16


def settled(client, phone: str, count: int):
    """The phone's outbox rows once `count` of them left the queue."""
    def check():
        found = outbox_rows(client, phone)
        done = [r for r in found if r.status != "queued"]
        return found if len(found) >= count and len(done) >= count else None
    return eventually(check, what=f"{count} outbox rows settled for {phone}")


def test_a_sent_row_records_twilios_sid(wa, twilio):
    phone = new_phone()
    post(wa, inbound(phone, "Hallo"))
    [row] = settled(wa, phone, 1)
    assert row.status == "sent" and row.attempts == 1
    assert row.provider_sid == twilio.sent[-1]["sid"] and row.provider_sid.startswith("SM")
    assert row.body == GREETING and row.to == f"whatsapp:{phone}"


def test_server_errors_are_retried_then_the_row_fails_visibly(wa, twilio, staff):
    twilio.fail(500)
    phone = new_phone()
    post(wa, inbound(phone, "Hallo"))
    [row] = settled(wa, phone, 1)
    assert row.status == "failed" and row.attempts == 3  # outbox_max_attempts in the tests
    assert "20500" in row.last_error and "Internal Server Error" in row.last_error
    assert len([r for r in twilio.refused if r["To"] == f"whatsapp:{phone}"]) == 3
    listed = wa.get("/api/v1/outbox", params={"status": "failed"}, headers=staff).json()
    assert row.id in [item["id"] for item in listed["items"]]
    item = next(i for i in listed["items"] if i["id"] == row.id)
    assert item["conversation_id"] == conversation_of(wa, phone).id and item["body"] == GREETING

    twilio.recover()
    response = wa.post(f"/api/v1/outbox/{row.id}/retry", headers=staff)
    assert response.status_code == 200 and response.json()["status"] == "queued"
    twilio.wait_for(f"whatsapp:{phone}", 1)
    [row] = settled(wa, phone, 1)
    assert row.status == "sent"
    assert wa.post(f"/api/v1/outbox/{row.id}/retry", headers=staff).status_code == 409


def test_rate_limits_and_outages_are_retried_with_backoff(wa, twilio):
    twilio.fail(429, times=1)
    twilio.fail(503, times=1)
    phone = new_phone()
    post(wa, inbound(phone, "Hallo"))
    [row] = settled(wa, phone, 1)
    assert row.status == "sent" and row.attempts == 3
    assert "20503" in row.last_error


def test_a_refused_message_fails_at_once_with_twilios_error(wa, twilio):
    twilio.fail(400, times=1)
    phone = new_phone()
    post(wa, inbound(phone, "Hallo"))
    [row] = settled(wa, phone, 1)
    assert row.status == "failed" and row.attempts == 1
    assert "21211" in row.last_error and "not a valid phone number" in row.last_error


def test_a_retried_row_keeps_later_ones_waiting_so_they_arrive_in_order(wa, twilio):
    twilio.fail(503, times=2)
    phone = new_phone()
    post(wa, inbound(phone, "ik wil een webshop"))
    sent = twilio.wait_for(f"whatsapp:{phone}", 2)
    assert [m["Body"] for m in sent] == [GREETING, "echo: ik wil een webshop"]


def test_wrong_credentials_fail_at_once(migrated, fake_rasa, twilio):
    script(fake_rasa)
    phone = new_phone()
    with whatsapp_app(migrated, fake_rasa, twilio, twilio_account_sid="AC" + "2" * 32) as wa:
        post(wa, inbound(phone, "Hallo"))
        [row] = settled(wa, phone, 1)
    assert row.status == "failed" and "20003" in row.last_error and row.attempts == 1
    assert twilio.sent == []


def test_without_twilio_settings_rows_fail_with_a_clear_reason(migrated, fake_rasa, twilio):
    script(fake_rasa)
    phone = new_phone()
    with whatsapp_app(migrated, fake_rasa, twilio, twilio_whatsapp_from="") as wa:
        post(wa, inbound(phone, "Hallo"))
        [row] = settled(wa, phone, 1)
    assert row.status == "failed" and row.last_error == NOT_CONFIGURED


def test_long_texts_are_split_within_twilios_limit(wa, fake_rasa, twilio):
    paragraph = "Dit is een lange zin over de webshop van de bakkerij en wat er beter kan. " * 9
    script(fake_rasa, lambda m: [{"text": "\n\n".join([paragraph.strip()] * 5)}])
    phone = new_phone()
    post(wa, inbound(phone, "vertel"))
    rows_ = settled(wa, phone, 4)  # the greeting, and the long answer in 3 parts
    assert all(r.status == "sent" for r in rows_), [r.last_error for r in rows_]
    bodies = [m["Body"] for m in twilio.to(f"whatsapp:{phone}")[1:]]
    assert len(bodies) >= 2 and all(len(b) <= 1600 for b in bodies)
    assert "".join(bodies).replace("\n", "").replace(" ", "") == "".join(
        [paragraph.strip()] * 5).replace(" ", "")


def _age(client, phone: str, hours: float) -> str:
    """Make the entrepreneur's messages `hours` old; returns the conversation id."""
    cid = conversation_of(client, phone).id
    with client.app.state.db.session() as s:
        s.execute(update(Message).where(Message.conversation_id == cid, Message.sender == "user")
                  .values(at=utcnow() - timedelta(hours=hours)))
    return cid


def _staff_reply(client, staff, cid: str, text: str) -> None:
    client.post(f"/api/v1/conversations/{cid}/claim", json={"staff": "Sanne"}, headers=staff)
    response = client.post(f"/api/v1/conversations/{cid}/reply", headers=staff,
                           json={"staff": "Sanne", "text": text})
    assert response.status_code == 201, response.text


def test_after_24_hours_a_reply_waits_for_a_template(wa, twilio, staff):
    phone = new_phone()
    post(wa, inbound(phone, "Hallo"))
    settled(wa, phone, 1)
    cid = _age(wa, phone, 25)
    _staff_reply(wa, staff, cid, "Sorry voor de late reactie. Ik bel je morgen.")
    rows_ = settled(wa, phone, 2)
    assert rows_[-1].status == "needs_template" and "24" in rows_[-1].last_error
    assert len(twilio.to(f"whatsapp:{phone}")) == 1  # nothing sent outside the window
    listed = wa.get("/api/v1/outbox", params={"status": "needs_template"}, headers=staff).json()
    assert rows_[-1].id in [i["id"] for i in listed["items"]]
    # the entrepreneur writes again: the window is open, the waiting reply goes out first
    post(wa, inbound(phone, "hallo?"))
    sent = twilio.wait_for(f"whatsapp:{phone}", 2)
    assert sent[1]["Body"] == "Sorry voor de late reactie. Ik bel je morgen."
    eventually(lambda: outbox_rows(wa, phone)[1].status == "sent", what="marked sent")


def test_after_24_hours_a_configured_template_is_used(migrated, fake_rasa, twilio, staff):
    script(fake_rasa)
    phone = new_phone()
    with whatsapp_app(migrated, fake_rasa, twilio, twilio_whatsapp_template_sid=TEMPLATE) as wa:
        post(wa, inbound(phone, "Hallo"))
        settled(wa, phone, 1)
        cid = _age(wa, phone, 30)
        _staff_reply(wa, staff, cid, "Hoi Anna,\nik heb nieuws over je aanvraag.")
        rows_ = settled(wa, phone, 2)
    assert rows_[-1].status == "sent" and rows_[-1].content_sid == TEMPLATE
    message = twilio.to(f"whatsapp:{phone}")[-1]
    assert message["ContentSid"] == TEMPLATE and "Body" not in message
    assert json.loads(message["ContentVariables"]) == {
        "1": "Hoi Anna, ik heb nieuws over je aanvraag."}


def test_within_24_hours_no_template_is_used(migrated, fake_rasa, twilio, staff):
    script(fake_rasa)
    phone = new_phone()
    with whatsapp_app(migrated, fake_rasa, twilio, twilio_whatsapp_template_sid=TEMPLATE) as wa:
        post(wa, inbound(phone, "Hallo"))
        settled(wa, phone, 1)
        cid = _age(wa, phone, 23)
        _staff_reply(wa, staff, cid, "Nog even geduld.")
        settled(wa, phone, 2)
    assert twilio.to(f"whatsapp:{phone}")[-1]["Body"] == "Nog even geduld."


def test_the_hand_back_to_the_bot_is_delivered_too(wa, fake_rasa, twilio, staff):
    phone = new_phone()
    post(wa, inbound(phone, "Hallo"))
    settled(wa, phone, 1)
    cid = conversation_of(wa, phone).id
    _staff_reply(wa, staff, cid, "Ik geef je terug aan de assistent.")
    assert wa.post(f"/api/v1/conversations/{cid}/release", headers=staff).status_code == 200
    sent = twilio.wait_for(f"whatsapp:{phone}", 3)
    assert sent[-1]["Body"] == "echo: /resume_intake"


def test_webchat_messages_never_enter_the_outbox(client):
    cid, _ = start_conversation(client)
    assert rows(client, OutboxMessage, OutboxMessage.conversation_id == cid) == []


def test_the_outbox_api_is_for_staff_only(wa, staff):
    assert wa.get("/api/v1/outbox").status_code == 401
    assert wa.post("/api/v1/outbox/1/retry").status_code == 401
    assert wa.get("/api/v1/outbox", params={"status": "lost"}, headers=staff).status_code == 422
    assert wa.post("/api/v1/outbox/999999999/retry", headers=staff).status_code == 404


@pytest.mark.parametrize("code, status", [("63016", "needs_template"), ("63003", "failed")])
def test_twilio_reporting_an_undelivered_message_shows_in_the_outbox(wa, twilio, code, status):
    phone = new_phone()
    post(wa, inbound(phone, "Hallo"))
    [row] = settled(wa, phone, 1)
    assert twilio.sent[-1]["StatusCallback"] == PUBLIC + "/webhooks/twilio/whatsapp/status"
    callback = {"MessageSid": row.provider_sid, "MessageStatus": "undelivered",
                "ErrorCode": code, "To": row.to, "AccountSid": twilio.account_sid}
    path = "/webhooks/twilio/whatsapp/status"
    assert wa.post(path, data=callback).status_code == 403  # unsigned
    assert post(wa, callback, path=path).status_code == 200
    [row] = outbox_rows(wa, phone)
    assert row.status == status and code in row.last_error


def test_a_delivered_status_changes_nothing(wa, twilio):
    phone = new_phone()
    post(wa, inbound(phone, "Hallo"))
    [row] = settled(wa, phone, 1)
    post(wa, {"MessageSid": row.provider_sid, "MessageStatus": "delivered"},
         path="/webhooks/twilio/whatsapp/status")
    assert outbox_rows(wa, phone)[0].status == "sent"
