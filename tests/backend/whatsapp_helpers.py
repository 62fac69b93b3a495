"""Helpers for the WhatsApp tests: an app wired to FakeRasa and FakeTwilio, signed webhooks
(the way Twilio signs them: the public URL and the sorted form), and waiting for background
work."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from backend.app import create_app
from backend.models import Conversation, Message, OutboxMessage
from tests.backend.conftest import FakeRasa, make_settings
from tests.backend.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, WHATSAPP_FROM, FakeTwilio

PUBLIC = "https://intake.example.nl"
PATH = "/webhooks/twilio/whatsapp"
GREETING = "Hoi! Ik ben de digitale assistent. Waar loop je tegenaan?"
_counter = iter(range(1, 10**9))


def settings_for(database_url: str, rasa_url: str, twilio_url: str, **overrides):
    values = dict(
        public_base_url=PUBLIC, twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
        twilio_whatsapp_from=WHATSAPP_FROM, twilio_api_url=twilio_url,
        outbox_backoff_seconds=0.01, outbox_poll_seconds=0.05, outbox_max_attempts=3,
    )
    values.update(overrides)
    return make_settings(database_url, rasa_url, **values)


@contextmanager
def whatsapp_app(database_url: str, rasa: FakeRasa, twilio: FakeTwilio,
                 **overrides) -> Iterator[TestClient]:
    app = create_app(settings_for(database_url, rasa.url, twilio.url, **overrides))
    with TestClient(app) as client:
        yield client


def script(rasa: FakeRasa, answer: Callable[[str], list[dict]] | None = None) -> None:
    """FakeRasa greets on /start_intake and otherwise answers with `answer` (default: echo)."""
    def reply(sender: str, message: str) -> list[dict]:
        if message == "/start_intake":
            return [{"recipient_id": sender, "text": GREETING}]
        if answer is not None:
            return answer(message)
        return [{"recipient_id": sender, "text": f"echo: {message}"}]

    rasa.reply = reply


def new_phone() -> str:
    return f"+316{next(_counter) + int(time.time() * 1000) % 10**7:08d}"


def new_sid() -> str:
    return f"SM{next(_counter) + int(time.time() * 10**6):032x}"


def inbound(phone: str, body: str = "hallo", sid: str | None = None, **extra: str) -> dict:
    params = {"SmsMessageSid": sid or new_sid(), "NumMedia": "0", "ProfileName": "Anna",
              "SmsSid": "", "WaId": phone.lstrip("+"), "SmsStatus": "received", "Body": body,
              "To": WHATSAPP_FROM, "NumSegments": "1", "ReferralNumMedia": "0",
              "From": f"whatsapp:{phone}", "ApiVersion": "2010-04-01",
              "AccountSid": ACCOUNT_SID}
    params["MessageSid"] = params["SmsSid"] = params["SmsMessageSid"]
    params.update(extra)
    return params


def sign(url: str, params: dict, token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


def post(client: TestClient, params: dict, *, token: str = AUTH_TOKEN,
         signed_url: str | None = None, path: str = PATH, headers: dict | None = None,
         sign_params: dict | None = None):
    """POST a webhook signed for `signed_url` (default: the public URL of `path`)."""
    hdrs = {"X-Twilio-Signature": sign(signed_url or PUBLIC + path, sign_params or params,
                                       token)}
    hdrs.update(headers or {})
    return client.post(path, data=params, headers=hdrs)


def eventually(check: Callable[[], object], timeout: float = 10.0, what: str = "") -> object:
    deadline = time.time() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        time.sleep(0.02)


def rows(client: TestClient, model, *where) -> list:
    with client.app.state.db.session() as s:
        return list(s.scalars(select(model).where(*where).order_by(model.id)
                              if hasattr(model, "id") else select(model).where(*where)))


def conversation_of(client: TestClient, phone: str) -> Conversation | None:
    found = rows(client, Conversation, Conversation.contact == phone)
    return found[-1] if found else None


def processed(client: TestClient, phone: str, count: int) -> bool:
    conversation = conversation_of(client, phone)
    if conversation is None:
        return False
    done = rows(client, Message, Message.conversation_id == conversation.id,
                Message.provider_id.is_not(None), Message.processed_at.is_not(None))
    return len(done) >= count


def outbox_rows(client: TestClient, phone: str) -> list[OutboxMessage]:
    return rows(client, OutboxMessage, OutboxMessage.to == f"whatsapp:{phone}")

