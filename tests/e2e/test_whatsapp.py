"""A whole intake over WhatsApp against the real stack: signed webhooks in, the bot's questions
answered as they arrive at a loopback fake of Twilio's Messages API, a ticket at the end whose
channel is whatsapp and whose phone is the WhatsApp number, never asked for. Then the public
contract check for the webhook."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from itertools import count

import pytest
from twilio.request_validator import RequestValidator

from tests.backend.fake_twilio import FakeTwilio
from tests.e2e.driver import REFERENCE, api, question_in
from tests.e2e.personas import BAKERY
from tests.e2e.test_intake_api import run_contract_check

PATH = "/webhooks/twilio/whatsapp"
PHONE = "+31612340987"
CONFIRM_NAME = re.compile(r"mag ik je .+ noemen\?", re.I)
# Anna answers two questions with the number of an option, and confirms her WhatsApp name.
ANSWERS = dict(BAKERY, need_urgency="2", consent_followup="1", contact_name="ja")
_sids = count(1)


@pytest.fixture
def fake_twilio(stack) -> Iterator[FakeTwilio]:
    port = int(stack.twilio["TWILIO_API_URL"].rsplit(":", 1)[1])
    fake = FakeTwilio(stack.twilio["TWILIO_ACCOUNT_SID"], stack.twilio["TWILIO_AUTH_TOKEN"],
                      port=port)
    yield fake
    fake.close()  # the contract check runs its own fake on the same port


class WhatsAppUser:
    def __init__(self, stack, fake: FakeTwilio, phone: str, profile_name: str) -> None:
        self.stack, self.fake, self.phone, self.profile = stack, fake, phone, profile_name
        self.address = f"whatsapp:{phone}"
        self.log: list[tuple[str, str]] = []
        self.last: list[str] = []

    def post(self, text: str) -> int:
        params = {"MessageSid": f"SM{time.time_ns():024x}{next(_sids):08x}", "Body": text,
                  "From": self.address, "To": self.stack.twilio["TWILIO_WHATSAPP_FROM"],
                  "AccountSid": self.stack.twilio["TWILIO_ACCOUNT_SID"], "NumMedia": "0",
                  "ProfileName": self.profile, "WaId": self.phone.lstrip("+")}
        url = self.stack.base_url + PATH
        signature = RequestValidator(self.stack.twilio["TWILIO_AUTH_TOKEN"]).compute_signature(
            url, params)
        request = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(),
                                         headers={"X-Twilio-Signature": signature})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.read().decode().endswith("<Response/>")
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def say(self, text: str, timeout: float = 60.0, quiet: float = 1.0) -> list[str]:
        """Send a message; return what the bot sent back (once it has been quiet a moment)."""
        before = len(self.fake.to(self.address))
        self.log.append(("user", text))
        assert self.post(text) == 200
        deadline = time.time() + timeout
        while len(self.fake.to(self.address)) == before:
            assert time.time() < deadline, "no reply on WhatsApp:\n" + self.transcript()
            time.sleep(0.05)
        seen = len(self.fake.to(self.address))
        settled = time.time()
        while time.time() - settled < quiet:
            time.sleep(0.05)
            if len(self.fake.to(self.address)) != seen:
                seen, settled = len(self.fake.to(self.address)), time.time()
        self.last = [m["Body"] for m in self.fake.to(self.address)[before:]]
        self.log += [("bot", body) for body in self.last]
        return self.last

    @property
    def question(self) -> str | None:
        if self.last and CONFIRM_NAME.search(self.last[-1]):
            return "contact_name"
        return question_in("\n".join(self.last))

    def transcript(self) -> str:
        return "\n".join(f"{who}: {text}" for who, text in self.log)


def test_a_complete_intake_over_whatsapp(stack, fake_twilio):
    anna = WhatsAppUser(stack, fake_twilio, PHONE, "Anna de Boer")
    anna.say(ANSWERS["need_description"])
    assert "digitale assistent" in anna.log[1][1].lower()  # the greeting came first
    asked: list[str] = []
    for _ in range(40):
        if REFERENCE.search("\n".join(anna.last)):
            break
        key = anna.question
        assert key in ANSWERS, f"unexpected question {key}:\n{anna.transcript()}"
        asked.append(key)
        anna.say(ANSWERS[key])
    reference = REFERENCE.search("\n".join(anna.last))
    assert reference, anna.transcript()
    assert "contact_phone" not in asked, anna.transcript()  # the WhatsApp number is the phone
    assert "contact_name" in asked
    bot = [text for who, text in anna.log if who == "bot"]
    assert any("1. Zo snel mogelijk\n2. Binnen 3 maanden" in text for text in bot)
    assert all(m["From"] == stack.twilio["TWILIO_WHATSAPP_FROM"] for m in fake_twilio.sent)

    status, ticket = api(stack.base_url, "GET", f"/api/v1/tickets/{reference.group(0)}",
                         token=stack.admin_token)
    assert status == 200, ticket
    assert ticket["channel"] == "whatsapp"
    assert ticket["contact"]["phone"] == PHONE and ticket["contact"]["name"] == "Anna de Boer"
    assert ticket["details"]["urgency"] == "binnen 3 maanden"
    assert ticket["consent"] == {"privacy": True, "followup": True}

    status, outbox = api(stack.base_url, "GET", "/api/v1/outbox?status=failed",
                         token=stack.admin_token)
    assert status == 200
    assert [r for r in outbox["items"] if r["to"] == f"whatsapp:{PHONE}"] == []


def test_the_public_whatsapp_contract_check(stack):
    run_contract_check(stack, "check_whatsapp_webhook.py")
