"""One person, several channels: the same phone number on WhatsApp and on the phone is one
contact, and each ticket shows the channel it came from."""

from __future__ import annotations

from backend.services import conversations
from tests.backend.helpers import ticket_payload
from tests.backend.whatsapp_helpers import (
    conversation_of,
    inbound,
    new_phone,
    post,
)


def test_whatsapp_and_phone_conversations_belong_to_one_contact(wa, twilio, staff, service):
    phone = new_phone()
    post(wa, inbound(phone, "Hallo"))
    twilio.wait_for(f"whatsapp:{phone}", 1)
    whatsapp_id = conversation_of(wa, phone).id
    with wa.app.state.db.session() as s:  # as the phone line will record a call
        call, _ = conversations.create_conversation(s, channel="phone")
        call.contact = phone
        call_id = call.id
    for cid in (whatsapp_id, call_id):
        payload = ticket_payload(cid, contact={"name": "Anna", "phone": phone})
        assert wa.post("/api/v1/tickets", json=payload, headers=service).status_code == 201

    response = wa.get(f"/api/v1/contacts/{phone}", headers=staff)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["contact"] == phone
    assert [(c["conversation_id"], c["channel"]) for c in body["conversations"]] == [
        (whatsapp_id, "whatsapp"), (call_id, "phone")]
    references = [c["ticket_reference"] for c in body["conversations"]]
    channels = [wa.get(f"/api/v1/tickets/{r}", headers=staff).json()["channel"]
                for r in references]
    assert channels == ["whatsapp", "phone"]


def test_the_contact_api_is_for_staff_and_wants_a_phone_number(wa, staff):
    assert wa.get("/api/v1/contacts/+31612345678").status_code == 401
    assert wa.get("/api/v1/contacts/0612345678", headers=staff).status_code == 422
    assert wa.get("/api/v1/contacts/+31600000000", headers=staff).status_code == 404
