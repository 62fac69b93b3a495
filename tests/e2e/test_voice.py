"""The phone line against the real stack: the public contract check for the voice webhooks, one
short call (greeting, one spoken answer) through the real bot, the question the bot asks read
from its tracker, and a callback request after two silences."""

from __future__ import annotations

import json
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


def _settled(stack, status: int, body: str, params: dict) -> tuple[int, str]:
    """Follow "Een ogenblikje." redirects (a turn slower than VOICE_TURN_TIMEOUT) the way
    Twilio does, until the turn's own TwiML."""
    for _ in range(10):
        if status != 200:
            return status, body
        redirect = ET.fromstring(body).find("Redirect")
        if ET.fromstring(body).find("Gather") is not None or redirect is None \
                or "/pending" not in redirect.text:
            return status, body
        status, body = _post(stack, redirect.text[len(stack.base_url):],
                             dict(params, CallStatus="in-progress"))
    return status, body


def test_a_short_call_through_the_real_bot(stack):
    params = {"CallSid": f"CA{time.time_ns():032x}", "From": "+31612340555",
              "To": "+31850000000", "CallStatus": "ringing", "Direction": "inbound",
              "AccountSid": stack.twilio["TWILIO_ACCOUNT_SID"]}
    status, body = _settled(stack, *_post(stack, VOICE, params), params)
    assert status == 200, body
    greeting = ET.fromstring(body)
    gather = greeting.find("Gather")
    assert gather is not None and gather.get("language") == "nl-NL", body
    assert all(s.get("language") == "nl-NL" for s in greeting.iter("Say"))
    action = gather.get("action")
    assert action.startswith(stack.base_url + VOICE + "/gather"), action
    started = time.perf_counter()
    status, body = _settled(stack, *_post(
        stack, action[len(stack.base_url):],
        dict(params, CallStatus="in-progress", Confidence="0.93",
             SpeechResult="ik heb een bakkerij en wil meer klanten via internet")), params)
    print(f"real voice turn took {(time.perf_counter() - started) * 1000:.0f} ms")
    assert status == 200, body
    turn = ET.fromstring(body)
    spoken = [s.text or "" for s in turn.iter("Say")]
    assert spoken and all(text.strip() for text in spoken), body
    assert turn.find("Gather") is not None, body
    assert not any("http" in text for text in spoken)
    assert not any("telefoonnummer" in text.lower() for text in spoken), spoken


def _gather_action(root: ET.Element, base_url: str) -> str:
    gather = root.find("Gather")
    assert gather is not None, ET.tostring(root)
    return gather.get("action")[len(base_url):]


def test_the_hub_knows_which_question_the_real_bot_asks(stack):
    """After a turn the hub reads the tracker's requested_slot (Rasa's HTTP API, with its
    token) and carries it in the next Gather's action URL."""
    params = {"CallSid": f"CA{time.time_ns():032x}", "From": "+31612340556",
              "To": "+31850000000", "CallStatus": "ringing", "Direction": "inbound",
              "AccountSid": stack.twilio["TWILIO_ACCOUNT_SID"]}
    status, body = _settled(stack, *_post(stack, VOICE, params), params)
    assert status == 200, body
    action = _gather_action(ET.fromstring(body), stack.base_url)
    status, body = _settled(stack, *_post(stack, action, dict(
        params, CallStatus="in-progress", Confidence="0.9",
        SpeechResult="ik heb een bakkerij en wil meer klanten via internet")), params)
    assert status == 200, body
    assert "ask=" in _gather_action(ET.fromstring(body), stack.base_url), body


def test_silence_twice_then_a_callback_request_staff_can_see(stack):
    phone = "+31612340557"
    params = {"CallSid": f"CA{time.time_ns():032x}", "From": phone, "To": "+31850000000",
              "CallStatus": "ringing", "Direction": "inbound",
              "AccountSid": stack.twilio["TWILIO_ACCOUNT_SID"]}
    status, body = _settled(stack, *_post(stack, VOICE, params), params)
    assert status == 200, body
    turn = dict(params, CallStatus="in-progress")
    for _ in range(2):  # silence, twice
        status, body = _post(stack, _gather_action(ET.fromstring(body), stack.base_url), turn)
        assert status == 200, body
    choice = ET.fromstring(body)
    spoken = " ".join(s.text or "" for s in choice.iter("Say"))
    assert "Zeg 2 om teruggebeld te worden" in spoken, body
    status, body = _post(stack, _gather_action(choice, stack.base_url), dict(turn, Digits="2"))
    assert status == 200 and ET.fromstring(body).find("Hangup") is not None, body
    request = urllib.request.Request(stack.base_url + "/api/v1/callbacks?status=open",
                                     headers={"Authorization": f"Bearer {stack.admin_token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        items = json.loads(response.read())["items"]
    mine = [i for i in items if i["phone"] == phone]
    assert [i["reason"] for i in mine] == ["caller_choice"], items
    assert mine[0]["reference"].startswith("TB-")
    status, body = _post(stack, "/webhooks/twilio/voice/status",
                         dict(params, CallStatus="completed", CallDuration="42"))
    assert status == 200, body
