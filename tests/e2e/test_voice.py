"""The phone line against the real stack: the public contract check for the voice webhooks, and
one short call (greeting, one spoken answer) through the real bot."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

from twilio.request_validator import RequestValidator

from tests.e2e.test_intake_api import run_contract_check

VOICE = "/webhooks/twilio/voice"


def test_voice_contract_check(stack):
    run_contract_check(stack, "check_voice.py")


def _post(stack, path: str, params: dict) -> tuple[int, str]:
    url = stack.base_url + path
    signature = RequestValidator(stack.twilio["TWILIO_AUTH_TOKEN"]).compute_signature(url, params)
    request = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(),
                                     headers={"X-Twilio-Signature": signature})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_a_short_call_through_the_real_bot(stack):
    params = {"CallSid": f"CA{time.time_ns():032x}", "From": "+31612340555",
              "To": "+31850000000", "CallStatus": "ringing", "Direction": "inbound",
              "AccountSid": stack.twilio["TWILIO_ACCOUNT_SID"]}
    status, body = _post(stack, VOICE, params)
    assert status == 200, body
    greeting = ET.fromstring(body)
    gather = greeting.find("Gather")
    assert gather is not None and gather.get("language") == "nl-NL", body
    assert all(s.get("language") == "nl-NL" for s in greeting.iter("Say"))
    action = gather.get("action")
    assert action.startswith(stack.base_url + VOICE + "/gather"), action
    started = time.perf_counter()
    status, body = _post(stack, action[len(stack.base_url):],
                         dict(params, CallStatus="in-progress", Confidence="0.93",
                              SpeechResult="ik heb een bakkerij en wil meer klanten via internet"))
    print(f"real voice turn took {(time.perf_counter() - started) * 1000:.0f} ms")
    assert status == 200, body
    turn = ET.fromstring(body)
    spoken = [s.text or "" for s in turn.iter("Say")]
    assert spoken and all(text.strip() for text in spoken), body
    assert turn.find("Gather") is not None, body
    assert not any("http" in text for text in spoken)
    assert not any("telefoonnummer" in text.lower() for text in spoken), spoken
