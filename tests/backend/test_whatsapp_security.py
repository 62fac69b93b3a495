"""The WhatsApp webhook only accepts what Twilio signed for the public URL; anything else is a
403 that leaves no trace (no conversation, no message, no reply)."""

from __future__ import annotations

import time

import pytest

from backend.models import Conversation, Message, OutboxMessage
from tests.backend.whatsapp_helpers import (
    PATH,
    PUBLIC,
    inbound,
    new_phone,
    post,
    processed,
    rows,
    sign,
    whatsapp_app,
)


def no_trace(client, phone: str, fake_rasa, twilio) -> None:
    time.sleep(0.2)  # give a (wrongly) started background turn the time to show itself
    assert rows(client, Conversation, Conversation.contact == phone) == []
    assert rows(client, Message, Message.text.like("%geheim%")) == []
    assert rows(client, OutboxMessage, OutboxMessage.to == f"whatsapp:{phone}") == []
    assert fake_rasa.received == [] and twilio.sent == []


def test_a_signed_webhook_is_acknowledged_with_empty_twiml(wa, fake_rasa, twilio):
    phone = new_phone()
    response = post(wa, inbound(phone, "hallo"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text.endswith("<Response/>")
    twilio.wait_for(f"whatsapp:{phone}", 1)
    assert processed(wa, phone, 1)


def test_a_missing_signature_is_refused(wa, fake_rasa, twilio):
    phone = new_phone()
    response = wa.post(PATH, data=inbound(phone, "geheim"))
    assert response.status_code == 403
    no_trace(wa, phone, fake_rasa, twilio)


@pytest.mark.parametrize("case", ["wrong token", "changed parameter", "extra parameter",
                                  "missing parameter", "other host", "internal url",
                                  "other path", "query added", "empty signature",
                                  "garbage signature"])
def test_a_bad_signature_is_refused_without_a_trace(wa, fake_rasa, twilio, case):
    phone = new_phone()
    params = inbound(phone, "geheim")
    kwargs: dict = {}
    path = PATH
    if case == "wrong token":
        kwargs["token"] = "not-the-auth-token-0123456789"
    elif case == "changed parameter":
        kwargs["sign_params"] = dict(params)
        params = dict(params, Body="geheim, maar anders")
    elif case == "extra parameter":
        kwargs["sign_params"] = dict(params)
        params = dict(params, Extra="x")
    elif case == "missing parameter":
        kwargs["sign_params"] = dict(params)
        params = {k: v for k, v in params.items() if k != "ProfileName"}
    elif case == "other host":
        kwargs["signed_url"] = "https://evil.example" + PATH
    elif case == "internal url":  # what the app sees behind a proxy is not what Twilio signed
        kwargs["signed_url"] = "http://testserver" + PATH
    elif case == "other path":  # a valid signature for another webhook, replayed here
        kwargs["signed_url"] = PUBLIC + "/webhooks/twilio/voice"
    elif case == "query added":  # the signature was for the URL without the query
        kwargs["signed_url"] = PUBLIC + PATH
        path = PATH + "?replayed=1"
    elif case == "empty signature":
        kwargs["headers"] = {"X-Twilio-Signature": ""}
    elif case == "garbage signature":
        kwargs["headers"] = {"X-Twilio-Signature": "bm9wZQ=="}
    response = post(wa, params, path=path, **kwargs)
    assert response.status_code == 403, case
    no_trace(wa, phone, fake_rasa, twilio)


def test_a_query_string_is_part_of_the_signed_url(wa, twilio):
    phone = new_phone()
    response = post(wa, inbound(phone), path=PATH + "?source=console")
    assert response.status_code == 200
    twilio.wait_for(f"whatsapp:{phone}", 1)


def test_the_signature_is_checked_before_the_body_means_anything(wa, fake_rasa, twilio):
    body = b"From=whatsapp%3A%2B31612345678&Body=%ff%fe&MessageSid=SMx"
    signature = sign(PUBLIC + PATH, {"From": "whatsapp:+31612345678", "MessageSid": "SMx"})
    response = wa.post(PATH, content=body, headers={
        "X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 403
    assert fake_rasa.received == []


def test_without_an_auth_token_every_webhook_is_refused(migrated, fake_rasa, twilio):
    phone = new_phone()
    with whatsapp_app(migrated, fake_rasa, twilio, twilio_auth_token="") as client:
        response = post(client, inbound(phone, "geheim"), token="")
        assert response.status_code == 403
        no_trace(client, phone, fake_rasa, twilio)


def test_a_signed_request_that_is_not_whatsapp_is_a_bad_request(wa, fake_rasa):
    params = inbound(new_phone())
    params["From"] = "+31612345678"  # an SMS sender, not WhatsApp
    assert post(wa, params).status_code == 400
    params = inbound(new_phone())
    del params["MessageSid"], params["SmsMessageSid"], params["SmsSid"]
    assert post(wa, params).status_code == 400
    assert fake_rasa.received == []
